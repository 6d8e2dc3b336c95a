// EvalPage and its models against a workspace written through the store API as the training and eval
// jobs would: an sft run with benchmark evaluations at steps 0/100/200 (metrics) and stored responses
// of step-0 and step-200 on held-out toy problems, a second sft run on another benchmark, and two
// eval runs of one model that differ only by their thinking budget. The results rows are checked
// against numbers worked out by hand (under QAbstractItemModelTester), then the curves, the length
// histogram, the budget plot, the drill-down, and a screenshot (<build>/screenshots/eval_page.png).
#include "core/eval/stored_results.h"
#include "core/run/generate_job.h"
#include "core/store/workspace.h"
#include "widgets/models/eval_problem_model.h"
#include "widgets/models/eval_results_model.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/run_list_model.h"
#include "widgets/plots/curve_plot.h"
#include "widgets/views/eval_page.h"
#include "tests/support/screenshot.h"

#include <qcustomplot.h>

#include <QAbstractItemModelTester>
#include <QDir>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace distill;
using namespace distill::widgets;

namespace {

constexpr int kProblems = 6;
constexpr int kSamples = 4;
constexpr std::int64_t kMaxTokens = 48;
// Correct responses per problem at step-200 (the first c of the 4 samples answer right).
constexpr int kCorrect200[kProblems] = {4, 3, 3, 2, 4, 2};

const char* kSftConfig =
    "kind: sft\nname: sft-a\nmodel: {path: toy}\n"
    "benchmark_eval: {benchmarks: [toy], every: 100, at_start: true, limit: 6, samples: 4, temperature: 0.6, "
    "top_p: 0.95, seed: 0, max_tokens: 48, prompt: \"{question}\", think_prefill: true, batch: 8, "
    "max_thinking_tokens: -1, min_thinking_tokens: 0, max_waits: 1, bootstrap_resamples: 1000}\n";

std::string evalConfig(int budget)
{
    return "kind: eval\nname: budget-" + std::to_string(budget)
           + "\nmodel: /models/toy-student\ntokenizer: \"\"\ncheckpoint: toy-student\ndevice: cpu\nbenchmarks: [toy]\n"
             "limit: 6\nsamples: 4\ntemperature: 0.6\ntop_p: 0.95\nseed: 0\nmax_tokens: 48\nprompt: \"{question}\"\n"
             "think_prefill: true\nbatch: 8\nmax_thinking_tokens: "
           + std::to_string(budget) + "\nmin_thinking_tokens: 0\nmax_waits: 1\nbootstrap_resamples: 1000\n";
}

}  // namespace

class TestEvalPage : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<store::Workspace> m_ws;
    std::vector<store::Problem> m_toy;
    std::int64_t m_sftA = 0, m_sftB = 0, m_budget256 = 0, m_budget1024 = 0;
    std::vector<store::EvalResult> m_step200;  // as written, for the interval check

    std::int64_t addRun(store::RunKind kind, const std::string& name, const std::string& config)
    {
        store::Run run;
        run.kind = kind;
        run.name = name;
        run.config = config;
        run.status = "finished";
        return m_ws->createRun(run);
    }

    store::EvalResult result(std::int64_t run, const std::string& checkpoint, const std::string& bench, int problem,
                             int sample, bool correct, const std::string& wrong, std::int64_t tokens)
    {
        store::EvalResult r;
        r.runId = run;
        r.checkpoint = checkpoint;
        r.benchmark = bench;
        r.problemId = m_toy[std::size_t(problem)].id;
        r.sampleIndex = sample;
        r.extractedAnswer = correct ? m_toy[std::size_t(problem)].referenceAnswer : wrong;
        r.correct = correct;
        r.responseTokens = tokens;
        m_ws->addEvalResult(r);
        return r;
    }

    // A page on the workspace with its evaluations and its runs read (two reads off the GUI thread).
    static EvalPage* makePage(const store::Workspace& ws)
    {
        auto* page = new EvalPage;
        page->resize(1500, 1000);
        QSignalSpy loaded(page, &EvalPage::overviewLoaded);
        page->setWorkspacePath(QString::fromStdString(ws.path()));
        if (!loaded.wait(10000))
            qWarning("overview not loaded");
        if (!page->runs()->jobs()->waitForIdle())
            qWarning("runs not read");
        return page;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        qputenv("DISTILLERY_RESOURCES", QByteArray(DISTILLERY_SOURCE_DIR) + "/resources");
        store::CreateOptions options;
        options.loadBenchmarks = false;
        m_ws = std::make_unique<store::Workspace>(
            store::Workspace::create(m_dir.filePath(QStringLiteral("eval.distillery")).toStdString(), options));
        toy::ToyProblemSet set;
        set.count = kProblems;
        set.split = toy::ToySplit::HeldOut;
        m_toy = run::ensureToyProblems(*m_ws, set);
        QCOMPARE(int(m_toy.size()), kProblems);

        store::Workspace::Transaction tx(*m_ws);
        // Run A: step-0 answers right only with sample 0; samples 1 and 2 agree on a wrong "x", sample 3
        // hits the 48-token limit without an answer. Lengths 20 + problem for the others.
        m_sftA = addRun(store::RunKind::Sft, "sft-a", kSftConfig);
        for (int p = 0; p < kProblems; ++p)
            for (int s = 0; s < kSamples; ++s)
                result(m_sftA, "step-0", "toy", p, s, s == 0, s == 3 ? "" : "x", s == 3 ? kMaxTokens : 20 + p);
        // step-200: the first kCorrect200[p] samples right, the rest answer "y"; lengths 10 + sample,
        // except problem 0's sample 3 (48 tokens, at the limit).
        for (int p = 0; p < kProblems; ++p)
            for (int s = 0; s < kSamples; ++s)
                m_step200.push_back(result(m_sftA, "step-200", "toy", p, s, s < kCorrect200[p], "y",
                                           p == 0 && s == 3 ? kMaxTokens : 10 + s));
        m_ws->addMetrics({{m_sftA, 0, "eval/toy/pass@1", 0.25, 0},        {m_sftA, 100, "eval/toy/pass@1", 0.5, 0},
                          {m_sftA, 200, "eval/toy/pass@1", 0.75, 0},       {m_sftA, 0, "eval/toy/response_len", 28.875, 0},
                          {m_sftA, 100, "eval/toy/response_len", 20.0, 0}, {m_sftA, 200, "eval/toy/response_len", 12.958, 0},
                          {m_sftA, 0, "eval/toy/cons@k", 0.0, 0},          {m_sftA, 200, "eval/toy/cons@k", 1.0, 0},
                          {m_sftA, 200, "train/loss", 0.4, 0}});
        // Run B: another benchmark label ("arith") at step 0 and 300; all right, 30 tokens.
        m_sftB = addRun(store::RunKind::Sft, "sft-b", kSftConfig);
        for (int p = 0; p < kProblems; ++p)
            for (int s = 0; s < kSamples; ++s)
                result(m_sftB, "step-300", "arith", p, s, true, "", 30);
        m_ws->addMetrics({{m_sftB, 0, "eval/arith/pass@1", 0.1, 0}, {m_sftB, 300, "eval/arith/pass@1", 1.0, 0},
                          {m_sftB, 0, "eval/arith/response_len", 80.0, 0}, {m_sftB, 300, "eval/arith/response_len", 30.0, 0},
                          // toy curves without stored toy responses (they were evaluated elsewhere)
                          {m_sftB, 0, "eval/toy/pass@1", 0.2, 0},           {m_sftB, 150, "eval/toy/pass@1", 0.45, 0},
                          {m_sftB, 300, "eval/toy/pass@1", 0.6, 0},         {m_sftB, 0, "eval/toy/response_len", 35.0, 0},
                          {m_sftB, 150, "eval/toy/response_len", 26.0, 0},  {m_sftB, 300, "eval/toy/response_len", 21.5, 0}});
        // Two eval runs of one model, thinking budgets 256 and 1024: 1 and 3 right of 4 per problem.
        m_budget256 = addRun(store::RunKind::Eval, "budget-256", evalConfig(256));
        m_budget1024 = addRun(store::RunKind::Eval, "budget-1024", evalConfig(1024));
        for (int p = 0; p < kProblems; ++p)
            for (int s = 0; s < kSamples; ++s) {
                result(m_budget256, "toy-student", "toy", p, s, s < 1, "z", 20);
                result(m_budget1024, "toy-student", "toy", p, s, s < 3, "z", 40);
            }
        tx.commit();
    }

    void resultRows_data()
    {
        QTest::addColumn<int>("row");
        QTest::addColumn<QString>("run");
        QTest::addColumn<QString>("checkpoint");
        QTest::addColumn<QString>("benchmark");
        QTest::addColumn<double>("pass1");
        QTest::addColumn<double>("cons");
        QTest::addColumn<double>("meanTokens");
        QTest::addColumn<double>("truncated");
        // pass@1 1/4 per problem; majority "x" (2 votes) is wrong; per problem (3 (20 + p) + 48) / 4,
        // mean over p = 0..5: (108 + 3 * 2.5) / 4; 6 of 24 responses at the limit.
        QTest::newRow("sft-a step-0") << 0 << "sft-a" << "step-0" << "toy" << 0.25 << 0.0 << (108.0 + 7.5) / 4.0
                                      << 6.0 / 24.0;
        // (4 + 3 + 3 + 2 + 4 + 2) / 4 / 6; every vote right (2:2 ties go to sample 0's answer);
        // problem 0 (10 + 11 + 12 + 48) / 4, the others 11.5; 1 of 24 at the limit.
        QTest::newRow("sft-a step-200") << 1 << "sft-a" << "step-200" << "toy" << 0.75 << 1.0
                                        << (20.25 + 5 * 11.5) / 6.0 << 1.0 / 24.0;
        QTest::newRow("sft-b step-300") << 2 << "sft-b" << "step-300" << "arith" << 1.0 << 1.0 << 30.0 << 0.0;
        QTest::newRow("budget 256") << 3 << "budget-256" << "toy-student" << "toy" << 0.25 << 0.0 << 20.0 << 0.0;
        QTest::newRow("budget 1024") << 4 << "budget-1024" << "toy-student" << "toy" << 0.75 << 1.0 << 40.0 << 0.0;
    }

    void resultRows()
    {
        QFETCH(int, row);
        QFETCH(QString, run);
        QFETCH(QString, checkpoint);
        QFETCH(QString, benchmark);
        QFETCH(double, pass1);
        QFETCH(double, cons);
        QFETCH(double, meanTokens);
        QFETCH(double, truncated);

        EvalResultsModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setRows(readEvalOverview(*m_ws).rows);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.columnCount(), int(EvalResultsModel::ColumnCount));
        const EvalRow* r = model.row(row);
        QVERIFY(r);
        QCOMPARE(r->runName, run);
        QCOMPARE(model.index(row, EvalResultsModel::Checkpoint).data().toString(), checkpoint);
        QCOMPARE(model.index(row, EvalResultsModel::Benchmark).data().toString(), benchmark);
        QCOMPARE(model.index(row, EvalResultsModel::Problems).data().toLongLong(), qlonglong(kProblems));
        QCOMPARE(model.index(row, EvalResultsModel::K).data().toLongLong(), qlonglong(kSamples));
        QCOMPARE(r->responses, qint64(kProblems * kSamples));
        QVERIFY(qFuzzyCompare(1.0 + r->pass1, 1.0 + pass1));
        QCOMPARE(model.index(row, EvalResultsModel::Pass1).data().toString(), QString::number(pass1, 'f', 3));
        QVERIFY(qFuzzyCompare(1.0 + r->consAtK, 1.0 + cons));
        QVERIFY(qFuzzyCompare(r->meanResponseTokens, meanTokens));
        QVERIFY(qFuzzyCompare(1.0 + r->truncatedShare, 1.0 + truncated));
        QCOMPARE(model.index(row, EvalResultsModel::Truncated).data().toString(),
                 QStringLiteral("%1 %").arg(100.0 * truncated, 0, 'f', 1));
        QVERIFY(r->pass1Low <= r->pass1 && r->pass1 <= r->pass1High);
        QCOMPARE(model.index(row, EvalResultsModel::Run).data(EvalResultsModel::RunIdRole).toLongLong(), r->runId);
        QCOMPARE(model.index(row, EvalResultsModel::Checkpoint).data(EvalResultsModel::SortRole).toLongLong(),
                 eval::checkpointStep(checkpoint.toStdString()).value_or(-1));
    }

    void intervalIsTheJobsBootstrap()
    {
        // The row's interval is the one core/eval gives the stored rows with the run's bootstrap
        // (1000 resamples, seed 0), and not degenerate: problems differ.
        const EvalOverview overview = readEvalOverview(*m_ws);
        const EvalRow& r = overview.rows[1];
        eval::BootstrapOptions bootstrap;
        bootstrap.resamples = 1000;
        bootstrap.seed = 0;
        const eval::EvalSummary s = eval::summarizeStored(m_step200, bootstrap, kMaxTokens);
        QCOMPARE(r.pass1Low, s.pass1.low);
        QCOMPARE(r.pass1High, s.pass1.high);
        QVERIFY(r.pass1Low < 0.75 && r.pass1High > 0.75);
        QVERIFY(r.pass1Low >= 0.5 && r.pass1High <= 1.0);
        EvalResultsModel model;
        model.setRows(overview.rows);
        QCOMPARE(model.index(1, EvalResultsModel::Pass1Interval).data().toString(),
                 QStringLiteral("[%1, %2]").arg(s.pass1.low, 0, 'f', 3).arg(s.pass1.high, 0, 'f', 3));
        QCOMPARE(overview.benchmarks, (QStringList{QStringLiteral("arith"), QStringLiteral("toy")}));
        QVERIFY(!overview.curves.contains(m_budget256));  // eval runs have no training curve
        QCOMPARE(overview.curves.value(m_sftA).value(QStringLiteral("eval/toy/pass@1")).size(), 3);
        QCOMPARE(overview.curves.value(m_sftB).value(QStringLiteral("eval/toy/pass@1")).size(), 3);
        QCOMPARE(overview.curves.value(m_sftB).value(QStringLiteral("eval/arith/response_len")),
                 (QVector<QPointF>{{0.0, 80.0}, {300.0, 30.0}}));
        QVERIFY(!overview.curves.value(m_sftA).contains(QStringLiteral("train/loss")));
    }

    void budgetSeriesFromProtocols()
    {
        const QVector<BudgetSeries> series = budgetSweeps(readEvalOverview(*m_ws).rows);
        QCOMPARE(series.size(), 1);  // the sft runs have no thinking cap
        QCOMPARE(series[0].benchmark, QStringLiteral("toy"));
        QCOMPARE(series[0].name, QStringLiteral("toy toy-student"));
        QCOMPARE(series[0].points, (QVector<QPointF>{{256.0, 0.25}, {1024.0, 0.75}}));
    }

    void lengthHistogram_data()
    {
        QTest::addColumn<QVector<qint64>>("lengths");
        QTest::addColumn<double>("width");
        QTest::addColumn<QVector<double>>("starts");
        QTest::addColumn<QVector<double>>("counts");
        QTest::newRow("empty") << QVector<qint64>{} << 1.0 << QVector<double>{} << QVector<double>{};
        QTest::newRow("one value") << QVector<qint64>{7, 7} << 1.0 << QVector<double>{7} << QVector<double>{2};
        QTest::newRow("narrow") << QVector<qint64>{3, 4, 4, 6} << 1.0 << QVector<double>{3, 4, 5, 6}
                                << QVector<double>{1, 2, 0, 1};
        // 0..99 in 24 bins: width ceil(100 / 24) = 5, 20 bins of 5.
        QVector<qint64> wide;
        QVector<double> starts, counts;
        for (int i = 0; i < 100; ++i)
            wide << i;
        for (int i = 0; i < 20; ++i) {
            starts << 5.0 * i;
            counts << 5.0;
        }
        QTest::newRow("wide") << wide << 5.0 << starts << counts;
    }

    void lengthHistogram()
    {
        QFETCH(QVector<qint64>, lengths);
        QFETCH(double, width);
        QFETCH(QVector<double>, starts);
        QFETCH(QVector<double>, counts);
        const EvalPage::Histogram h = EvalPage::lengthHistogram(lengths);
        QCOMPARE(h.width, width);
        QCOMPARE(h.starts, starts);
        QCOMPARE(h.counts, counts);
    }

    void pageShowsCurvesHistogramAndBudget()
    {
        std::unique_ptr<EvalPage> page(makePage(*m_ws));
        QCOMPARE(page->results()->rowCount(), 5);
        QCOMPARE(page->runs()->rowCount(), 4);
        // The runs with curves are checked on the first read; the benchmark list holds both labels.
        QCOMPARE(page->runs()->checkedRuns().size(), 2);
        page->setBenchmark(QStringLiteral("toy"));
        QCOMPARE(page->benchmark(), QStringLiteral("toy"));
        const QString a = QStringLiteral("#%1 sft-a").arg(m_sftA);
        const QString b = QStringLiteral("#%1 sft-b").arg(m_sftB);
        QCOMPARE(page->passPlot()->seriesNames().size(), 2);  // both runs overlaid
        QVERIFY(page->passPlot()->seriesNames().contains(a) && page->passPlot()->seriesNames().contains(b));
        QCOMPARE(page->passPlot()->pointCount(a), 3);
        QCOMPARE(page->passPlot()->pointCount(b), 3);
        QCOMPARE(page->lengthPlot()->pointCount(b), 3);
        const auto graphOf = [](CurvePlot* plot, const QString& series) -> QCPGraph* {
            for (int i = 0; i < plot->plot()->graphCount(); ++i)
                if (plot->plot()->graph(i)->name() == series)
                    return plot->plot()->graph(i);
            return nullptr;
        };
        QCPGraph* pass = graphOf(page->passPlot(), a);
        QVERIFY(pass);
        QCOMPARE(pass->data()->at(1)->key, 100.0);
        QCOMPARE(pass->data()->at(1)->value, 0.5);
        QCOMPARE(graphOf(page->passPlot(), b)->data()->at(1)->key, 150.0);
        QCOMPARE(page->lengthPlot()->pointCount(a), 3);
        QCOMPARE(graphOf(page->lengthPlot(), a)->data()->at(0)->value, 28.875);
        QVERIFY(page->budgetShown());
        QCOMPARE(page->budgetPlot()->pointCount(QStringLiteral("toy toy-student")), 2);

        // Another benchmark: only run B has curves there, and no budget sweep.
        page->setBenchmark(QStringLiteral("arith"));
        QCOMPARE(page->passPlot()->seriesNames(), QStringList{b});
        QCOMPARE(page->passPlot()->plot()->graph(0)->data()->at(1)->value, 1.0);
        QVERIFY(!page->budgetShown());
        // Unchecking a run removes its curve; checking overlays it again.
        page->setBenchmark(QStringLiteral("toy"));
        page->runs()->setChecked(m_sftA, false);
        QCOMPARE(page->passPlot()->seriesNames(), QStringList{b});
        page->runs()->setChecked(m_sftB, false);
        QVERIFY(page->passPlot()->seriesNames().isEmpty());
        page->runs()->setChecked(m_sftA, true);
        page->runs()->setChecked(m_budget256, true);  // an eval run adds no curve
        QCOMPARE(page->passPlot()->seriesNames(), QStringList{a});
        page->runs()->setChecked(m_sftB, true);

        // The histogram of step-200's 24 lengths: 10..13 except one 48 -> width 2 from 10, 20 bins.
        page->selectResult(1);
        QCPBars* bars = page->histogram();
        QCOMPARE(bars->data()->size(), 20);
        double total = 0.0;
        for (auto it = bars->data()->constBegin(); it != bars->data()->constEnd(); ++it)
            total += it->value;
        QCOMPARE(total, double(kProblems * kSamples));
        QCOMPARE(bars->data()->at(0)->key, 11.0);  // bin [10, 12): the 6 tens and the 6 elevens
        QCOMPARE(bars->data()->at(0)->value, 12.0);
        QCOMPARE(bars->data()->at(1)->value, 11.0);
        QCOMPARE(bars->data()->at(19)->value, 1.0);

        // A re-read keeps the selected row.
        QSignalSpy loaded(page.get(), &EvalPage::overviewLoaded);
        page->reload();
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page->resultTable()->currentIndex().row(), 1);
        QCOMPARE(page->benchmark(), QStringLiteral("toy"));
    }

    void drilldown()
    {
        std::unique_ptr<EvalPage> page(makePage(*m_ws));
        QAbstractItemModelTester problemTester(page->problems(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester responseTester(page->responses(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy loaded(page.get(), &EvalPage::drilldownLoaded);
        page->showDrilldown(1);  // sft-a step-200
        QVERIFY(loaded.wait(10000));
        EvalProblemModel* problems = page->problems();
        QCOMPARE(problems->rowCount(), kProblems);
        for (int p = 0; p < kProblems; ++p) {
            QCOMPARE(problems->index(p, EvalProblemModel::Problem).data().toLongLong(), m_toy[std::size_t(p)].id);
            QCOMPARE(problems->problem(p)->question, QString::fromStdString(m_toy[std::size_t(p)].question));
            QCOMPARE(problems->index(p, EvalProblemModel::Responses).data().toInt(), kSamples);
            QCOMPARE(problems->index(p, EvalProblemModel::Correct).data().toInt(), kCorrect200[p]);
        }
        const QString ref3 = QString::fromStdString(m_toy[3].referenceAnswer);
        // Problem 3: two right, two "y": a tie, in order of first appearance.
        QCOMPARE(problems->index(3, EvalProblemModel::Answers).data().toString(), QStringLiteral("%1 ×2, y ×2").arg(ref3));
        QCOMPARE(problems->index(1, EvalProblemModel::Answers).data().toString(),
                 QStringLiteral("%1 ×3, y ×1").arg(QString::fromStdString(m_toy[1].referenceAnswer)));
        QCOMPARE(page->responses()->rowCount(), kSamples);  // the first problem is shown at once
        page->selectProblem(3);
        EvalResponseModel* responses = page->responses();
        QCOMPARE(responses->rowCount(), kSamples);
        const QStringList verdicts = {EvalResponseModel::verdictText(true), EvalResponseModel::verdictText(true),
                                      EvalResponseModel::verdictText(false), EvalResponseModel::verdictText(false)};
        for (int s = 0; s < kSamples; ++s) {
            QCOMPARE(responses->index(s, EvalResponseModel::Sample).data().toLongLong(), qlonglong(s));
            QCOMPARE(responses->index(s, EvalResponseModel::Verdict).data().toString(), verdicts[s]);
            QCOMPARE(responses->index(s, EvalResponseModel::Answer).data().toString(), s < 2 ? ref3 : QStringLiteral("y"));
            QCOMPARE(responses->index(s, EvalResponseModel::Tokens).data().toLongLong(), qlonglong(10 + s));
        }
        // Step-0's sample 3 found no answer.
        page->showDrilldown(0);
        QVERIFY(loaded.wait(10000));
        QCOMPARE(page->problems()->index(0, EvalProblemModel::Answers).data().toString(),
                 QStringLiteral("x ×2, %1 ×1, (none) ×1").arg(QString::fromStdString(m_toy[0].referenceAnswer)));
        QCOMPARE(page->responses()->index(3, EvalResponseModel::Answer).data().toString(), QStringLiteral("(none)"));
    }

    void screenshot()
    {
        std::unique_ptr<EvalPage> page(makePage(*m_ws));
        page->show();
        QVERIFY(QTest::qWaitForWindowExposed(page.get()));
        page->setBenchmark(QStringLiteral("toy"));
        page->selectResult(1);
        QSignalSpy loaded(page.get(), &EvalPage::drilldownLoaded);
        page->showDrilldown(1);
        QVERIFY(loaded.wait(10000));
        page->selectProblem(3);
        QTest::qWait(200);
        QVERIFY(test::saveScreenshot(*page, QStringLiteral("eval_page.png")));
    }

    void noWorkspace()
    {
        EvalPage page;
        page.setWorkspacePath({});
        QCOMPARE(page.results()->rowCount(), 0);
        page.showDrilldown(0);
        page.reload();
        QCOMPARE(page.problems()->rowCount(), 0);
    }
};

QTEST_MAIN(TestEvalPage)
#include "tst_eval_page.moc"
