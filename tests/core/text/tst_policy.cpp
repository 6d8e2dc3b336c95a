// Rejection sampling (k best correct kept, a reason for every other sample), s1-style selection
// (difficulty band, domain spread, target size) and the curation recipe's JSON form.
#include "core/text/curation_recipe.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <map>
#include <set>

using namespace distill::text;

namespace {

SampleCandidate sample(std::int64_t id, std::int64_t problem, bool correct, std::size_t length)
{
    SampleCandidate c;
    c.id = id;
    c.problemId = problem;
    c.correct = correct;
    c.length = length;
    return c;
}

std::map<std::int64_t, SampleDecision> byId(const std::vector<SampleDecision>& decisions)
{
    std::map<std::int64_t, SampleDecision> out;
    for (const auto& d : decisions)
        out[d.id] = d;
    return out;
}

// Problems of three domains; pass rates cycle through 0/8 ... 8/8 so some fall outside the band.
std::vector<ProblemCandidate> problemPool()
{
    std::vector<ProblemCandidate> out;
    const std::vector<std::pair<std::string, int>> domains = {{"algebra", 45}, {"geometry", 12}, {"number_theory", 5}};
    std::int64_t id = 1;
    for (const auto& [domain, count] : domains) {
        for (int i = 0; i < count; ++i, ++id) {
            ProblemCandidate p;
            p.id = id;
            p.domain = domain;
            p.gradedSamples = 8;
            p.correctSamples = std::size_t(id % 9);
            p.hasKeptSample = p.correctSamples > 0 && id % 11 != 0;  // every 11th lost its samples to filters
            p.traceLength = std::size_t(1000 + (id * 37) % 500);
            p.referenceCorrect = id % 3 == 0;
            out.push_back(p);
        }
    }
    return out;
}

bool inBand(const ProblemCandidate& p, double lo, double hi)
{
    const double rate = double(p.correctSamples) / double(p.gradedSamples);
    return rate >= lo && rate <= hi;
}

}  // namespace

class TestPolicy : public QObject {
    Q_OBJECT
private slots:
    void keepsShortestCorrectAndRecordsEveryReason()
    {
        std::vector<SampleCandidate> c = {
            sample(1, 10, false, 50),   // incorrect
            sample(2, 10, true, 300),   // passes, longest
            sample(3, 10, true, 100),   // passes, shortest
            sample(4, 10, true, 80),    // filtered
            sample(5, 10, true, 90),    // duplicate
            sample(6, 10, true, 200),   // passes
            sample(7, 20, true, 10),    // contaminated problem
            sample(8, 20, false, 10),
            sample(9, 30, false, 10),   // a problem with no correct sample
        };
        c[3].filterReasons = {"language_mix", "loop"};
        c[4].duplicate = true;
        c[6].contaminated = c[7].contaminated = true;
        RejectionConfig config;
        config.keepPerProblem = 2;
        const auto decisions = applyRejectionSampling(c, config);
        QCOMPARE(decisions.size(), c.size());
        for (std::size_t i = 0; i < c.size(); ++i)
            QCOMPARE(decisions[i].id, c[i].id);
        const auto d = byId(decisions);
        const std::map<std::int64_t, std::string> expected = {
            {1, "incorrect"}, {2, "excess"}, {3, ""}, {4, "language_mix,loop"}, {5, "duplicate"},
            {6, ""}, {7, "contaminated"}, {8, "contaminated"}, {9, "incorrect"}};
        for (const auto& [id, reason] : expected) {
            QCOMPARE(QString::fromStdString(d.at(id).rejectReason), QString::fromStdString(reason));
            QCOMPARE(d.at(id).kept, reason.empty());
        }
    }

    void randomCorrectIsSeededAndKeepsK()
    {
        std::vector<SampleCandidate> c;
        for (std::int64_t p = 0; p < 20; ++p)
            for (std::int64_t s = 0; s < 6; ++s)
                c.push_back(sample(p * 10 + s, p, s != 5, std::size_t(100 + s)));
        RejectionConfig config;
        config.keepPerProblem = 3;
        config.strategy = KeepStrategy::RandomCorrect;
        config.seed = 1;
        const auto first = applyRejectionSampling(c, config);
        const auto again = applyRejectionSampling(c, config);
        std::map<std::int64_t, int> keptPerProblem;
        std::set<std::int64_t> keptIds;
        for (std::size_t i = 0; i < first.size(); ++i) {
            QCOMPARE(first[i].kept, again[i].kept);
            if (first[i].kept) {
                ++keptPerProblem[first[i].problemId];
                keptIds.insert(first[i].id);
                QVERIFY(c[i].correct);
            }
        }
        QCOMPARE(keptPerProblem.size(), std::size_t(20));
        for (const auto& [p, n] : keptPerProblem)
            QCOMPARE(n, 3);
        // not simply the shortest: somewhere a longer sample wins over a shorter one
        std::set<std::int64_t> shortest;
        for (const auto& d : applyRejectionSampling(c, RejectionConfig{3, KeepStrategy::ShortestCorrect, 0}))
            if (d.kept)
                shortest.insert(d.id);
        QVERIFY(keptIds != shortest);
        config.seed = 2;
        std::set<std::int64_t> otherSeed;
        for (const auto& d : applyRejectionSampling(c, config))
            if (d.kept)
                otherSeed.insert(d.id);
        QVERIFY(otherSeed != keptIds);
    }

    void selection_data()
    {
        QTest::addColumn<int>("diversity");
        QTest::newRow("round robin") << int(DiversityMode::RoundRobin);
        QTest::newRow("uniform domain") << int(DiversityMode::UniformDomain);
    }

    void selection()
    {
        QFETCH(int, diversity);
        const auto pool = problemPool();
        SelectionConfig config;
        config.targetSize = 24;
        config.minPassRate = 0.2;
        config.maxPassRate = 0.8;
        config.diversity = DiversityMode(diversity);
        config.seed = 42;
        const auto decisions = selectProblems(pool, config);
        QCOMPARE(decisions.size(), pool.size());

        std::map<std::string, int> eligiblePerDomain, selectedPerDomain;
        std::map<std::string, int> reasons;
        for (std::size_t i = 0; i < pool.size(); ++i) {
            const auto& p = pool[i];
            const auto& d = decisions[i];
            QCOMPARE(d.id, p.id);
            QVERIFY(d.passRate.has_value());
            const bool eligible = p.hasKeptSample && inBand(p, 0.2, 0.8);
            eligiblePerDomain[p.domain] += eligible;
            if (d.selected) {
                QVERIFY(eligible);
                ++selectedPerDomain[p.domain];
            } else {
                ++reasons[d.reason];
                QCOMPARE(QString::fromStdString(d.reason),
                         QString(!p.hasKeptSample ? "quality" : !inBand(p, 0.2, 0.8) ? "difficulty" : "excess"));
            }
        }
        int total = 0;
        for (const auto& [domain, n] : selectedPerDomain)
            total += n;
        QCOMPARE(total, 24);
        QVERIFY(reasons["quality"] > 0 && reasons["difficulty"] > 0 && reasons["excess"] > 0);
        // the small domains are used up before the big one takes the rest
        QCOMPARE(eligiblePerDomain["number_theory"], 3);
        QCOMPARE(selectedPerDomain["number_theory"], 3);
        if (config.diversity == DiversityMode::RoundRobin) {
            QCOMPARE(selectedPerDomain["geometry"], eligiblePerDomain["geometry"]);
            QCOMPARE(selectedPerDomain["algebra"], 24 - 3 - eligiblePerDomain["geometry"]);
        } else {
            QVERIFY(selectedPerDomain["geometry"] >= std::min(eligiblePerDomain["geometry"], 5));
        }
        // deterministic for a seed
        const auto again = selectProblems(pool, config);
        for (std::size_t i = 0; i < pool.size(); ++i)
            QCOMPARE(again[i].selected, decisions[i].selected);
    }

    void selectionByReferenceModelFailures()
    {
        const auto pool = problemPool();
        SelectionConfig config;
        config.difficulty = DifficultyMode::ReferenceWrong;
        config.targetSize = 0;  // everything that qualifies
        const auto decisions = selectProblems(pool, config);
        for (std::size_t i = 0; i < pool.size(); ++i)
            QCOMPARE(decisions[i].selected, pool[i].hasKeptSample && !*pool[i].referenceCorrect);
        ProblemCandidate untried = pool.front();
        untried.referenceCorrect.reset();
        untried.hasKeptSample = true;
        QCOMPARE(QString::fromStdString(selectProblems({untried}, config).front().reason), QString("difficulty"));
    }

    void longerTracesPreferredWithinDomain()
    {
        std::vector<ProblemCandidate> pool;
        for (std::int64_t id = 1; id <= 10; ++id)
            pool.push_back({id, "algebra", 4, 2, std::nullopt, true, std::size_t(id * 100)});
        SelectionConfig config;
        config.targetSize = 3;
        config.diversity = DiversityMode::RoundRobin;
        const auto d = selectProblems(pool, config);
        for (std::size_t i = 0; i < pool.size(); ++i)
            QCOMPARE(d[i].selected, pool[i].id >= 8);
    }

    void recipeJsonRoundTrip()
    {
        CurationRecipe recipe;
        recipe.sources = {"openr1", "s1k"};
        recipe.filters.language = "zh";
        recipe.filters.maxThinkingTokens = 16000;
        recipe.dedup.minhash.threshold = 0.7;
        recipe.rejection.strategy = KeepStrategy::RandomCorrect;
        recipe.rejection.keepPerProblem = 4;
        recipe.selection.difficulty = DifficultyMode::ReferenceWrong;
        recipe.selection.diversity = DiversityMode::RoundRobin;
        recipe.selection.targetSize = 1000;
        const nlohmann::json j = toJson(recipe);
        QCOMPARE(j.at("rejection").at("strategy").get<std::string>(), std::string("random_correct"));
        QCOMPARE(j.at("selection").at("difficulty").get<std::string>(), std::string("reference_wrong"));
        const CurationRecipe back = curationRecipeFromJson(nlohmann::json::parse(j.dump()));
        QCOMPARE(toJson(back), j);
        QCOMPARE(back.filters.maxThinkingTokens, std::int64_t(16000));
        // a partial recipe keeps defaults for the rest
        const auto partial = curationRecipeFromJson(nlohmann::json::parse(R"({"selection": {"target_size": 50}})"));
        QCOMPARE(partial.selection.targetSize, std::size_t(50));
        QCOMPARE(partial.rejection.keepPerProblem, std::size_t(1));
    }

    void recipeErrorsNameTheKey_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("mention");
        QTest::newRow("unknown top-level key") << R"({"filterz": {}})" << "filterz";
        QTest::newRow("unknown nested key") << R"({"filters": {"max_paragraph_len": 3}})" << "max_paragraph_len";
        QTest::newRow("bad enum") << R"({"rejection": {"strategy": "longest"}})" << "longest";
        QTest::newRow("wrong type") << R"({"dedup": {"minhash": {"threshold": "high"}}})" << "threshold";
    }

    void recipeErrorsNameTheKey()
    {
        QFETCH(QString, json);
        QFETCH(QString, mention);
        try {
            curationRecipeFromJson(nlohmann::json::parse(json.toStdString()));
            QFAIL("no error");
        } catch (const distill::Error& e) {
            QCOMPARE(e.code(), distill::ErrorCode::Parse);
            QVERIFY2(QString::fromStdString(e.detail()).contains(mention), e.what());
        }
    }
};

int runPolicyTests(int argc, char** argv)
{
    TestPolicy t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_policy.moc"
