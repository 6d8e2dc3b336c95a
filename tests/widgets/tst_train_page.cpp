// TrainPage and RunMonitor: the SFT spec from the job form (LoRA, a distillation teacher, gradient
// checkpointing, benchmark evaluation), devices and a data-parallel launch passing --gpus, nvidia-smi
// parsing, runs overlaid from the workspace's metrics (written through the store API while the page
// polls, as a job on another machine would), one replot per tick for a burst of points, log axis,
// exports, a screenshot of the monitor (<build>/screenshots/train_page.png), and a real toy SFT job
// started from the page whose stored spec equals the CLI's reading of the same spec, screenshot while
// it runs (train_page_live.png), then stopped.
#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_list_model.h"
#include "widgets/plots/curve_plot.h"
#include "widgets/models/job_spec.h"
#include "widgets/views/job_form.h"
#include "widgets/views/run_monitor.h"
#include "widgets/views/train_page.h"
#include "tests/support/screenshot.h"
#include "tests/widgets/form_input.h"

#include <QCheckBox>
#include <QDir>
#include <QFile>
#include <QGroupBox>
#include <QProcess>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace distill;
using namespace distill::widgets;

class TestTrainPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static std::int64_t addRun(store::Workspace& ws, const std::string& name, const std::string& status)
    {
        store::Run run;
        run.kind = store::RunKind::Sft;
        run.name = name;
        run.status = status;
        return ws.createRun(run);
    }

    static void addSteps(store::Workspace& ws, std::int64_t run, int from, int to, double scale)
    {
        std::vector<store::Metric> metrics;
        for (int s = from; s <= to; ++s) {
            const double loss = scale * (0.3 + 2.5 * std::exp(-s / 40.0)) + 0.02 * std::sin(s * 1.7);
            metrics.push_back({run, s, "train/loss", loss, 0});
            metrics.push_back({run, s, "train/lr", 1e-3 * std::min(1.0, s / 20.0) * (0.5 + 0.5 * std::cos(M_PI * s / 300.0)), 0});
            metrics.push_back({run, s, "train/grad_norm", 0.4 + 2.0 * std::exp(-s / 25.0) + 0.1 * std::cos(s), 0});
            metrics.push_back({run, s, "train/tokens_per_s", 5200 + 300 * std::sin(s / 7.0), 0});
            if (s % 25 == 0)
                metrics.push_back({run, s, "eval/loss", loss + 0.08, 0});
        }
        ws.addMetrics(metrics);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DISTILLERY_RESOURCES", QByteArray(DISTILLERY_SOURCE_DIR) + "/resources");
    }

    void parsesNvidiaSmi()
    {
        const QStringList gpus = RunPage::parseGpuList(
            QStringLiteral("0, NVIDIA H100 80GB HBM3, 81559 MiB, 1200 MiB, 3 %\n1, NVIDIA H100 80GB HBM3, 81559 MiB, 70000 MiB, 97 %\nbad line\n"));
        QCOMPARE(gpus, (QStringList{QStringLiteral("0: NVIDIA H100 80GB HBM3, 81559 MiB, 1200 MiB used, 3 % busy"),
                                    QStringLiteral("1: NVIDIA H100 80GB HBM3, 81559 MiB, 70000 MiB used, 97 % busy")}));
        QVERIFY(RunPage::parseGpuList(QString()).isEmpty());
    }

    void specFromForm()
    {
        TrainPage page;
        JobForm* form = page.form();
        QCOMPARE(form->kind(), QStringLiteral("sft"));
        QVERIFY(QFile::exists(QString::fromStdString(form->value(QStringLiteral("model.path")).get<std::string>())));  // toy student config
        QVERIFY(QFile::exists(QString::fromStdString(form->value(QStringLiteral("model.tokenizer")).get<std::string>())
                              + QStringLiteral("/tokenizer.json")));
        QVERIFY(form->value(QStringLiteral("train.lr")) == 1e-3);
        QVERIFY(form->value(QStringLiteral("train.schedule")) == "cosine");
        QVERIFY(form->value(QStringLiteral("checkpoints.keep_last")) == 2);
        // Full fine-tuning unless the LoRA section is switched on.
        QVERIFY(!form->values().contains("lora"));
        QGroupBox* lora = form->sectionBox(QStringLiteral("lora"));
        // (isEnabled, not isEnabledTo: an unchecked group box disables its children without forcing it)
        QVERIFY(!form->field(QStringLiteral("lora.alpha"))->isEnabled());
        lora->setChecked(true);
        QVERIFY(form->field(QStringLiteral("lora.alpha"))->isEnabled());
        QVERIFY(test::enter(*form, QStringLiteral("lora.rank"), QStringLiteral("8")));
        QVERIFY(test::enter(*form, QStringLiteral("lora.alpha"), QStringLiteral("16")));
        QVERIFY(form->values()["lora"] == (nlohmann::ordered_json{{"rank", 8}, {"alpha", 16.0}}));
        // A distillation teacher, gradient checkpointing, bf16 and benchmark evaluation of each checkpoint.
        form->sectionBox(QStringLiteral("teacher"))->setChecked(true);
        QVERIFY(test::enter(*form, QStringLiteral("teacher.path"), QStringLiteral("/models/teacher")));
        QVERIFY(test::enter(*form, QStringLiteral("teacher.temperature"), QStringLiteral("1.5")));
        QVERIFY(test::enter(*form, QStringLiteral("train.gradient_checkpointing"), QStringLiteral("true")));
        QVERIFY(test::enter(*form, QStringLiteral("model.dtype"), QStringLiteral("bf16")));
        page.setSourceCounts({QVariant(QVariantList{QStringLiteral("aime24"), 30, 0})});
        QCOMPARE(form->field(QStringLiteral("benchmark_eval.benchmarks"))->suggestions(),
                 (QStringList{QStringLiteral("toy"), QStringLiteral("aime24")}));
        form->sectionBox(QStringLiteral("benchmark_eval"))->setChecked(true);
        QVERIFY(test::enter(*form, QStringLiteral("benchmark_eval.benchmarks"), QStringLiteral("toy, aime24")));
        QVERIFY(test::enter(*form, QStringLiteral("benchmark_eval.every"), QStringLiteral("50")));
        QVERIFY(test::addItem(*form, QStringLiteral("data.datasets")));
        QVERIFY(test::enter(*form, QStringLiteral("data.datasets[0].name"), QStringLiteral("accepted")));
        const SpecCheck check = form->check();
        QVERIFY2(check.ok(), qPrintable(check.error));
        for (const char* line : {"temperature: 1.5", "gradient_checkpointing: true", "dtype: bf16", "every: 50", "name: accepted"})
            QVERIFY2(check.resolvedYaml.contains(QLatin1String(line)), line);
        QVERIFY(check.resolvedYaml.contains(QLatin1String("benchmarks: [toy, aime24]")));
    }

    void dataParallelLaunchPassesGpus()
    {
        const QString path = m_dir.filePath(QStringLiteral("gpus.distillery"));
        store::CreateOptions options;
        options.loadBenchmarks = false;
        store::Workspace::create(path.toStdString(), options).close();
        TrainPage page;
        QCOMPARE(page.devices().first(), QStringLiteral("cpu"));
        // This machine's devices are injected: two GPUs.
        page.setDevices({QStringLiteral("cpu"), QStringLiteral("cuda:0"), QStringLiteral("cuda:1")});
        QCOMPARE(page.form()->field(QStringLiteral("model.device"))->suggestions(),
                 (QStringList{QStringLiteral("cpu"), QStringLiteral("cuda:0"), QStringLiteral("cuda:1")}));
        page.findChild<QCheckBox*>(QStringLiteral("gpu:0"))->click();
        page.findChild<QCheckBox*>(QStringLiteral("gpu:1"))->click();
        QVERIFY(page.form()->value(QStringLiteral("model.device")) == "cuda");
        QVERIFY(test::addItem(*page.form(), QStringLiteral("data.datasets")));
        QVERIFY(test::enter(*page.form(), QStringLiteral("data.datasets[0].name"), QStringLiteral("accepted")));
        page.setWorkspacePath(path);
        // The launch as the command line gets it (a program that only prints its arguments).
        page.controller()->setCliPath(QStringLiteral("/bin/echo"));
        QSignalSpy log(page.controller(), &RunController::log);
        QSignalSpy finished(page.controller(), &RunController::finished);
        QVERIFY(page.startJob());
        QVERIFY(finished.wait(10'000));
        const QStringList args = page.controller()->arguments();
        QCOMPARE(args.mid(args.size() - 2), (QStringList{QStringLiteral("--gpus"), QStringLiteral("0,1")}));
        QCOMPARE(args.mid(0, 1), QStringList{QStringLiteral("run")});
        QVERIFY(!log.isEmpty() && log.first()[2].toString().endsWith(QLatin1String("--gpus 0,1")));
        // Back to one process: no --gpus.
        page.setDataParallelGpus({});
        QVERIFY(page.startJob());
        QVERIFY(finished.wait(10'000));
        QVERIFY(!page.controller()->arguments().contains(QStringLiteral("--gpus")));
        // A value out of range is refused before anything starts.
        QVERIFY(test::enter(*page.form(), QStringLiteral("train.lr"), QStringLiteral("50")));
        QVERIFY(!page.startJob());
        QVERIFY(page.stateText().contains(QLatin1String("train.lr")));
    }

    void monitorOverlaysRunsLive()
    {
        const QString path = m_dir.filePath(QStringLiteral("train.distillery"));
        store::CreateOptions options;
        options.loadBenchmarks = false;
        store::Workspace ws = store::Workspace::create(path.toStdString(), options);
        const std::int64_t done = addRun(ws, "sft-lr1e-3", "finished");
        addSteps(ws, done, 1, 300, 1.0);
        const std::int64_t live = addRun(ws, "sft-lr3e-4", "running");
        addSteps(ws, live, 1, 120, 1.15);

        TrainPage page;
        page.resize(1400, 900);
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        RunMonitor* monitor = page.monitor();
        monitor->setPollInterval(200);
        QVERIFY(monitor->runs()->jobs()->waitForIdle());  // the runs are read off the GUI thread
        QCOMPARE(monitor->runs()->rowCount(), 2);
        QSignalSpy drained(monitor->plot(0), &CurvePlot::drained);
        monitor->runs()->setChecked(done, true);
        monitor->runs()->setChecked(live, true);
        QTRY_VERIFY(drained.size() >= 1);
        QTest::qWait(2 * CurvePlot::kReplotIntervalMs);
        // One drain per tick: the 300 + 120 loss points (+ eval points) of both runs landed in few drains.
        QVERIFY2(drained.size() <= 2, qPrintable(QString::number(drained.size())));
        CurvePlot* loss = monitor->plot(0);
        QCOMPARE(loss->seriesNames().size(), 4);  // two runs x (train, eval)
        QCOMPARE(loss->pointCount(QStringLiteral("#%1 train/loss").arg(done)), 300);
        QCOMPARE(loss->pointCount(QStringLiteral("#%1 eval/loss").arg(done)), 12);
        QCOMPARE(loss->pointCount(QStringLiteral("#%1 train/loss").arg(live)), 120);
        QCOMPARE(monitor->plot(1)->seriesNames(), (QStringList{QStringLiteral("#%1").arg(live), QStringLiteral("#%1").arg(done)}));

        // The live run writes more steps; the monitor picks them up on its poll.
        addSteps(ws, live, 121, 180, 1.15);
        QTRY_COMPARE(loss->pointCount(QStringLiteral("#%1 train/loss").arg(live)), 180);
        QTRY_COMPARE(monitor->runs()->index(monitor->runs()->rowOfRun(live), RunListModel::Best).data().toString().contains(
                         QLatin1String("train/loss")), true);

        // Unchecking removes a run's curves.
        monitor->runs()->setChecked(done, false);
        QTRY_COMPARE(loss->seriesNames().size(), 2);
        monitor->runs()->setChecked(done, true);
        QTRY_COMPARE(loss->pointCount(QStringLiteral("#%1 train/loss").arg(done)), 300);

        monitor->setLogY(true);
        QVERIFY(loss->logY());
        monitor->setLogY(false);
        QVERIFY(!loss->logY());
        const QString csv = m_dir.filePath(QStringLiteral("loss.csv"));
        QVERIFY(loss->exportCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 1 + 300 + 12 + 180 + 7);  // header + points

        monitor->runTable()->selectRow(monitor->runs()->rowOfRun(live));
        QCOMPARE(monitor->selectedRun(), live);
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("train_page.png")));
    }

    void liveToyJobFromThePage()
    {
        // Toy teacher samples through the command-line job runner, the accepted ones frozen.
        const QString path = m_dir.filePath(QStringLiteral("live.distillery"));
        const QString genSpec = m_dir.filePath(QStringLiteral("gen.yaml"));
        QFile spec(genSpec);
        QVERIFY(spec.open(QIODevice::WriteOnly));
        spec.write("kind: generate\nname: toy\ntoy: {count: 400}\nprompt: {user: \"{question}\", think_prefill: true}\n"
                   "teacher: {type: toy, error_rate: 0.1, verbosity: worked}\n");
        spec.close();
        QProcess gen;
        gen.start(qEnvironmentVariable("DISTILLERY_CLI"), {QStringLiteral("run"), genSpec, QStringLiteral("--workspace"), path});
        QVERIFY(gen.waitForFinished(120'000));
        QCOMPARE(gen.exitCode(), 0);
        store::Workspace ws = store::Workspace::open(path.toStdString());
        store::SampleQuery accepted;
        accepted.status = store::SampleStatus::Accepted;
        QVERIFY(ws.freezeDataset("toy-accepted", accepted).sampleIds.size() > 300);

        TrainPage page;
        page.resize(1400, 900);
        page.setWorkspacePath(path);
        QVERIFY(page.jobs()->waitForIdle());  // the datasets are read off the GUI thread
        JobForm* form = page.form();
        QCOMPARE(form->field(QStringLiteral("data.datasets[].name")), nullptr);
        QVERIFY(test::addItem(*form, QStringLiteral("data.datasets")));
        QCOMPARE(form->field(QStringLiteral("data.datasets[0].name"))->suggestions(), QStringList{QStringLiteral("toy-accepted")});
        QVERIFY(test::enter(*form, QStringLiteral("data.datasets[0].name"), QStringLiteral("toy-accepted")));
        QVERIFY(test::enter(*form, QStringLiteral("data.max_seq_len"), QStringLiteral("256")));
        QVERIFY(test::enter(*form, QStringLiteral("train.max_steps"), QStringLiteral("400")));
        QVERIFY(test::enter(*form, QStringLiteral("train.micro_batch_size"), QStringLiteral("16")));
        QVERIFY(test::enter(*form, QStringLiteral("checkpoints.eval_every"), QStringLiteral("5")));
        QVERIFY(test::enter(*form, QStringLiteral("train.warmup_steps"), QStringLiteral("5")));
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.monitor()->setPollInterval(200);
        QSignalSpy started(page.controller(), &RunController::started);
        QSignalSpy finished(page.controller(), &RunController::finished);
        QVERIFY(page.startJob());
        QVERIFY(started.wait(60'000));
        const qint64 runId = started[0][1].toLongLong();
        // The run's stored spec is the CLI's reading of the page's spec, and of the same choices
        // written by hand (the version comment line aside).
        const auto withoutComments = [](const QString& yaml) {
            QStringList lines = yaml.split(QLatin1Char('\n'));
            lines.removeIf([](const QString& l) { return l.startsWith(QLatin1Char('#')); });
            return lines.join(QLatin1Char('\n')).trimmed();
        };
        const QString stored = withoutComments(QString::fromStdString(ws.run(runId)->config));
        QCOMPARE(stored, withoutComments(checkJobSpec(form->yaml()).resolvedYaml));
        const QString toy = TrainPage::toyResourcesDir();
        const SpecCheck byHand = checkJobSpec(
            QStringLiteral("kind: sft\nname: sft\ndata: {datasets: [{name: toy-accepted}], max_seq_len: 256}\n"
                           "model: {path: %1/student_config.json, tokenizer: %1}\n"
                           "train: {max_steps: 400, micro_batch_size: 16, warmup_steps: 5}\ncheckpoints: {eval_every: 5}\n")
                .arg(toy));
        QVERIFY2(byHand.ok(), qPrintable(byHand.error));
        QCOMPARE(stored, withoutComments(byHand.resolvedYaml));
        // The live run's curves fill in as the job writes its metrics.
        CurvePlot* loss = page.monitor()->plot(0);
        const QString series = QStringLiteral("#%1 train/loss").arg(runId);
        QTRY_VERIFY_WITH_TIMEOUT(loss->pointCount(series) >= 25, 120'000);
        QVERIFY(loss->pointCount(QStringLiteral("#%1 eval/loss").arg(runId)) >= 4);
        QVERIFY(page.controller()->isRunning());
        QTest::qWait(2 * CurvePlot::kReplotIntervalMs);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("train_page_live.png")));
        // Stop: the job finishes its step, writes a checkpoint and ends "stopped".
        page.stopJob();
        QVERIFY(finished.wait(60'000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("stopped"));
        const auto losses = ws.metrics(runId, "train/loss");
        QVERIFY(losses.size() >= 25 && losses.size() < 400);
        QVERIFY(losses.back().value < losses.front().value);
    }

    void metricBurstIsOneReplot()
    {
        RunMonitor monitor({QStringLiteral("sft")}, {{QStringLiteral("Loss"), {QStringLiteral("train/loss")}}});
        monitor.show();
        QVERIFY(QTest::qWaitForWindowExposed(&monitor));
        QSignalSpy drained(monitor.plot(0), &CurvePlot::drained);
        for (int s = 0; s < 5000; ++s)
            monitor.addPoint(1, QStringLiteral("train/loss"), s, 1.0 / (s + 1));
        monitor.addPoint(1, QStringLiteral("unplotted"), 1, 1.0);
        QCOMPARE(monitor.plot(0)->pendingCount(), 5000);
        QTRY_COMPARE(drained.size(), 1);
        QCOMPARE(drained[0][0].toInt(), 5000);
        QTest::qWait(3 * CurvePlot::kReplotIntervalMs);
        QCOMPARE(drained.size(), 1);
        QCOMPARE(monitor.panelOf(QStringLiteral("unplotted")), -1);
    }
};

QTEST_MAIN(TestTrainPage)
#include "tst_train_page.moc"
