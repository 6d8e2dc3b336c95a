// Tests of core/eval: pass@k against closed forms, cons@k voting with equivalent answers, bootstrap
// intervals, summaries, and evaluations of a tiny model on the toy domain (stored rows, resume,
// budget sweep, checkpoint hook, eval job spec, CLI).
#include <torch/torch.h>

#include "core/eval/eval_job.h"
#include "core/eval/majority_vote.h"
#include "core/eval/pass_at_k.h"
#include "core/run/job_runner.h"
#include "core/run/spec_map.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <sstream>
#include <set>

using namespace distill;
using namespace distill::eval;

namespace {

std::string source(const std::string& rel)
{
    return std::string(DISTILLERY_SOURCE_DIR) + "/" + rel;
}

// 1 - C(n-c, k) / C(n, k) through log-gamma, independent of the product form under test.
double passAtKLogGamma(double n, double c, double k)
{
    if (n - c < k)
        return 1.0;
    const double logRatio = std::lgamma(n - c + 1) - std::lgamma(k + 1) - std::lgamma(n - c - k + 1)
                            - (std::lgamma(n + 1) - std::lgamma(k + 1) - std::lgamma(n - k + 1));
    return 1.0 - std::exp(logRatio);
}

EvalConfig tinyConfig()
{
    EvalConfig c;
    c.samples = 4;
    c.maxTokens = 12;
    c.batch = 8;
    c.sampling.seed = 7;
    c.bootstrap.resamples = 200;
    return c;
}

}  // namespace

class TestEval : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    std::unique_ptr<EvalModel> m_model;

    const EvalModel& tiny()
    {
        if (!m_model)
            m_model = std::make_unique<EvalModel>(
                loadEvalModel(source("tests/fixtures/models/tiny-qwen2"), source("resources/toy"), "cpu"));
        return *m_model;
    }
    store::Workspace workspace(const QString& name)
    {
        store::CreateOptions o;
        o.loadBenchmarks = false;
        return store::Workspace::create(m_dir.filePath(name).toStdString(), o);
    }

private slots:
    void passAtKClosedForm()
    {
        // n = 5, c = 2: 1 - C(3,k)/C(5,k).
        QCOMPARE(passAtK(5, 2, 1), 0.4);
        QVERIFY(std::abs(passAtK(5, 2, 2) - 0.7) < 1e-12);  // 1 - 3/10
        QVERIFY(std::abs(passAtK(5, 2, 3) - 0.9) < 1e-12);  // 1 - 1/10
        QCOMPARE(passAtK(5, 2, 4), 1.0);                     // C(3,4) = 0
        QCOMPARE(passAtK(5, 2, 5), 1.0);
        for (int k = 1; k <= 5; ++k) {
            QCOMPARE(passAtK(5, 0, k), 0.0);
            QCOMPARE(passAtK(5, 5, k), 1.0);
        }
        QVERIFY(std::abs(passAtK(64, 16, 1) - 0.25) < 1e-12);
        // Large n: binomial coefficients far beyond double range.
        QVERIFY(std::abs(passAtK(10000, 1, 1) - 1e-4) < 1e-15);
        const double big = passAtK(100000, 250, 1000);
        QVERIFY(std::isfinite(big));
        QVERIFY(std::abs(big - passAtKLogGamma(100000, 250, 1000)) < 1e-9);
        QVERIFY(std::abs(passAtK(1000, 10, 100) - passAtKLogGamma(1000, 10, 100)) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(Error, passAtK(5, 6, 1));
        QVERIFY_THROWS_EXCEPTION(Error, passAtK(5, 2, 6));
        QVERIFY_THROWS_EXCEPTION(Error, passAtK(5, 2, 0));
    }

    void majorityVoteClustersEquivalentAnswers()
    {
        // \frac12, 0.5 and 1/2 are one answer with three votes against two for 3.
        Vote v = majorityVote({"3", "\\frac12", "0.5", "3", "1/2"});
        QCOMPARE(v.winner, 1);
        QCOMPARE(v.votes, 3);
        QCOMPARE(v.clusters, 2);
        // A 2-2 tie goes to the cluster answered first; empty answers do not vote.
        v = majorityVote({"", "7", "\\frac{1}{2}", "0.5", "7", ""});
        QCOMPARE(v.winner, 1);
        QCOMPARE(v.votes, 2);
        v = majorityVote({"", ""});
        QCOMPARE(v.winner, -1);
        QCOMPARE(v.votes, 0);
    }

    void bootstrapInterval()
    {
        std::vector<double> small, large;
        for (int i = 0; i < 20; ++i)
            small.push_back(i % 5 < 3 ? 1.0 : 0.0);  // mean 0.6
        for (int i = 0; i < 2000; ++i)
            large.push_back(i % 5 < 3 ? 1.0 : 0.0);
        const Estimate a = bootstrapMean(small, {1000, 42, 0.95});
        QVERIFY(std::abs(a.value - 0.6) < 1e-12);
        QVERIFY(a.low < 0.6 && 0.6 < a.high);
        QVERIFY(a.low >= 0.0 && a.high <= 1.0);
        const Estimate again = bootstrapMean(small, {1000, 42, 0.95});
        QCOMPARE(again.low, a.low);
        QCOMPARE(again.high, a.high);
        const Estimate b = bootstrapMean(large, {1000, 42, 0.95});
        QVERIFY(b.low < 0.6 && 0.6 < b.high);
        QVERIFY(b.high - b.low < (a.high - a.low) / 4.0);  // width ~ 1/sqrt(problems)
        // Binomial standard error of 20 problems at 0.6 is 0.11: the 95% width is near 0.43.
        QVERIFY(a.high - a.low > 0.3 && a.high - a.low < 0.55);
        const Estimate constant = bootstrapMean({1.0, 1.0, 1.0});
        QCOMPARE(constant.low, 1.0);
        QCOMPARE(constant.high, 1.0);
        QVERIFY_THROWS_EXCEPTION(Error, bootstrapMean({}));
    }

    void summaryOfKnownOutcomes()
    {
        auto s = [](std::int64_t i, const std::string& a, bool ok, std::int64_t len) {
            SampleOutcome o;
            o.sampleIndex = i;
            o.answer = a;
            o.correct = ok;
            o.responseTokens = len;
            o.truncated = a.empty();
            return o;
        };
        // Problem 1: 2 of 4 correct, vote for "0.5" (correct, as \frac12). Problem 2: 1 of 4, vote
        // for the wrong "9". Problem 3: 0 of 4, no answers at all.
        std::vector<ProblemOutcome> problems = {
            {1, {s(0, "\\frac12", true, 10), s(1, "0.5", true, 20), s(2, "3", false, 30), s(3, "", false, 40)}},
            {2, {s(0, "9", false, 10), s(1, "9", false, 10), s(2, "4", true, 10), s(3, "8", false, 10)}},
            {3, {s(0, "", false, 100), s(1, "", false, 100), s(2, "", false, 100), s(3, "", false, 100)}},
        };
        const EvalSummary sum = summarize(problems, {500, 1, 0.95});
        QCOMPARE(sum.problems, std::int64_t(3));
        QCOMPARE(sum.samples, std::int64_t(12));
        QCOMPARE(sum.samplesPerProblem, std::int64_t(4));
        QVERIFY(std::abs(sum.pass1.value - (0.5 + 0.25 + 0.0) / 3.0) < 1e-12);
        QCOMPARE(sum.passAtK.size(), std::size_t(3));  // k = 1, 2, 4
        QVERIFY(std::abs(sum.passAtK.at(2).value - (passAtK(4, 2, 2) + passAtK(4, 1, 2)) / 3.0) < 1e-12);
        QVERIFY(std::abs(sum.passAtK.at(4).value - 2.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(sum.consAtK.value - 1.0 / 3.0) < 1e-12);
        QVERIFY(std::abs(sum.responseTokens.value - (25.0 + 10.0 + 100.0) / 3.0) < 1e-12);
        QCOMPARE(sum.medianResponseTokens, 25.0);  // sorted lengths: 6th 20, 7th 30
        QVERIFY(std::abs(*sum.truncatedShare - 5.0 / 12.0) < 1e-12);
        QVERIFY(!sum.meanThinkingTokens);
        const auto j = toJson(sum);
        QCOMPARE(j["pass@k"]["4"]["value"].get<double>(), sum.passAtK.at(4).value);
        QCOMPARE(j["cons@k"]["ci"].size(), std::size_t(2));
    }

    void endToEndToyWithStoredRows()
    {
        store::Workspace ws = workspace("e2e.sqlite");
        store::Run run;
        run.kind = store::RunKind::Eval;
        run.name = "e2e";
        ws.createRun(run);
        const std::vector<EvalProblem> problems = benchmarkProblems(ws, kToyBenchmark, 3);
        QCOMPARE(problems.size(), std::size_t(3));
        const EvalRecording rec{ws, run.id, "tiny", kToyBenchmark};
        const EvalSummary s = evaluate(tiny().loaded.model, *tiny().tokenizer, problems, tinyConfig(), &rec);
        QVERIFY(s.complete);
        QCOMPARE(s.problems, std::int64_t(3));
        QCOMPARE(s.samples, std::int64_t(12));
        QVERIFY(s.generationSeconds > 0.0 && s.generationSeconds <= s.seconds);
        QVERIFY(s.generatedTokens > 0);
        QVERIFY(s.truncatedShare.has_value() && s.meanThinkingTokens.has_value());

        // The summary is the stored rows' numbers.
        const auto rows = ws.evalResults(run.id, "tiny");
        QCOMPARE(rows.size(), std::size_t(12));
        double correct = 0, tokens = 0;
        std::set<std::pair<std::int64_t, std::int64_t>> keys;
        for (const auto& r : rows) {
            correct += r.correct;
            tokens += double(r.responseTokens);
            QVERIFY(r.responseTokens >= 1 && r.responseTokens <= 12);
            QCOMPARE(r.benchmark, std::string(kToyBenchmark));
            keys.insert({r.problemId, r.sampleIndex});
        }
        QCOMPARE(keys.size(), std::size_t(12));
        QVERIFY(std::abs(s.pass1.value - correct / 12.0) < 1e-12);
        QVERIFY(std::abs(s.responseTokens.value - tokens / 12.0) < 1e-9);  // 4 samples each
        QVERIFY(s.pass1.low <= s.pass1.value && s.pass1.value <= s.pass1.high);

        // Same seed, same responses: an evaluation without recording reproduces the numbers.
        const EvalSummary again = evaluate(tiny().loaded.model, *tiny().tokenizer, problems, tinyConfig());
        QCOMPARE(again.pass1.value, s.pass1.value);
        QCOMPARE(again.responseTokens.value, s.responseTokens.value);
    }

    void resumeDoesNotDuplicateRows()
    {
        store::Workspace ws = workspace("resume.sqlite");
        store::Run run;
        run.kind = store::RunKind::Eval;
        run.name = "resume";
        ws.createRun(run);
        const std::vector<EvalProblem> problems = benchmarkProblems(ws, kToyBenchmark, 4);
        EvalConfig c = tinyConfig();
        c.batch = 4;  // one problem per generate() call
        const EvalRecording rec{ws, run.id, "tiny", kToyBenchmark};
        // Interrupted after the first batch.
        int calls = 0;
        const EvalSummary part = evaluate(tiny().loaded.model, *tiny().tokenizer, problems, c, &rec,
                                          [&](std::uint64_t, std::uint64_t) { return ++calls < 2; });
        QVERIFY(!part.complete);
        QCOMPARE(ws.evalResults(run.id).size(), std::size_t(4));
        const auto firstRows = ws.evalResults(run.id);
        // Resumed: only the missing problems are generated.
        std::vector<std::uint64_t> seen;
        const EvalSummary full = evaluate(tiny().loaded.model, *tiny().tokenizer, problems, c, &rec,
                                          [&](std::uint64_t done, std::uint64_t) { seen.push_back(done); return true; });
        QVERIFY(full.complete);
        QCOMPARE(seen.front(), std::uint64_t(1));  // the stored problem counts as done
        const auto rows = ws.evalResults(run.id);
        QCOMPARE(rows.size(), std::size_t(16));
        for (std::size_t i = 0; i < firstRows.size(); ++i)
            QCOMPARE(rows[i].id, firstRows[i].id);  // untouched
        std::set<std::pair<std::int64_t, std::int64_t>> keys;
        double correct = 0;
        for (const auto& r : rows) {
            keys.insert({r.problemId, r.sampleIndex});
            correct += r.correct;
        }
        QCOMPARE(keys.size(), std::size_t(16));
        QVERIFY(std::abs(full.pass1.value - correct / 16.0) < 1e-12);
        // A rerun of a finished evaluation generates nothing and adds no row.
        const EvalSummary rerun = evaluate(tiny().loaded.model, *tiny().tokenizer, problems, c, &rec);
        QCOMPARE(rerun.generatedTokens, std::int64_t(0));
        QCOMPARE(ws.evalResults(run.id).size(), std::size_t(16));
        QCOMPARE(rerun.pass1.value, full.pass1.value);
    }

    void budgetSweepOnePointPerBudget()
    {
        store::Workspace ws = workspace("sweep.sqlite");
        const std::vector<EvalProblem> problems = benchmarkProblems(ws, kToyBenchmark, 2);
        EvalConfig c = tinyConfig();
        c.maxTokens = 24;
        std::vector<BudgetPoint> budgets(3);
        budgets[0].maxThinkingTokens = 2;
        budgets[1].maxThinkingTokens = 8;
        budgets[2].minThinkingTokens = 16;
        budgets[2].maxWaits = 4;
        const auto points = budgetSweep(tiny().loaded.model, *tiny().tokenizer, problems, c, budgets);
        QCOMPARE(points.size(), std::size_t(3));
        for (std::size_t i = 0; i < points.size(); ++i) {
            QCOMPARE(points[i].budget.maxThinkingTokens, budgets[i].maxThinkingTokens);
            QCOMPARE(points[i].summary.samples, std::int64_t(8));
            QVERIFY(points[i].summary.meanThinkingTokens.has_value());
        }
        QVERIFY(*points[0].summary.meanThinkingTokens <= 2.0);
        QVERIFY(*points[1].summary.meanThinkingTokens <= 8.0);
    }

    void checkpointHookWritesMetrics()
    {
        store::Workspace ws = workspace("hook.sqlite");
        store::Run run;
        run.kind = store::RunKind::Sft;
        run.name = "sft";
        ws.createRun(run);
        CheckpointEval e;
        e.benchmarks = {kToyBenchmark};
        e.limit = 2;
        e.config = tinyConfig();
        const auto sums = evaluateCheckpoint(ws, run.id, 50, tiny().loaded.model, *tiny().tokenizer, e);
        QCOMPARE(sums.size(), std::size_t(1));
        QCOMPARE(ws.evalResults(run.id, "step-50").size(), std::size_t(8));
        const auto pass = ws.metrics(run.id, "eval/toy/pass@1");
        QCOMPARE(pass.size(), std::size_t(1));
        QCOMPARE(pass[0].step, std::int64_t(50));
        QCOMPARE(pass[0].value, sums[0].pass1.value);
        QCOMPARE(ws.metrics(run.id, "eval/toy/response_len").size(), std::size_t(1));
    }

    void evalSpecIsStrict()
    {
        const std::string text = "kind: eval\nmodel: m/tiny\nbenchmarks: [aime24, toy]\nsamples: 8\nmax_tokens: 4096\n";
        run::JobRegistry registry;
        registerEvalJob(registry);
        const auto job = registry.parse(text);
        const EvalSpec e = dynamic_cast<const EvalJob&>(*job).spec();
        QCOMPARE(e.checkpoint, std::string("tiny"));
        QCOMPARE(e.config.samples, 8);
        QCOMPARE(e.config.maxTokens, std::int64_t(4096));
        QCOMPARE(e.config.sampling.temperature, 0.6);
        QCOMPARE(e.config.sampling.topP, 0.95);
        QCOMPARE(e.benchmarks.size(), std::size_t(2));
        // The resolved YAML parses back to the same spec.
        const std::string yaml = job->resolvedYaml();
        QCOMPARE(registry.parse(yaml)->resolvedYaml(), yaml);
        // Unknown keys and missing benchmarks are errors.
        QVERIFY_THROWS_EXCEPTION(Error, registry.parse(text + "tempreture: 0.7\n"));
        QVERIFY_THROWS_EXCEPTION(Error, registry.parse("kind: eval\nmodel: m\n"));
    }

    void evalJobThroughRunner()
    {
        store::Workspace ws = workspace("job.sqlite");
        run::JobRegistry registry;
        registerEvalJob(registry);
        run::RunRequest request;
        request.specText = "kind: eval\nname: toy-eval\nmodel: " + source("tests/fixtures/models/tiny-qwen2")
                           + "\ntokenizer: " + source("resources/toy")
                           + "\nbenchmarks: [toy]\nlimit: 3\nsamples: 2\nmax_tokens: 8\nbatch: 2\nseed: 3\n";
        std::ostringstream out;
        run::EventSink events(out);
        run::StopToken stop;
        const run::RunResult first = run::runJob(registry, ws, request, events, stop);
        QCOMPARE(first.status, std::string("finished"));
        const auto rows = ws.evalResults(first.runId, "tiny-qwen2");
        QCOMPARE(rows.size(), std::size_t(6));
        QCOMPARE(first.summary["toy"]["samples"].get<int>(), 6);
        const auto pass = ws.metrics(first.runId, "eval/toy/pass@1");
        QCOMPARE(pass.size(), std::size_t(1));
        QCOMPARE(pass[0].value, first.summary["toy"]["pass@1"]["value"].get<double>());
        QVERIFY(out.str().find("\"event\":\"progress\"") != std::string::npos);
        // Resuming the finished run generates nothing and duplicates nothing.
        run::RunRequest resume;
        resume.resumeRunId = first.runId;
        const run::RunResult second = run::runJob(registry, ws, resume, events, stop);
        QCOMPARE(second.status, std::string("finished"));
        QCOMPARE(ws.evalResults(first.runId).size(), std::size_t(6));
        QCOMPARE(second.summary["toy"]["timing"]["generated_tokens"].get<int>(), 0);
        QCOMPARE(second.summary["toy"]["pass@1"]["value"].get<double>(), pass[0].value);
        QCOMPARE(ws.metrics(first.runId, "eval/toy/pass@1").size(), std::size_t(1));
    }

    void cliPrintsSummary()
    {
        const QByteArray cli = qgetenv("DISTILLERY_CLI");
        if (cli.isEmpty() || !QFileInfo::exists(QString::fromUtf8(cli)))
            QSKIP("distillery-cli is not built");
        const QString ws = m_dir.filePath("cli.sqlite");
        QProcess p;
        p.start(QString::fromUtf8(cli),
                {"eval", "--model", QString::fromStdString(source("tests/fixtures/models/tiny-qwen2")), "--tokenizer",
                 QString::fromStdString(source("resources/toy")), "--benchmark", "toy", "--k", "3", "--limit", "2",
                 "--max-tokens", "8", "--workspace", ws});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(j["problems"].get<int>(), 2);
        QCOMPARE(j["samples"].get<int>(), 6);
        QVERIFY(j["pass@1"]["ci"].is_array());
        QVERIFY(j.contains("cons@k") && j["pass@k"].contains("3"));
        store::Workspace opened = store::Workspace::open(ws.toStdString(), store::OpenMode::ReadOnly);
        const auto rows = opened.evalResults(j["run_id"].get<std::int64_t>());
        QCOMPARE(rows.size(), std::size_t(6));
        double correct = 0;
        for (const auto& r : rows)
            correct += r.correct;
        QVERIFY(std::abs(j["pass@1"]["value"].get<double>() - correct / 6.0) < 1e-12);
    }
};

QTEST_GUILESS_MAIN(TestEval)
#include "tst_eval.moc"
