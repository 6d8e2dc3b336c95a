// The Evaluate page's launcher against a real run: a tiny toy SFT (two checkpoints, steps 2 and 4)
// trained by distillery-cli in a temporary workspace, then evaluated from the launcher (one `kind: eval`
// job per checkpoint through the CLI, a few toy problems and short responses). Checks the planned specs
// (one per checkpoint, per thinking budget), that the results table and the pass@1 and response-length
// curves fill in while the queue runs and hold a row and a point per checkpoint at the end, that each
// spec the launcher wrote resolves to the spec the CLI stored for its run, and that the form's keys are
// the ones `distillery-cli run --explain eval` lists. Screenshot: eval_launcher.png.
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "widgets/models/eval_results_model.h"
#include "widgets/models/job_spec.h"
#include "widgets/models/run_checkpoints.h"
#include "widgets/models/run_controller.h"
#include "widgets/plots/curve_plot.h"
#include "widgets/views/eval_launcher.h"
#include "widgets/views/eval_page.h"
#include "widgets/views/job_form.h"
#include "tests/support/screenshot.h"

#include <nlohmann/json.hpp>
#include <qcustomplot.h>
#include <yaml-cpp/yaml.h>

#include <QComboBox>
#include <QDir>
#include <QFile>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>
#include <sstream>

using namespace distill;
using widgets::EvalLauncher;
using widgets::EvalPage;

namespace {

constexpr int kLimit = 3;      // toy problems per evaluation
constexpr int kSamples = 2;    // responses per problem
constexpr int kMaxTokens = 24;  // longest response
const QString kSeries = QStringLiteral("eval toy-sft");  // the evaluations' name: "eval " + the run's

// The evaluation protocol of the tests, set in the launcher's form.
bool configure(widgets::JobForm* form)
{
    return form->setValue(QStringLiteral("benchmarks"), nlohmann::ordered_json::array({"toy"}))
           && form->setValue(QStringLiteral("limit"), kLimit) && form->setValue(QStringLiteral("samples"), kSamples)
           && form->setValue(QStringLiteral("max_tokens"), kMaxTokens);
}

QComboBox* runCombo(EvalLauncher* launcher)
{
    return launcher->findChild<QComboBox*>(QStringLiteral("evalRun"));
}

QCPGraph* graphOf(widgets::CurvePlot* plot, const QString& series)
{
    for (int i = 0; i < plot->plot()->graphCount(); ++i)
        if (plot->plot()->graph(i)->name() == series)
            return plot->plot()->graph(i);
    return nullptr;
}

QString readText(const QString& path)
{
    QFile file(path);
    return file.open(QIODevice::ReadOnly) ? QString::fromUtf8(file.readAll()) : QString();
}

}  // namespace

class TestEvalLauncher : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_workspace;
    qint64 m_sftRun = 0;
    QVector<widgets::RunCheckpoint> m_checkpoints;

private slots:
    // A toy dataset generated in-process, then a 4-step SFT of a small student through the CLI.
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DISTILLERY_RESOURCES", DISTILLERY_SOURCE_DIR "/resources");
        QVERIFY2(!qEnvironmentVariable("DISTILLERY_CLI").isEmpty(), "DISTILLERY_CLI (set by ctest) names distillery-cli");
        m_workspace = m_dir.filePath(QStringLiteral("eval.distillery"));
        {
            store::CreateOptions create;
            create.loadBenchmarks = false;
            auto ws = store::Workspace::create(m_workspace.toStdString(), create);
            run::JobRegistry jobs;
            run::registerGenerateJob(jobs);
            std::ostringstream sink;
            run::EventSink events(sink);
            const auto result = run::runJob(jobs, ws,
                                            {"kind: generate\nname: t\ntoy: {count: 200, difficulty: 1}\n"
                                             "prompt: {user: \"{question}\"}\nteacher: {type: toy, error_rate: 0.1}\n",
                                             std::nullopt, "test"},
                                            events, run::StopToken());
            QCOMPARE(result.status, std::string("finished"));
            store::SampleQuery accepted;
            accepted.status = store::SampleStatus::Accepted;
            QVERIFY(ws.freezeDataset("toy", accepted).sampleIds.size() > 100);
        }
        std::ifstream in(DISTILLERY_SOURCE_DIR "/resources/toy/student_config.json");
        auto config = nlohmann::json::parse(in);
        config["hidden_size"] = 64;
        config["intermediate_size"] = 192;
        config["num_hidden_layers"] = 2;
        const QString student = m_dir.filePath(QStringLiteral("student.json"));
        std::ofstream(student.toStdString()) << config.dump(1);

        const QString spec = m_dir.filePath(QStringLiteral("sft.yaml"));
        std::ofstream(spec.toStdString())
            << "kind: sft\nname: toy-sft\n"
               "data: {datasets: [{name: toy}], max_seq_len: 256, eval_fraction: 0.1}\n"
               "model: {path: " << student.toStdString() << ", tokenizer: " DISTILLERY_SOURCE_DIR "/resources/toy}\n"
               "train: {seed: 3, max_steps: 4, micro_batch_size: 4, grad_accumulation: 1, lr: 0.003, warmup_steps: 1}\n"
               "checkpoints: {save_every: 2, keep_last: 2}\n";
        widgets::RunController controller;
        QSignalSpy finished(&controller, &widgets::RunController::finished);
        QVERIFY(controller.start(spec, m_workspace) > 0);
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished[0][1].toString() == QLatin1String("finished"), qPrintable(controller.stderrTail()));
        m_sftRun = controller.runId();
        QVERIFY(m_sftRun > 0);
        const auto ws = store::Workspace::open(m_workspace.toStdString());
        m_checkpoints = widgets::readRunCheckpoints(ws, {store::RunKind::Sft});
        QCOMPARE(m_checkpoints.size(), 2);
        QCOMPARE(m_checkpoints[0].step, qint64(2));
        QCOMPARE(m_checkpoints[1].step, qint64(4));
        for (const auto& c : m_checkpoints) {
            QCOMPARE(c.runId, m_sftRun);
            QVERIFY(c.hasTokenizer);  // the eval jobs read the tokenizer from the checkpoint folder
        }
    }

    // What a start would run: one eval spec per checkpoint (its folder as the model, labelled step-N),
    // times the thinking budgets; a budget that is no number stops it.
    void plansOneSpecPerCheckpoint()
    {
        EvalPage page;
        page.setWorkspacePath(m_workspace);
        EvalLauncher* launcher = page.launcher();
        QTRY_COMPARE(runCombo(launcher)->count(), 1);
        launcher->setRunCheckpoints(m_sftRun);
        QVERIFY(configure(launcher->form()));
        // The form shows the run's last checkpoint as its model, not editable.
        QCOMPARE(launcher->form()->value(QStringLiteral("model")).get<std::string>(), m_checkpoints[1].folder.toStdString());
        QVERIFY(!launcher->form()->field(QStringLiteral("model"))->isEnabled());
        QCOMPARE(launcher->form()->name(), kSeries);

        QString error;
        const QStringList specs = launcher->plannedSpecs(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(specs.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const YAML::Node spec = YAML::Load(specs[i].toStdString());
            QCOMPARE(spec["kind"].as<std::string>(), std::string("eval"));
            QCOMPARE(QString::fromStdString(spec["name"].as<std::string>()), kSeries);
            QCOMPARE(QString::fromStdString(spec["model"].as<std::string>()), m_checkpoints[i].folder);
            QCOMPARE(QString::fromStdString(spec["checkpoint"].as<std::string>()),
                     QStringLiteral("step-%1").arg(m_checkpoints[i].step));
            QCOMPARE(spec["limit"].as<int>(), kLimit);
            QCOMPARE(spec["samples"].as<int>(), kSamples);
            QCOMPARE(spec["max_tokens"].as<int>(), kMaxTokens);
            QCOMPARE(spec["benchmarks"][0].as<std::string>(), std::string("toy"));
            QVERIFY(widgets::checkJobSpec(specs[i]).ok());
        }

        launcher->setBudgets(QStringLiteral("8, 16"));
        const QStringList swept = launcher->plannedSpecs(&error);
        QCOMPARE(swept.size(), 4);
        std::map<std::pair<std::string, long>, int> seen;  // (checkpoint, budget) -> count
        for (const QString& text : swept) {
            const YAML::Node spec = YAML::Load(text.toStdString());
            const long budget = spec["max_thinking_tokens"].as<long>();
            QCOMPARE(QString::fromStdString(spec["name"].as<std::string>()), kSeries + QStringLiteral(" budget %1").arg(budget));
            ++seen[{spec["checkpoint"].as<std::string>(), budget}];
        }
        QCOMPARE(seen, (std::map<std::pair<std::string, long>, int>{
                           {{"step-2", 8}, 1}, {{"step-2", 16}, 1}, {{"step-4", 8}, 1}, {{"step-4", 16}, 1}}));
        launcher->setBudgets(QStringLiteral("8, many"));
        QVERIFY(launcher->plannedSpecs(&error).isEmpty());
        QVERIFY2(error.contains(QStringLiteral("'many'")), qPrintable(error));
        launcher->setBudgets(QString());

        // Back to the form's model folder: one spec, the field editable again.
        launcher->setRunCheckpoints(0);
        QVERIFY(launcher->form()->field(QStringLiteral("model"))->isEnabled());
        QCOMPARE(launcher->plannedSpecs(&error).size(), 1);
    }

    // Evaluate both checkpoints from the page; rows and curve points arrive as each evaluation ends.
    void evaluatesCheckpointsLive()
    {
        EvalPage page;
        page.resize(1500, 950);
        page.setWorkspacePath(m_workspace);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.showLauncher(true);
        EvalLauncher* launcher = page.launcher();
        QTRY_COMPARE(runCombo(launcher)->count(), 1);
        launcher->setRunCheckpoints(m_sftRun);
        QVERIFY(configure(launcher->form()));
        const QStringList planned = launcher->plannedSpecs();
        QCOMPARE(planned.size(), 2);

        QSignalSpy started(launcher, &EvalLauncher::runStarted);
        QSignalSpy ended(launcher, &EvalLauncher::evaluationEnded);
        QSignalSpy finished(launcher, &EvalLauncher::finished);
        QSignalSpy loaded(&page, &EvalPage::overviewLoaded);
        // What each read of the results showed, and whether the queue was still running then.
        struct Seen {
            int rows;
            int points;
            bool running;
        };
        QVector<Seen> seen;
        connect(&page, &EvalPage::overviewLoaded, this, [&] {
            seen.append({page.results()->rowCount(), page.passPlot()->pointCount(kSeries), launcher->isRunning()});
        });
        QVERIFY(launcher->start());
        QVERIFY(launcher->isRunning());
        QVERIFY(!launcher->start());  // one queue at a time
        QVERIFY(finished.wait(300000));
        QVERIFY2(finished[0][0].toString() == QLatin1String("finished"), qPrintable(launcher->stateText()));
        QVERIFY(!launcher->isRunning());
        QCOMPARE(started.size(), 2);
        QCOMPARE(ended.size(), 2);
        QVERIFY(launcher->stateText().contains(QStringLiteral("finished")));
        // The first checkpoint's row and point were shown while the second was still evaluated.
        bool live = false;
        for (const Seen& s : seen)
            live = live || (s.rows == 1 && s.points == 1 && s.running);
        QVERIFY2(live, "no read of the results showed the first evaluation while the second ran");
        // The page reads everything again once the queue has ended.
        const int readsAtEnd = int(loaded.size());
        QTRY_VERIFY_WITH_TIMEOUT(loaded.size() > readsAtEnd, 10000);

        // A row per checkpoint, from its own eval run.
        const auto ws = store::Workspace::open(m_workspace.toStdString());
        QCOMPARE(page.results()->rowCount(), 2);
        QCOMPARE(page.resultTable()->model()->rowCount(), 2);
        for (int i = 0; i < 2; ++i) {
            const widgets::EvalRow* row = page.results()->row(i);
            QVERIFY(row);
            QCOMPARE(row->runId, started[i][0].toLongLong());
            QCOMPARE(row->runKind, QStringLiteral("eval"));
            QCOMPARE(row->runName, kSeries);
            QCOMPARE(row->checkpoint, QStringLiteral("step-%1").arg(m_checkpoints[i].step));
            QCOMPARE(row->step, m_checkpoints[i].step);
            QCOMPARE(row->benchmark, QStringLiteral("toy"));
            QCOMPARE(row->problems, qint64(kLimit));
            QCOMPARE(row->samplesPerProblem, qint64(kSamples));
            QCOMPARE(row->responses, qint64(kLimit * kSamples));
            // pass@1 and the mean length are those of the stored responses.
            const auto results = ws.evalResults(row->runId);
            QCOMPARE(int(results.size()), kLimit * kSamples);
            double correct = 0, tokens = 0;
            for (const auto& r : results) {
                QCOMPARE(QString::fromStdString(r.checkpoint), row->checkpoint);
                QVERIFY(r.responseTokens >= 1 && r.responseTokens <= kMaxTokens);
                correct += r.correct ? 1 : 0;
                tokens += double(r.responseTokens);
            }
            QCOMPARE(row->pass1, correct / results.size());
            QCOMPARE(row->meanResponseTokens, tokens / results.size());
        }

        // The curves: a point per checkpoint at its step.
        QCOMPARE(page.benchmark(), QStringLiteral("toy"));
        for (widgets::CurvePlot* plot : {page.passPlot(), page.lengthPlot()}) {
            QVERIFY(plot->seriesNames().contains(kSeries));
            QCOMPARE(plot->pointCount(kSeries), 2);
        }
        for (int i = 0; i < 2; ++i) {
            const widgets::EvalRow* row = page.results()->row(i);
            QCOMPARE(graphOf(page.passPlot(), kSeries)->data()->at(i)->key, double(m_checkpoints[i].step));
            QCOMPARE(graphOf(page.passPlot(), kSeries)->data()->at(i)->value, row->pass1);
            QCOMPARE(graphOf(page.lengthPlot(), kSeries)->data()->at(i)->key, double(m_checkpoints[i].step));
            QCOMPARE(graphOf(page.lengthPlot(), kSeries)->data()->at(i)->value, row->meanResponseTokens);
        }

        // Each spec file the launcher wrote is the one it planned, and resolves to the spec the CLI
        // stored for its run.
        const QDir specs(m_workspace + QStringLiteral(".runs/specs"));
        const QStringList files = specs.entryList({QStringLiteral("eval-*.yaml")}, QDir::Files, QDir::Name);
        QCOMPARE(files.size(), 2);
        for (int i = 0; i < 2; ++i) {
            const QString text = readText(specs.filePath(files[i]));
            QCOMPARE(text, planned[i]);
            const widgets::SpecCheck check = widgets::checkJobSpec(text);
            QVERIFY2(check.ok(), qPrintable(check.error));
            const auto run = ws.run(started[i][0].toLongLong());
            QVERIFY(run);
            QCOMPARE(run->kind, store::RunKind::Eval);
            QCOMPARE(run->status, std::string("finished"));
            const QString stored = QString::fromStdString(run->config);
            QVERIFY2(stored.startsWith(QStringLiteral("# resolved eval job spec")), qPrintable(stored));
            QCOMPARE(stored.section(QLatin1Char('\n'), 1), check.resolvedYaml);
        }

        QTest::qWait(100);  // the queued replots
        QVERIFY(test::saveScreenshot(page, QStringLiteral("eval_launcher.png")));
    }

    // The launcher's form is built from the schema the CLI explains.
    void formKeysAreTheClis()
    {
        QProcess cli;
        cli.start(qEnvironmentVariable("DISTILLERY_CLI"), {QStringLiteral("run"), QStringLiteral("--explain"), QStringLiteral("eval")});
        QVERIFY(cli.waitForFinished(60000));
        QCOMPARE(cli.exitCode(), 0);
        const auto explained = nlohmann::json::parse(cli.readAllStandardOutput().toStdString());
        EvalLauncher launcher;
        QCOMPARE(explained, nlohmann::json::parse(launcher.form()->schema().describe().dump()));
    }
};

QTEST_MAIN(TestEvalLauncher)
#include "tst_eval_launcher.moc"
