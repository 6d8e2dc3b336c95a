// ModelListModel and ModelsPage: the rows of the reference checkpoints against their config.json and
// safetensors headers (read here independently), error rows for broken folders, the folder list kept
// in the settings, the selected model exported as GGUF from the page (and a folder without a tokenizer
// refused with the reason), and a screenshot of the page (<build>/screenshots/models_page.png).
#include "widgets/models/model_list_model.h"
#include "widgets/views/models_page.h"
#include "tests/support/bpe_fixture.h"
#include "tests/support/screenshot.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSettings>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace distill::widgets;

namespace {

QString fixture(const QString& name)
{
    return QDir(QStringLiteral(DISTILLERY_SOURCE_DIR "/tests/fixtures/models")).filePath(name);
}

QJsonObject readJson(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

// The JSON header of a safetensors file: u64 little-endian length, then the header.
QJsonObject safetensorsHeader(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    const QByteArray size = file.read(8);
    quint64 n = 0;
    for (int i = 7; i >= 0; --i)
        n = (n << 8) | quint8(size[i]);
    return QJsonDocument::fromJson(file.read(qint64(n))).object();
}

QStringList weightFiles(const QString& folder)
{
    const QJsonObject index = readJson(QDir(folder).filePath(QStringLiteral("model.safetensors.index.json")));
    if (index.isEmpty())
        return {QDir(folder).filePath(QStringLiteral("model.safetensors"))};
    QStringList files;
    for (const QJsonValue& v : index[QLatin1String("weight_map")].toObject())
        if (!files.contains(QDir(folder).filePath(v.toString())))
            files << QDir(folder).filePath(v.toString());
    return files;
}

bool copyFile(const QString& from, const QString& to)
{
    QFile::remove(to);
    return QFile::copy(from, to);
}

}  // namespace

class TestModelsPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    // A folder made from a fixture with `change` applied.
    QString brokenCopy(const QString& name, const QString& from)
    {
        const QString dir = m_dir.filePath(name);
        QDir().mkpath(dir);
        for (const QString& file : QDir(fixture(from)).entryList(QDir::Files))
            copyFile(QDir(fixture(from)).filePath(file), QDir(dir).filePath(file));
        return dir;
    }

    QString toyTokenizerCopy()
    {
        const QString dir = brokenCopy(QStringLiteral("tiny-qwen2-chat"), QStringLiteral("tiny-qwen2"));
        for (const char* file : {"tokenizer.json", "tokenizer_config.json"})
            copyFile(QStringLiteral(DISTILLERY_SOURCE_DIR "/resources/toy/") + QLatin1String(file),
                     QDir(dir).filePath(QLatin1String(file)));
        return dir;
    }

    static void waitRead(const ModelListModel& model)
    {
        QTRY_COMPARE_WITH_TIMEOUT(model.pending(), 0, 20000);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("DistilleryTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_models_page"));
        QSettings().clear();
    }

    void referenceRows_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("dtype");
        QTest::addColumn<int>("shards");
        QTest::newRow("tiny-qwen2") << QStringLiteral("tiny-qwen2") << QStringLiteral("F32") << 1;
        QTest::newRow("tiny-qwen3") << QStringLiteral("tiny-qwen3") << QStringLiteral("F32") << 1;
        QTest::newRow("tiny-llama3") << QStringLiteral("tiny-llama3") << QStringLiteral("F32") << 1;
        QTest::newRow("bf16 sharded") << QStringLiteral("tiny-qwen2.5-bf16-sharded") << QStringLiteral("BF16") << 4;
    }

    void referenceRows()
    {
        QFETCH(QString, name);
        QFETCH(QString, dtype);
        QFETCH(int, shards);
        ModelListModel model(nullptr, QString());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const int row = model.addFolder(fixture(name));
        QCOMPARE(row, 0);
        QCOMPARE(model.index(0, ModelListModel::Status).data().toString(), QStringLiteral("Reading…"));
        waitRead(model);

        const QJsonObject cfg = readJson(QDir(fixture(name)).filePath(QStringLiteral("config.json")));
        const auto raw = [&](int column) { return model.index(0, column).data(ModelListModel::RawRole); };
        const auto cfgInt = [&](const char* key) { return cfg[QLatin1String(key)].toInteger(); };
        QVERIFY2(model.info(0).usable(), qPrintable(model.info(0).error));
        QCOMPARE(raw(ModelListModel::Name).toString(), name);
        QCOMPARE(raw(ModelListModel::Architecture).toString(), cfg[QLatin1String("model_type")].toString());
        QCOMPARE(raw(ModelListModel::Hidden).toLongLong(), cfgInt("hidden_size"));
        QCOMPARE(raw(ModelListModel::Layers).toLongLong(), cfgInt("num_hidden_layers"));
        QCOMPARE(raw(ModelListModel::Heads).toLongLong(), cfgInt("num_attention_heads"));
        QCOMPARE(raw(ModelListModel::KvHeads).toLongLong(), cfgInt("num_key_value_heads"));
        const qint64 headDim = cfg.contains(QLatin1String("head_dim"))
                                   ? cfgInt("head_dim")
                                   : cfgInt("hidden_size") / cfgInt("num_attention_heads");
        QCOMPARE(raw(ModelListModel::HeadDim).toLongLong(), headDim);
        QCOMPARE(raw(ModelListModel::Vocabulary).toLongLong(), cfgInt("vocab_size"));
        QCOMPARE(raw(ModelListModel::Dtype).toString(), dtype);
        QCOMPARE(raw(ModelListModel::Shards).toInt(), shards);

        // Parameters and bytes from the files themselves.
        qint64 parameters = 0, bytes = 0;
        const bool tied = cfg[QLatin1String("tie_word_embeddings")].toBool();
        const QStringList files = weightFiles(fixture(name));
        QCOMPARE(files.size(), shards);
        for (const QString& file : files) {
            bytes += QFileInfo(file).size();
            const QJsonObject header = safetensorsHeader(file);
            for (auto it = header.begin(); it != header.end(); ++it) {
                if (it.key() == QLatin1String("__metadata__") || (tied && it.key() == QLatin1String("lm_head.weight")))
                    continue;
                qint64 n = 1;
                for (const QJsonValue& d : it.value().toObject()[QLatin1String("shape")].toArray())
                    n *= d.toInteger();
                parameters += n;
            }
        }
        QCOMPARE(raw(ModelListModel::Parameters).toLongLong(), parameters);
        QCOMPARE(raw(ModelListModel::Size).toLongLong(), bytes);
        QVERIFY(!model.index(0, ModelListModel::Size).data().toString().isEmpty());
        QCOMPARE(model.index(0, ModelListModel::Parameters).data().toString(), ModelListModel::parameterText(parameters));

        // The fixtures carry no tokenizer: readable, but not for chatting.
        QCOMPARE(raw(ModelListModel::Tokenizer).toBool(), false);
        QCOMPARE(model.index(0, 0).data(ModelListModel::ChatReadyRole).toBool(), false);
        QVERIFY(model.index(0, ModelListModel::Status).data().toString().contains(QStringLiteral("tokenizer.json")));
        QCOMPARE(model.index(0, ModelListModel::Name).data(Qt::ToolTipRole).toString(), QDir::cleanPath(fixture(name)));
    }

    void tokenizerColumns()
    {
        ModelListModel model(nullptr, QString());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addFolder(toyTokenizerCopy());
        waitRead(model);
        const ModelFolderInfo& info = model.info(0);
        QVERIFY2(info.chatReady(), qPrintable(info.error + info.tokenizerError));
        QVERIFY(info.hasTokenizerJson);
        QVERIFY(info.hasChatTemplate);
        QCOMPARE(info.eosToken, QStringLiteral("<|im_end|>"));
        QCOMPARE(model.index(0, ModelListModel::Tokenizer).data().toString(), QStringLiteral("yes"));
        QCOMPARE(model.index(0, ModelListModel::ChatTemplate).data().toString(), QStringLiteral("yes"));
        QVERIFY(model.index(0, ModelListModel::Eos).data().toString().startsWith(QStringLiteral("<|im_end|>")));
        QCOMPARE(model.index(0, ModelListModel::Status).data().toString(), QStringLiteral("Ready"));
    }

    void errorRows_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::addColumn<QString>("expected");  // part of the status text
        QTest::newRow("missing folder") << QStringLiteral("missing") << QStringLiteral("does not exist");
        QTest::newRow("no config.json") << QStringLiteral("noconfig") << QStringLiteral("No config.json");
        QTest::newRow("unknown model_type") << QStringLiteral("modeltype") << QStringLiteral("gpt_neox");
        QTest::newRow("truncated safetensors") << QStringLiteral("truncated") << QStringLiteral("truncated");
        QTest::newRow("missing shard") << QStringLiteral("shard") << QStringLiteral("model-00003-of-00004.safetensors");
        QTest::newRow("no weights") << QStringLiteral("noweights") << QStringLiteral("no model.safetensors");
    }

    void errorRows()
    {
        QFETCH(QString, kind);
        QFETCH(QString, expected);
        QString dir = m_dir.filePath(QStringLiteral("broken-") + kind);
        if (kind == QLatin1String("noconfig")) {
            QDir().mkpath(dir);
            QFile f(QDir(dir).filePath(QStringLiteral("README.md")));
            QVERIFY(f.open(QIODevice::WriteOnly));
        } else if (kind == QLatin1String("modeltype")) {
            dir = brokenCopy(QStringLiteral("broken-modeltype"), QStringLiteral("tiny-qwen2"));
            QJsonObject cfg = readJson(QDir(dir).filePath(QStringLiteral("config.json")));
            cfg[QLatin1String("model_type")] = QStringLiteral("gpt_neox");
            QFile f(QDir(dir).filePath(QStringLiteral("config.json")));
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QJsonDocument(cfg).toJson());
        } else if (kind == QLatin1String("truncated")) {
            dir = brokenCopy(QStringLiteral("broken-truncated"), QStringLiteral("tiny-qwen3"));
            QFile f(QDir(dir).filePath(QStringLiteral("model.safetensors")));
            QVERIFY(f.resize(f.size() / 2));
        } else if (kind == QLatin1String("shard")) {
            dir = brokenCopy(QStringLiteral("broken-shard"), QStringLiteral("tiny-qwen2.5-bf16-sharded"));
            QVERIFY(QFile::remove(QDir(dir).filePath(QStringLiteral("model-00003-of-00004.safetensors"))));
        } else if (kind == QLatin1String("noweights")) {
            dir = brokenCopy(QStringLiteral("broken-noweights"), QStringLiteral("tiny-llama3"));
            QVERIFY(QFile::remove(QDir(dir).filePath(QStringLiteral("model.safetensors"))));
        }
        ModelListModel model(nullptr, QString());
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.addFolder(dir);
        waitRead(model);
        QVERIFY(!model.info(0).usable());
        QVERIFY(!model.index(0, 0).data(ModelListModel::UsableRole).toBool());
        const QString status = model.index(0, ModelListModel::Status).data().toString();
        QVERIFY2(status.contains(expected), qPrintable(status));
        QCOMPARE(model.index(0, ModelListModel::Status).data(Qt::ToolTipRole).toString(), status);
    }

    void folderListPersists()
    {
        const QString key = QStringLiteral("models/test-folders");
        QSettings().remove(key);
        {
            ModelListModel model(nullptr, key);
            QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
            model.addFolder(fixture(QStringLiteral("tiny-qwen2")));
            model.addFolder(fixture(QStringLiteral("tiny-llama3")));
            QCOMPARE(model.addFolder(fixture(QStringLiteral("tiny-qwen2"))), 0);  // listed once, read again
            QCOMPARE(model.rowCount(), 2);
            waitRead(model);
        }
        ModelListModel restored(nullptr, key);
        QAbstractItemModelTester tester(&restored, QAbstractItemModelTester::FailureReportingMode::QtTest);
        restored.restore();
        QCOMPARE(restored.folders(), (QStringList{QDir::cleanPath(fixture(QStringLiteral("tiny-qwen2"))),
                                                  QDir::cleanPath(fixture(QStringLiteral("tiny-llama3")))}));
        waitRead(restored);
        QCOMPARE(restored.index(1, ModelListModel::Architecture).data().toString(), QStringLiteral("llama"));
        restored.removeFolder(0);
        QCOMPARE(QSettings().value(key).toStringList(), QStringList{QDir::cleanPath(fixture(QStringLiteral("tiny-llama3")))});
    }

    void exportsGguf()
    {
        QSettings().remove(QStringLiteral("models/folders"));
        ModelsPage page;
        const std::filesystem::path dir = m_dir.filePath(QStringLiteral("gguf")).toStdString();
        page.addFolder(QString::fromStdString(distill::test::withTokenizer("tiny-qwen3", dir, 1024).string()));
        page.addFolder(fixture(QStringLiteral("tiny-llama3")));  // no tokenizer.json
        waitRead(*page.models());
        page.selectRow(0);
        QSignalSpy finished(&page, &ModelsPage::exportFinished);
        const QString out = m_dir.filePath(QStringLiteral("gguf/student-q8_0.gguf"));
        QVERIFY(page.exportSelected(out, QStringLiteral("q8_0")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 60000);
        QCOMPARE(finished.at(0).at(1).toString(), QString());
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.read(4), QByteArray("GGUF"));
        QVERIFY2(page.stateText().contains(QStringLiteral("qwen3")), qPrintable(page.stateText()));
        // A folder whose tokenizer is missing: the reason, and no file.
        page.selectRow(1);
        const QString none = m_dir.filePath(QStringLiteral("gguf/none.gguf"));
        QVERIFY(page.exportSelected(none, QStringLiteral("f16")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 2, 60000);
        QVERIFY(finished.at(1).at(1).toString().contains(QStringLiteral("tokenizer.json")));
        QVERIFY(page.stateText().startsWith(QStringLiteral("Export failed")));
        QVERIFY(!QFile::exists(none));
    }

    void screenshot()
    {
        QSettings().remove(QStringLiteral("models/folders"));
        ModelsPage page;
        for (const char* name : {"tiny-qwen2", "tiny-qwen3", "tiny-llama3", "tiny-qwen2.5-bf16-sharded"})
            page.addFolder(fixture(QLatin1String(name)));
        page.addFolder(toyTokenizerCopy());
        page.addFolder(m_dir.filePath(QStringLiteral("broken-truncated")));
        page.addFolder(m_dir.filePath(QStringLiteral("broken-modeltype")));
        waitRead(*page.models());
        QCOMPARE(page.models()->rowCount(), 7);
        page.selectRow(3);
        QCOMPARE(page.detail(QStringLiteral("Architecture")), QStringLiteral("qwen2"));
        QCOMPARE(page.detail(QStringLiteral("Shards")), QStringLiteral("4"));
        QVERIFY(page.detail(QStringLiteral("Stored dtype")).startsWith(QStringLiteral("BF16")));
        page.resize(1300, 560);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QTest::qWait(50);
        QVERIFY(distill::test::saveScreenshot(page, QStringLiteral("models_page.png")));
        // The list is kept for the next start.
        QCOMPARE(QSettings().value(QStringLiteral("models/folders")).toStringList().size(), 7);
    }
};

QTEST_MAIN(TestModelsPage)
#include "tst_models_page.moc"
