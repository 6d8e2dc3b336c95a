// Throughput of the curation text passes on synthetic R1-style samples (2-5 KB each):
// decontamination against every bundled benchmark, readability scoring, MinHash dedup.
// Usage: bench_text [--docs N] [--benchmarks DIR]. Prints its figures; asserts nothing.
#include "core/text/contamination_index.h"
#include "core/text/minhash.h"
#include "core/text/readability_filter.h"
#include "core/text/word_ngrams.h"

#include <chrono>
#include <ctime>
#include <cstdio>
#include <cstring>
#include <map>
#include <random>
#include <string>
#include <vector>

using namespace distill::text;
using Clock = std::chrono::steady_clock;

namespace {

// Wall and process CPU seconds: the machine may be shared, so both are reported.
struct Seconds {
    double wall = 0.0;
    double cpu = 0.0;
    Seconds& operator+=(const Seconds& o)
    {
        wall += o.wall, cpu += o.cpu;
        return *this;
    }
};

class Stopwatch {
public:
    Seconds elapsed() const
    {
        return {std::chrono::duration<double>(Clock::now() - m_wall).count(),
                double(std::clock() - m_cpu) / CLOCKS_PER_SEC};
    }

private:
    Clock::time_point m_wall = Clock::now();
    std::clock_t m_cpu = std::clock();
};

// Words of math reasoning text; sentences are drawn from them with inline math between.
const std::vector<std::string>& vocabulary()
{
    static const std::vector<std::string> words = [] {
        const char* base =
            "the a of to and is we that so this it in for be let me then now wait check number value sum "
            "product equation solve find compute since because therefore thus hence if when where which "
            "triangle circle angle side length area volume probability expected integer prime divisor "
            "remainder modulo factor root polynomial coefficient sequence series term ratio difference "
            "function derivative integral limit maximum minimum case cases first second third next last "
            "again answer result correct wrong mistake maybe perhaps actually alternatively consider assume "
            "suppose given condition constraint possible impossible equal greater less than at most least "
            "each every all some none both either neither total count ways choose arrange order pairs set "
            "subset element point line plane distance midpoint slope intercept vertex edge face graph tree";
        std::vector<std::string> out;
        for (const char* p = base; *p;) {
            const char* e = std::strchr(p, ' ');
            const std::size_t n = e ? std::size_t(e - p) : std::strlen(p);
            out.emplace_back(p, n);
            p += n + (e ? 1 : 0);
        }
        return out;
    }();
    return words;
}

// Thinking text of `bytes` bytes or a little more, from a seeded generator.
std::string thinkingText(std::uint64_t seed, std::size_t bytes)
{
    std::mt19937_64 rng(seed);
    const auto& vocab = vocabulary();
    std::string out;
    out.reserve(bytes + 200);
    while (out.size() < bytes) {
        const std::size_t sentenceWords = 6 + rng() % 18;
        for (std::size_t w = 0; w < sentenceWords; ++w) {
            if (w == 0 && !out.empty())
                out += ' ';
            else if (w > 0)
                out += ' ';
            out += vocab[rng() % vocab.size()];
            if (rng() % 9 == 0)
                out += " $x_" + std::to_string(rng() % 50) + " = " + std::to_string(rng() % 1000) + "$";
        }
        out += (rng() % 6 == 0) ? ".\n\n" : ".";
    }
    return out;
}

std::string response(std::uint64_t seed)
{
    const std::size_t bytes = 2000 + std::size_t(seed * 2654435761u % 3000);
    return "<think>\n" + thinkingText(seed, bytes) + "\n</think>\n\nThe answer is $\\boxed{" + std::to_string(seed % 997) + "}$.";
}

}  // namespace

int main(int argc, char** argv)
{
    std::size_t docs = 100000;
    std::string benchDir = DISTILLERY_SOURCE_DIR "/resources/benchmarks";
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--docs") == 0)
            docs = std::stoul(argv[i + 1]);
        else if (std::strcmp(argv[i], "--benchmarks") == 0)
            benchDir = argv[i + 1];
    }
    std::printf("bench_text: %zu synthetic samples (2-5 KB), one thread\n", docs);

    // ---- decontamination
    Stopwatch build;
    const auto problems = loadBenchmarkProblems(benchDir);
    const ContaminationIndex index(problems, 8);
    std::printf("benchmark index: %zu problems, %zu distinct 8-grams, built in %.3f s\n", index.problemCount(),
                index.distinctNgrams(), build.elapsed().wall);
    constexpr std::size_t kChunk = 10000;
    std::size_t planted = 0, plantedShort = 0, flagged = 0, bytes = 0;
    Seconds decont;
    std::vector<std::string> chunk;
    for (std::size_t start = 0; start < docs; start += kChunk) {
        chunk.clear();
        for (std::size_t d = start; d < std::min(docs, start + kChunk); ++d) {
            std::string r = response(d);
            if (d % 100 == 7) {  // 1% quote a benchmark problem inside their reasoning
                const std::string& quoted = problems[d % problems.size()].problem;
                r.insert(r.size() / 2, " The problem says: " + quoted + " ");
                ++planted;
                plantedShort += wordHashes(quoted).size() < index.ngram();
            }
            bytes += r.size();
            chunk.push_back(std::move(r));
        }
        Stopwatch watch;
        for (const auto& r : chunk)
            flagged += index.contaminated(r);
        decont += watch.elapsed();
    }
    std::printf("decontamination: %zu samples (%.1f MB) in %.2f s wall, %.2f s CPU = %.0f samples/s, %.1f MB/s (CPU); "
                "flagged %zu (planted %zu, of which %zu quote a problem shorter than %zu words)\n",
                docs, bytes / 1e6, decont.wall, decont.cpu, docs / decont.cpu, bytes / 1e6 / decont.cpu, flagged, planted,
                plantedShort, index.ngram());

    // ---- readability scoring
    const std::size_t scored = std::min<std::size_t>(docs, 20000);
    std::vector<std::string> samples;
    std::size_t scoredBytes = 0;
    for (std::size_t d = 0; d < scored; ++d) {
        samples.push_back(response(d));
        scoredBytes += samples.back().size();
    }
    const FilterConfig config;
    std::map<std::string, std::size_t> reasons;
    Stopwatch scoring;
    for (const auto& s : samples)
        for (const auto& reason : rejectReasons(scoreResponse(s, config), config))
            ++reasons[reason];
    const Seconds score = scoring.elapsed();
    std::printf("readability scoring: %zu samples (%.1f MB) in %.2f s wall, %.2f s CPU = %.0f samples/s, %.1f MB/s (CPU); "
                "failed filters:", scored, scoredBytes / 1e6, score.wall, score.cpu, scored / score.cpu,
                scoredBytes / 1e6 / score.cpu);
    for (const auto& [reason, count] : reasons)
        std::printf(" %s %zu", reason.c_str(), count);
    std::printf("\n");
    samples.clear();

    // ---- MinHash dedup: every 50th document is a copy of the one 25 places earlier with 2 words added
    const MinHashConfig mh;
    const MinHasher hasher(mh);
    std::vector<MinHashSignature> signatures;
    signatures.reserve(docs);
    std::size_t copies = 0;
    Seconds signing;
    for (std::size_t start = 0; start < docs; start += kChunk) {
        chunk.clear();
        for (std::size_t d = start; d < std::min(docs, start + kChunk); ++d) {
            if (d % 50 == 49) {
                std::string copy = thinkingText(d - 25, 2000 + (d - 25) % 3000);
                for (std::size_t e = 1; e <= 2; ++e)
                    copy.insert(copy.size() * e / 3, " changed ");
                chunk.push_back(std::move(copy));
                ++copies;
            } else {
                chunk.push_back(thinkingText(d, 2000 + d % 3000));
            }
        }
        Stopwatch watch;
        for (const auto& doc : chunk)
            signatures.push_back(hasher.signature(doc));
        signing += watch.elapsed();
    }
    Stopwatch banding;
    const DuplicateResult dup = findNearDuplicates(signatures, mh);
    const Seconds lsh = banding.elapsed();
    const LshShape shape = optimalLshShape(mh.threshold, mh.numPerms);
    std::printf("minhash dedup (%zu perms, %zu-grams, threshold %.2f, %zu bands x %zu rows): signatures %.2f s CPU, "
                "LSH + verify %.2f s CPU, total %.2f s CPU (%.2f s wall); %zu duplicates found (planted %zu)\n",
                mh.numPerms, mh.ngram, mh.threshold, shape.bands, shape.rows, signing.cpu, lsh.cpu,
                signing.cpu + lsh.cpu, signing.wall + lsh.wall, dup.duplicates(), copies);
    return 0;
}
