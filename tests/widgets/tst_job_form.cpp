// JobForm: every key of every job kind is reachable (the test walks each kind's description, finds
// the key's field, sets a value through the widget and reads it back from the spec text the job
// gets), variants follow their discriminator, the advanced switch, values out of range flagged
// before start, the YAML tab round-trips, and "copy as CLI command" runs as it reads.
#include "core/run/yaml_json.h"
#include "widgets/models/job_spec.h"
#include "widgets/views/job_form.h"
#include "widgets/views/key_field.h"
#include "tests/support/screenshot.h"

#include <yaml-cpp/yaml.h>

#include <QCheckBox>
#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QProcess>
#include <QPushButton>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTest>

using namespace distill;
using namespace distill::widgets;
using ojson = nlohmann::ordered_json;

// JSON values compared, both printed when they differ.
#define COMPARE_JSON(actual, expected)                                                                   \
    do {                                                                                                 \
        const ojson a_ = (actual), e_ = (expected);                                                      \
        QVERIFY2(a_ == e_, qPrintable(QString::fromStdString(a_.dump() + " != " + e_.dump())));          \
    } while (false)

namespace {

// A key with the keys above it, root first.
using Chain = std::vector<const run::KeyDoc*>;

void chains(const std::vector<run::KeyDoc>& keys, Chain& stack, std::vector<Chain>& out)
{
    for (const run::KeyDoc& k : keys) {
        stack.push_back(&k);
        out.push_back(stack);
        chains(k.children, stack, out);
        stack.pop_back();
    }
}

// The concrete path of a chain, list items at index 0: "rewards[0].weight".
QString pathOf(const Chain& chain, std::size_t depth)
{
    QString path;
    for (std::size_t i = 0; i < depth; ++i) {
        if (i > 0)
            path += QLatin1Char('.');
        path += QString::fromStdString(chain[i]->name);
        if (chain[i]->type == run::KeyType::SectionList && i + 1 < depth)
            path += QStringLiteral("[0]");
    }
    return path;
}

// A value other than the field's current one, entered through its widget; returns it.
ojson enterOtherValue(KeyField* field)
{
    const run::KeyDoc& k = field->key();
    const ojson current = field->value();
    if (auto* box = qobject_cast<QCheckBox*>(field->editor())) {
        box->click();
        return box->isChecked();
    }
    if (auto* combo = qobject_cast<QComboBox*>(field->editor())) {
        combo->setCurrentIndex((combo->currentIndex() + 1) % combo->count());
        return combo->currentText().toStdString();
    }
    auto* line = qobject_cast<QLineEdit*>(field->editor());
    ojson value;
    switch (k.type) {
    case run::KeyType::Integer: {
        long long n = k.min ? (long long)*k.min : 0;
        if (current.is_number() && current.get<long long>() == n)
            ++n;
        value = n;
        break;
    }
    case run::KeyType::Number: {
        double d = k.min ? *k.min : 0.5;
        if (current.is_number() && current.get<double>() == d)
            d = k.max ? (*k.min + *k.max) / 2 : d + 1;
        value = d;
        break;
    }
    case run::KeyType::TextList:
        value = ojson::array({"alpha", "beta, with a comma"});
        break;
    case run::KeyType::Map:
        value = ojson{{"chat_template_kwargs", {{"thinking", true}}}};
        break;
    default:
        value = "x-value";
    }
    if (k.type == run::KeyType::TextList)
        line->setText(KeyField::listText(value));
    else if (k.type == run::KeyType::Map)
        line->setText(QString::fromStdString(value.dump()));
    else if (value.is_string())
        line->setText(QString::fromStdString(value.get<std::string>()));
    else if (value.is_number_integer())
        line->setText(QString::number(value.get<long long>()));
    else
        line->setText(QString::number(value.get<double>(), 'g', 17));
    return value;
}

// The node at `path` of a parsed spec text, as JSON (null when absent).
nlohmann::json yamlAt(const QString& yamlText, const QString& path)
{
    YAML::Node node = YAML::Load(yamlText.toStdString());
    for (const QString& part : path.split(QLatin1Char('.'))) {
        const int open = part.indexOf(QLatin1Char('['));
        const std::string name = (open < 0 ? part : part.left(open)).toStdString();
        if (!node.IsMap() || !node[name])
            return nullptr;
        node = node[name];
        if (open >= 0) {
            const int index = part.mid(open + 1, part.size() - open - 2).toInt();
            if (!node.IsSequence() || int(node.size()) <= index)
                return nullptr;
            node = node[std::size_t(index)];
        }
    }
    return run::yamlToJson(node);
}

}  // namespace

class TestJobForm : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DISTILLERY_RESOURCES", QByteArray(DISTILLERY_SOURCE_DIR) + "/resources");
    }

    void everyKeyIsReachable_data()
    {
        QTest::addColumn<QString>("kind");
        for (const QString& kind : jobKindNames())
            QTest::newRow(qPrintable(kind)) << kind;
    }

    void everyKeyIsReachable()
    {
        QFETCH(QString, kind);
        const run::SpecSchema& schema = jobSchema(kind);
        std::vector<Chain> all;
        Chain stack;
        chains(schema.keys(), stack, all);
        QCOMPARE(all.size(), schema.allKeys().size());
        int leaves = 0;
        for (const Chain& chain : all) {
            JobForm form(kind);  // a fresh form per key: other keys never help
            const run::KeyDoc* key = chain.back();
            const QString path = pathOf(chain, chain.size());
            // Optional sections on the way are switched on, lists get an item, and each variant on the
            // way is chosen with its discriminator, all through the widgets.
            for (std::size_t depth = 1; depth <= chain.size(); ++depth) {
                const run::KeyDoc* above = chain[depth - 1];
                const QString at = pathOf(chain, depth);
                if (!above->when.empty()) {
                    QString owner = pathOf(chain, depth - 1);
                    if (chain[depth - 2]->type == run::KeyType::SectionList)
                        owner += QStringLiteral("[0]");  // the variant of the list's first item
                    const std::string& disc = chain[depth - 2]->discriminator;
                    KeyField* selector = form.field(owner + QLatin1Char('.') + QString::fromStdString(disc));
                    QVERIFY2(selector, qPrintable(owner));
                    auto* combo = qobject_cast<QComboBox*>(selector->editor());
                    combo->setCurrentText(QString::fromStdString(above->when.front()));
                }
                if (depth == chain.size())
                    break;
                if (above->type == run::KeyType::Section && above->optionalSection)
                    form.sectionBox(at)->setChecked(true);
                if (above->type == run::KeyType::SectionList && form.itemCount(at) == 0)
                    form.findChild<QPushButton*>(QStringLiteral("add:") + at)->click();  // the form is not shown yet
            }
            if (key->type == run::KeyType::Section || key->type == run::KeyType::SectionList) {
                if (key->optionalSection || key->type == run::KeyType::SectionList)
                    QVERIFY2(form.sectionBox(path), qPrintable(path));
                continue;
            }
            ++leaves;
            KeyField* field = form.field(path);
            QVERIFY2(field, qPrintable(path));
            QVERIFY2(&field->key() == key, qPrintable(path));  // the variant's own field
            QVERIFY(form.fields(key).contains(field));
            if (key->advanced)
                form.setAdvancedShown(true);
            form.show();
            QVERIFY2(field->isVisibleTo(&form), qPrintable(path));
            const ojson entered = enterOtherValue(field);
            QVERIFY2(field->problem().isEmpty(), qPrintable(path + QStringLiteral(": ") + field->problem()));
            COMPARE_JSON(form.value(path), entered);
            // The spec text the job gets holds the value.
            const nlohmann::json written = yamlAt(form.yaml(), path);
            QVERIFY2(written == nlohmann::json::parse(entered.dump()),
                     qPrintable(path + QStringLiteral(" = ") + QString::fromStdString(written.dump()) + QStringLiteral("\n")
                                + form.yaml()));
        }
        QVERIFY(leaves >= (kind == QLatin1String("freeze") || kind == QLatin1String("pipeline") ? 2 : 10));
    }

    void variantsFollowTheDiscriminator()
    {
        JobForm form(QStringLiteral("generate"));
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        COMPARE_JSON(form.value(QStringLiteral("teacher.type")), ojson("toy"));
        QVERIFY(form.field(QStringLiteral("teacher.error_rate"))->isVisible());
        const auto openaiField = [&](const char* path) {
            for (KeyField* f : form.findChildren<KeyField*>(QStringLiteral("key:") + QLatin1String(path)))
                if (!f->key().when.empty() && f->key().when.front() == "openai")
                    return f;
            return static_cast<KeyField*>(nullptr);
        };
        QVERIFY(!openaiField("teacher.base_url")->isVisible());
        qobject_cast<QComboBox*>(form.field(QStringLiteral("teacher.type"))->editor())->setCurrentText(QStringLiteral("openai"));
        QVERIFY(openaiField("teacher.base_url")->isVisible());
        QVERIFY(!form.field(QStringLiteral("teacher.error_rate"))->isVisible());
        // Keys of the other variant never reach the spec.
        form.field(QStringLiteral("teacher.base_url"))->setValue("http://127.0.0.1:9/v1");
        const ojson teacher = form.values()["teacher"];
        COMPARE_JSON(teacher["type"], ojson("openai"));
        COMPARE_JSON(teacher["base_url"], ojson("http://127.0.0.1:9/v1"));
        QVERIFY(!teacher.contains("error_rate"));
        // Two sections named `sampling`: the one of the chosen variant is the field found.
        QCOMPARE(form.field(QStringLiteral("teacher.sampling.n"))->key().when.size(), std::size_t(0));
        QVERIFY(form.field(QStringLiteral("teacher.sampling.n"))->isVisibleTo(&form));
    }

    void advancedSwitch()
    {
        JobForm form(QStringLiteral("sft"));
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        KeyField* beta1 = form.field(QStringLiteral("train.beta1"));
        QVERIFY(beta1->key().advanced);
        QVERIFY(!beta1->isVisible());
        QVERIFY(form.field(QStringLiteral("train.lr"))->isVisible());
        form.findChild<QCheckBox*>(QStringLiteral("advancedKeys"))->click();
        QVERIFY(beta1->isVisible());
    }

    void outOfRangeIsFlaggedBeforeStart()
    {
        JobForm form(QStringLiteral("sft"));
        form.setValue(QStringLiteral("model.path"), "/models/student");
        form.setValue(QStringLiteral("data.jsonl"), "/data/train.jsonl");
        QVERIFY2(form.check().ok(), qPrintable(form.check().error));
        auto* lr = qobject_cast<QLineEdit*>(form.field(QStringLiteral("train.lr"))->editor());
        lr->setText(QStringLiteral("50"));
        QCOMPARE(form.problems().size(), 1);
        QVERIFY(form.problems().front().startsWith(QLatin1String("train.lr: ")));
        QVERIFY(!form.check().ok());
        QVERIFY(lr->palette().color(QPalette::Base) != form.palette().color(QPalette::Base));
        lr->setText(QStringLiteral("three"));
        QVERIFY(form.problems().front().contains(QLatin1String("not a number")));
        lr->setText(QStringLiteral("3e-4"));
        QVERIFY(form.problems().isEmpty());
        COMPARE_JSON(form.value(QStringLiteral("train.lr")), ojson(3e-4));
        // A rule that spans keys comes from the job's parser: datasets and jsonl together.
        form.setValue(QStringLiteral("data.datasets"), ojson::array({{{"name", "accepted"}}}));
        const SpecCheck check = form.check();
        QVERIFY(!check.ok());
        QVERIFY2(check.error.contains(QLatin1String("datasets")), qPrintable(check.error));
    }

    void yamlRoundTrips()
    {
        JobForm form(QStringLiteral("sft"));
        form.setName(QStringLiteral("student-kd"));
        form.setValue(QStringLiteral("model.path"), "/models/student");
        form.setValue(QStringLiteral("model.dtype"), "bf16");
        form.setValue(QStringLiteral("data.datasets"), ojson::array({{{"name", "a"}}, {{"name", "b"}, {"weight", 2.0}}}));
        form.setValue(QStringLiteral("teacher.path"), "/models/teacher");
        form.setValue(QStringLiteral("teacher.temperature"), 1.5);
        form.setValue(QStringLiteral("lora"), true);
        form.setValue(QStringLiteral("train.gradient_checkpointing"), true);
        form.setValue(QStringLiteral("benchmark_eval.benchmarks"), ojson::array({"toy"}));
        const QString text = form.yaml();
        const SpecCheck check = checkJobSpec(text);
        QVERIFY2(check.ok(), qPrintable(check.error + QLatin1Char('\n') + text));

        JobForm again(QStringLiteral("sft"));
        QString error;
        QVERIFY2(again.setYaml(text, &error), qPrintable(error));
        QCOMPARE(again.name(), QStringLiteral("student-kd"));
        COMPARE_JSON(again.values(), form.values());
        COMPARE_JSON(again.fullValues(), form.fullValues());
        QCOMPARE(again.yaml(), text);
        QVERIFY(again.sectionEnabled(QStringLiteral("lora")));
        QCOMPARE(again.itemCount(QStringLiteral("data.datasets")), 2);

        // The same choices written by hand resolve to the same spec.
        const QString byHand = QStringLiteral(
            "kind: sft\nname: student-kd\nmodel: {path: /models/student, dtype: bf16}\n"
            "data:\n  datasets:\n    - {name: a}\n    - {name: b, weight: 2}\n"
            "teacher: {path: /models/teacher, temperature: 1.5}\nlora: {}\n"
            "train: {gradient_checkpointing: true}\nbenchmark_eval: {benchmarks: [toy]}\n");
        const SpecCheck hand = checkJobSpec(byHand);
        QVERIFY2(hand.ok(), qPrintable(hand.error));
        QCOMPARE(check.resolvedYaml, hand.resolvedYaml);

        // Edited in the YAML tab, read back into the form; a bad key is refused with its line.
        auto* tabs = form.tabs();
        tabs->setCurrentIndex(1);
        auto* edit = form.findChild<QPlainTextEdit*>(QStringLiteral("yaml"));
        QCOMPARE(edit->toPlainText(), text);
        edit->setPlainText(QString(text).replace(QLatin1String("temperature: 1.5"), QLatin1String("temperature: 3")));
        tabs->setCurrentIndex(0);
        COMPARE_JSON(form.value(QStringLiteral("teacher.temperature")), ojson(3.0));
        tabs->setCurrentIndex(1);
        edit->setPlainText(text + QStringLiteral("tempreture: 1\n"));
        tabs->setCurrentIndex(0);
        QCOMPARE(tabs->currentIndex(), 1);  // stays on the text, which says why
        QVERIFY(edit->toPlainText().contains(QLatin1String("tempreture")));
        COMPARE_JSON(form.value(QStringLiteral("teacher.temperature")), ojson(3.0));
    }

    void listEditing()
    {
        JobForm form(QStringLiteral("grpo"));
        QCOMPARE(form.itemCount(QStringLiteral("rewards")), 2);  // the default terms
        QVERIFY(!form.values().contains("rewards"));
        const int added = form.addItem(QStringLiteral("rewards"));
        QCOMPARE(added, 2);
        auto* kind = qobject_cast<QComboBox*>(form.field(QStringLiteral("rewards[2].kind"))->editor());
        kind->setCurrentText(QStringLiteral("language"));
        form.field(QStringLiteral("rewards[2].language"))->setValue("zh");
        form.field(QStringLiteral("rewards[2].weight"))->setValue(0.5);
        ojson rewards = form.values()["rewards"];
        QCOMPARE(rewards.size(), std::size_t(3));
        COMPARE_JSON(rewards[2], (ojson{{"kind", "language"}, {"weight", 0.5}, {"language", "zh"}}));
        // Removing the first term renumbers the rest.
        QTest::mouseClick(form.findChild<QPushButton*>(QStringLiteral("remove:rewards[0]")), Qt::LeftButton);
        QCoreApplication::processEvents();
        rewards = form.values()["rewards"];
        QCOMPARE(rewards.size(), std::size_t(2));
        COMPARE_JSON(rewards[0]["kind"], ojson("format"));
        COMPARE_JSON(form.value(QStringLiteral("rewards[1].language")), ojson("zh"));
    }

    void cliCommandRuns()
    {
        JobForm form(QStringLiteral("generate"));
        form.setName(QStringLiteral("from cli"));
        form.setValue(QStringLiteral("toy.count"), 5);
        const QString workspace = m_dir.filePath(QStringLiteral("cli.distillery"));
        form.setWorkspacePath(workspace);
        form.setGpus({0, 1});
        QVERIFY(form.cliCommand().contains(QLatin1String("--gpus 0,1")));
        form.setGpus({});
        const QString command = form.cliCommand();
        QVERIFY(command.contains(form.yaml()));
        QVERIFY(command.contains(QLatin1String("distillery-cli run 'from_cli.yaml' --workspace '") + workspace + QLatin1Char('\'')));
        QProcess shell;
        shell.setWorkingDirectory(m_dir.path());
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("PATH"), QFileInfo(qEnvironmentVariable("DISTILLERY_CLI")).absolutePath()
                                               + QLatin1Char(':') + env.value(QStringLiteral("PATH")));
        shell.setProcessEnvironment(env);
        shell.start(QStringLiteral("sh"), {QStringLiteral("-c"), command});
        QVERIFY(shell.waitForFinished(60'000));
        QVERIFY2(shell.exitCode() == 0, shell.readAllStandardError().constData());
        QVERIFY(shell.readAllStandardOutput().contains("\"status\":\"finished\""));
        QFile written(m_dir.filePath(QStringLiteral("from_cli.yaml")));
        QVERIFY(written.open(QIODevice::ReadOnly));
        QCOMPARE(QString::fromUtf8(written.readAll()), form.yaml());
    }

    void screenshot()
    {
        JobForm form(QStringLiteral("grpo"));
        form.resize(560, 1100);
        form.show();
        QVERIFY(QTest::qWaitForWindowExposed(&form));
        QVERIFY(test::saveScreenshot(form, QStringLiteral("job_form_grpo.png")));
    }
};

QTEST_MAIN(TestJobForm)
#include "tst_job_form.moc"
