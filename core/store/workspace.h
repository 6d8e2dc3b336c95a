// Workspace: one SQLite file holding problems, samples, edits, datasets, runs, metrics and eval
// results. WAL journal, foreign keys, busy timeout: one writer process and many readers at once.
#pragma once

#include "core/store/records.h"
#include "core/store/sample_query.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

struct sqlite3;

namespace distill::store {

enum class OpenMode { ReadWrite, ReadOnly };

// How a connection is opened. The defaults suit the one read-write connection of a process; a
// background reader (a worker thread listing sources, a freeze preview, `info`) should use
// reader(): read-only, 8 MiB page cache, no memory map. Every connection has its own cache and
// map, and on a 1M-sample file a full-size map counts toward the process's resident memory as
// soon as pages are touched. OpenMode::ReadOnly opens with reader().
struct OpenOptions {
    bool readOnly = false;
    std::int64_t cacheKiB = 65536;        // SQLite page cache of this connection (64 MiB)
    std::int64_t mmapBytes = 268435456;   // memory-mapped I/O window (256 MiB); 0 = read() calls

    static OpenOptions reader();
    // The read-write connection of an interactive browser (the desktop app): a 16 MiB page cache
    // and no memory map, so that browsing a large workspace reads through the system's file
    // cache instead of growing the process's resident memory.
    static OpenOptions browser();
};

struct CreateOptions {
    bool loadBenchmarks = true;   // import the bundled benchmark problem sets
    std::string benchmarksDir;    // empty = bundledBenchmarksDir()
};

// The workspace file at `path` and the ones SQLite keeps beside it: its WAL, shared-memory and
// rollback-journal files. To delete a closed workspace, remove all of them.
std::vector<std::string> workspaceFiles(const std::string& path);

// Schema version this build writes. Older files are migrated forward on open (read-write).
int currentSchemaVersion();

// The bundled resources folder (benchmarks/, toy/): $DISTILLERY_RESOURCES when set, else
// <exe>/../../resources (build tree), else <exe>/../share/distillery/resources. Empty when none exists.
std::string bundledResourcesDir();
// Its benchmarks/ folder with the bundled benchmark JSONL files; empty when none exists.
std::string bundledBenchmarksDir();

// {"problems", "samples", "datasets", "runs", "sources": {name: {"problems", "samples"}},
//  "status": {...}, "verdict": {...}, "origin": {...}}
nlohmann::json toJson(const Summary& summary);

class Workspace {
public:
    // Create a new workspace file (error if it exists), create the schema, load benchmarks.
    static Workspace create(const std::string& path, const CreateOptions& options = {});
    // Open an existing workspace (NotFound if missing); migrates older schemas when read-write;
    // a file from a newer build is an Unsupported error.
    static Workspace open(const std::string& path, OpenMode mode = OpenMode::ReadWrite);
    static Workspace open(const std::string& path, const OpenOptions& options);
    // open() when the file exists, create() otherwise.
    static Workspace openOrCreate(const std::string& path, const CreateOptions& options = {});

    Workspace(Workspace&&) noexcept;
    Workspace& operator=(Workspace&&) noexcept;
    ~Workspace();

    void close();
    bool isOpen() const;
    const std::string& path() const;
    int schemaVersion() const;
    bool readOnly() const;

    // RAII transaction (a SAVEPOINT, so they nest). Rolls back unless commit() was called.
    class Transaction {
    public:
        explicit Transaction(Workspace& workspace);
        ~Transaction();
        Transaction(const Transaction&) = delete;
        Transaction& operator=(const Transaction&) = delete;
        void commit();
        void rollback();

    private:
        Workspace* m_workspace;
        std::string m_name;
        bool m_done = false;
    };

    // Inside a Transaction, for bulk imports: problems and samples inserted while this object
    // lives reach the full-text index and the count tables in bulk, through indexNewRows() and
    // finish() (or the destructor), instead of row by row through their insert triggers, which
    // are dropped meanwhile: the full-text trigger flushes a tiny index segment per row, and a
    // statement that fires a trigger keeps a statement journal, a copy of every page it touches.
    // Only inserts of problems and samples may happen while it lives. It also enlarges the page
    // cache meanwhile. When `expectedSamples` is at least the number of samples already stored,
    // the browser indexes on `samples` are dropped too and rebuilt by finish(): one sorted build
    // is cheaper than a random B-tree insert per row and index.
    class BulkLoad {
    public:
        explicit BulkLoad(Workspace& workspace, std::int64_t expectedSamples = 0);
        ~BulkLoad();
        BulkLoad(const BulkLoad&) = delete;
        BulkLoad& operator=(const BulkLoad&) = delete;
        // Adds the rows inserted since the last call to the full-text index (one segment) and
        // the count tables. Calling it every few thousand samples reads them back while they are
        // still in the page cache, and lets a producer thread run meanwhile.
        void indexNewRows();
        // indexNewRows(), the browser indexes rebuilt, the triggers back.
        void finish();

    private:
        Workspace* m_workspace;
        std::int64_t m_lastProblemId = 0;  // rows up to these ids are indexed and counted
        std::int64_t m_lastSampleId = 0;
        std::vector<std::string> m_triggerSql;  // dropped insert triggers, re-created by finish()
        std::vector<std::string> m_indexSql;    // dropped browser indexes, re-created by finish()
        bool m_done = false;
    };

    // ---- problems
    // Inserts and returns the id (also stored in problem.id).
    std::int64_t insertProblem(Problem& problem);
    // The id of the problem with this source and exact question text, if any.
    std::optional<std::int64_t> findProblem(const std::string& source, const std::string& question) const;
    std::optional<Problem> problem(std::int64_t id) const;
    std::int64_t countProblems(const std::string& source = {}) const;
    // Ordered by id. Empty source = all sources.
    std::vector<Problem> listProblems(const std::string& source, std::int64_t offset, std::int64_t limit) const;
    // Problems and samples per source, from count tables the schema's triggers keep exact
    // (milliseconds on 1M samples).
    std::vector<SourceCount> sources() const;

    // ---- samples
    // Returns the new id; 0 (and nothing written) when a sample of the same unit key exists.
    std::int64_t insertSample(Sample& sample);
    std::optional<Sample> sample(std::int64_t id) const;
    std::int64_t countSamples(const SampleQuery& query) const;
    std::vector<SampleRow> listSamples(const SampleQuery& query, std::int64_t offset, std::int64_t limit) const;
    // The non-empty reject reasons with their sample counts, most frequent first (one walk of the
    // reject-reason index: a few hundred ms on 1M samples, so callers run it off the UI thread).
    std::vector<std::pair<std::string, std::int64_t>> rejectReasons() const;
    // Ids of all samples matching the query, in the query's order.
    std::vector<std::int64_t> sampleIds(const SampleQuery& query) const;

    // Edit a text field; records an EditRecord in the same transaction. No-op when unchanged.
    void updateSampleText(std::int64_t id, SampleField field, const std::string& value);
    // Reverts the most recent edit of the sample and removes it from the history.
    // Returns false when there is nothing to undo.
    bool undoLastEdit(std::int64_t sampleId);
    // Oldest first.
    std::vector<EditRecord> editHistory(std::int64_t sampleId) const;

    void setStatus(const std::vector<std::int64_t>& ids, SampleStatus status);
    void setVerdict(const std::vector<std::int64_t>& ids, Verdict verdict);
    void setVerdict(std::int64_t id, Verdict verdict, const std::string& rejectReason);
    void setFlags(std::int64_t id, const std::string& flagsJson);
    void setTokenCounts(std::int64_t id, std::int64_t thinkingTokens, std::int64_t answerTokens);

    // ---- datasets
    // Freezes the samples matching `recipe` (in the recipe's sort order) under a new name.
    Dataset freezeDataset(const std::string& name, const SampleQuery& recipe);
    std::vector<Dataset> datasets() const;  // without sampleIds filled, newest last
    std::optional<Dataset> dataset(const std::string& name) const;  // with sampleIds
    std::vector<Sample> datasetSamples(const std::string& name) const;
    // Streams the dataset's samples in order with bounded memory; return false to stop.
    void forEachDatasetSample(const std::string& name, const std::function<bool(const Sample&)>& fn) const;
    // XXH3-64 (hex) over the given samples' contents, in the given order.
    std::string contentHash(const std::vector<std::int64_t>& sampleIds) const;

    // ---- runs, metrics, evaluation results
    std::int64_t createRun(Run& run);
    void setRunStatus(std::int64_t runId, const std::string& status);
    // Records the summary a run ended with (JSON text); NotFound for an unknown run.
    void setRunSummary(std::int64_t runId, const std::string& summary);
    // Records where the run's job keeps its files (checkpoints, caches); NotFound for an unknown run.
    void setRunFolder(std::int64_t runId, const std::string& folder);
    // Records this process as the one running the run (status "running" reads back as "crashed" once
    // that process is gone from this host); NotFound for an unknown run.
    void claimRun(std::int64_t runId);
    // Waits up to this long for another writer's lock before a write fails as busy (default 15 s;
    // jobs wait longer than the desktop app).
    void setBusyTimeout(int milliseconds);
    std::optional<Run> run(std::int64_t id) const;
    std::vector<Run> runs() const;  // oldest first
    std::vector<Run> childRuns(std::int64_t parentId) const;  // a pipeline's stage runs, oldest first
    void addMetric(const Metric& metric);
    void addMetrics(const std::vector<Metric>& metrics);  // one transaction
    // Drops a run's metrics after `step`, and those at `step` whose name does not start with
    // `keptAtStep` (a resumed run records them again).
    void deleteMetricsAfter(std::int64_t runId, std::int64_t step, const std::string& keptAtStep = {});
    // Metrics of a run, by step; empty name = all names; only steps > afterStep.
    std::vector<Metric> metrics(std::int64_t runId, const std::string& name = {},
                                std::int64_t afterStep = -1) const;
    std::int64_t addEvalResult(EvalResult& result);
    // Results of a run; empty checkpoint = all checkpoints.
    std::vector<EvalResult> evalResults(std::int64_t runId, const std::string& checkpoint = {}) const;

    // ---- overview
    // Totals and per-status/verdict/origin counts from the same count tables: milliseconds.
    Summary summary() const;

    // Low-level handle for the store's own helpers (importers, benches). Not for widgets.
    sqlite3* handle() const;

    struct Impl;

private:
    explicit Workspace(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace distill::store
