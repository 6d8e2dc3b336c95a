// GeneratePage: the estimate, the spec its job form writes (the API key only in the child's
// environment), and a real toy generation through $DISTILLERY_CLI watched live, with screenshots while
// it runs and after it finished (<build>/screenshots/generate_page_*.png); the run it stored has the
// same resolved spec as the CLI's run of the same choices written by hand.
#include "core/store/workspace.h"
#include "widgets/models/run_controller.h"
#include "widgets/views/generate_page.h"
#include "widgets/views/job_form.h"
#include "tests/support/screenshot.h"
#include "tests/widgets/form_input.h"

#include <QDir>
#include <QGroupBox>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QProcess>
#include <QRegularExpression>
#include <QProgressBar>
#include <QSignalSpy>
#include <QSpinBox>

#include <yaml-cpp/yaml.h>
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

// A run's stored spec without its comment line (the build version) and its name.
QString storedSpec(const store::Workspace& ws, std::int64_t runId)
{
    YAML::Node spec = YAML::Load(ws.run(runId)->config);
    spec.remove("name");
    YAML::Emitter out;
    out << spec;
    return QString::fromUtf8(out.c_str());
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
        JobForm* form = page.form();
        page.setSourceCounts({QVariantList{QStringLiteral("gsm8k"), 1319, 0}, QVariantList{QStringLiteral("empty"), 0, 0}});
        QCOMPARE(form->field(QStringLiteral("problems.source"))->suggestions(), QStringList{QStringLiteral("gsm8k")});
        QVERIFY(test::enter(*form, QStringLiteral("toy.count"), QStringLiteral("100")));
        QVERIFY(test::enter(*form, QStringLiteral("samples_per_problem"), QStringLiteral("4")));
        page.findChild<QSpinBox*>(QStringLiteral("expectedTokens"))->setValue(100);
        QJsonObject e = page.estimate();
        QCOMPARE(e[QLatin1String("units")].toDouble(), 400.0);
        QCOMPARE(e[QLatin1String("tokens")].toDouble(), 40000.0);
        QVERIFY(form->fullValues()["toy"]["count"] == 100);  // the default: values() leaves it out
        QVERIFY(form->values()["teacher"]["type"] == "toy");
        // Workspace problems instead: the source's count, at most the limit.
        form->sectionBox(QStringLiteral("toy"))->setChecked(false);
        form->sectionBox(QStringLiteral("problems"))->setChecked(true);
        QVERIFY(test::enter(*form, QStringLiteral("problems.source"), QStringLiteral("gsm8k")));
        QCOMPARE(page.estimate()[QLatin1String("units")].toDouble(), 1319.0 * 4);
        QVERIFY(test::enter(*form, QStringLiteral("problems.limit"), QStringLiteral("100")));
        QCOMPARE(page.estimate()[QLatin1String("units")].toDouble(), 400.0);

        QVERIFY(test::enter(*form, QStringLiteral("teacher.type"), QStringLiteral("openai")));
        page.findChild<QSpinBox*>(QStringLiteral("expectedTokens"))->setValue(1000);
        QVERIFY(test::enter(*form, QStringLiteral("teacher.prices.completion"), QStringLiteral("2")));
        e = page.estimate();
        QCOMPARE(e[QLatin1String("tokens")].toDouble(), 400000.0);
        QCOMPARE(e[QLatin1String("cost")].toDouble(), 0.8);  // 0.4 M tokens at 2 per M, prompts free
        QVERIFY(test::enter(*form, QStringLiteral("teacher.sampling.temperature"), QStringLiteral("0.6")));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.sampling.top_p"), QStringLiteral("0.95")));
        page.findChild<QLineEdit*>(QStringLiteral("apiKey"))->setText(QStringLiteral("sk-secret-123"));
        // Start writes the variable's name into the spec (no workspace here: nothing runs).
        page.setWorkspacePath(m_dir.filePath(QStringLiteral("none.distillery")));
        page.controller()->setCliPath(QStringLiteral("/bin/true"));
        QVERIFY(page.startJob());
        const nlohmann::ordered_json teacher = form->values()["teacher"];
        QVERIFY(teacher["api_key_env"] == GeneratePage::kApiKeyEnv);
        QVERIFY(teacher["sampling"]["temperature"] == 0.6);
        QVERIFY(teacher["sampling"]["top_p"] == 0.95);
        QVERIFY(!form->yaml().contains(QLatin1String("sk-secret-123")));
        QVERIFY(form->yaml().contains(QLatin1String("api_key_env: DISTILLERY_TEACHER_API_KEY")));
        QSignalSpy finished(page.controller(), &RunController::finished);
        QVERIFY(finished.wait(10'000));
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
        JobForm* form = page.form();
        QVERIFY(test::enter(*form, QStringLiteral("toy.count"), QStringLiteral("60")));
        QVERIFY(test::enter(*form, QStringLiteral("samples_per_problem"), QStringLiteral("2")));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.delay_ms"), QStringLiteral("25")));
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

        // The same choices written by hand and run by the CLI: the same resolved spec (every unit
        // is found done).
        const std::int64_t windowRun = page.controller()->runId();
        const QString specPath = m_dir.filePath(QStringLiteral("by-hand.yaml"));
        QFile spec(specPath);
        QVERIFY(spec.open(QIODevice::WriteOnly));
        spec.write("kind: generate\nname: by-hand\ntoy: {count: 60}\nsamples_per_problem: 2\n"
                   "teacher: {type: toy, error_rate: 0.1, self_check_rate: 0.1, delay_ms: 25}\n");
        spec.close();
        QProcess cli;
        cli.start(qEnvironmentVariable("DISTILLERY_CLI"), {QStringLiteral("run"), specPath, QStringLiteral("--workspace"), path});
        QVERIFY(cli.waitForFinished(120'000));
        QCOMPARE(cli.exitCode(), 0);
        const std::int64_t cliRun = ws.runs().back().id;
        QVERIFY(cliRun != windowRun);
        QCOMPARE(storedSpec(ws, windowRun), storedSpec(ws, cliRun));
        QCOMPARE(toySamples(ws), 120);
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
        JobForm* form = page.form();
        QVERIFY(test::enter(*form, QStringLiteral("teacher.type"), QStringLiteral("openai")));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.preset"), QStringLiteral("distillery")));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.base_url"), endpoint));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.model"), QStringLiteral("checkpoint-5")));  // the served id
        QVERIFY(test::enter(*form, QStringLiteral("teacher.sampling.temperature"), QStringLiteral("0.6")));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.sampling.max_tokens"), QStringLiteral("120")));
        QVERIFY(test::enter(*form, QStringLiteral("toy.count"), QStringLiteral("100")));
        QVERIFY(test::enter(*form, QStringLiteral("samples_per_problem"), QStringLiteral("2")));
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
