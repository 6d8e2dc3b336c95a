// Run models without a job: RunListModel under QAbstractItemModelTester (kind filters, best
// metrics, check marks; read off the GUI thread, so the tests wait for each refresh), MetricReader's
// incremental polls, RunHealth alarms (table-driven) and the GRPO group file reader.
#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/metric_reader.h"
#include "widgets/models/run_groups.h"
#include "widgets/models/run_health.h"
#include "widgets/models/run_list_model.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QPointF>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

#include <functional>

using namespace distill;
using namespace distill::widgets;

using Points = QVector<QPair<QString, QPointF>>;  // metric name, (step, value)

class TestRunModels : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_path;
    std::unique_ptr<store::Workspace> m_ws;
    std::int64_t m_sft1 = 0, m_sft2 = 0, m_grpo = 0;

    std::int64_t addRun(store::RunKind kind, const std::string& name, const std::string& status)
    {
        store::Run run;
        run.kind = kind;
        run.name = name;
        run.status = status;
        return m_ws->createRun(run);
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        store::CreateOptions options;
        options.loadBenchmarks = false;
        m_path = m_dir.filePath(QStringLiteral("runs.distillery"));
        m_ws = std::make_unique<store::Workspace>(store::Workspace::create(m_path.toStdString(), options));
        m_sft1 = addRun(store::RunKind::Sft, "sft-a", "finished");
        m_sft2 = addRun(store::RunKind::Sft, "sft-b", "running");
        m_grpo = addRun(store::RunKind::Grpo, "grpo-a", "stopped");
        addRun(store::RunKind::Generate, "gen", "finished");
        m_ws->addMetrics({{m_sft1, 1, "train/loss", 2.5, 0}, {m_sft1, 2, "train/loss", 1.25, 0},
                          {m_sft1, 3, "train/loss", 1.5, 0}, {m_sft1, 2, "eval/loss", 1.75, 0},
                          {m_grpo, 1, "grpo/accuracy", 0.25, 0}, {m_grpo, 2, "grpo/accuracy", 0.5, 0}});
    }

    void listsRunsOfKinds_data()
    {
        QTest::addColumn<QStringList>("kinds");
        QTest::addColumn<QStringList>("names");  // newest first
        QTest::newRow("all") << QStringList{} << QStringList{"gen", "grpo-a", "sft-b", "sft-a"};
        QTest::newRow("sft") << QStringList{"sft"} << QStringList{"sft-b", "sft-a"};
        QTest::newRow("grpo") << QStringList{"grpo"} << QStringList{"grpo-a"};
        QTest::newRow("sft+grpo") << QStringList{"sft", "grpo"} << QStringList{"grpo-a", "sft-b", "sft-a"};
        QTest::newRow("eval (none)") << QStringList{"eval"} << QStringList{};
    }

    void listsRunsOfKinds()
    {
        QFETCH(QStringList, kinds);
        QFETCH(QStringList, names);
        RunListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setKinds(kinds);
        model.setWorkspacePath(m_path);
        QVERIFY(model.jobs()->waitForIdle());
        QCOMPARE(model.rowCount(), names.size());
        QCOMPARE(model.columnCount(), int(RunListModel::ColumnCount));
        for (int row = 0; row < names.size(); ++row)
            QCOMPARE(model.index(row, RunListModel::Name).data().toString(), names[row]);
        model.refresh();
        QVERIFY(model.jobs()->waitForIdle());
        QCOMPARE(model.rowCount(), names.size());
    }

    void showsStatusAndBestMetrics()
    {
        RunListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setWorkspacePath(m_path);
        QVERIFY(model.jobs()->waitForIdle());
        const int sft = model.rowOfRun(m_sft1);
        QCOMPARE(model.index(sft, RunListModel::Kind).data().toString(), QStringLiteral("sft"));
        QCOMPARE(model.index(sft, RunListModel::Status).data().toString(), QStringLiteral("finished"));
        QCOMPARE(model.index(sft, RunListModel::Best).data().toString(), QStringLiteral("eval/loss 1.75, train/loss 1.25"));
        QCOMPARE(model.index(model.rowOfRun(m_grpo), RunListModel::Best).data().toString(), QStringLiteral("grpo/accuracy 0.5"));
        QCOMPARE(model.index(sft, RunListModel::Id).data(RunListModel::RunIdRole).toLongLong(), m_sft1);
    }

    void checksRuns()
    {
        RunListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setKinds({QStringLiteral("sft")});
        model.setWorkspacePath(m_path);
        QVERIFY(model.jobs()->waitForIdle());
        QSignalSpy changed(&model, &RunListModel::checkedRunsChanged);
        const QModelIndex first = model.index(model.rowOfRun(m_sft1), RunListModel::Id);
        QVERIFY(model.flags(first) & Qt::ItemIsUserCheckable);
        QVERIFY(!(model.flags(model.index(0, RunListModel::Name)) & Qt::ItemIsUserCheckable));
        QVERIFY(model.setData(first, Qt::Checked, Qt::CheckStateRole));
        model.setChecked(m_sft2, true);
        QCOMPARE(changed.size(), 2);
        QCOMPARE(model.checkedRuns(), (QList<qint64>{m_sft2, m_sft1}));
        QCOMPARE(first.data(Qt::CheckStateRole).toInt(), int(Qt::Checked));
        model.refresh();  // check marks survive a refresh
        QVERIFY(model.jobs()->waitForIdle());
        QCOMPARE(model.checkedRuns().size(), 2);
        model.setChecked(m_sft2, false);
        QCOMPARE(model.checkedRuns(), QList<qint64>{m_sft1});
    }

    void curateRunsAndRunsCheckedBeforeListed()
    {
        store::CreateOptions options;
        options.loadBenchmarks = false;
        const QString path = m_dir.filePath(QStringLiteral("curate.distillery"));
        auto ws = store::Workspace::create(path.toStdString(), options);
        store::Run run;
        run.kind = store::RunKind::Curate;
        run.name = "curate";
        run.status = "finished";
        const std::int64_t curate = ws.createRun(run);
        run.kind = store::RunKind::Sft;
        ws.createRun(run);

        RunListModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setKinds({QStringLiteral("curate")});
        model.setWorkspacePath(path);
        QVERIFY(model.jobs()->waitForIdle());
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.runId(0), curate);
        QCOMPARE(model.index(0, RunListModel::Kind).data().toString(), QStringLiteral("curate"));

        // A job just started: its run is checked before a refresh lists it, and checked once listed.
        run.kind = store::RunKind::Curate;
        run.status = "running";
        const std::int64_t started = ws.createRun(run);
        QSignalSpy changed(&model, &RunListModel::checkedRunsChanged);
        model.setChecked(started, true);
        QVERIFY(model.checkedRuns().isEmpty());
        QCOMPARE(changed.size(), 0);
        model.refresh();
        QVERIFY(model.jobs()->waitForIdle());
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.checkedRuns(), QList<qint64>{started});
        QCOMPARE(changed.size(), 1);
    }

    void metricReaderReturnsOnlyNewPoints()
    {
        const std::int64_t run = addRun(store::RunKind::Sft, "poll", "running");
        MetricReader reader;
        QVERIFY(reader.poll(*m_ws, run).isEmpty());
        m_ws->addMetrics({{run, 1, "train/loss", 3.0, 0}, {run, 2, "train/loss", 2.0, 0}});
        QVector<MetricPoint> points = reader.poll(*m_ws, run);
        QCOMPARE(points.size(), 2);
        QCOMPARE(points[1].step, 2);
        QCOMPARE(points[1].value, 2.0);
        QVERIFY(reader.poll(*m_ws, run).isEmpty());
        // Another name of the last step written later, and a new step.
        m_ws->addMetrics({{run, 2, "eval/loss", 2.5, 0}, {run, 3, "train/loss", 1.0, 0}});
        points = reader.poll(*m_ws, run);
        QCOMPARE(points.size(), 2);
        QCOMPARE(points[0].name, QStringLiteral("eval/loss"));
        QCOMPARE(points[1].step, 3);
        QVERIFY(reader.poll(*m_ws, run).isEmpty());
        reader.forget(run);
        QCOMPARE(reader.poll(*m_ws, run).size(), 4);
    }

    void healthAlarms_data()
    {
        QTest::addColumn<Points>("points");
        QTest::addColumn<QStringList>("expected");                    // alarm kinds, in order
        auto series = [](const QString& name, int from, int to, const std::function<double(int)>& f) {
            Points out;
            for (int s = from; s <= to; ++s)
                out.append({name, QPointF(s, f(s))});
            return out;
        };
        const QString reward = QStringLiteral("grpo/reward_mean"), kl = QStringLiteral("grpo/kl"),
                      entropy = QStringLiteral("grpo/entropy"), same = QStringLiteral("grpo/no_signal_share");
        QTest::newRow("healthy") << series(reward, 1, 30, [](int s) { return 0.01 * s; }) + series(kl, 1, 30, [](int) { return 0.05; })
                                 << QStringList{};
        QTest::newRow("reward flat 20 steps") << series(reward, 1, 25, [](int s) { return s < 6 ? 0.1 * s : 0.5; })
                                              << QStringList{"flat"};
        QTest::newRow("reward flat 19 steps") << series(reward, 1, 25, [](int s) { return s < 7 ? 0.05 * s : 0.6; })
                                              << QStringList{};
        QTest::newRow("too few steps") << series(reward, 1, 10, [](int) { return 0.3; }) << QStringList{};
        QTest::newRow("kl exploding") << series(kl, 1, 5, [](int s) { return 0.3 * s; }) << QStringList{"kl"};
        QTest::newRow("kl recovered") << series(kl, 1, 5, [](int s) { return s == 3 ? 5.0 : 0.1; }) << QStringList{};
        QTest::newRow("entropy below floor") << series(entropy, 1, 5, [](int s) { return s < 5 ? 0.08 : 0.04; })
                                             << QStringList{"entropy"};
        // A policy that starts below the floor (a toy student) collapses only relative to its start.
        QTest::newRow("entropy starting below floor") << series(entropy, 1, 5, [](int s) { return s == 1 ? 0.03 : 0.015; })
                                                      << QStringList{};
        QTest::newRow("entropy dropped to 5% of start") << series(entropy, 1, 5, [](int s) { return s == 1 ? 2.0 : 0.09; })
                                                        << QStringList{"entropy"};
        QTest::newRow("entropy at 20% of start") << series(entropy, 1, 5, [](int s) { return s == 1 ? 2.0 : 0.4; })
                                                 << QStringList{};
        QTest::newRow("all-same groups") << series(same, 1, 3, [](int s) { return 0.3 * s; }) << QStringList{"same"};
        QTest::newRow("everything") << series(reward, 1, 20, [](int) { return 1.0; }) + series(kl, 1, 2, [](int) { return 3.0; }) +
                                           series(entropy, 1, 2, [](int s) { return s == 1 ? 0.5 : 0.0; }) + series(same, 1, 2, [](int) { return 1.0; })
                                    << QStringList{"flat", "kl", "entropy", "same"};
        QTest::newRow("other metrics ignored") << series(QStringLiteral("grpo/lr"), 1, 30, [](int) { return 1.0; }) << QStringList{};
    }

    void healthAlarms()
    {
        QFETCH(Points, points);
        QFETCH(QStringList, expected);
        RunHealth health;
        for (const auto& [name, p] : points)
            health.add(name.toStdString(), std::int64_t(p.x()), p.y());
        QStringList kinds;
        for (const RunAlarm& a : health.alarms())
            kinds << (a.kind == AlarmKind::RewardFlat    ? "flat"
                      : a.kind == AlarmKind::KlExploding ? "kl"
                      : a.kind == AlarmKind::EntropyCollapse ? "entropy"
                                                             : "same");
        QCOMPARE(kinds, expected);
        health.reset();
        QVERIFY(health.alarms().empty());
    }

    void readsGroupFiles()
    {
        const QString folder = m_dir.filePath(QStringLiteral("run-9"));
        QVERIFY(QDir().mkpath(folder + QStringLiteral("/groups")));
        QCOMPARE(groupFilePath(folder, 12), folder + QStringLiteral("/groups/step_000012.jsonl"));
        for (const qint64 step : {12, 3}) {
            QFile file(groupFilePath(folder, step));
            QVERIFY(file.open(QIODevice::WriteOnly));
            file.write("{\"step\":12,\"prompt\":\"Compute 1 + 2.\",\"gold\":\"3\",\"completions\":["
                       "{\"text\":\"<think>1+2=3</think>\\\\boxed{3}\",\"tokens\":20,\"truncated\":false,\"reward\":1.1,"
                       "\"scores\":{\"accuracy\":1,\"format\":1},\"advantage\":0.7},"
                       "{\"text\":\"4\",\"tokens\":1,\"truncated\":true,\"reward\":0,\"scores\":{\"accuracy\":0,\"format\":0},\"advantage\":-0.7}]}\n"
                       "garbage line\n"
                       "{\"step\":12,\"prompt\":\"Compute 5 - 1.\",\"gold\":\"4\",\"completions\":[]}\n");
        }
        QFile(folder + QStringLiteral("/groups/notes.txt")).open(QIODevice::WriteOnly);
        QCOMPARE(groupSteps(folder), (QVector<qint64>{3, 12}));
        int skipped = -1;
        const QVector<PromptGroup> groups = readGroups(folder, 12, &skipped);
        QCOMPARE(skipped, 1);
        QCOMPARE(groups.size(), 2);
        QCOMPARE(groups[0].promptText, QStringLiteral("Compute 1 + 2."));
        QCOMPARE(groups[0].gold, QStringLiteral("3"));
        QCOMPARE(groups[0].completions.size(), 2);
        QCOMPARE(groups[0].completions[0].scores.value(QStringLiteral("format")), 1.0);
        QCOMPARE(groups[0].completions[0].advantage, 0.7);
        QCOMPARE(groups[0].completions[1].truncated, true);
        QCOMPARE(groups[1].prompt, 1);
        QVERIFY(groups[1].completions.isEmpty());
        QVERIFY(readGroups(folder, 99).isEmpty());
        QVERIFY(groupSteps(m_dir.filePath(QStringLiteral("missing"))).isEmpty());
    }
};

QTEST_MAIN(TestRunModels)
#include "tst_run_models.moc"
