// Tests of core/store: schema and bundled benchmarks, migration, count tables, connections,
// concurrent writer + reader, edits with undo, transactions, frozen dataset hashes, runs/metrics.
// Paging, filters, sorting and search are in tst_store_queries.cpp.
#include "core/formats/importer.h"
#include "core/store/rulings.h"
#include "core/store/statement.h"
#include "core/store/workspace.h"
#include "core/util/error.h"
#include "store_fixtures.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>

#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

using namespace distill;
using namespace distill::store;
using namespace distill::store::testing;

namespace {

const std::string kBenchmarks = std::string(DISTILLERY_SOURCE_DIR) + "/resources/benchmarks";

// The version-1 schema exactly as the first release wrote it.
const char* kV1Schema = R"sql(
CREATE TABLE problems(id INTEGER PRIMARY KEY, source TEXT NOT NULL, external_id TEXT NOT NULL DEFAULT '',
  domain TEXT NOT NULL DEFAULT '', question TEXT NOT NULL, question_hash INTEGER NOT NULL,
  reference_answer TEXT NOT NULL DEFAULT '', reference_solution TEXT NOT NULL DEFAULT '', difficulty REAL,
  tags_json TEXT NOT NULL DEFAULT '[]');
CREATE INDEX problems_source ON problems(source, id);
CREATE INDEX problems_question ON problems(source, question_hash);
CREATE TABLE samples(id INTEGER PRIMARY KEY, problem_id INTEGER NOT NULL REFERENCES problems(id) ON DELETE CASCADE,
  origin TEXT NOT NULL, origin_detail TEXT NOT NULL DEFAULT '', messages_json TEXT NOT NULL DEFAULT '[]',
  thinking TEXT NOT NULL DEFAULT '', answer TEXT NOT NULL DEFAULT '', raw_text TEXT NOT NULL DEFAULT '',
  thinking_tokens INTEGER NOT NULL DEFAULT 0, answer_tokens INTEGER NOT NULL DEFAULT 0,
  verdict TEXT NOT NULL DEFAULT 'unknown', reject_reason TEXT NOT NULL DEFAULT '', flags_json TEXT NOT NULL DEFAULT '{}',
  status TEXT NOT NULL DEFAULT 'candidate', created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL);
CREATE INDEX samples_problem ON samples(problem_id);
CREATE TABLE edits(id INTEGER PRIMARY KEY, sample_id INTEGER NOT NULL REFERENCES samples(id) ON DELETE CASCADE,
  field TEXT NOT NULL, before TEXT NOT NULL, after TEXT NOT NULL, time INTEGER NOT NULL);
CREATE INDEX edits_sample ON edits(sample_id, id);
CREATE TABLE datasets(id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, content_hash TEXT NOT NULL,
  recipe_json TEXT NOT NULL, created_at INTEGER NOT NULL);
CREATE TABLE dataset_samples(dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,
  position INTEGER NOT NULL, sample_id INTEGER NOT NULL REFERENCES samples(id), PRIMARY KEY(dataset_id, position)) WITHOUT ROWID;
CREATE TABLE runs(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, name TEXT NOT NULL, config TEXT NOT NULL DEFAULT '',
  status TEXT NOT NULL DEFAULT 'pending', folder TEXT NOT NULL DEFAULT '', created_at INTEGER NOT NULL);
CREATE TABLE metrics(run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, step INTEGER NOT NULL,
  name TEXT NOT NULL, value REAL NOT NULL, time INTEGER NOT NULL);
CREATE INDEX metrics_run ON metrics(run_id, name, step);
CREATE TABLE eval_results(id INTEGER PRIMARY KEY, run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  checkpoint TEXT NOT NULL, benchmark TEXT NOT NULL, problem_id INTEGER NOT NULL REFERENCES problems(id),
  sample_index INTEGER NOT NULL, extracted_answer TEXT NOT NULL DEFAULT '', correct INTEGER NOT NULL,
  response_tokens INTEGER NOT NULL DEFAULT 0, UNIQUE(run_id, checkpoint, problem_id, sample_index));
INSERT INTO problems(id, source, question, question_hash) VALUES (1, 'old', 'What is two plus two?', 0);
INSERT INTO samples(id, problem_id, origin, thinking, answer, created_at, updated_at)
  VALUES (1, 1, 'teacher', 'adding small numbers carefully', 'four', 1, 1);
PRAGMA user_version = 1;
)sql";

void rawSql(const std::string& path, const char* sql)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* err = nullptr;
    const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &err);
    const std::string message = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, message.c_str());
}

std::vector<std::pair<std::string, std::int64_t>> queryPairs(sqlite3* db, const std::string& sql)
{
    sqlite3_stmt* st = nullptr;
    std::vector<std::pair<std::string, std::int64_t>> out;
    if (sqlite3_prepare_v2(db, sql.c_str(), -1, &st, nullptr) != SQLITE_OK)
        throw std::runtime_error(sqlite3_errmsg(db));
    while (sqlite3_step(st) == SQLITE_ROW)
        out.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(st, 0)), sqlite3_column_int64(st, 1));
    sqlite3_finalize(st);
    return out;
}

// summary() and sources() (served from the count tables) equal counts taken from the rows.
void verifyCountsExact(const Workspace& ws)
{
    sqlite3* db = ws.handle();
    const Summary s = ws.summary();
    const auto totals = queryPairs(db, "SELECT 'problems', count(*) FROM problems UNION ALL "
                                       "SELECT 'samples', count(*) FROM samples");
    QCOMPARE(s.problems, totals[0].second);
    QCOMPARE(s.samples, totals[1].second);
    const auto problems = queryPairs(db, "SELECT source, count(*) FROM problems GROUP BY source ORDER BY source");
    const auto samples = queryPairs(db, "SELECT p.source, count(s.id) FROM problems p LEFT JOIN samples s "
                                        "ON s.problem_id = p.id GROUP BY p.source ORDER BY p.source");
    const auto sources = ws.sources();
    QCOMPARE(s.sources.size(), sources.size());
    QCOMPARE(sources.size(), problems.size());
    for (std::size_t i = 0; i < sources.size(); ++i) {
        QCOMPARE(QString::fromStdString(sources[i].source), QString::fromStdString(problems[i].first));
        QCOMPARE(sources[i].problems, problems[i].second);
        QCOMPARE(sources[i].samples, samples[i].second);
        QCOMPARE(s.sources[i].samples, samples[i].second);
    }
    for (const auto& [column, got] : {std::pair{"status", s.byStatus}, std::pair{"verdict", s.byVerdict},
                                      std::pair{"origin", s.byOrigin}}) {
        const auto want = queryPairs(db, std::string("SELECT ") + column + ", count(*) FROM samples GROUP BY "
                                             + column + " ORDER BY " + column);
        QVERIFY2(got == want, column);
    }
}

}  // namespace

class TestStore : public QObject {
    Q_OBJECT
private slots:
    void createLoadsBundledBenchmarks()
    {
        QTemporaryDir dir;
        CreateOptions options;
        options.benchmarksDir = kBenchmarks;
        auto ws = Workspace::create(dir.filePath("ws.sqlite").toStdString(), options);
        QCOMPARE(ws.schemaVersion(), currentSchemaVersion());
        QCOMPARE(ws.countProblems("aime24"), 30);
        QCOMPARE(ws.countProblems("aime25"), 30);
        QCOMPARE(ws.countProblems("amc23"), 40);
        QCOMPARE(ws.countProblems("math500"), 500);
        QCOMPARE(ws.countProblems("gsm8k"), 1319);
        SampleQuery refs;
        refs.origin = Origin::Reference;
        refs.source = "aime24";
        QCOMPARE(ws.countSamples(refs), 30);  // AoPS solutions
        refs.source = "aime25";
        QCOMPARE(ws.countSamples(refs), 0);   // no solutions in the source
        refs.source = "gsm8k";
        QCOMPARE(ws.countSamples(refs), 1319);

        const auto first = ws.listProblems("aime24", 0, 1).at(0);
        QCOMPARE(QString::fromStdString(first.externalId), QStringLiteral("2024-I-1"));
        QCOMPARE(QString::fromStdString(first.referenceAnswer), QStringLiteral("204"));
        QVERIFY(first.question.rfind("Every morning Aya goes for a $9$-kilometer-long walk", 0) == 0);
        const auto math = ws.listProblems("math500", 0, 1).at(0);
        QCOMPARE(QString::fromStdString(math.externalId), QStringLiteral("test/precalculus/807.json"));
        QCOMPARE(QString::fromStdString(math.domain), QStringLiteral("Precalculus"));
        QVERIFY(math.difficulty.has_value());
        QCOMPARE(*math.difficulty, 2.0);

        const auto sources = ws.sources();
        QCOMPARE(int(sources.size()), 5);
        QCOMPARE(QString::fromStdString(sources[0].source), QStringLiteral("aime24"));
        QCOMPARE(sources[0].problems, 30);
        QCOMPARE(sources[0].samples, 30);

        const Summary s = ws.summary();
        QCOMPARE(s.problems, 1919);
        QCOMPARE(s.samples, 30 + 500 + 1319);
        QCOMPARE(int(s.byOrigin.size()), 1);
        QCOMPARE(QString::fromStdString(s.byOrigin[0].first), QStringLiteral("reference"));
    }

    // bindStable reads the caller's text in place, and the reset after run() unbinds it, so a run
    // without binding again writes NULL instead of reading text that is gone.
    void statementBindStableUnbindsOnReset()
    {
        sqlite3* db = nullptr;
        QCOMPARE(sqlite3_open(":memory:", &db), SQLITE_OK);
        exec(db, "CREATE TABLE t(x)");
        {
            Statement insert(db, "INSERT INTO t VALUES (?)");
            std::string text(5000, 'a');
            insert.bindStable(1, text).run();
            text.assign(5000, 'b');  // changed after the insert: the row keeps what was bound
            insert.run();
            Statement rows(db, "SELECT x IS NULL, length(x), substr(x, 1, 1) FROM t ORDER BY rowid");
            QVERIFY(rows.step());
            QCOMPARE(rows.int64At(0), 0);
            QCOMPARE(rows.int64At(1), 5000);
            QCOMPARE(rows.textAt(2), std::string("a"));
            QVERIFY(rows.step());
            QCOMPARE(rows.int64At(0), 1);
            QVERIFY(!rows.step());
        }
        sqlite3_close(db);
    }

    void createAndOpenErrors()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        QCOMPARE(codeOf([&] { Workspace::open(path); }), ErrorCode::NotFound);
        emptyWorkspace(dir);
        QCOMPARE(codeOf([&] { emptyWorkspace(dir); }), ErrorCode::InvalidArgument);
        auto ro = Workspace::open(path, OpenMode::ReadOnly);
        QVERIFY(ro.readOnly());
        QCOMPARE(codeOf([&] { addProblem(ro, "x", "q"); }), ErrorCode::InvalidArgument);
    }

    void migratesVersionOneFile()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("old.sqlite").toStdString();
        rawSql(path, kV1Schema);
        // A v1 file cannot be read by this build without migrating.
        QCOMPARE(codeOf([&] { Workspace::open(path, OpenMode::ReadOnly); }), ErrorCode::Unsupported);
        auto ws = Workspace::open(path);
        QCOMPARE(ws.schemaVersion(), currentSchemaVersion());
        const auto s = ws.sample(1);
        QVERIFY(s.has_value());
        QCOMPARE(QString::fromStdString(s->answer), QStringLiteral("four"));
        QCOMPARE(QString::fromStdString(s->extrasJson), QStringLiteral("{}"));  // column added by v2
        SampleQuery q;
        q.search = "carefully";  // full-text index rebuilt over old rows
        QCOMPARE(ws.countSamples(q), 1);
        q.search = "plus";  // the question is indexed too
        QCOMPARE(ws.countSamples(q), 1);
        q = SampleQuery();
        q.sortBy = SampleColumn::LanguageMix;  // through the score index added by v4
        QCOMPARE(int(ws.listSamples(q, 0, 10).size()), 1);
        q.sortBy = SampleColumn::RejectReason;
        q.rejectReason = "";
        QCOMPARE(int(ws.listSamples(q, 0, 10).size()), 1);
        ws.close();
        auto again = Workspace::open(path, OpenMode::ReadOnly);
        QCOMPARE(again.schemaVersion(), currentSchemaVersion());
    }

    void countTablesStayExact()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        verifyCountsExact(ws);
        std::vector<std::int64_t> ids;
        for (int i = 0; i < 30; ++i) {
            Sample s;
            s.problemId = addProblem(ws, i % 3 ? "alpha" : "beta", "question " + std::to_string(i % 12));
            s.origin = i % 5 ? Origin::Teacher : Origin::Reference;
            s.verdict = Verdict(i % 3);
            s.status = SampleStatus(i % 2);
            s.thinking = "think " + std::to_string(i);
            ws.insertSample(s);
            ids.push_back(s.id);
        }
        addProblem(ws, "empty", "no samples yet");
        verifyCountsExact(ws);

        // An import (deferred full-text indexing, one transaction) into a new and an existing source.
        const QString file = dir.filePath("import.jsonl");
        {
            std::ofstream out(file.toStdString());
            for (int i = 0; i < 8; ++i)
                out << nlohmann::json{{"messages", {{{"role", "user"}, {"content", "imported " + std::to_string(i % 3)}},
                                                    {{"role", "assistant"}, {"content", "<think>t</think>a"}}}}}.dump()
                    << "\n";
        }
        formats::ImportOptions io;
        io.source = "imported";
        QCOMPARE(formats::importFile(ws, file.toStdString(), io).samples, std::uint64_t(8));
        io.source = "alpha";
        QCOMPARE(formats::importFile(ws, file.toStdString(), io).samples, std::uint64_t(8));
        verifyCountsExact(ws);

        ws.setStatus({ids[0], ids[1], ids[2], ids[7]}, SampleStatus::Rejected);
        ws.setVerdict({ids[3], ids[4]}, Verdict::Correct);
        ws.setVerdict(ids[5], Verdict::Incorrect, "wrong answer");
        ws.setStatus({ids[0]}, SampleStatus::Rejected);  // unchanged
        verifyCountsExact(ws);

        // Edits and undo change no counted column; a rolled-back change leaves the counts alone.
        ws.updateSampleText(ids[6], SampleField::Answer, "edited");
        QVERIFY(ws.undoLastEdit(ids[6]));
        {
            Workspace::Transaction tx(ws);
            ws.setStatus({ids[8], ids[9]}, SampleStatus::Accepted);
            addProblem(ws, "gone", "rolled back");
        }
        verifyCountsExact(ws);
        QCOMPARE(ws.summary().sources.size(), std::size_t(4));

        // Writes outside the store API, as another program would make them: a deleted sample, a
        // problem moved to another source, a deleted problem whose samples go by cascade.
        char* err = nullptr;
        const std::string sql = "DELETE FROM samples WHERE id = " + std::to_string(ids[10]) + ";"
                                "UPDATE problems SET source = 'beta' WHERE id = (SELECT problem_id FROM samples WHERE id = "
                                + std::to_string(ids[11]) + ");"
                                "DELETE FROM problems WHERE id = (SELECT problem_id FROM samples WHERE id = "
                                + std::to_string(ids[12]) + ");"
                                "UPDATE samples SET origin = 'human', status = 'accepted' WHERE id = "
                                + std::to_string(ids[13]) + ";"
                                "DELETE FROM problems WHERE source = 'empty';";
        QCOMPARE(sqlite3_exec(ws.handle(), sql.c_str(), nullptr, nullptr, &err), SQLITE_OK);
        QCOMPARE(int(sqlite3_changes(ws.handle())), 1);
        verifyCountsExact(ws);
        QCOMPARE(ws.summary().sources.size(), std::size_t(3));  // "empty" has no problems left
    }

    void countTablesFilledByMigration()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("old.sqlite").toStdString();
        rawSql(path, kV1Schema);
        auto ws = Workspace::open(path);
        const Summary s = ws.summary();
        QCOMPARE(s.problems, 1);
        QCOMPARE(s.samples, 1);
        QCOMPARE(int(s.sources.size()), 1);
        QCOMPARE(QString::fromStdString(s.sources[0].source), QStringLiteral("old"));
        verifyCountsExact(ws);
    }

    void readOnlyConnectionOptions()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        {
            auto ws = emptyWorkspace(dir);
            addProblem(ws, "t", "q");
        }
        auto pragma = [](const Workspace& ws, const char* name) {
            sqlite3_stmt* st = nullptr;
            sqlite3_prepare_v2(ws.handle(), (std::string("PRAGMA ") + name).c_str(), -1, &st, nullptr);
            const std::int64_t value = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
            sqlite3_finalize(st);
            return value;
        };
        // OpenMode::ReadOnly is the background-reader profile: small cache, no memory map.
        const auto reader = Workspace::open(path, OpenMode::ReadOnly);
        QVERIFY(reader.readOnly());
        QCOMPARE(pragma(reader, "cache_size"), -OpenOptions::reader().cacheKiB);
        QCOMPARE(pragma(reader, "mmap_size"), 0);
        QCOMPARE(reader.sources().size(), std::size_t(1));

        OpenOptions options;
        options.readOnly = true;
        options.cacheKiB = 2048;
        options.mmapBytes = 1 << 20;
        auto custom = Workspace::open(path, options);
        QVERIFY(custom.readOnly());
        QCOMPARE(pragma(custom, "cache_size"), -2048);
        QCOMPARE(pragma(custom, "mmap_size"), 1 << 20);
        QCOMPARE(codeOf([&] { addProblem(custom, "x", "q"); }), ErrorCode::InvalidArgument);
        QCOMPARE(custom.countProblems(), 1);

        const auto writer = Workspace::open(path, OpenOptions{});
        QVERIFY(!writer.readOnly());
        QCOMPARE(pragma(writer, "cache_size"), -65536);
        options.cacheKiB = 0;
        QCOMPARE(codeOf([&] { Workspace::open(path, options); }), ErrorCode::InvalidArgument);
    }

    void bulkImportRebuildsBrowserIndexes()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        auto indexes = [&] {
            return queryPairs(ws.handle(), "SELECT name, length(sql) FROM sqlite_master WHERE type = 'index' "
                                           "AND tbl_name = 'samples' ORDER BY name");
        };
        const auto before = indexes();
        QCOMPARE(int(before.size()), 12);  // the browser's 11 sort indexes and the generation unit key, rebuilt after a bulk load
        const QString file = dir.filePath("bulk.jsonl");
        {
            std::ofstream out(file.toStdString());
            for (int i = 0; i < 35000; ++i)  // more than two of the importer's full-text batches
                out << nlohmann::json{{"messages", {{{"role", "user"}, {"content", "bulk question " + std::to_string(i)}},
                                                    {{"role", "assistant"}, {"content", "<think>bulk reasoning</think>x"}}}}}
                           .dump()
                    << "\n";
        }
        formats::ImportOptions io;
        // Cancelled at the last progress call, after full-text batches were indexed: all rolled back.
        io.progress = [](std::uint64_t done, std::uint64_t total) { return done < total; };
        QVERIFY(formats::importFile(ws, file.toStdString(), io).cancelled);
        QVERIFY(indexes() == before);
        QCOMPARE(ws.countSamples({}), 0);
        verifyCountsExact(ws);
        io.progress = nullptr;
        QCOMPARE(formats::importFile(ws, file.toStdString(), io).samples, std::uint64_t(35000));
        QVERIFY(indexes() == before);  // dropped for the empty workspace's bulk load, re-created
        QCOMPARE(queryPairs(ws.handle(), "SELECT 'ok', integrity_check = 'ok' FROM pragma_integrity_check")[0].second, 1);
        SampleQuery q;
        q.search = "bulk";
        q.sortBy = SampleColumn::ThinkingTokens;
        QCOMPARE(ws.countSamples(q), 35000);
        QCOMPARE(int(ws.listSamples(q, 34990, 100).size()), 10);
        q.search = "34999";  // the last batch is indexed too
        QCOMPARE(ws.countSamples(q), 1);
        verifyCountsExact(ws);
        // The insert triggers are back: a sample added through the API is searchable and counted.
        Sample later;
        later.problemId = addProblem(ws, "later", "added after the import");
        later.thinking = "afterwards";
        ws.insertSample(later);
        q.search = "afterwards";
        QCOMPARE(ws.countSamples(q), 1);
        verifyCountsExact(ws);
    }

    void newerFileIsAnError()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        emptyWorkspace(dir);
        rawSql(path, "PRAGMA user_version = 99");
        QCOMPARE(codeOf([&] { Workspace::open(path); }), ErrorCode::Unsupported);
    }

    void editUndoAndHistory()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        Sample s;
        s.problemId = addProblem(ws, "t", "question one");
        s.thinking = "first thought";
        s.answer = "42";
        ws.insertSample(s);

        ws.updateSampleText(s.id, SampleField::Thinking, "second thought");
        ws.updateSampleText(s.id, SampleField::Answer, "43");
        ws.updateSampleText(s.id, SampleField::Answer, "43");  // unchanged: not recorded
        auto history = ws.editHistory(s.id);
        QCOMPARE(int(history.size()), 2);
        QCOMPARE(history[0].field, SampleField::Thinking);
        QCOMPARE(QString::fromStdString(history[0].before), QStringLiteral("first thought"));
        QCOMPARE(QString::fromStdString(history[0].after), QStringLiteral("second thought"));
        QCOMPARE(QString::fromStdString(ws.sample(s.id)->answer), QStringLiteral("43"));

        SampleQuery q;
        q.search = "second";
        QCOMPARE(ws.countSamples(q), 1);  // the edit reached the full-text index

        QVERIFY(ws.undoLastEdit(s.id));
        QCOMPARE(QString::fromStdString(ws.sample(s.id)->answer), QStringLiteral("42"));
        QVERIFY(ws.undoLastEdit(s.id));
        QCOMPARE(QString::fromStdString(ws.sample(s.id)->thinking), QStringLiteral("first thought"));
        QVERIFY(!ws.undoLastEdit(s.id));
        QVERIFY(ws.editHistory(s.id).empty());
        QCOMPARE(ws.countSamples(q), 0);
        q.search = "first";
        QCOMPARE(ws.countSamples(q), 1);
        QCOMPARE(codeOf([&] { ws.updateSampleText(999, SampleField::Answer, "x"); }), ErrorCode::NotFound);
    }

    void transactionsNestAndRollBack()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        {
            Workspace::Transaction outer(ws);
            addProblem(ws, "t", "kept");
            {
                Workspace::Transaction inner(ws);
                addProblem(ws, "t", "dropped");
            }  // rolled back
            outer.commit();
        }
        QCOMPARE(ws.countProblems("t"), 1);
        {
            Workspace::Transaction tx(ws);
            addProblem(ws, "t", "also dropped");
        }
        QCOMPARE(ws.countProblems("t"), 1);
        QVERIFY(ws.findProblem("t", "kept").has_value());
        QVERIFY(!ws.findProblem("t", "dropped").has_value());
    }

    void frozenDatasetHashIsStable()
    {
        QTemporaryDir dir;
        auto fill = [](Workspace& ws) {
            const auto pid = addProblem(ws, "t", "What is 6 times 7?");
            for (int i = 0; i < 5; ++i) {
                Sample s;
                s.problemId = pid;
                s.thinking = "step " + std::to_string(i);
                s.answer = std::to_string(40 + i);
                s.status = i % 2 ? SampleStatus::Accepted : SampleStatus::Candidate;
                ws.insertSample(s);
            }
        };
        auto a = emptyWorkspace(dir, "a.sqlite");
        auto b = emptyWorkspace(dir, "b.sqlite");
        fill(a);
        fill(b);
        SampleQuery recipe;
        recipe.status = SampleStatus::Accepted;
        const Dataset d1 = a.freezeDataset("sft-v1", recipe);
        QCOMPARE(int(d1.sampleIds.size()), 2);
        QCOMPARE(int(d1.contentHash.size()), 16);
        QCOMPARE(b.freezeDataset("other-name", recipe).contentHash, d1.contentHash);  // same content
        QCOMPARE(a.freezeDataset("sft-v1-again", recipe).contentHash, d1.contentHash);
        QCOMPARE(codeOf([&] { a.freezeDataset("sft-v1", recipe); }), ErrorCode::InvalidArgument);

        a.updateSampleText(d1.sampleIds[0], SampleField::Answer, "changed");
        const auto stored = a.dataset("sft-v1");
        QVERIFY(stored.has_value());
        QCOMPARE(stored->contentHash, d1.contentHash);  // frozen: the stored hash does not move
        QCOMPARE(stored->sampleIds, d1.sampleIds);
        QVERIFY(a.contentHash(d1.sampleIds) != d1.contentHash);  // but the content did
        QVERIFY(a.freezeDataset("sft-v2", recipe).contentHash != d1.contentHash);
        QCOMPARE(SampleQuery::fromJson(nlohmann::json::parse(stored->recipeJson)).status, recipe.status);
        QCOMPARE(int(a.datasets().size()), 3);
        const auto samples = a.datasetSamples("sft-v1");
        QCOMPARE(int(samples.size()), 2);
        QCOMPARE(QString::fromStdString(samples[0].answer), QStringLiteral("changed"));
    }

    // An expert's ruling on a grader/judge disagreement: the sample's verdict, kept in its flags
    // beside what it was before, read back as a regression case, and measuring the judge.
    void rulingsAreKeptAndMeasureTheJudge()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        Problem rope;
        rope.source = "units";
        rope.question = "How long is the rope?";
        rope.referenceAnswer = "2 m";
        const std::int64_t problem = ws.insertProblem(rope);
        const auto sample = [&](const std::string& answer, const std::string& flags) {
            Sample s;
            s.problemId = problem;
            s.answer = answer;
            s.flagsJson = flags;
            return ws.insertSample(s);
        };
        const std::int64_t a = sample("200 cm", "{\"judge\": {\"verdict\": \"correct\"}, \"filters\": {\"truncated\": false}}");
        const std::int64_t b = sample("2 meters long", "{\"judge\": {\"verdict\": \"incorrect\"}}");
        const std::int64_t c = sample("two", "{}");
        sample("no ruling, the word in a value", "{\"note\": \"ruling\"}");
        QCOMPARE(judgeVerdict(ws.sample(a)->flagsJson), std::optional<Verdict>(Verdict::Correct));
        QCOMPARE(judgeVerdict(ws.sample(c)->flagsJson), std::optional<Verdict>());
        recordRuling(ws, {a, Verdict::Correct, Verdict::Unknown, Verdict::Correct});
        recordRuling(ws, {b, Verdict::Correct, Verdict::Correct, Verdict::Incorrect});
        recordRuling(ws, {c, Verdict::Incorrect, Verdict::Unknown, std::nullopt});
        QCOMPARE(ws.sample(a)->verdict, Verdict::Correct);
        QCOMPARE(ws.sample(c)->verdict, Verdict::Incorrect);
        // The flags keep what was there.
        const auto flags = nlohmann::json::parse(ws.sample(a)->flagsJson);
        QCOMPARE(flags.at("filters").at("truncated").get<bool>(), false);
        QCOMPARE(flags.at("ruling").at("grader").get<std::string>(), std::string("unknown"));
        const auto cases = rulingCases(ws);
        QCOMPARE(cases.size(), std::size_t(3));
        QCOMPARE(cases[1].ruling.sampleId, b);
        QCOMPARE(cases[1].answer, std::string("2 meters long"));
        QCOMPARE(cases[1].reference, std::string("2 m"));
        QCOMPARE(cases[1].ruling.judge, std::optional<Verdict>(Verdict::Incorrect));
        const RulingAccuracy accuracy = rulingAccuracy(cases);
        QCOMPARE(accuracy.rulings, 3);
        QCOMPARE(accuracy.judged, 2);
        QCOMPARE(accuracy.judgeRight, 1);
        QCOMPARE(accuracy.graderRight, 1);

        // distillery-cli rulings: the same figures, and the cases as JSON Lines.
        const QByteArray cli = qgetenv("DISTILLERY_CLI");
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        ws.close();
        QProcess p;
        const QString casesFile = dir.filePath("cases.jsonl");
        p.start(QString::fromLocal8Bit(cli), QStringList{"rulings", "--workspace", dir.filePath("ws.sqlite"), "--out", casesFile});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const auto printed = nlohmann::json::parse(p.readAllStandardOutput().toStdString());
        QCOMPARE(printed.at("rulings").get<int>(), 3);
        QCOMPARE(printed.at("judge_accuracy").get<double>(), 0.5);
        QFile file(casesFile);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QList<QByteArray> lines = file.readAll().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        const auto second = nlohmann::json::parse(lines[1].toStdString());
        QCOMPARE(second.at("expected").get<std::string>(), std::string("correct"));
        QCOMPARE(second.at("judge").get<std::string>(), std::string("incorrect"));
        QCOMPARE(second.at("gold").get<std::string>(), std::string("2 m"));
    }

    void runsMetricsAndEvalResults()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        Run run;
        run.kind = RunKind::Sft;
        run.name = "sft-tiny";
        run.config = "lr: 1e-4\n";
        ws.createRun(run);
        QCOMPARE(QString::fromStdString(ws.run(run.id)->status), QStringLiteral("pending"));
        ws.setRunStatus(run.id, "running");
        std::vector<Metric> ms;
        for (int step = 1; step <= 5; ++step) {
            ms.push_back({run.id, step, "loss", 2.0 / step, 0});
            ms.push_back({run.id, step, "lr", 1e-4, 0});
        }
        ws.addMetrics(ms);
        QCOMPARE(int(ws.metrics(run.id).size()), 10);
        const auto loss = ws.metrics(run.id, "loss", 3);
        QCOMPARE(int(loss.size()), 2);
        QCOMPARE(loss[0].step, 4);
        QCOMPARE(loss[0].value, 0.5);

        const auto pid = addProblem(ws, "aime24", "q");
        EvalResult r{0, run.id, "step-5", "aime24", pid, 0, "204", true, 812};
        ws.addEvalResult(r);
        EvalResult r2{0, run.id, "step-10", "aime24", pid, 0, "12", false, 900};
        ws.addEvalResult(r2);
        QCOMPARE(codeOf([&] { EvalResult dup = r; ws.addEvalResult(dup); }), ErrorCode::Database);
        const auto results = ws.evalResults(run.id, "step-5");
        QCOMPARE(int(results.size()), 1);
        QVERIFY(results[0].correct);
        QCOMPARE(QString::fromStdString(results[0].extractedAnswer), QStringLiteral("204"));
        QCOMPARE(int(ws.evalResults(run.id).size()), 2);
        QCOMPARE(int(ws.runs().size()), 1);
    }

    // A CLI import (one writer process) runs while this process reads the same file.
    void writerAndReaderProcessesAtOnce()
    {
        const QByteArray cli = qgetenv("DISTILLERY_CLI");
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        {
            auto ws = emptyWorkspace(dir);
            addProblem(ws, "seed", "seed question");
        }
        const QString data = dir.filePath("big.jsonl");
        const int records = 20000;
        {
            std::ofstream out(data.toStdString());
            for (int i = 0; i < records; ++i)
                out << nlohmann::json({{"question", "question number " + std::to_string(i)},
                                       {"response", "<think>\n" + std::string(600, 'x') + " thinking " + std::to_string(i)
                                                        + "\n</think>\n\nanswer " + std::to_string(i)}})
                           .dump()
                    << "\n";
        }
        QProcess writer;
        writer.start(QString::fromLocal8Bit(cli),
                     {"import", "--workspace", QString::fromStdString(path), data, "--source", "big"});
        QVERIFY(writer.waitForStarted());
        int reads = 0;
        std::int64_t last = 0;
        bool sawWriterRunning = false;
        QElapsedTimer clock;
        clock.start();
        while ((writer.state() != QProcess::NotRunning || reads < 3) && clock.elapsed() < 120000) {
            auto reader = Workspace::open(path, OpenMode::ReadOnly);  // a fresh reader each time
            const std::int64_t n = reader.countSamples(SampleQuery());
            QVERIFY(n >= last);  // never sees a half-written state going backwards
            QVERIFY(n == 0 || n == records);  // the import is one transaction
            QCOMPARE(reader.countProblems("seed"), 1);
            reader.listSamples(SampleQuery(), 0, 100);
            last = n;
            ++reads;
            if (writer.state() != QProcess::NotRunning)
                sawWriterRunning = true;
            writer.waitForFinished(20);
        }
        QCOMPARE(writer.exitStatus(), QProcess::NormalExit);
        QCOMPARE(writer.exitCode(), 0);
        QVERIFY(sawWriterRunning);
        const auto summary = nlohmann::json::parse(writer.readAllStandardOutput().toStdString());
        QCOMPARE(summary["imported"].get<int>(), records);
        auto ws = Workspace::open(path, OpenMode::ReadOnly);
        QCOMPARE(ws.countSamples(SampleQuery()), records);
        SampleQuery q;
        q.search = "19999";
        QCOMPARE(ws.countSamples(q), 1);
    }
};

QTEST_GUILESS_MAIN(TestStore)
#include "tst_store.moc"
