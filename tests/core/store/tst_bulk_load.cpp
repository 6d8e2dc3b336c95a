// tst_bulk_load: a bulk import over a crafted workspace file: index names and index SQL read back
// from sqlite_master must never run as SQL of their own.
#include "store_fixtures.h"

#include <sqlite3.h>

#include <QtTest>

using namespace distill;
using namespace distill::store;
using namespace distill::store::testing;

namespace {

// Runs SQL on the file through a connection of its own, as another program would.
void craft(const std::string& path, const std::string& sql)
{
    sqlite3* db = nullptr;
    QCOMPARE(sqlite3_open(path.c_str(), &db), SQLITE_OK);
    char* message = nullptr;
    const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &message);
    const std::string error = message ? message : "";
    sqlite3_free(message);
    sqlite3_close(db);
    QVERIFY2(rc == SQLITE_OK, error.c_str());
}

std::int64_t indexCount(const std::string& path, const std::string& name)
{
    sqlite3* db = nullptr;
    sqlite3_open(path.c_str(), &db);
    sqlite3_stmt* st = nullptr;
    sqlite3_prepare_v2(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?", -1, &st, nullptr);
    sqlite3_bind_text(st, 1, name.c_str(), -1, SQLITE_TRANSIENT);
    sqlite3_step(st);
    const std::int64_t n = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

// One bulk load that indexes a new sample; rethrows what it throws.
void bulkLoadOneSample(const std::string& path)
{
    Workspace ws = Workspace::open(path);
    Workspace::Transaction tx(ws);
    Workspace::BulkLoad bulk(ws, 100);
    Sample s;
    s.problemId = addProblem(ws, "imported", "What is 3 + 4?");
    s.answer.assign(1, '7');  // not = "7": GCC 12 at -O3 warns falsely (-Wrestrict) on that
    ws.insertSample(s);
    bulk.finish();
    tx.commit();
}

}  // namespace

class TestBulkLoad : public QObject {
    Q_OBJECT

private slots:
    void craftedIndexNameIsNotRunAsSql()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        {
            Workspace ws = emptyWorkspace(dir);
            addProblem(ws, "kept", "What is 1 + 1?");
        }
        // "DROP INDEX " + this name ran a second statement that emptied the problems.
        const std::string name = "IF EXISTS nothing; DELETE FROM problems; --";
        craft(path, "CREATE INDEX \"" + name + "\" ON samples(answer)");

        bulkLoadOneSample(path);
        Workspace ws = Workspace::open(path, OpenMode::ReadOnly);
        QCOMPARE(ws.countProblems(), std::int64_t(2));
        QCOMPARE(ws.countProblems("kept"), std::int64_t(1));
        QCOMPARE(indexCount(path, name), std::int64_t(1));  // dropped and built again, as the others
        QCOMPARE(indexCount(path, "samples_verdict"), std::int64_t(1));
    }

    void craftedIndexSqlIsRefused()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        {
            Workspace ws = emptyWorkspace(dir);
            addProblem(ws, "kept", "What is 1 + 1?");
        }
        // SQLite loads the schema from its first statement and ignores the rest; re-running the
        // stored text ran the rest too.
        craft(path, "PRAGMA writable_schema = ON; UPDATE sqlite_master SET sql = sql || '; DELETE FROM problems' "
                    "WHERE name = 'samples_verdict'; PRAGMA writable_schema = OFF;");

        try {
            bulkLoadOneSample(path);
            QFAIL("the altered schema was re-run");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Database);
            QVERIFY2(e.detail().find("not one CREATE INDEX statement") != std::string::npos, e.detail().c_str());
        }
        Workspace ws = Workspace::open(path, OpenMode::ReadOnly);  // rolled back: as before the import
        QCOMPARE(ws.countProblems(), std::int64_t(1));
        QCOMPARE(indexCount(path, "samples_verdict"), std::int64_t(1));
    }
};

QTEST_GUILESS_MAIN(TestBulkLoad)
#include "tst_bulk_load.moc"
