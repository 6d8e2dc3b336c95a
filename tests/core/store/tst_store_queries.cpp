// Tests of core/store's sample queries: paging, filters and sorting against a brute-force
// reference, search text that is never FTS5 syntax, status / verdict / flag updates and summaries.
#include "core/store/workspace.h"
#include "core/util/error.h"
#include "store_fixtures.h"

#include <nlohmann/json.hpp>

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <sstream>

using namespace distill;
using namespace distill::store;
using namespace distill::store::testing;

namespace {

// A sample as the brute-force reference sees it.
struct Ref {
    std::int64_t id;
    std::int64_t problemId;
    std::string source;
    std::string text;  // question + thinking + answer, space separated words
    Verdict verdict;
    SampleStatus status;
    Origin origin;
    std::int64_t thinkingTokens;
    std::int64_t answerTokens;
    std::string flags;
    std::string rejectReason;
    std::map<std::string, double> scores;  // flags "filters", by score name
    std::string originDetail;
};

}  // namespace

class TestStoreQueries : public QObject {
    Q_OBJECT
private slots:
    void pagingFilterSortMatchBruteForce()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        std::mt19937 rng(7);
        const std::vector<std::string> words = {"alpha", "beta", "gamma", "delta", "prime", "modulo", "triangle", "sum"};
        auto phrase = [&](int n) {
            std::string s;
            for (int i = 0; i < n; ++i)
                s += (i ? " " : "") + words[rng() % words.size()];
            return s;
        };
        std::vector<Ref> refs;
        std::vector<std::pair<std::int64_t, std::string>> problems;
        {
            Workspace::Transaction tx(ws);
            for (int p = 0; p < 60; ++p) {
                const std::string source = p % 3 == 0 ? "src-a" : "src-b";
                const std::string q = "problem " + std::to_string(p) + " " + phrase(3);
                problems.emplace_back(addProblem(ws, source, q), source + "\n" + q);
            }
            for (int i = 0; i < 1500; ++i) {
                const auto& [pid, sq] = problems[rng() % problems.size()];
                Sample s;
                s.problemId = pid;
                s.thinking = phrase(6);
                s.answer = phrase(2);
                s.verdict = Verdict(rng() % 3);
                s.status = SampleStatus(rng() % 3);
                s.origin = Origin(rng() % 4);
                s.originDetail = rng() % 3 ? "teacher-a" : "teacher-b";
                s.thinkingTokens = rng() % 50;  // many ties: the id tie-break matters
                s.answerTokens = rng() % 20;
                // Readability scores as curation writes them, each present or not; eighths are exact
                // in binary and tie often.
                std::map<std::string, double> scores;
                for (const char* name : {"language_mix", "longest_paragraph_words", "repeated_ngram_share"})
                    if (rng() % 4 != 0)
                        scores[name] = std::string(name) == "longest_paragraph_words" ? double(rng() % 40)
                                                                                       : double(rng() % 9) / 8;
                if (scores.empty()) {
                    s.flagsJson = rng() % 2 ? "{}" : "{\"dup\":" + std::to_string(rng() % 3) + "}";
                } else {
                    nlohmann::json filters;
                    for (const auto& [name, value] : scores)
                        filters[name] = value;
                    s.flagsJson = nlohmann::json{{"filters", filters}}.dump();
                }
                const char* const reasons[] = {"", "", "incorrect", "language_mix", "language_mix,loop", "duplicate"};
                s.rejectReason = reasons[rng() % std::size(reasons)];
                ws.insertSample(s);
                const auto nl = sq.find('\n');
                refs.push_back({s.id, pid, sq.substr(0, nl), sq.substr(nl + 1) + " " + s.thinking + " " + s.answer,
                                s.verdict, s.status, s.origin, s.thinkingTokens, s.answerTokens, s.flagsJson,
                                s.rejectReason, scores, s.originDetail});
            }
            tx.commit();
        }

        auto hasWord = [](const std::string& text, const std::string& w) {
            std::istringstream in(text);
            std::string t;
            while (in >> t)
                if (t == w)
                    return true;
            return false;
        };
        auto expected = [&](const SampleQuery& q) {
            std::vector<Ref> out;
            for (const Ref& r : refs) {
                std::istringstream in(q.search);
                std::string w;
                bool ok = true;
                while (in >> w)
                    ok = ok && hasWord(r.text, w);
                ok = ok && (!q.verdict || r.verdict == *q.verdict) && (!q.status || r.status == *q.status)
                     && (!q.origin || r.origin == *q.origin) && (q.originDetail.empty() || r.originDetail == q.originDetail) && (q.source.empty() || r.source == q.source)
                     && (!q.minThinkingTokens || r.thinkingTokens >= *q.minThinkingTokens)
                     && (!q.maxThinkingTokens || r.thinkingTokens <= *q.maxThinkingTokens)
                     && (!q.rejectReason || r.rejectReason == *q.rejectReason);
                if (q.score) {
                    const auto score = r.scores.find(q.score->name);
                    ok = ok && score != r.scores.end() && (!q.score->min || score->second >= *q.score->min)
                         && (!q.score->max || score->second <= *q.score->max);
                }
                if (ok)
                    out.push_back(r);
            }
            auto key = [&](const Ref& r) -> std::pair<std::string, std::int64_t> {
                auto num = [](std::int64_t v) {
                    char b[32];
                    std::snprintf(b, sizeof b, "%020lld", static_cast<long long>(v));
                    return std::string(b);
                };
                // Samples without the score first (SQL's NULL), then by value.
                auto score = [&](const char* name) {
                    const auto it = r.scores.find(name);
                    if (it == r.scores.end())
                        return std::string();
                    char b[40];
                    std::snprintf(b, sizeof b, "1%024.6f", it->second);
                    return std::string(b);
                };
                switch (q.sortBy) {
                case SampleColumn::Id: return {"", r.id};
                case SampleColumn::Problem: return {num(r.problemId), r.id};
                case SampleColumn::Verdict: return {std::string(verdictName(r.verdict)), r.id};
                case SampleColumn::Status: return {std::string(statusName(r.status)), r.id};
                case SampleColumn::ThinkingTokens: return {num(r.thinkingTokens), r.id};
                case SampleColumn::AnswerTokens: return {num(r.answerTokens), r.id};
                case SampleColumn::Origin: return {std::string(originName(r.origin)), r.id};
                case SampleColumn::Flags: return {r.flags, r.id};
                case SampleColumn::RejectReason: return {r.rejectReason, r.id};
                case SampleColumn::LanguageMix: return {score("language_mix"), r.id};
                case SampleColumn::ParagraphWords: return {score("longest_paragraph_words"), r.id};
                case SampleColumn::Repetition: return {score("repeated_ngram_share"), r.id};
                }
                return {"", r.id};
            };
            std::sort(out.begin(), out.end(), [&](const Ref& a, const Ref& b) {
                return q.descending ? key(b) < key(a) : key(a) < key(b);
            });
            return out;
        };

        std::vector<SampleQuery> queries;
        for (int c = 0; c <= int(SampleColumn::Repetition); ++c)
            for (bool desc : {false, true}) {
                SampleQuery q;
                q.sortBy = SampleColumn(c);
                q.descending = desc;
                queries.push_back(q);
                q.search = "prime";
                queries.push_back(q);
                q.search = "gamma sum";
                q.verdict = Verdict::Correct;
                queries.push_back(q);
                q.search.clear();
                q.verdict.reset();
                q.status = SampleStatus::Accepted;
                q.source = "src-a";
                q.minThinkingTokens = 10;
                q.maxThinkingTokens = 30;
                queries.push_back(q);
                q = SampleQuery();
                q.sortBy = SampleColumn(c);
                q.descending = desc;
                q.origin = Origin::Teacher;
                q.search = "triangle";
                queries.push_back(q);
                q.search.clear();
                q.originDetail = "teacher-b";
                queries.push_back(q);
                // Rare texts (one problem's number): matched first, then sorted.
                q = SampleQuery();
                q.sortBy = SampleColumn(c);
                q.descending = desc;
                q.search = "17";
                queries.push_back(q);
                q.search = "23 alpha";
                q.status = SampleStatus::Candidate;
                queries.push_back(q);
                // Reject reasons (an empty one = none) and score ranges, alone and combined.
                q = SampleQuery();
                q.sortBy = SampleColumn(c);
                q.descending = desc;
                q.rejectReason = "language_mix";
                queries.push_back(q);
                q.rejectReason = "";
                q.verdict = Verdict::Incorrect;
                queries.push_back(q);
                q = SampleQuery();
                q.sortBy = SampleColumn(c);
                q.descending = desc;
                q.score = ScoreRange{"language_mix", 0.25, 0.75};
                queries.push_back(q);
                q.score = ScoreRange{"longest_paragraph_words", 30, std::nullopt};
                q.search = "beta";
                queries.push_back(q);
                q.search.clear();
                q.score = ScoreRange{"repeated_ngram_share", std::nullopt, 0.125};
                q.rejectReason = "incorrect";
                q.status = SampleStatus::Rejected;
                queries.push_back(q);
            }
        for (const SampleQuery& q : queries) {
            const auto want = expected(q);
            const QByteArray label = QByteArray::fromStdString(q.toJson().dump());
            QVERIFY2(ws.countSamples(q) == std::int64_t(want.size()), label.constData());
            std::vector<std::int64_t> got;
            for (std::int64_t offset = 0;; offset += 37) {  // pages of an odd size
                const auto page = ws.listSamples(q, offset, 37);
                for (const SampleRow& r : page)
                    got.push_back(r.id);
                if (page.size() < 37)
                    break;
            }
            QVERIFY2(got.size() == want.size(), label.constData());
            for (std::size_t i = 0; i < got.size(); ++i)
                QVERIFY2(got[i] == want[i].id, label.constData());
            QVERIFY2(ws.sampleIds(q) == got, label.constData());
        }
        // Row contents: preview, source and the small columns.
        const auto row = ws.listSamples(SampleQuery(), 0, 1).at(0);
        const Ref& r0 = refs.front();
        QCOMPARE(row.id, r0.id);
        QCOMPARE(QString::fromStdString(row.source), QString::fromStdString(r0.source));
        QVERIFY(row.questionPreview.rfind("problem ", 0) == 0);
        QCOMPARE(row.thinkingTokens, r0.thinkingTokens);
        QCOMPARE(row.verdict, r0.verdict);
        QCOMPARE(QString::fromStdString(row.flagsJson), QString::fromStdString(r0.flags));
        QCOMPARE(QString::fromStdString(row.rejectReason), QString::fromStdString(r0.rejectReason));

        // The reason list: non-empty reasons with their counts, most frequent first.
        std::map<std::string, std::int64_t> reasonCounts;
        for (const Ref& r : refs)
            if (!r.rejectReason.empty())
                ++reasonCounts[r.rejectReason];
        const auto reasons = ws.rejectReasons();
        QCOMPARE(reasons.size(), reasonCounts.size());
        for (std::size_t i = 0; i < reasons.size(); ++i) {
            QCOMPARE(reasons[i].second, reasonCounts.at(reasons[i].first));
            if (i > 0)
                QVERIFY(reasons[i - 1].second >= reasons[i].second);
        }
    }

    void queryJsonRoundTrips()
    {
        SampleQuery q;
        q.search = "prime modul*";
        q.verdict = Verdict::Correct;
        q.status = SampleStatus::Rejected;
        q.origin = Origin::Teacher;
        q.originDetail = "local:run-3:0a1b";
        q.source = "aime24";
        q.problemId = 12;
        q.minThinkingTokens = 100;
        q.maxThinkingTokens = 4096;
        q.rejectReason = "language_mix,loop";
        q.score = ScoreRange{"longest_paragraph_words", 100, 250.5};
        q.sortBy = SampleColumn::Repetition;
        q.descending = true;
        QVERIFY(SampleQuery::fromJson(q.toJson()) == q);
        SampleQuery none;
        none.rejectReason = "";  // "no reason" is a filter too
        none.score = ScoreRange{"language_mix", std::nullopt, 0.01};
        QVERIFY(SampleQuery::fromJson(none.toJson()) == none);
        QVERIFY(SampleQuery::fromJson(SampleQuery().toJson()) == SampleQuery());
        QCOMPARE(QString::fromStdString(q.toJson().at("score").dump()),
                 QStringLiteral("{\"max\":250.5,\"min\":100.0,\"name\":\"longest_paragraph_words\"}"));

        // A score name becomes a JSON path in SQL: anything but [a-z0-9_] is refused.
        const auto bad = [](const nlohmann::json& j) { return codeOf([&] { SampleQuery::fromJson(j); }); };
        QCOMPARE(bad({{"score", {{"name", "x' OR 1=1 --"}}}}), ErrorCode::InvalidArgument);
        QCOMPARE(bad({{"score", {{"name", "language_mix"}, {"low", 1}}}}), ErrorCode::InvalidArgument);
        QCOMPARE(bad({{"sort", "language_mixing"}}), ErrorCode::InvalidArgument);
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        SampleQuery injected;
        injected.score = ScoreRange{"a.b", 0, 1};
        QCOMPARE(codeOf([&] { ws.countSamples(injected); }), ErrorCode::InvalidArgument);
    }

    void searchTextIsNotQuerySyntax()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        Sample s;
        s.problemId = addProblem(ws, "t", "Compute 3 AND 4 (quickly)");
        s.answer = "answer: \"seven\"";
        ws.insertSample(s);
        for (const char* text : {"AND", "(quickly", "\"seven", "NEAR(", "comp*", "col:umn"}) {
            SampleQuery q;
            q.search = text;
            ws.countSamples(q);  // must not throw on FTS5 syntax characters
        }
        SampleQuery q;
        q.search = "comp*";
        QCOMPARE(ws.countSamples(q), 1);
        q.search = "seven quickly";
        QCOMPARE(ws.countSamples(q), 1);
        q.search = "seven eight";
        QCOMPARE(ws.countSamples(q), 0);
    }

    void statusVerdictFlags()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const auto pid = addProblem(ws, "t", "q");
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 4; ++i) {
            Sample s;
            s.problemId = pid;
            ids.push_back(ws.insertSample(s));
        }
        ws.setStatus({ids[0], ids[1]}, SampleStatus::Accepted);
        ws.setVerdict({ids[1], ids[2]}, Verdict::Correct);
        ws.setVerdict(ids[3], Verdict::Incorrect, "wrong final answer");
        ws.setFlags(ids[0], R"({"dup": true})");
        QCOMPARE(codeOf([&] { ws.setFlags(ids[0], "[1]"); }), ErrorCode::InvalidArgument);
        SampleQuery q;
        q.status = SampleStatus::Accepted;
        q.verdict = Verdict::Correct;
        QCOMPARE(ws.sampleIds(q), std::vector<std::int64_t>{ids[1]});
        QCOMPARE(QString::fromStdString(ws.sample(ids[3])->rejectReason), QStringLiteral("wrong final answer"));
        QCOMPARE(QString::fromStdString(ws.sample(ids[0])->flagsJson), QStringLiteral("{\"dup\":true}"));
        const Summary s = ws.summary();
        QCOMPARE(int(s.byVerdict.size()), 3);
    }
};

QTEST_GUILESS_MAIN(TestStoreQueries)
#include "tst_store_queries.moc"
