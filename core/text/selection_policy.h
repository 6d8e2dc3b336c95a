// s1-style problem selection down to a target size: quality (a sample survived rejection
// sampling) -> difficulty (a reference model fails it, or the teacher's pass rate lies in a band)
// -> diversity (spread over domains, favouring longer reasoning traces).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::text {

enum class DifficultyMode {
    None,            // no difficulty filter
    ReferenceWrong,  // keep problems a reference model got wrong (s1: Qwen2.5-7B/32B failed them)
    PassRateBand,    // keep problems whose teacher pass rate lies in [minPassRate, maxPassRate]
};
enum class DiversityMode {
    RoundRobin,     // take one problem per domain in turn (domains in name order)
    UniformDomain,  // s1: draw a domain uniformly, then a problem of it favouring longer traces
};
std::string_view difficultyModeName(DifficultyMode mode);  // "none", "reference_wrong", "pass_rate_band"
DifficultyMode parseDifficultyMode(std::string_view text);
std::string_view diversityModeName(DiversityMode mode);    // "round_robin", "uniform_domain"
DiversityMode parseDiversityMode(std::string_view text);

struct SelectionConfig {
    std::size_t targetSize = 0;  // 0 = every problem that passes quality and difficulty
    DifficultyMode difficulty = DifficultyMode::PassRateBand;
    double minPassRate = 0.2;
    double maxPassRate = 0.8;
    DiversityMode diversity = DiversityMode::UniformDomain;
    std::uint64_t seed = 0;
};

struct ProblemCandidate {
    std::int64_t id = 0;
    std::string domain;               // empty = its own "" domain
    std::size_t gradedSamples = 0;    // teacher samples with a verdict
    std::size_t correctSamples = 0;
    std::optional<bool> referenceCorrect;  // did the reference model solve it; nullopt = not tried
    bool hasKeptSample = false;       // a sample survived rejection sampling
    std::size_t traceLength = 0;      // thinking length of its longest kept sample
};

// Why a problem was not selected.
namespace unselected {
inline constexpr std::string_view kQuality = "quality";        // no sample survived
inline constexpr std::string_view kDifficulty = "difficulty";  // too easy, or difficulty unknown
inline constexpr std::string_view kExcess = "excess";          // beyond the target size
}  // namespace unselected

struct ProblemDecision {
    std::int64_t id = 0;
    bool selected = false;
    std::string reason;  // empty when selected
    std::optional<double> passRate;
};

// One decision per candidate, in the candidates' order. Deterministic for a given seed.
std::vector<ProblemDecision> selectProblems(const std::vector<ProblemCandidate>& candidates,
                                            const SelectionConfig& config);

}  // namespace distill::text
