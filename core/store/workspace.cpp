#include "core/store/workspace.h"

#include "core/store/benchmarks.h"
#include "core/store/schema.h"
#include "core/store/workspace_impl.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>
#include <sqlite3.h>
#include <xxhash.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <initializer_list>
#include <fstream>
#include <sstream>

namespace distill::store {

namespace fs = std::filesystem;

// ---- Impl

Workspace::Impl::~Impl()
{
    cache.clear();
    if (db)
        sqlite3_close_v2(db);
}

Statement& Workspace::Impl::stmt(const std::string& sql) const
{
    auto it = cache.find(sql);
    if (it == cache.end())
        it = cache.emplace(sql, std::make_unique<Statement>(db, sql)).first;
    it->second->reset();
    return *it->second;
}

std::string Workspace::Impl::dataVersion() const
{
    Statement& st = stmt("PRAGMA data_version");
    st.step();
    const std::int64_t version = st.int64At(0);
    st.reset();
    return std::to_string(version) + ":" + std::to_string(sqlite3_total_changes64(db));
}

void Workspace::Impl::requireWritable() const
{
    if (readOnly)
        throw Error(ErrorCode::InvalidArgument, "workspace " + path + " is open read-only");
}

std::int64_t hashText(std::string_view text)
{
    return std::int64_t(XXH3_64bits(text.data(), text.size()));
}

std::vector<std::string> workspaceFiles(const std::string& path)
{
    return {path, path + "-wal", path + "-shm", path + "-journal"};
}

int currentSchemaVersion()
{
    return migrations().back().version;
}

// ---- open / create

namespace {

std::unique_ptr<Workspace::Impl> connect(const std::string& path, const OpenOptions& options, bool create)
{
    auto impl = std::make_unique<Workspace::Impl>();
    impl->path = path;
    impl->readOnly = options.readOnly;
    impl->cacheKiB = options.cacheKiB;
    int flags = impl->readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE;
    if (create)
        flags |= SQLITE_OPEN_CREATE;
    flags |= SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &impl->db, flags, nullptr) != SQLITE_OK) {
        const std::string msg = impl->db ? sqlite3_errmsg(impl->db) : "out of memory";
        throw Error(ErrorCode::Io, "cannot open workspace " + path + ": " + msg);
    }
    sqlite3_busy_timeout(impl->db, 15000);
    exec(impl->db, "PRAGMA foreign_keys = ON");
    // New files get 16 KiB pages (before WAL mode fixes the size): a 4 KiB page holds one 2-3 KB
    // sample row and leaves the rest empty, so samples took ~1.5x their size and every write more.
    if (create)
        exec(impl->db, "PRAGMA page_size = 16384");
    if (!impl->readOnly) {
        exec(impl->db, "PRAGMA journal_mode = WAL");
        exec(impl->db, "PRAGMA synchronous = NORMAL");
    }
    exec(impl->db, "PRAGMA cache_size = -" + std::to_string(options.cacheKiB));  // bulk loads raise it
    exec(impl->db, "PRAGMA temp_store = MEMORY");
    exec(impl->db, "PRAGMA mmap_size = " + std::to_string(options.mmapBytes));
    return impl;
}

}  // namespace

Workspace::Workspace(std::unique_ptr<Impl> impl) : m_impl(std::move(impl)) {}
Workspace::Workspace(Workspace&&) noexcept = default;
Workspace& Workspace::operator=(Workspace&&) noexcept = default;
Workspace::~Workspace() = default;

Workspace Workspace::create(const std::string& path, const CreateOptions& options)
{
    if (fs::exists(path))
        throw Error(ErrorCode::InvalidArgument, "workspace " + path + " already exists", "open it instead");
    Workspace ws(connect(path, OpenOptions{}, true));
    ws.m_impl->version = migrate(ws.m_impl->db);
    if (options.loadBenchmarks) {
        const std::string dir = options.benchmarksDir.empty() ? bundledBenchmarksDir() : options.benchmarksDir;
        if (dir.empty())
            throw Error(ErrorCode::NotFound, "bundled benchmarks not found",
                        "set DISTILLERY_RESOURCES to the resources folder");
        loadBenchmarks(ws, dir);
    }
    return ws;
}

OpenOptions OpenOptions::reader()
{
    OpenOptions options;
    options.readOnly = true;
    options.cacheKiB = 8192;
    options.mmapBytes = 0;
    return options;
}

OpenOptions OpenOptions::browser()
{
    OpenOptions options;
    options.cacheKiB = 16384;
    options.mmapBytes = 0;
    return options;
}

Workspace Workspace::open(const std::string& path, OpenMode mode)
{
    return open(path, mode == OpenMode::ReadOnly ? OpenOptions::reader() : OpenOptions{});
}

Workspace Workspace::open(const std::string& path, const OpenOptions& options)
{
    if (!fs::exists(path))
        throw Error(ErrorCode::NotFound, "workspace " + path + " does not exist");
    if (options.cacheKiB <= 0 || options.mmapBytes < 0)
        throw Error(ErrorCode::InvalidArgument, "workspace cache must be positive and mmap size not negative");
    Workspace ws(connect(path, options, false));
    if (!options.readOnly) {
        ws.m_impl->version = migrate(ws.m_impl->db);
    } else {
        ws.m_impl->version = fileSchemaVersion(ws.m_impl->db);
        if (ws.m_impl->version != currentSchemaVersion())
            throw Error(ErrorCode::Unsupported,
                        "workspace schema version " + std::to_string(ws.m_impl->version) + ", this build reads "
                            + std::to_string(currentSchemaVersion()),
                        "open it read-write once to migrate it");
    }
    return ws;
}

Workspace Workspace::openOrCreate(const std::string& path, const CreateOptions& options)
{
    return fs::exists(path) ? open(path) : create(path, options);
}

void Workspace::close()
{
    m_impl.reset();
}

bool Workspace::isOpen() const
{
    return m_impl != nullptr;
}

const std::string& Workspace::path() const
{
    return m_impl->path;
}

int Workspace::schemaVersion() const
{
    return m_impl->version;
}

bool Workspace::readOnly() const
{
    return m_impl->readOnly;
}

sqlite3* Workspace::handle() const
{
    return m_impl->db;
}

// ---- transactions

Workspace::Transaction::Transaction(Workspace& workspace) : m_workspace(&workspace)
{
    Impl& impl = *workspace.m_impl;
    impl.requireWritable();
    if (impl.depth == 0) {
        exec(impl.db, "BEGIN IMMEDIATE");  // take the write lock now: no deadlock on upgrade
    } else {
        m_name = "sp" + std::to_string(impl.depth);
        exec(impl.db, "SAVEPOINT " + m_name);
    }
    ++impl.depth;
}

Workspace::Transaction::~Transaction()
{
    if (!m_done) {
        try {
            rollback();
        } catch (const Error&) {
            // The connection is gone or broken; nothing more can be undone here.
        }
    }
}

void Workspace::Transaction::commit()
{
    if (m_done)
        throw Error(ErrorCode::Internal, "transaction already finished");
    Impl& impl = *m_workspace->m_impl;
    exec(impl.db, m_name.empty() ? std::string("COMMIT") : "RELEASE " + m_name);
    m_done = true;
    --impl.depth;
}

void Workspace::Transaction::rollback()
{
    if (m_done)
        return;
    Impl& impl = *m_workspace->m_impl;
    m_done = true;
    --impl.depth;
    if (m_name.empty())
        exec(impl.db, "ROLLBACK");
    else
        exec(impl.db, "ROLLBACK TO " + m_name + "; RELEASE " + m_name);
}

// ---- bulk loads

namespace {

// Insert triggers that BulkLoad replaces by statements over batches of new rows; the first one
// tells finish() whether the drop is still in effect (a rollback restores them).
constexpr std::array<const char*, 3> kBulkTriggers = {"samples_fts_insert", "samples_stats_insert",
                                                      "problems_stats_insert"};

// The first column of the first row of a query without parameters.
std::int64_t queryInt(const Workspace::Impl& impl, const std::string& sql)
{
    Statement& st = impl.stmt(sql);
    st.step();
    const std::int64_t n = st.int64At(0);
    st.reset();
    return n;
}

// `name` as an SQL identifier: quoted, its quotes doubled, so no name read from a file is ever SQL.
std::string quotedIdentifier(std::string_view name)
{
    std::string out = "\"";
    for (const char c : name)
        out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

// Runs schema SQL read back from sqlite_master (a workspace is a file anyone may hand over) only as
// the one CREATE statement it must be: sqlite3_exec would also run whatever was appended to it.
void runStoredSchemaSql(sqlite3* db, const std::string& sql, std::initializer_list<std::string_view> kinds)
{
    std::string head;  // the first words, upper case, one space apart
    for (const char c : std::string_view(sql).substr(0, 40)) {
        const bool space = std::isspace(static_cast<unsigned char>(c));
        if (!space || (!head.empty() && head.back() != ' '))
            head += space ? ' ' : char(std::toupper(static_cast<unsigned char>(c)));
    }
    const bool known = std::any_of(kinds.begin(), kinds.end(), [&](std::string_view k) { return head.rfind(k, 0) == 0; });
    sqlite3_stmt* stmt = nullptr;
    const char* tail = nullptr;
    const bool prepared = known && sqlite3_prepare_v2(db, sql.c_str(), int(sql.size()), &stmt, &tail) == SQLITE_OK;
    const bool single = prepared && stmt && std::string_view(tail).find_first_not_of(" \t\r\n;") == std::string_view::npos;
    if (!single) {
        sqlite3_finalize(stmt);
        throw Error(ErrorCode::Database, "the workspace's schema holds SQL that is not one " + std::string(*kinds.begin())
                                             + " statement: " + sql.substr(0, 160),
                    "the file was altered outside Distillery; import into a new workspace");
    }
    const int rc = sqlite3_step(stmt);
    sqlite3_finalize(stmt);
    if (rc != SQLITE_DONE)
        throwSqlite(db, "re-creating " + sql.substr(0, 80));
}

}  // namespace

Workspace::BulkLoad::BulkLoad(Workspace& workspace, std::int64_t expectedSamples) : m_workspace(&workspace)
{
    Impl& impl = *workspace.m_impl;
    if (impl.depth == 0)
        throw Error(ErrorCode::Internal, "BulkLoad needs an open Transaction");
    Statement& sql = impl.stmt("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    for (const char* trigger : kBulkTriggers) {
        sql.bind(1, trigger);
        if (!sql.step())
            throw Error(ErrorCode::Internal, std::string("insert trigger ") + trigger + " missing");
        m_triggerSql.push_back(sql.textAt(0));
        sql.reset();
    }
    m_lastProblemId = queryInt(impl, "SELECT coalesce(max(id), 0) FROM problems");
    m_lastSampleId = queryInt(impl, "SELECT coalesce(max(id), 0) FROM samples");
    for (const char* trigger : kBulkTriggers)
        exec(impl.db, std::string("DROP TRIGGER ") + trigger);
    const std::int64_t stored = queryInt(impl, "SELECT coalesce(sum(samples), 0) FROM sample_stats");
    if (expectedSamples > 0 && expectedSamples >= stored) {
        Statement& indexes = impl.stmt(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'samples' AND sql IS NOT NULL");
        std::vector<std::string> names;
        while (indexes.step()) {
            names.push_back(indexes.textAt(0));
            m_indexSql.push_back(indexes.textAt(1));
        }
        for (const std::string& name : names)
            Statement(impl.db, "DROP INDEX " + quotedIdentifier(name)).run();
    }
    exec(impl.db, "PRAGMA cache_size = -1048576");  // 1 GiB while bulk loading: indexes stay in memory
}

Workspace::BulkLoad::~BulkLoad()
{
    if (!m_done) {
        try {
            finish();
        } catch (const Error&) {
            // Unwinding: the enclosing transaction rolls the trigger drop back anyway.
        }
    }
}

void Workspace::BulkLoad::indexNewRows()
{
    Impl& impl = *m_workspace->m_impl;
    const std::int64_t lastProblemId = queryInt(impl, "SELECT coalesce(max(id), 0) FROM problems");
    const std::int64_t lastSampleId = queryInt(impl, "SELECT coalesce(max(id), 0) FROM samples");
    Statement& index = impl.stmt(
        "INSERT INTO samples_fts(rowid, question, thinking, answer) "
        "SELECT id, question, thinking, answer FROM sample_text WHERE id > ? AND id <= ? ORDER BY id");
    index.bind(1, m_lastSampleId).bind(2, lastSampleId);
    index.run();
    // What the count triggers would have added row by row.
    Statement& problems = impl.stmt(
        "INSERT INTO source_stats(source, problems) SELECT source, count(*) FROM problems "
        "WHERE id > ? AND id <= ? GROUP BY source "
        "ON CONFLICT(source) DO UPDATE SET problems = problems + excluded.problems");
    problems.bind(1, m_lastProblemId).bind(2, lastProblemId);
    problems.run();
    Statement& samples = impl.stmt(
        "INSERT INTO sample_stats(source, status, verdict, origin, samples) "
        "SELECT p.source, s.status, s.verdict, s.origin, count(*) FROM samples s "
        "JOIN problems p ON p.id = s.problem_id WHERE s.id > ? AND s.id <= ? "
        "GROUP BY p.source, s.status, s.verdict, s.origin "
        "ON CONFLICT(source, status, verdict, origin) DO UPDATE SET samples = samples + excluded.samples");
    samples.bind(1, m_lastSampleId).bind(2, lastSampleId);
    samples.run();
    m_lastProblemId = lastProblemId;
    m_lastSampleId = lastSampleId;
}

void Workspace::BulkLoad::finish()
{
    if (m_done)
        return;
    m_done = true;
    Impl& impl = *m_workspace->m_impl;
    Statement& exists = impl.stmt("SELECT count(*) FROM sqlite_master WHERE type = 'trigger' AND name = ?");
    exists.bind(1, kBulkTriggers[0]);
    exists.step();
    const bool present = exists.int64At(0) > 0;
    exists.reset();
    if (!present) {  // else the transaction was rolled back: nothing to index, triggers and indexes are back
        indexNewRows();
        // Sorted builds, with the bulk-load cache still in place.
        for (const std::string& sql : m_indexSql)
            runStoredSchemaSql(impl.db, sql, {"CREATE INDEX", "CREATE UNIQUE INDEX"});
        for (const std::string& sql : m_triggerSql)
            runStoredSchemaSql(impl.db, sql, {"CREATE TRIGGER"});
    }
    exec(impl.db, "PRAGMA cache_size = -" + std::to_string(impl.cacheKiB));
}

// ---- problems

namespace {

const char* const kProblemColumns =
    "id, source, external_id, domain, question, reference_answer, reference_solution, difficulty, tags_json";

Problem readProblem(const Statement& st)
{
    Problem p;
    p.id = st.int64At(0);
    p.source = st.textAt(1);
    p.externalId = st.textAt(2);
    p.domain = st.textAt(3);
    p.question = st.textAt(4);
    p.referenceAnswer = st.textAt(5);
    p.referenceSolution = st.textAt(6);
    p.difficulty = st.optionalDoubleAt(7);
    const auto tags = nlohmann::json::parse(st.textViewAt(8), nullptr, false);
    if (tags.is_array())
        for (const auto& t : tags)
            if (t.is_string())
                p.tags.push_back(t.get<std::string>());
    return p;
}

}  // namespace

std::int64_t Workspace::insertProblem(Problem& problem)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt(
        "INSERT INTO problems(source, external_id, domain, question, question_hash, reference_answer, "
        "reference_solution, difficulty, tags_json) VALUES (?,?,?,?,?,?,?,?,?)");
    st.bind(1, problem.source).bind(2, problem.externalId).bind(3, problem.domain).bind(4, problem.question);
    st.bind(5, hashText(problem.question)).bind(6, problem.referenceAnswer).bind(7, problem.referenceSolution);
    st.bind(8, problem.difficulty).bind(9, nlohmann::json(problem.tags).dump());
    st.run();
    problem.id = sqlite3_last_insert_rowid(m_impl->db);
    return problem.id;
}

std::optional<std::int64_t> Workspace::findProblem(const std::string& source, const std::string& question) const
{
    Statement& st = m_impl->stmt(
        "SELECT id, question FROM problems WHERE source = ? AND question_hash = ? ORDER BY id");
    st.bind(1, source).bind(2, hashText(question));
    while (st.step())
        if (st.textViewAt(1) == question) {
            const std::int64_t id = st.int64At(0);
            st.reset();
            return id;
        }
    return std::nullopt;
}

std::optional<Problem> Workspace::problem(std::int64_t id) const
{
    Statement& st = m_impl->stmt(std::string("SELECT ") + kProblemColumns + " FROM problems WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    Problem p = readProblem(st);
    st.reset();
    return p;
}

std::int64_t Workspace::countProblems(const std::string& source) const
{
    Statement& st = m_impl->stmt(source.empty() ? "SELECT count(*) FROM problems"
                                                : "SELECT count(*) FROM problems WHERE source = ?");
    if (!source.empty())
        st.bind(1, source);
    st.step();
    const std::int64_t n = st.int64At(0);
    st.reset();
    return n;
}

std::vector<Problem> Workspace::listProblems(const std::string& source, std::int64_t offset,
                                             std::int64_t limit) const
{
    const std::string where = source.empty() ? "" : " WHERE source = ?";
    Statement& st = m_impl->stmt(std::string("SELECT ") + kProblemColumns + " FROM problems" + where
                                 + " ORDER BY id LIMIT ? OFFSET ?");
    int i = 1;
    if (!source.empty())
        st.bind(i++, source);
    st.bind(i, limit).bind(i + 1, offset);
    std::vector<Problem> out;
    while (st.step())
        out.push_back(readProblem(st));
    return out;
}

std::vector<SourceCount> Workspace::sources() const
{
    // From the count tables the schema's triggers keep exact: milliseconds at any size.
    Statement& st = m_impl->stmt(
        "SELECT p.source, p.problems, (SELECT coalesce(sum(s.samples), 0) FROM sample_stats s "
        "WHERE s.source = p.source) FROM source_stats p WHERE p.problems > 0 ORDER BY p.source");
    std::vector<SourceCount> out;
    while (st.step())
        out.push_back({st.textAt(0), st.int64At(1), st.int64At(2)});
    return out;
}

// ---- runs, metrics, eval results

namespace {

std::string hostName()
{
    char name[256] = {};
    ::gethostname(name, sizeof name - 1);
    return name;
}

// Clock ticks since boot at which process `pid` started (field 22 of /proc/<pid>/stat); -1 when the
// process does not exist.
long long processStart(long long pid)
{
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string text;
    if (!std::getline(in, text))
        return -1;
    const auto close = text.rfind(')');  // the command name may hold spaces and parentheses
    if (close == std::string::npos)
        return -1;
    std::istringstream fields(text.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && fields >> field; ++i)
        if (i == 22)
            return std::atoll(field.c_str());
    return -1;
}

// Whether the process an owner names is gone: only a process on this host can be checked.
bool ownerGone(const std::string& owner)
{
    const auto o = nlohmann::json::parse(owner, nullptr, false);
    if (!o.is_object() || o.value("host", "") != hostName())
        return false;
    const long long start = processStart(o.value("pid", -1LL));
    return start < 0 || start != o.value("start", -2LL);
}

Run readRun(const Statement& st)
{
    Run r;
    r.id = st.int64At(0);
    r.kind = parseRunKind(st.textViewAt(1));
    r.name = st.textAt(2);
    r.config = st.textAt(3);
    r.status = st.textAt(4);
    r.folder = st.textAt(5);
    r.createdAt = st.int64At(6);
    r.owner = st.textAt(7);
    r.parentId = st.int64At(8);
    r.stage = st.textAt(9);
    r.summary = st.textAt(10);
    if (r.status == "running" && ownerGone(r.owner))
        r.status = "crashed";
    return r;
}

const char* const kRunColumns =
    "id, kind, name, config, status, folder, created_at, owner, coalesce(parent_id, 0), stage, summary";

}  // namespace

std::int64_t Workspace::createRun(Run& run)
{
    m_impl->requireWritable();
    if (run.createdAt == 0)
        run.createdAt = nowMs();
    if (run.status.empty())
        run.status = "pending";
    Statement& st = m_impl->stmt(
        "INSERT INTO runs(kind, name, config, status, folder, created_at, parent_id, stage, summary)"
        " VALUES (?,?,?,?,?,?,nullif(?, 0),?,?)");
    st.bind(1, runKindName(run.kind)).bind(2, run.name).bind(3, run.config).bind(4, run.status);
    st.bind(5, run.folder).bind(6, run.createdAt).bind(7, run.parentId).bind(8, run.stage).bind(9, run.summary);
    st.run();
    run.id = sqlite3_last_insert_rowid(m_impl->db);
    return run.id;
}

void Workspace::setRunStatus(std::int64_t runId, const std::string& status)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("UPDATE runs SET status = ? WHERE id = ?");
    st.bind(1, status).bind(2, runId);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no run " + std::to_string(runId));
}

void Workspace::setRunSummary(std::int64_t runId, const std::string& summary)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("UPDATE runs SET summary = ? WHERE id = ?");
    st.bind(1, summary).bind(2, runId);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no run " + std::to_string(runId));
}

void Workspace::setRunFolder(std::int64_t runId, const std::string& folder)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("UPDATE runs SET folder = ? WHERE id = ?");
    st.bind(1, folder).bind(2, runId);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no run " + std::to_string(runId));
}

void Workspace::claimRun(std::int64_t runId)
{
    m_impl->requireWritable();
    const long long pid = ::getpid();
    const nlohmann::json owner = {{"host", hostName()}, {"pid", pid}, {"start", processStart(pid)}};
    Statement& st = m_impl->stmt("UPDATE runs SET owner = ? WHERE id = ?");
    st.bind(1, owner.dump()).bind(2, runId);
    st.run();
    if (sqlite3_changes(m_impl->db) == 0)
        throw Error(ErrorCode::NotFound, "no run " + std::to_string(runId));
}

void Workspace::setBusyTimeout(int milliseconds)
{
    sqlite3_busy_timeout(m_impl->db, milliseconds);
}

std::optional<Run> Workspace::run(std::int64_t id) const
{
    Statement& st = m_impl->stmt(std::string("SELECT ") + kRunColumns + " FROM runs WHERE id = ?");
    st.bind(1, id);
    if (!st.step())
        return std::nullopt;
    Run r = readRun(st);
    st.reset();
    return r;
}

std::vector<Run> Workspace::runs() const
{
    Statement& st = m_impl->stmt(std::string("SELECT ") + kRunColumns + " FROM runs ORDER BY id");
    std::vector<Run> out;
    while (st.step())
        out.push_back(readRun(st));
    return out;
}

std::vector<Run> Workspace::childRuns(std::int64_t parentId) const
{
    Statement& st = m_impl->stmt(std::string("SELECT ") + kRunColumns + " FROM runs WHERE parent_id = ? ORDER BY id");
    st.bind(1, parentId);
    std::vector<Run> out;
    while (st.step())
        out.push_back(readRun(st));
    return out;
}

void Workspace::addMetric(const Metric& metric)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("INSERT INTO metrics(run_id, step, name, value, time) VALUES (?,?,?,?,?)");
    st.bind(1, metric.runId).bind(2, metric.step).bind(3, metric.name).bind(4, metric.value);
    st.bind(5, metric.time ? metric.time : nowMs());
    st.run();
}

void Workspace::addMetrics(const std::vector<Metric>& metrics)
{
    Transaction tx(*this);
    for (const Metric& m : metrics)
        addMetric(m);
    tx.commit();
}

void Workspace::deleteMetricsAfter(std::int64_t runId, std::int64_t step, const std::string& keptAtStep)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt("DELETE FROM metrics WHERE run_id = ?1 AND (step > ?2 OR (step = ?2 AND "
                                 "substr(name, 1, length(?3)) <> ?3))");
    st.bind(1, runId).bind(2, step).bind(3, keptAtStep);
    st.run();
}

std::vector<Metric> Workspace::metrics(std::int64_t runId, const std::string& name, std::int64_t afterStep) const
{
    Statement& st = m_impl->stmt(
        name.empty() ? "SELECT run_id, step, name, value, time FROM metrics WHERE run_id = ? AND step > ? "
                       "ORDER BY step, rowid"
                     : "SELECT run_id, step, name, value, time FROM metrics WHERE run_id = ? AND step > ? "
                       "AND name = ? ORDER BY step, rowid");
    st.bind(1, runId).bind(2, afterStep);
    if (!name.empty())
        st.bind(3, name);
    std::vector<Metric> out;
    while (st.step())
        out.push_back({st.int64At(0), st.int64At(1), st.textAt(2), st.doubleAt(3), st.int64At(4)});
    return out;
}

std::int64_t Workspace::addEvalResult(EvalResult& result)
{
    m_impl->requireWritable();
    Statement& st = m_impl->stmt(
        "INSERT INTO eval_results(run_id, checkpoint, benchmark, problem_id, sample_index, extracted_answer, "
        "correct, response_tokens) VALUES (?,?,?,?,?,?,?,?)");
    st.bind(1, result.runId).bind(2, result.checkpoint).bind(3, result.benchmark).bind(4, result.problemId);
    st.bind(5, result.sampleIndex).bind(6, result.extractedAnswer).bind(7, std::int64_t(result.correct));
    st.bind(8, result.responseTokens);
    st.run();
    result.id = sqlite3_last_insert_rowid(m_impl->db);
    return result.id;
}

std::vector<EvalResult> Workspace::evalResults(std::int64_t runId, const std::string& checkpoint) const
{
    const std::string cols = "SELECT id, run_id, checkpoint, benchmark, problem_id, sample_index, "
                             "extracted_answer, correct, response_tokens FROM eval_results WHERE run_id = ?";
    Statement& st = m_impl->stmt(checkpoint.empty() ? cols + " ORDER BY id"
                                                    : cols + " AND checkpoint = ? ORDER BY id");
    st.bind(1, runId);
    if (!checkpoint.empty())
        st.bind(2, checkpoint);
    std::vector<EvalResult> out;
    while (st.step()) {
        EvalResult r;
        r.id = st.int64At(0);
        r.runId = st.int64At(1);
        r.checkpoint = st.textAt(2);
        r.benchmark = st.textAt(3);
        r.problemId = st.int64At(4);
        r.sampleIndex = st.int64At(5);
        r.extractedAnswer = st.textAt(6);
        r.correct = st.int64At(7) != 0;
        r.responseTokens = st.int64At(8);
        out.push_back(std::move(r));
    }
    return out;
}

// ---- overview

Summary Workspace::summary() const
{
    Summary s;
    s.problems = queryInt(*m_impl, "SELECT coalesce(sum(problems), 0) FROM source_stats");
    s.samples = queryInt(*m_impl, "SELECT coalesce(sum(samples), 0) FROM sample_stats");
    s.datasets = queryInt(*m_impl, "SELECT count(*) FROM datasets");
    s.runs = queryInt(*m_impl, "SELECT count(*) FROM runs");
    s.sources = sources();
    auto grouped = [&](const char* column) {
        std::vector<std::pair<std::string, std::int64_t>> out;
        Statement& st = m_impl->stmt(std::string("SELECT ") + column + ", sum(samples) FROM sample_stats GROUP BY "
                                     + column + " HAVING sum(samples) > 0 ORDER BY " + column);
        while (st.step())
            out.emplace_back(st.textAt(0), st.int64At(1));
        return out;
    };
    s.byStatus = grouped("status");
    s.byVerdict = grouped("verdict");
    s.byOrigin = grouped("origin");
    return s;
}

nlohmann::json toJson(const Summary& summary)
{
    nlohmann::json sources = nlohmann::json::object();
    for (const SourceCount& c : summary.sources)
        sources[c.source] = {{"problems", c.problems}, {"samples", c.samples}};
    auto counts = [](const std::vector<std::pair<std::string, std::int64_t>>& pairs) {
        nlohmann::json j = nlohmann::json::object();
        for (const auto& [name, n] : pairs)
            j[name] = n;
        return j;
    };
    return {{"problems", summary.problems}, {"samples", summary.samples}, {"datasets", summary.datasets},
            {"runs", summary.runs},         {"sources", sources},          {"status", counts(summary.byStatus)},
            {"verdict", counts(summary.byVerdict)}, {"origin", counts(summary.byOrigin)}};
}

}  // namespace distill::store
