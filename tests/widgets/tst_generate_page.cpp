// GeneratePage: the estimate, the spec it writes (the API key only in the child's environment), and
// a real toy generation through $DISTILLERY_CLI watched live, with screenshots while it runs and
// after it finished (<build>/screenshots/generate_page_*.png).
#include "core/store/workspace.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_spec.h"
#include "widgets/views/generate_page.h"
#include "tests/support/screenshot.h"

#include <QComboBox>
#include <QDir>
#include <QDoubleSpinBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QTest>

using namespace distill;
using namespace distill::widgets;

namespace {

// Samples of toy problems (a new workspace may also hold imported benchmark traces).
std::int64_t toySamples(const store::Workspace& ws)
{
    store::SampleQuery query;
    query.source = "toy";
    return ws.countSamples(query);
}

}  // namespace

class TestGeneratePage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void estimateAndSpec()
    {
        GeneratePage page;
        page.setSourceCounts({QVariantList{QStringLiteral("gsm8k"), 1319, 0}, QVariantList{QStringLiteral("empty"), 0, 0}});
        page.findChild<QSpinBox*>(QStringLiteral("toyCount"))->setValue(100);
        page.findChild<QSpinBox*>(QStringLiteral("samplesPerProblem"))->setValue(4);
        page.findChild<QSpinBox*>(QStringLiteral("expectedTokens"))->setValue(100);
        QJsonObject e = page.estimate();
        QCOMPARE(e[QLatin1String("units")].toDouble(), 400.0);
        QCOMPARE(e[QLatin1String("tokens")].toDouble(), 40000.0);
        QCOMPARE(page.spec()[QLatin1String("toy")].toObject()[QLatin1String("count")].toInt(), 100);
        QCOMPARE(page.spec()[QLatin1String("teacher")].toObject()[QLatin1String("type")].toString(), QStringLiteral("toy"));

        auto* type = page.findChild<QComboBox*>(QStringLiteral("teacherType"));
        type->setCurrentIndex(type->findData(QStringLiteral("openai")));
        page.findChild<QSpinBox*>(QStringLiteral("expectedTokens"))->setValue(1000);
        page.findChild<QDoubleSpinBox*>(QStringLiteral("priceCompletion"))->setValue(2.0);
        e = page.estimate();
        QCOMPARE(e[QLatin1String("tokens")].toDouble(), 400000.0);
        QCOMPARE(e[QLatin1String("cost")].toDouble(), 0.8);  // 0.4 M tokens at 2 per M, prompts free
        page.findChild<QLineEdit*>(QStringLiteral("apiKey"))->setText(QStringLiteral("sk-secret-123"));
        const QJsonObject teacher = page.spec()[QLatin1String("teacher")].toObject();
        QCOMPARE(teacher[QLatin1String("api_key_env")].toString(), QString::fromLatin1(GeneratePage::kApiKeyEnv));
        QCOMPARE(teacher[QLatin1String("sampling")].toObject()[QLatin1String("temperature")].toDouble(), 0.6);
        QCOMPARE(teacher[QLatin1String("sampling")].toObject()[QLatin1String("top_p")].toDouble(), 0.95);
        QVERIFY(!specYaml(page.spec()).contains(QLatin1String("sk-secret-123")));
        QVERIFY(specYaml(page.spec()).contains(QLatin1String("api_key_env: \"DISTILLERY_TEACHER_API_KEY\"")));
    }

    void toyGenerationLive()
    {
        const QString path = m_dir.filePath(QStringLiteral("gen.distillery"));
        store::CreateOptions options;
        options.loadBenchmarks = false;
        store::Workspace ws = store::Workspace::create(path.toStdString(), options);
        GeneratePage page;
        page.resize(1280, 800);
        page.setWorkspacePath(path);
        page.findChild<QSpinBox*>(QStringLiteral("toyCount"))->setValue(60);
        page.findChild<QSpinBox*>(QStringLiteral("samplesPerProblem"))->setValue(2);
        page.findChild<QSpinBox*>(QStringLiteral("toyDelay"))->setValue(25);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy progress(page.controller(), &RunController::progress);
        QSignalSpy finished(page.controller(), &RunController::finished);
        QSignalSpy samplesChanged(&page, &GeneratePage::samplesChanged);
        QVERIFY(page.startJob());
        QVERIFY(!page.startJob());  // one job at a time
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 3, 60'000);
        auto* bar = page.findChild<QProgressBar*>(QStringLiteral("progress"));
        QCOMPARE(bar->maximum(), 120);
        QVERIFY(bar->value() > 0);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("generate_page_running.png")));
        QVERIFY(finished.wait(120'000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("finished"));
        QCOMPARE(bar->value(), 120);
        QVERIFY(!samplesChanged.isEmpty());
        const QString counts = page.findChild<QLabel*>(QStringLiteral("counts"))->text();
        QVERIFY2(counts.startsWith(QLatin1String("Accepted ")), qPrintable(counts));
        QCOMPARE(toySamples(ws), 120);
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("generate_page_finished.png")));
    }

    // A generation job against Distillery's own OpenAI-compatible server on loopback, serving a toy
    // student that a short SFT job made: the page drives it like any remote teacher.
    void localServeGenerationLive()
    {
        const QString path = m_dir.filePath(QStringLiteral("serve.distillery"));
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        const QString toy = QStringLiteral(DISTILLERY_SOURCE_DIR "/resources/toy");
        auto runJob = [&](const QString& name, const QString& text) {
            const QString specPath = m_dir.filePath(name + QStringLiteral(".yaml"));
            QFile spec(specPath);
            QVERIFY(spec.open(QIODevice::WriteOnly));
            spec.write(text.toUtf8());
            spec.close();
            QProcess job;
            job.start(cli, {QStringLiteral("run"), specPath, QStringLiteral("--workspace"), path});
            QVERIFY(job.waitForFinished(300'000));
            QCOMPARE(job.exitCode(), 0);
        };
        runJob(QStringLiteral("teacher"), QStringLiteral("kind: generate\nname: toy\ntoy: {count: 100, seed: 5000}\nprompt: {user: \"{question}\"}\n"
                                                        "teacher: {type: toy, verbosity: worked}\n"));
        {
            store::Workspace ws = store::Workspace::open(path.toStdString());
            store::SampleQuery accepted;
            accepted.status = store::SampleStatus::Accepted;
            ws.freezeDataset("toy", accepted);
        }
        const QString student = m_dir.filePath(QStringLiteral("student"));
        runJob(QStringLiteral("sft"), QStringLiteral("kind: sft\nname: sft\ndata: {datasets: [{name: toy}], max_seq_len: 256}\n"
                                                    "model: {path: %1/student_config.json, tokenizer: %1}\n"
                                                    "train: {max_steps: 5, micro_batch_size: 8}\ncheckpoints: {output_dir: %2}\n")
                                         .arg(toy, student));

        QProcess server;
        server.start(cli, {QStringLiteral("serve"), QStringLiteral("--model"), student + QStringLiteral("/checkpoint-5"),
                           QStringLiteral("--port"), QStringLiteral("0")});
        QVERIFY(server.waitForStarted(10'000));
        QString banner;
        QTRY_VERIFY_WITH_TIMEOUT((banner += QString::fromUtf8(server.readAllStandardOutput())).contains(QLatin1String("/v1")),
                                 60'000);
        const QString endpoint = QRegularExpression(QStringLiteral("http://\\S+/v1")).match(banner).captured(0);
        QVERIFY2(!endpoint.isEmpty(), qPrintable(banner));

        store::Workspace ws = store::Workspace::open(path.toStdString());
        GeneratePage page;
        page.resize(1280, 800);
        page.setWorkspacePath(path);
        auto* type = page.findChild<QComboBox*>(QStringLiteral("teacherType"));
        type->setCurrentIndex(type->findData(QStringLiteral("openai")));
        page.findChild<QComboBox*>(QStringLiteral("preset"))->setCurrentText(QStringLiteral("distillery"));
        page.findChild<QLineEdit*>(QStringLiteral("endpoint"))->setText(endpoint);
        page.findChild<QLineEdit*>(QStringLiteral("teacherModel"))->setText(QStringLiteral("checkpoint-5"));  // the served id
        page.findChild<QSpinBox*>(QStringLiteral("maxTokens"))->setValue(120);
        page.findChild<QSpinBox*>(QStringLiteral("toyCount"))->setValue(100);
        page.findChild<QSpinBox*>(QStringLiteral("samplesPerProblem"))->setValue(2);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QSignalSpy progress(page.controller(), &RunController::progress);
        QSignalSpy finished(page.controller(), &RunController::finished);
        const std::int64_t before = toySamples(ws);
        QVERIFY(page.startJob());
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2 || !finished.isEmpty(), 120'000);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("generate_page_serve_running.png")));
        QVERIFY(finished.wait(300'000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("finished"));
        QCOMPARE(toySamples(ws), before + 200);  // 100 problems x 2, each landed once
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("generate_page_serve_finished.png")));
        server.terminate();
        QVERIFY(server.waitForFinished(30'000));
    }
};

QTEST_MAIN(TestGeneratePage)
#include "tst_generate_page.moc"
