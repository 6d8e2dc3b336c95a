// Benchmark decontamination (the s1 / open-r1 rule): a text is contaminated when any of its word
// 8-grams (lowercased, punctuation and spacing normalised) occurs in a benchmark problem.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace distill::text {

struct BenchmarkProblem {
    std::string benchmark;  // e.g. "aime24"
    std::string id;         // id inside the benchmark, e.g. "2024-I-1"
    std::string problem;
};

// Reads every *.jsonl file in dir (sorted by name); the benchmark is the file name without
// extension, rows need string "id" and "problem" fields. Malformed rows are a Parse error naming
// file and line: bundled benchmarks are trusted data.
std::vector<BenchmarkProblem> loadBenchmarkProblems(const std::filesystem::path& dir);

struct ContaminationHit {
    std::string benchmark;
    std::string id;
    std::size_t sharedNgrams = 0;  // distinct n-grams of the text found in this benchmark problem
};

class ContaminationIndex {
public:
    explicit ContaminationIndex(const std::vector<BenchmarkProblem>& problems, std::size_t ngram = 8);

    // True when any n-gram of text occurs in a benchmark problem (stops at the first one).
    bool contaminated(std::string_view text) const;
    // The benchmark problems text overlaps, most shared n-grams first (ties by benchmark, id).
    std::vector<ContaminationHit> hits(std::string_view text) const;

    std::size_t ngram() const { return m_ngram; }
    std::size_t problemCount() const { return m_problems.size(); }
    std::size_t distinctNgrams() const { return m_postings.size(); }

private:
    struct Entry {
        std::string benchmark;
        std::string id;
    };
    std::size_t m_ngram;
    std::vector<Entry> m_problems;
    // n-gram hash -> indices of the benchmark problems containing it
    std::unordered_map<std::uint64_t, std::vector<std::uint32_t>> m_postings;
};

}  // namespace distill::text
