// Rejection sampling over teacher samples (R1 recipe): per problem keep the k best samples that are
// correct and pass every filter, and record why every other sample was rejected. Pure logic over
// in-memory candidates; the CLI feeds it from the workspace.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::text {

enum class KeepStrategy {
    ShortestCorrect,  // the k shortest passing samples (by thinking length)
    RandomCorrect,    // k passing samples drawn at random (reproducible from the seed)
};
std::string_view keepStrategyName(KeepStrategy strategy);  // "shortest_correct", "random_correct"
KeepStrategy parseKeepStrategy(std::string_view text);     // InvalidArgument on unknown names

struct RejectionConfig {
    std::size_t keepPerProblem = 1;  // k; 0 keeps every passing sample
    KeepStrategy strategy = KeepStrategy::ShortestCorrect;
    std::uint64_t seed = 0;
};

struct SampleCandidate {
    std::int64_t id = 0;
    std::int64_t problemId = 0;
    bool correct = false;
    std::vector<std::string> filterReasons;  // failed readability filters (rejectReasons())
    bool duplicate = false;     // a near or exact duplicate of an earlier sample
    bool contaminated = false;  // its problem overlaps a benchmark
    std::size_t length = 0;     // thinking length (tokens or characters) for ShortestCorrect
};

// Reject reasons, in order of precedence when several apply. A sample the readability filters
// reject has the names of every filter it fails as reason, comma-separated ("language_mix,loop",
// as rejectReasons() lists them); generation and the curation page write the same vocabulary.
namespace reject {
inline constexpr std::string_view kContaminated = "contaminated";
inline constexpr std::string_view kIncorrect = "incorrect";
inline constexpr std::string_view kDuplicate = "duplicate";
inline constexpr std::string_view kExcess = "excess";  // passed, but beyond the k kept

// "a,b,c" of the reasons.
std::string joined(const std::vector<std::string>& reasons);
// True when `reason` is non-empty and every comma-separated part names a readability filter.
bool onlyFilters(std::string_view reason);
}  // namespace reject

struct SampleDecision {
    std::int64_t id = 0;
    std::int64_t problemId = 0;
    bool kept = false;
    std::string rejectReason;  // empty when kept
};

// One decision per candidate, in the candidates' order.
std::vector<SampleDecision> applyRejectionSampling(const std::vector<SampleCandidate>& candidates,
                                                   const RejectionConfig& config);

}  // namespace distill::text
