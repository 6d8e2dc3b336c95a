// Tests of core/eval/stored_results (torch-free): summaries of stored eval_results rows against
// numbers worked out by hand, truncation from the token limit, the protocol read back from run
// configs (eval spec, training run's benchmark_eval, broken text) and checkpoint labels.
#include "core/eval/stored_results.h"
#include "core/util/error.h"

#include <QtTest>

#include <algorithm>
#include <random>

using namespace distill;
using namespace distill::eval;

namespace {

store::EvalResult row(std::int64_t problem, std::int64_t sample, const std::string& answer, bool correct,
                      std::int64_t tokens)
{
    store::EvalResult r;
    r.runId = 1;
    r.checkpoint = "step-200";
    r.benchmark = "toy";
    r.problemId = problem;
    r.sampleIndex = sample;
    r.extractedAnswer = answer;
    r.correct = correct;
    r.responseTokens = tokens;
    return r;
}

// Three problems x 4 samples:
//   problem 11: answers 3 3 5 3, correct 1 1 0 1, tokens 10 20 30 40  -> pass@1 3/4, vote "3" right
//   problem 12: answers 7 8 7 -, correct 0 0 0 0, tokens 100 x 4       -> 0, vote "7" wrong, 4 at the limit
//   problem 13: answers 2 9 9 -, correct 1 0 0 0, tokens 5 x 4         -> 1/4, vote "9" wrong
std::vector<store::EvalResult> handRows()
{
    std::vector<store::EvalResult> rows = {
        row(11, 0, "3", true, 10), row(11, 1, "3", true, 20), row(11, 2, "5", false, 30), row(11, 3, "3", true, 40),
        row(12, 0, "7", false, 100), row(12, 1, "8", false, 100), row(12, 2, "7", false, 100), row(12, 3, "", false, 100),
        row(13, 0, "2", true, 5), row(13, 1, "9", false, 5), row(13, 2, "9", false, 5), row(13, 3, "", false, 5),
    };
    std::mt19937 rng(3);
    std::shuffle(rows.begin(), rows.end(), rng);  // the store returns rows in insertion order, not sorted
    return rows;
}

}  // namespace

class TestEvalStats : public QObject {
    Q_OBJECT
private slots:
    void outcomesGroupedAndSorted()
    {
        const std::vector<ProblemOutcome> problems = problemOutcomes(handRows());
        QCOMPARE(problems.size(), std::size_t(3));
        QCOMPARE(problems[0].problemId, std::int64_t(11));
        QCOMPARE(problems[2].problemId, std::int64_t(13));
        for (const ProblemOutcome& p : problems) {
            QCOMPARE(p.samples.size(), std::size_t(4));
            for (std::size_t i = 0; i < p.samples.size(); ++i) {
                QCOMPARE(p.samples[i].sampleIndex, std::int64_t(i));
                QVERIFY(!p.samples[i].truncated);
                QVERIFY(!p.samples[i].thinkingTokens);
            }
        }
        QCOMPARE(problems[0].samples[2].answer, std::string("5"));
        QVERIFY(!problems[0].samples[2].correct);
    }

    void summaryByHand()
    {
        BootstrapOptions bootstrap;
        bootstrap.resamples = 500;
        const EvalSummary s = summarizeStored(handRows(), bootstrap, 100);
        QCOMPARE(s.benchmark, std::string("toy"));
        QCOMPARE(s.problems, std::int64_t(3));
        QCOMPARE(s.samples, std::int64_t(12));
        QCOMPARE(s.samplesPerProblem, std::int64_t(4));
        QVERIFY(qFuzzyCompare(s.pass1.value, (0.75 + 0.0 + 0.25) / 3.0));
        QVERIFY(s.pass1.low <= s.pass1.value && s.pass1.value <= s.pass1.high);
        QVERIFY(s.pass1.low >= 0.0 && s.pass1.high <= 0.75);
        // pass@2: 1 - C(n-c,2)/C(4,2): problem 11 (c=3) 1, problem 12 0, problem 13 (c=1) 1 - 3/6.
        QVERIFY(qFuzzyCompare(s.passAtK.at(2).value, (1.0 + 0.0 + 0.5) / 3.0));
        QVERIFY(qFuzzyCompare(s.passAtK.at(4).value, 2.0 / 3.0));
        QVERIFY(qFuzzyCompare(s.consAtK.value, 1.0 / 3.0));
        QVERIFY(qFuzzyCompare(s.responseTokens.value, (25.0 + 100.0 + 5.0) / 3.0));
        QCOMPARE(s.medianResponseTokens, 25.0);  // sorted: 5 5 5 5 10 20 | 30 40 100 100 100 100
        QVERIFY(s.truncatedShare);
        QVERIFY(qFuzzyCompare(*s.truncatedShare, 4.0 / 12.0));
        QVERIFY(!s.meanThinkingTokens);

        // Without the limit the finish is unknown; the same seed gives the same interval.
        const EvalSummary again = summarizeStored(handRows(), bootstrap);
        QVERIFY(!again.truncatedShare);
        QCOMPARE(again.pass1.low, s.pass1.low);
        QCOMPARE(again.pass1.high, s.pass1.high);
    }

    void noRowsIsAnError()
    {
        QVERIFY_THROWS_EXCEPTION(Error, summarizeStored({}));
    }

    void pairedDifferenceByHand()
    {
        // After: problem 11 all 4 right (+1/4), problem 12 two right (+2/4), problem 13 as before
        // (+0), and a problem 14 that `before` never saw (left out of the pairing).
        std::vector<store::EvalResult> after = handRows();
        for (store::EvalResult& r : after)
            if (r.problemId == 11 || (r.problemId == 12 && r.sampleIndex < 2))
                r.correct = true;
        after.push_back(row(14, 0, "1", true, 5));
        BootstrapOptions bootstrap;
        bootstrap.resamples = 2000;
        const Estimate d = pairedPass1Difference(handRows(), after, bootstrap);
        QVERIFY(qFuzzyCompare(d.value, (0.25 + 0.5 + 0.0) / 3.0));
        // Resamples of the three differences {0.25, 0.5, 0}: means from 0 to 0.5.
        QVERIFY(d.low >= 0.0 && d.low <= d.value);
        QVERIFY(d.high >= d.value && d.high <= 0.5);
        // The reverse comparison is the negation; the same evaluation against itself is exactly 0.
        QVERIFY(qFuzzyCompare(pairedPass1Difference(after, handRows(), bootstrap).value, -d.value));
        const Estimate same = pairedPass1Difference(handRows(), handRows(), bootstrap);
        QCOMPARE(same.value, 0.0);
        QCOMPARE(same.low, 0.0);
        QCOMPARE(same.high, 0.0);
        QVERIFY_THROWS_EXCEPTION(Error, pairedPass1Difference(handRows(), {row(99, 0, "1", true, 5)}));
    }

    void protocolOfEvalSpec()
    {
        const StoredProtocol p = readStoredProtocol(
            "kind: eval\nname: budget-512\nmodel: /models/qwen-1.5b\ntokenizer: \"\"\ncheckpoint: qwen-1.5b\n"
            "device: cuda\nbenchmarks: [aime24]\nlimit: 0\nsamples: 16\ntemperature: 0.6\ntop_p: 0.95\nseed: 0\n"
            "max_tokens: 4096\nprompt: \"{question}\"\nthink_prefill: true\nbatch: 64\nmax_thinking_tokens: 512\n"
            "min_thinking_tokens: 0\nmax_waits: 1\nbootstrap_resamples: 1000\n");
        QVERIFY(p.found);
        QCOMPARE(p.model, std::string("/models/qwen-1.5b"));
        QCOMPARE(p.samples, std::int64_t(16));
        QCOMPARE(p.maxTokens, std::int64_t(4096));
        QCOMPARE(p.maxThinkingTokens, std::int64_t(512));
        QCOMPARE(p.bootstrap.resamples, 1000);
        // Another budget, device, batch and name: the same key; another temperature: a different one.
        const StoredProtocol other = readStoredProtocol(
            "kind: eval\nname: budget-2k\nmodel: /models/qwen-1.5b\ntokenizer: \"\"\ndevice: cpu\nbenchmarks: [aime24]\n"
            "limit: 0\nsamples: 16\ntemperature: 0.6\ntop_p: 0.95\nseed: 0\nmax_tokens: 4096\nprompt: \"{question}\"\n"
            "think_prefill: true\nbatch: 8\nmax_thinking_tokens: 2048\n");
        QCOMPARE(other.keyWithoutBudget, p.keyWithoutBudget);
        QCOMPARE(other.maxThinkingTokens, std::int64_t(2048));
        const StoredProtocol hotter = readStoredProtocol(
            "kind: eval\nmodel: /models/qwen-1.5b\ntokenizer: \"\"\nlimit: 0\nsamples: 16\ntemperature: 1.0\n"
            "top_p: 0.95\nseed: 0\nmax_tokens: 4096\nprompt: \"{question}\"\nthink_prefill: true\n");
        QVERIFY(hotter.keyWithoutBudget != p.keyWithoutBudget);
    }

    void protocolOfTrainingRun()
    {
        const StoredProtocol p = readStoredProtocol(
            "kind: sft\nname: sft\nmodel: {path: toy}\nbenchmark_eval: {benchmarks: [toy], every: 100, limit: 20, "
            "samples: 4, max_tokens: 48, seed: 7, bootstrap_resamples: 200}\n");
        QVERIFY(p.found);
        QVERIFY(p.model.empty());
        QCOMPARE(p.samples, std::int64_t(4));
        QCOMPARE(p.maxTokens, std::int64_t(48));
        QCOMPARE(p.maxThinkingTokens, std::int64_t(-1));
        QCOMPARE(p.maxWaits, std::int64_t(1));
        QCOMPARE(p.bootstrap.seed, std::uint64_t(7));
        QCOMPARE(p.bootstrap.resamples, 200);
    }

    void protocolMissing_data()
    {
        QTest::addColumn<QString>("config");
        QTest::newRow("empty") << QString();
        QTest::newRow("sft without benchmark_eval") << QStringLiteral("kind: sft\nname: sft\n");
        QTest::newRow("not yaml") << QStringLiteral("kind: [eval\n  : :");
        QTest::newRow("a list") << QStringLiteral("- 1\n- 2\n");
        QTest::newRow("bad number") << QStringLiteral("kind: eval\nmax_tokens: many\n");
    }
    void protocolMissing()
    {
        QFETCH(QString, config);
        QVERIFY(!readStoredProtocol(config.toStdString()).found);
    }

    void checkpointSteps_data()
    {
        QTest::addColumn<QString>("label");
        QTest::addColumn<qint64>("step");  // -1: not a step label
        QTest::newRow("step-0") << QStringLiteral("step-0") << qint64(0);
        QTest::newRow("step-500") << QStringLiteral("step-500") << qint64(500);
        QTest::newRow("folder") << QStringLiteral("qwen-1.5b") << qint64(-1);
        QTest::newRow("no number") << QStringLiteral("step-") << qint64(-1);
        QTest::newRow("suffix") << QStringLiteral("step-12b") << qint64(-1);
        QTest::newRow("negative") << QStringLiteral("step--3") << qint64(-1);
    }
    void checkpointSteps()
    {
        QFETCH(QString, label);
        QFETCH(qint64, step);
        const auto parsed = checkpointStep(label.toStdString());
        QCOMPARE(parsed ? qint64(*parsed) : qint64(-1), step);
    }
};

QTEST_APPLESS_MAIN(TestEvalStats)
#include "tst_eval_stats.moc"
