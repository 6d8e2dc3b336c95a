// bench_store: generates a synthetic JSONL of chain-of-thought records (1-3 KB each), imports it
// into a fresh workspace and prints MB/s, and the rate of the full-text index alone on the same
// text; then times opening the workspace and paged browser queries (filters, full-text search,
// sorts) on it.
// Usage: bench_store [--samples N (default 1000000)] [--dir DIR (default /tmp)] [--keep]
//                    [--imports K: import K times, print the median (default 1)]
//                    [--queries-only: time the queries on the workspace a --keep run left]
#include "core/formats/importer.h"
#include "core/store/statement.h"
#include "core/store/workspace.h"
#include "core/util/error.h"
#include "core/util/median.h"

#include <nlohmann/json.hpp>
#include <sys/mman.h>
#include <sys/resource.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <vector>

using namespace distill;
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t0)
{
    return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

// CPU seconds (user + system) this process has used: on a shared machine the wall time also
// counts waiting for a core, the CPU time does not.
double cpuSeconds()
{
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return double(u.ru_utime.tv_sec + u.ru_stime.tv_sec) + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

// Words with a Zipf-like spread so that some are common and some rare, as in real traces.
class TextGen {
public:
    explicit TextGen(std::uint32_t seed) : m_rng(seed)
    {
        const char* base[] = {"the", "we", "so", "is", "let", "me", "check", "wait", "then", "equation", "sum",
                              "prime", "factor", "triangle", "angle", "modulo", "integer", "solve", "because",
                              "therefore", "maybe", "compute", "value", "square", "root", "divide", "multiply",
                              "answer", "hmm", "case", "consider", "probability", "expected", "sequence"};
        for (const char* w : base)
            m_words.emplace_back(w);
        for (int i = 0; i < 5000; ++i)
            m_words.push_back("term" + std::to_string(i));
    }
    std::string words(std::size_t bytes)
    {
        std::string out;
        out.reserve(bytes + 16);
        std::geometric_distribution<std::size_t> pick(0.03);
        while (out.size() < bytes) {
            if (!out.empty())
                out += (m_rng() % 12 == 0) ? ".\n" : " ";
            out += m_words[std::min(pick(m_rng), m_words.size() - 1)];
            if (m_rng() % 20 == 0)
                out += " " + std::to_string(m_rng() % 1000);
        }
        return out;
    }
    std::mt19937& rng() { return m_rng; }

private:
    std::mt19937 m_rng;
    std::vector<std::string> m_words;
};

std::uint64_t writeJsonl(const std::string& path, std::size_t samples)
{
    TextGen gen(42);
    std::ofstream out(path, std::ios::binary);
    const std::size_t problems = std::max<std::size_t>(1, samples / 4);
    std::vector<std::string> questions;
    questions.reserve(problems);
    for (std::size_t i = 0; i < problems; ++i)
        questions.push_back("Problem " + std::to_string(i) + ": " + gen.words(150 + gen.rng()() % 200));
    for (std::size_t i = 0; i < samples; ++i) {
        const std::size_t thinking = 800 + gen.rng()() % 2000;  // record sizes 1-3 KB
        const nlohmann::json rec = {
            {"messages",
             {{{"role", "user"}, {"content", questions[gen.rng()() % problems]}},
              {{"role", "assistant"},
               {"content", "<think>\n" + gen.words(thinking) + "\n</think>\n\nThe answer is "
                               + std::to_string(gen.rng()() % 1000) + "."}}}}};
        out << rec.dump() << '\n';
    }
    out.close();
    return fs::file_size(path);
}

struct Case {
    const char* name;
    store::SampleQuery query;
    std::int64_t offset;
};

// Removes an SQLite database with the files SQLite keeps beside it.
void removeDatabase(const std::string& path)
{
    for (const std::string& file : store::workspaceFiles(path))
        fs::remove(file);
}

// The part of the import no second core can take: FTS5 indexes question, thinking and answer on
// the writing connection. Indexing the imported text again, alone, into a scratch database with
// the workspace's settings (16 KiB pages, WAL, 16 MiB hash) gives its rate on one core; the
// import's writing thread does this plus the rows, the browser indexes and the commit. Returns the
// wall seconds.
double timeFullTextAlone(store::Workspace& ws, const std::string& dir, std::uint64_t jsonlBytes)
{
    const std::string scratch = dir + "/bench_store_fts.sqlite";
    removeDatabase(scratch);
    auto t0 = Clock::now();
    store::exec(ws.handle(), "SELECT sum(length(question) + length(thinking) + length(answer)) FROM sample_text");
    const double readS = msSince(t0) / 1000;
    store::exec(ws.handle(), "ATTACH '" + scratch + "' AS scratch");
    store::exec(ws.handle(), "PRAGMA scratch.page_size = 16384; PRAGMA scratch.journal_mode = WAL;"
                             "CREATE VIRTUAL TABLE scratch.fts USING fts5(question, thinking, answer, content='');"
                             "INSERT INTO scratch.fts(fts, rank) VALUES ('hashsize', 16777216)");
    t0 = Clock::now();
    const double cpu0 = cpuSeconds();
    store::exec(ws.handle(), "BEGIN; INSERT INTO scratch.fts(rowid, question, thinking, answer) "
                             "SELECT id, question, thinking, answer FROM sample_text ORDER BY id; COMMIT");
    const double s = msSince(t0) / 1000 - readS;
    const double cpu = cpuSeconds() - cpu0 - readS;
    store::exec(ws.handle(), "DETACH scratch");
    removeDatabase(scratch);
    std::printf("full-text index alone (FTS5, one connection): wall %.2f s = %.1f MB/s of the JSONL; "
                "CPU %.2f s = %.1f MB/s\n        (reading the text back, %.2f s, subtracted)\n",
                s, jsonlBytes / 1e6 / s, cpu, jsonlBytes / 1e6 / cpu, readS);
    return s;
}

// Microseconds to fault in one fresh 4 KiB page of anonymous memory, over 256 MiB: the import's page
// cache grows to ~1 GB of such memory, which the full-text-alone run (a small cache) never touches.
double freshPageMicros()
{
    constexpr std::size_t kBytes = std::size_t(256) << 20;
    constexpr std::size_t kPage = 4096;
    void* p = mmap(nullptr, kBytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (p == MAP_FAILED)
        return 0;
    volatile char* bytes = static_cast<char*>(p);
    const auto t0 = Clock::now();
    for (std::size_t i = 0; i < kBytes; i += kPage)
        bytes[i] = 1;
    const double us = msSince(t0) * 1000 / (kBytes / kPage);
    munmap(p, kBytes);
    return us;
}

// Imports the JSONL into a new workspace, then times the full-text index alone on its text.
// Returns {import seconds, full-text seconds}, both wall.
std::pair<double, double> importOnce(const std::string& jsonl, const std::string& wsPath, std::uint64_t bytes)
{
    removeDatabase(wsPath);
    store::CreateOptions options;
    options.loadBenchmarks = false;
    auto ws = store::Workspace::create(wsPath, options);
    formats::ImportOptions io;
    io.source = "synthetic";
    const auto t0 = Clock::now();
    const double cpu0 = cpuSeconds();
    const auto report = formats::importFile(ws, jsonl, io);
    const double s = msSince(t0) / 1000;
    const double cpu = cpuSeconds() - cpu0;
    std::printf("import: %llu records, %llu problems, %llu samples, %zu errors\n"
                "        wall %.2f s = %.1f MB/s; CPU %.2f s = %.1f MB/s per core\n",
                static_cast<unsigned long long>(report.imported), static_cast<unsigned long long>(report.problems),
                static_cast<unsigned long long>(report.samples), report.errors.size(), s, bytes / 1e6 / s, cpu,
                bytes / 1e6 / cpu);
    const double ftsS = timeFullTextAlone(ws, fs::path(wsPath).parent_path().string(), bytes);
    std::printf("import / full-text floor: %.2f (import throughput over the full-text index's alone, wall)\n",
                ftsS / s);
    return {s, ftsS};
}

// Generates the JSONL, imports it `imports` times into a new workspace and spreads
// verdicts/statuses/flags over the last one. The first import grows the process's memory (SQLite's
// page cache reaches ~1 GB at 200,000 records, a page fault per fresh 4 KiB), as a command-line
// import does; later ones reuse memory the process already holds, as a second import in the
// desktop app does. On a machine whose speed drifts, the median of several is steadier.
void buildWorkspace(const std::string& jsonl, const std::string& wsPath, std::size_t samples, int imports)
{
    auto t0 = Clock::now();
    const std::uint64_t bytes = writeJsonl(jsonl, samples);
    std::printf("generated %zu records, %.1f MB in %.1f s\n", samples, bytes / 1e6, msSince(t0) / 1000);
    std::printf("fresh memory: %.1f us to fault in a 4 KiB page\n", freshPageMicros());

    std::vector<double> importS, ftsS, ratios;
    for (int i = 0; i < imports; ++i) {
        const auto [s, fts] = importOnce(jsonl, wsPath, bytes);
        importS.push_back(s);
        ftsS.push_back(fts);
        ratios.push_back(fts / s);
    }
    if (imports > 1) {
        const double medianS = util::median(importS);
        std::printf("median of %d imports: import %.2f s = %.1f MB/s, full-text index alone %.2f s, "
                    "import / full-text floor %.2f (first import %.2f, later %.2f-%.2f)\n",
                    imports, medianS, bytes / 1e6 / medianS, util::median(ftsS), util::median(ratios), ratios.front(),
                    *std::min_element(ratios.begin() + 1, ratios.end()),
                    *std::max_element(ratios.begin() + 1, ratios.end()));
    }

    auto ws = store::Workspace::open(wsPath);
    // Spread verdicts, statuses, reject reasons and filter scores so filters select realistic fractions.
    t0 = Clock::now();
    store::exec(ws.handle(),
                "UPDATE samples SET verdict = CASE abs(random()) % 3 WHEN 0 THEN 'correct' WHEN 1 THEN "
                "'incorrect' ELSE 'unknown' END, status = CASE abs(random()) % 4 WHEN 0 THEN 'accepted' "
                "WHEN 1 THEN 'rejected' ELSE 'candidate' END, flags_json = CASE abs(random()) % 10 WHEN 0 "
                "THEN '{\"dup\":true}' ELSE json_object('filters', json_object('language_mix', "
                "(abs(random()) % 1000) / 20000.0, 'longest_paragraph_words', abs(random()) % 900, "
                "'repeated_ngram_share', (abs(random()) % 1000) / 2000.0)) END;"
                "UPDATE samples SET reject_reason = CASE abs(random()) % 4 WHEN 0 THEN 'incorrect' WHEN 1 "
                "THEN 'language_mix' WHEN 2 THEN 'duplicate' ELSE 'excess' END WHERE status = 'rejected'");
    std::printf("(set random verdict/status/flags in %.1f s)\n", msSince(t0) / 1000);
}

}  // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // figures appear as they are measured
    std::size_t samples = 1000000;
    std::string dir = "/tmp";
    bool keep = false;
    int imports = 1;
    bool queriesOnly = false;  // reuse a workspace kept by an earlier --keep run
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        if (a == "--samples" && i + 1 < argc)
            samples = std::stoull(argv[++i]);
        else if (a == "--dir" && i + 1 < argc)
            dir = argv[++i];
        else if (a == "--imports" && i + 1 < argc)
            imports = std::max(1, std::stoi(argv[++i]));
        else if (a == "--keep")
            keep = true;
        else if (a == "--queries-only")
            queriesOnly = true;
        else {
            std::fprintf(stderr, "usage: bench_store [--samples N] [--dir DIR] [--imports K] [--keep] [--queries-only]\n");
            return 2;
        }
    }
    const std::string jsonl = dir + "/bench_store.jsonl";
    const std::string wsPath = dir + "/bench_store.sqlite";
    if (!queriesOnly) {
        try {
            fs::create_directories(dir);
            buildWorkspace(jsonl, wsPath, samples, imports);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "bench_store: %s\n", e.what());
            return 1;
        }
    }

    // Read-write first: a workspace of an older schema is migrated here (the figure includes it).
    auto t0 = Clock::now();
    { auto rw = store::Workspace::open(wsPath); }
    std::printf("open (read-write, schema check or migration): %.1f ms\n", msSince(t0));
    t0 = Clock::now();
    auto ws = store::Workspace::open(wsPath, store::OpenMode::ReadOnly);
    std::printf("open (read-only): %.1f ms\n", msSince(t0));
    t0 = Clock::now();
    const std::int64_t total = ws.countSamples({});
    std::printf("count all samples: %.1f ms (%lld samples)\n", msSince(t0), static_cast<long long>(total));
    t0 = Clock::now();
    const auto sources = ws.sources();
    std::printf("sources(): %.1f ms (%zu sources)\n", msSince(t0), sources.size());
    t0 = Clock::now();
    const auto summary = ws.summary();
    std::printf("summary(): %.1f ms (%lld problems, %lld samples)\n", msSince(t0),
                static_cast<long long>(summary.problems), static_cast<long long>(summary.samples));
    t0 = Clock::now();
    const auto reasons = ws.rejectReasons();
    std::printf("rejectReasons(): %.1f ms (%zu reasons)\n", msSince(t0), reasons.size());

    std::vector<Case> cases;
    auto add = [&](const char* name, auto setup, std::int64_t offset = 0) {
        store::SampleQuery q;
        setup(q);
        cases.push_back({name, q, offset});
    };
    using store::SampleColumn;
    add("no filter, sort id", [](auto&) {});
    add("no filter, sort thinking tokens desc, offset 500000",
        [](auto& q) { q.sortBy = SampleColumn::ThinkingTokens; q.descending = true; }, 500000);
    add("verdict=correct status=accepted, sort answer tokens",
        [](auto& q) { q.verdict = store::Verdict::Correct; q.status = store::SampleStatus::Accepted; q.sortBy = SampleColumn::AnswerTokens; });
    add("search rare 'term4321', sort thinking tokens desc",
        [](auto& q) { q.search = "term4321"; q.sortBy = SampleColumn::ThinkingTokens; q.descending = true; });
    add("search mid 'term150', sort verdict",
        [](auto& q) { q.search = "term150"; q.sortBy = SampleColumn::Verdict; });
    add("search common 'probability', sort thinking tokens desc",
        [](auto& q) { q.search = "probability"; q.sortBy = SampleColumn::ThinkingTokens; q.descending = true; });
    add("search 'triangle term77' + verdict=correct, sort id desc",
        [](auto& q) { q.search = "triangle term77"; q.verdict = store::Verdict::Correct; q.descending = true; });
    add("search common 'probability', sort flags, offset 1000",
        [](auto& q) { q.search = "probability"; q.sortBy = SampleColumn::Flags; }, 1000);
    add("min thinking tokens 600, sort problem",
        [](auto& q) { q.minThinkingTokens = 600; q.sortBy = SampleColumn::Problem; });
    add("no filter, sort repetition desc, offset 10000",
        [](auto& q) { q.sortBy = SampleColumn::Repetition; q.descending = true; }, 10000);
    add("status=rejected, sort reject reason",
        [](auto& q) { q.status = store::SampleStatus::Rejected; q.sortBy = SampleColumn::RejectReason; });
    add("reject reason 'language_mix', sort language mix desc",
        [](auto& q) { q.rejectReason = "language_mix"; q.sortBy = SampleColumn::LanguageMix; q.descending = true; });
    add("language mix >= 0.049, sort id",
        [](auto& q) { q.score = store::ScoreRange{"language_mix", 0.049, std::nullopt}; });
    add("paragraph words 100-200 + verdict=correct, sort thinking tokens",
        [](auto& q) {
            q.score = store::ScoreRange{"longest_paragraph_words", 100, 200};
            q.verdict = store::Verdict::Correct;
            q.sortBy = SampleColumn::ThinkingTokens;
        });
    add("search common 'probability', sort paragraph words",
        [](auto& q) { q.search = "probability"; q.sortBy = SampleColumn::ParagraphWords; });

    std::printf("\n%-62s %10s %10s %10s\n", "page of 100 rows", "matches", "count ms", "page ms");
    for (const Case& c : cases) {
        auto t = Clock::now();
        const std::int64_t n = ws.countSamples(c.query);
        const double countMs = msSince(t);
        t = Clock::now();
        const auto rows = ws.listSamples(c.query, c.offset, 100);
        const double pageMs = msSince(t);
        std::printf("%-62s %10lld %10.1f %10.1f\n", c.name, static_cast<long long>(n), countMs, pageMs);
        if (rows.empty() && n > c.offset)
            std::printf("  (unexpected empty page)\n");
    }
    ws.close();
    if (!keep) {
        fs::remove(jsonl);
        removeDatabase(wsPath);
    }
    return 0;
}
