// MinHash near-duplicates (estimate vs exact Jaccard, LSH recall), exact duplicates and benchmark
// decontamination against the bundled benchmark files.
#include "core/text/contamination_index.h"
#include "core/text/minhash.h"
#include "core/text/word_ngrams.h"
#include "core/util/error.h"
#include "sample_texts.h"

#include <QtTest>

#include <algorithm>
#include <cmath>
#include <random>

using namespace distill::text;

namespace {

// A text of `words` words drawn from a 3,000-word vocabulary (w0 ... w2999) by a seeded generator.
std::vector<std::string> randomWords(std::size_t words, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    std::vector<std::string> out;
    for (std::size_t i = 0; i < words; ++i) {
        std::string word = "w";
        word += std::to_string(rng() % 3000);
        out.push_back(std::move(word));
    }
    return out;
}

std::string join(const std::vector<std::string>& words)
{
    std::string s;
    for (const auto& w : words) {
        if (!s.empty())
            s += ' ';
        s += w;
    }
    return s;
}

// `edits` words replaced at evenly spread positions.
std::vector<std::string> edited(std::vector<std::string> words, std::size_t edits)
{
    for (std::size_t e = 0; e < edits; ++e)
        words[(e * 2 + 1) * words.size() / (edits * 2)] = "edit" + std::to_string(e);  // distinct new words
    return words;
}

double exactJaccard(const std::vector<std::uint64_t>& a, const std::vector<std::uint64_t>& b)
{
    std::vector<std::uint64_t> common;
    std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(common));
    return double(common.size()) / double(a.size() + b.size() - common.size());
}

std::string benchmarksDir()
{
    return DISTILLERY_SOURCE_DIR "/resources/benchmarks";
}

const ContaminationIndex& benchmarkIndex()
{
    static const ContaminationIndex index(loadBenchmarkProblems(benchmarksDir()));
    return index;
}

}  // namespace

class TestDedup : public QObject {
    Q_OBJECT
private slots:
    void estimateTracksExactJaccard_data()
    {
        QTest::addColumn<int>("edits");
        QTest::newRow("3 edits of 400 words") << 3;
        QTest::newRow("15 edits") << 15;
        QTest::newRow("30 edits") << 30;
        QTest::newRow("50 edits") << 50;
    }

    void estimateTracksExactJaccard()
    {
        QFETCH(int, edits);
        MinHashConfig config;
        config.numPerms = 256;
        const MinHasher hasher(config);
        const auto base = randomWords(400, 7);
        const std::string a = join(base), b = join(edited(base, std::size_t(edits)));
        const double exact = exactJaccard(hasher.shingles(a), hasher.shingles(b));
        const double estimate = MinHasher::estimateJaccard(hasher.signature(a), hasher.signature(b));
        // the estimate is a mean of numPerms Bernoulli(J) draws: allow four standard deviations
        const double sigma = std::sqrt(exact * (1 - exact) / double(config.numPerms));
        qInfo("edits %d: exact Jaccard %.4f, MinHash estimate %.4f", edits, exact, estimate);
        QVERIFY2(std::abs(estimate - exact) <= 4 * sigma + 1e-9,
                 qPrintable(QString("exact %1 estimate %2").arg(exact).arg(estimate)));
        QVERIFY(exact > 0.0 && exact < 1.0);
    }

    void nearDuplicatesFoundDistinctNot()
    {
        // 300 distinct documents, then a lightly edited copy of every 10th one
        std::vector<std::string> texts;
        for (std::uint64_t d = 0; d < 300; ++d)
            texts.push_back(join(randomWords(300, 1000 + d)));
        for (std::size_t d = 0; d < 300; d += 10)
            texts.push_back(join(edited(randomWords(300, 1000 + d), 4)));
        const std::vector<std::string_view> docs(texts.begin(), texts.end());
        MinHashConfig config;  // 128 perms, 5-grams, threshold 0.8
        const DuplicateResult result = findNearDuplicates(docs, config);
        QCOMPARE(result.duplicates(), std::size_t(30));
        QCOMPARE(result.pairs.size(), std::size_t(30));
        for (std::size_t i = 0; i < 300; ++i)
            QCOMPARE(result.representative[i], i);
        for (std::size_t k = 0; k < 30; ++k)
            QCOMPARE(result.representative[300 + k], k * 10);
        for (const auto& p : result.pairs)
            QVERIFY(p.jaccard >= config.threshold);
    }

    void lshShapeMatchesThreshold()
    {
        for (const double threshold : {0.5, 0.7, 0.8, 0.9}) {
            const LshShape shape = optimalLshShape(threshold, 128);
            QVERIFY(shape.bands * shape.rows <= 128);
            // the S-curve's steepest point (1/b)^(1/r) sits near the threshold
            const double knee = std::pow(1.0 / double(shape.bands), 1.0 / double(shape.rows));
            QVERIFY2(std::abs(knee - threshold) < 0.1, qPrintable(QString("t %1 knee %2").arg(threshold).arg(knee)));
        }
    }

    void textsWithoutWordsMatchNothing()
    {
        const std::vector<std::string_view> docs = {"", "?!", "", "hello there world"};
        const DuplicateResult result = findNearDuplicates(docs, MinHashConfig{});
        QCOMPARE(result.duplicates(), std::size_t(0));
    }

    void exactDuplicatesIgnoreCaseAndPunctuation()
    {
        QCOMPARE(exactDuplicateKey("What is 2+2?  Explain."), exactDuplicateKey("what is 2 + 2 explain"));
        QVERIFY(exactDuplicateKey("What is 2+2?") != exactDuplicateKey("What is 2+3?"));
        QCOMPARE(QString::fromStdString(normalizeText("Ｆｕｌｌ-width ＡＢＣ１２３, Café!")), QStringLiteral("full width abc123 café"));
        const std::vector<std::string_view> docs = {"A cat.", "a dog", "A  CAT!", "a cat"};
        const DuplicateResult result = findExactDuplicates(docs);
        QCOMPARE(result.representative, (std::vector<std::size_t>{0, 1, 0, 0}));
        QCOMPARE(result.duplicates(), std::size_t(2));
    }

    void rollingHashEqualsDirectHash()
    {
        const auto words = wordHashes(testdata::englishThinking());
        const auto grams = ngramHashes(words, 8);
        QCOMPARE(grams.size(), words.size() - 7);
        for (std::size_t start : {std::size_t(0), std::size_t(17), words.size() - 8}) {
            RollingNgramHash fresh(8);
            for (std::size_t i = start; i < start + 8; ++i)
                fresh.push(words[i]);
            QCOMPARE(fresh.value(), grams[start]);
        }
    }

    void contamination_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("benchmark");  // empty = not contaminated
        QTest::addColumn<QString>("id");
        // AIME 2024 I problem 1, reworded in places, numbers changed, LaTeX dropped
        QTest::newRow("aime24 copy with edits")
            << "Every morning Maya goes for a 10-kilometer-long walk and stops at a coffee shop afterwards. "
               "When she walks at a constant speed of s kilometers per hour, the walk takes her 5 hours, "
               "including t minutes spent in the coffee shop. If she walks s+3 kilometers per hour instead, "
               "how long does the walk take?"
            << "aime24" << "2024-I-1";
        QTest::newRow("gsm8k copy, case and punctuation changed")
            << "KYLAR went to the store -- to buy glasses for his new apartment! One glass costs $7; but every "
               "second glass costs only half the price."
            << "gsm8k_test" << "gsm8k-test-0005";
        QTest::newRow("novel problem")
            << "A gardener plants tulip bulbs in 17 rows with 23 bulbs in each row. A late frost ruins one fifth "
               "of the bulbs. How many tulips bloom in spring?"
            << "" << "";
        QTest::newRow("novel problem in benchmark style")
            << "Let $f(x) = 3x^2 - 7$. Suppose the tangent line to the parabola at the point where x equals 5 "
               "meets the vertical axis at Q. Find the distance from the origin to Q."
            << "" << "";
    }

    void contamination()
    {
        QFETCH(QString, text);
        QFETCH(QString, benchmark);
        QFETCH(QString, id);
        const ContaminationIndex& index = benchmarkIndex();
        const std::string t = text.toStdString();
        const auto hits = index.hits(t);
        QCOMPARE(index.contaminated(t), !benchmark.isEmpty());
        if (benchmark.isEmpty()) {
            QVERIFY(hits.empty());
            return;
        }
        QVERIFY(!hits.empty());
        QCOMPARE(QString::fromStdString(hits.front().benchmark), benchmark);
        QCOMPARE(QString::fromStdString(hits.front().id), id);
        QVERIFY(hits.front().sharedNgrams >= 1);
    }

    void benchmarksLoad()
    {
        const auto problems = loadBenchmarkProblems(benchmarksDir());
        QCOMPARE(problems.size(), std::size_t(30 + 30 + 40 + 1319 + 500));
        QCOMPARE(benchmarkIndex().problemCount(), problems.size());
        QVERIFY(benchmarkIndex().distinctNgrams() > 50000);
        QVERIFY_THROWS_EXCEPTION(distill::Error, loadBenchmarkProblems(DISTILLERY_SOURCE_DIR "/no/such/dir"));
    }
};

int runDedupTests(int argc, char** argv)
{
    TestDedup t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_dedup.moc"
