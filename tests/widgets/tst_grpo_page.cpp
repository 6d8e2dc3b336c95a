// GrpoPage: the spec from the job form (problems from the workspace, the language reward, devices
// and a data-parallel launch), health alarms raised from a run's stored metrics, and the group
// inspector on group files of the run folder (written here as the GRPO job writes them), with a
// screenshot (<build>/screenshots/grpo_page.png); and a real toy GRPO job started from the page on an
// SFT checkpoint, its curves and groups shown while it runs (grpo_page_live.png), then stopped.
#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_groups.h"
#include "widgets/models/run_list_model.h"
#include "widgets/views/group_inspector.h"
#include "widgets/views/grpo_page.h"
#include "widgets/views/job_form.h"
#include "widgets/views/run_monitor.h"
#include "widgets/plots/curve_plot.h"
#include "tests/support/screenshot.h"
#include "tests/widgets/form_input.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QCheckBox>
#include <QGroupBox>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTabWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace distill;
using namespace distill::widgets;

class TestGrpoPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    static void writeGroups(const QString& folder, qint64 step, int prompts, int g)
    {
        QDir().mkpath(folder + QStringLiteral("/groups"));
        QFile file(groupFilePath(folder, step));
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int p = 0; p < prompts; ++p) {
            const int a = 10 + 7 * p, b = 25 + 3 * p;
            QJsonArray completions;
            double mean = 0;
            QVector<double> rewards;
            for (int i = 0; i < g; ++i) {
                const bool right = p == 1 || (i + p) % 3 != 0;  // prompt 2: all right (no signal)
                rewards.append(right ? 1.1 : 0.1);
                mean += rewards.last() / g;
            }
            for (int i = 0; i < g; ++i) {
                const bool right = rewards[i] > 1.0;
                const int answer = right ? a + b : a + b + 10;
                const QString text = QStringLiteral("<think>\n%1+%2: %3+%4=%5, %6+%7=%8, so %9.\n</think>\n\\boxed{%9}")
                                         .arg(a).arg(b).arg(a % 10).arg(b % 10).arg((a % 10 + b % 10) + (right ? 0 : 1))
                                         .arg(a / 10).arg(b / 10).arg(a / 10 + b / 10).arg(answer);
                completions.append(QJsonObject{{QStringLiteral("text"), text},
                                               {QStringLiteral("tokens"), int(text.size())},
                                               {QStringLiteral("truncated"), false},
                                               {QStringLiteral("reward"), rewards[i]},
                                               {QStringLiteral("scores"), QJsonObject{{QStringLiteral("accuracy"), right ? 1.0 : 0.0},
                                                                                      {QStringLiteral("format"), 1.0}}},
                                               {QStringLiteral("advantage"), rewards[i] - mean}});
            }
            const QJsonObject line{{QStringLiteral("step"), step},
                                   {QStringLiteral("prompt"), QStringLiteral("Compute %1 + %2.").arg(a).arg(b)},
                                   {QStringLiteral("gold"), QString::number(a + b)},
                                   {QStringLiteral("completions"), completions}};
            file.write(QJsonDocument(line).toJson(QJsonDocument::Compact) + '\n');
        }
    }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void specFromForm()
    {
        GrpoPage page;
        JobForm* form = page.form();
        QCOMPARE(form->kind(), QStringLiteral("grpo"));
        // Toy problems until another source is chosen.
        QVERIFY(form->sectionEnabled(QStringLiteral("problems.toy")));
        QVERIFY(form->value(QStringLiteral("rollout.num_generations")) == 8);
        QVERIFY(test::enter(*form, QStringLiteral("rollout.temperature"), QStringLiteral("0.6")));
        QVERIFY(form->values()["rollout"]["temperature"] == 0.6);
        QVERIFY(form->value(QStringLiteral("objective.epsilon")) == 0.2);
        QVERIFY(form->value(QStringLiteral("rewards[1].weight")) == 0.1);

        // Problems of the workspace instead, with reference answers, and a language reward.
        page.setSourceCounts({QVariant(QVariantList{QStringLiteral("gsm8k"), 50, 0}),
                              QVariant(QVariantList{QStringLiteral("my-set"), 20, 0})});
        QCOMPARE(form->field(QStringLiteral("problems.source"))->suggestions(),
                 (QStringList{QStringLiteral("gsm8k"), QStringLiteral("my-set")}));
        form->sectionBox(QStringLiteral("problems.toy"))->setChecked(false);
        QVERIFY(test::enter(*form, QStringLiteral("problems.source"), QStringLiteral("my-set")));
        QVERIFY(test::addItem(*form, QStringLiteral("rewards")));
        QVERIFY(test::enter(*form, QStringLiteral("rewards[2].kind"), QStringLiteral("language")));
        QVERIFY(test::enter(*form, QStringLiteral("rewards[2].language"), QStringLiteral("zh")));
        QVERIFY(test::enter(*form, QStringLiteral("rewards[2].weight"), QStringLiteral("0.2")));
        QVERIFY(test::enter(*form, QStringLiteral("model.path"), QStringLiteral("/models/policy")));
        QVERIFY(test::enter(*form, QStringLiteral("model.dtype"), QStringLiteral("bf16")));
        const SpecCheck check = form->check();
        QVERIFY2(check.ok(), qPrintable(check.error));
        QVERIFY(check.resolvedYaml.contains(QLatin1String("source: my-set")));
        QVERIFY(check.resolvedYaml.contains(QLatin1String("kind: language")));
        QVERIFY(check.resolvedYaml.contains(QLatin1String("language: zh")));
        QVERIFY(check.resolvedYaml.contains(QLatin1String("dtype: bf16")));
        QVERIFY(!check.resolvedYaml.contains(QLatin1String("toy:")));

        // Devices: the CUDA devices found are offered, and ticked ones launch data parallel.
        page.setDevices({QStringLiteral("cpu"), QStringLiteral("cuda:0"), QStringLiteral("cuda:1")});
        QCOMPARE(form->field(QStringLiteral("model.device"))->suggestions().size(), 3);
        page.findChild<QCheckBox*>(QStringLiteral("gpu:0"))->click();
        page.findChild<QCheckBox*>(QStringLiteral("gpu:1"))->click();
        QCOMPARE(page.dataParallelGpus(), (QList<int>{0, 1}));
        QVERIFY(form->value(QStringLiteral("model.device")) == "cuda");  // each rank on its own GPU
        QVERIFY(form->cliCommand().contains(QLatin1String("--gpus 0,1")));
    }

    // Runs a job spec through the command-line job runner (as the pages do) and waits for it.
    static void runCli(const QString& specText, const QString& workspace, const QString& name)
    {
        const QString specPath = QFileInfo(workspace).dir().filePath(name + QStringLiteral(".yaml"));
        QFile spec(specPath);
        QVERIFY(spec.open(QIODevice::WriteOnly));
        spec.write(specText.toUtf8());
        spec.close();
        QProcess job;
        job.start(qEnvironmentVariable("DISTILLERY_CLI"), {QStringLiteral("run"), specPath, QStringLiteral("--workspace"), workspace});
        QVERIFY(job.waitForFinished(300'000));
        QCOMPARE(job.exitCode(), 0);
    }

    void liveToyJobFromThePage()
    {
        // A toy student with a little SFT, as the policy.
        const QString path = m_dir.filePath(QStringLiteral("live.distillery"));
        const QString toy = QStringLiteral(DISTILLERY_SOURCE_DIR "/resources/toy");
        runCli(QStringLiteral("kind: generate\nname: toy\ntoy: {count: 200}\nprompt: {user: \"{question}\", think_prefill: true}\n"
                              "teacher: {type: toy, verbosity: worked}\n"), path, QStringLiteral("gen"));
        {
            store::Workspace ws = store::Workspace::open(path.toStdString());
            store::SampleQuery accepted;
            accepted.status = store::SampleStatus::Accepted;
            ws.freezeDataset("toy", accepted);
        }
        const QString sftOut = m_dir.filePath(QStringLiteral("sft"));
        runCli(QStringLiteral("kind: sft\nname: sft\ndata: {datasets: [{name: toy}], max_seq_len: 256, think_prefill: true}\n"
                              "model: {path: %1/student_config.json, tokenizer: %1}\n"
                              "train: {max_steps: 30, micro_batch_size: 8, lr: 0.003}\ncheckpoints: {output_dir: %2}\n")
                   .arg(toy, sftOut),
               path, QStringLiteral("sft"));

        store::Workspace ws = store::Workspace::open(path.toStdString());
        GrpoPage page;
        page.resize(1500, 1000);
        page.setWorkspacePath(path);
        QVERIFY(page.jobs()->waitForIdle());  // the checkpoints are offered once read
        JobForm* form = page.form();
        QVERIFY(form->field(QStringLiteral("model.path"))->suggestions().contains(sftOut + QStringLiteral("/checkpoint-30")));
        QVERIFY(test::enter(*form, QStringLiteral("model.path"), sftOut + QStringLiteral("/checkpoint-30")));
        QVERIFY(test::enter(*form, QStringLiteral("rollout.prompts_per_step"), QStringLiteral("2")));
        QVERIFY(test::enter(*form, QStringLiteral("rollout.num_generations"), QStringLiteral("4")));
        QVERIFY(test::enter(*form, QStringLiteral("train.max_steps"), QStringLiteral("200")));
        QVERIFY(test::enter(*form, QStringLiteral("train.lr"), QStringLiteral("1e-4")));
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        page.monitor()->setPollInterval(200);
        QSignalSpy started(page.controller(), &RunController::started);
        QSignalSpy finished(page.controller(), &RunController::finished);
        QVERIFY(page.startJob());
        QVERIFY(started.wait(60'000));
        const qint64 runId = started[0][1].toLongLong();
        page.monitor()->runTable()->selectRow(page.monitor()->runs()->rowOfRun(runId));
        // Reward curves and the group inspector follow the running job.
        QTRY_VERIFY_WITH_TIMEOUT(page.monitor()->plot(0)->pointCount(QStringLiteral("#%1 grpo/reward_mean").arg(runId)) >= 4,
                                 180'000);
        QTRY_VERIFY_WITH_TIMEOUT(page.inspector()->currentStep() >= 2, 60'000);
        QCOMPARE(page.inspector()->shownPrompts(), 2);
        QCOMPARE(page.inspector()->shownCompletions(), 8);
        QVERIFY(page.controller()->isRunning());
        QTest::qWait(2 * CurvePlot::kReplotIntervalMs);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("grpo_page_live.png")));
        auto* tabs = page.findChild<QTabWidget*>(QStringLiteral("tabs"));
        tabs->setCurrentWidget(page.inspector());
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("grpo_page_live_groups.png")));
        page.stopJob();
        QVERIFY(finished.wait(120'000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("stopped"));
        QVERIFY(!ws.metrics(runId, "grpo/reward_mean").empty());
    }

    void alarmsAndGroupInspector()
    {
        const QString path = m_dir.filePath(QStringLiteral("grpo.distillery"));
        store::CreateOptions options;
        options.loadBenchmarks = false;
        store::Workspace ws = store::Workspace::create(path.toStdString(), options);
        store::Run run;
        run.kind = store::RunKind::Grpo;
        run.name = "grpo-toy";
        run.status = "running";
        const std::int64_t id = ws.createRun(run);
        std::vector<store::Metric> metrics;
        for (int s = 1; s <= 60; ++s) {
            const double acc = 0.55 + 0.35 * (1 - std::exp(-s / 15.0));
            metrics.push_back({id, s, "grpo/reward_mean", 1.0 * acc + 0.1, 0});
            metrics.push_back({id, s, "grpo/reward/accuracy/mean", acc, 0});
            metrics.push_back({id, s, "grpo/reward/format/mean", 0.95 + 0.05 * (1 - std::exp(-s / 5.0)), 0});
            metrics.push_back({id, s, "grpo/accuracy", acc, 0});
            metrics.push_back({id, s, "grpo/kl", s < 50 ? 0.002 * s : 0.1 * std::pow(1.5, s - 50), 0});  // explodes at the end
            metrics.push_back({id, s, "grpo/entropy", 0.9 * std::exp(-s / 80.0), 0});
            metrics.push_back({id, s, "grpo/length_mean", 70 + 20 * std::exp(-s / 20.0), 0});
            metrics.push_back({id, s, "grpo/no_signal_share", 0.2 + 0.5 * s / 60.0, 0});
        }
        ws.addMetrics(metrics);
        const QString folder = QString::fromStdString(ws.path()) + QStringLiteral(".runs/run-%1").arg(id);
        writeGroups(folder, 59, 3, 8);
        writeGroups(folder, 60, 3, 8);

        GrpoPage page;
        page.resize(1500, 1000);
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        RunMonitor* monitor = page.monitor();
        QVERIFY(monitor->runs()->jobs()->waitForIdle());  // the runs are read off the GUI thread
        QCOMPARE(monitor->runs()->rowCount(), 1);
        monitor->runs()->setChecked(id, true);
        monitor->runTable()->selectRow(0);
        QTRY_COMPARE(monitor->plot(2)->pointCount(QStringLiteral("#%1").arg(id)), 60);  // KL
        QVERIFY(page.jobs()->waitForIdle());  // the selected run's folder, for the group inspector
        QCOMPARE(monitor->plot(0)->seriesNames().size(), 3);  // total, accuracy and format rewards

        const QStringList alarms = page.alarmTexts();
        QCOMPARE(alarms.size(), 1);
        QVERIFY2(alarms[0].startsWith(QStringLiteral("#%1: KL ").arg(id)), qPrintable(alarms[0]));
        QVERIFY(alarms[0].endsWith(QLatin1String("at step 60")));

        GroupInspector* inspector = page.inspector();
        QCOMPARE(inspector->currentStep(), 60);
        QCOMPARE(inspector->shownPrompts(), 3);
        QCOMPARE(inspector->shownCompletions(), 24);
        inspector->showStep(59);
        QCOMPARE(inspector->currentStep(), 59);
        inspector->showStep(60);

        // More no-signal groups than the threshold raise a second alarm.
        ws.addMetrics({{id, 61, "grpo/no_signal_share", 0.9, 0}});
        monitor->refresh();
        QVERIFY(monitor->polls()->waitForIdle());
        QCOMPARE(page.alarmTexts().size(), 2);
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("grpo_page.png")));
        page.findChild<QTabWidget*>(QStringLiteral("tabs"))->setCurrentWidget(inspector);
        QTest::qWait(100);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("grpo_page_groups.png")));
    }
};

QTEST_MAIN(TestGrpoPage)
#include "tst_grpo_page.moc"
