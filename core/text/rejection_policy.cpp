#include "core/text/rejection_policy.h"

#include "core/text/readability_filter.h"

#include "core/util/error.h"

#include <xxhash.h>

#include <algorithm>
#include <map>
#include <tuple>

namespace distill::text {

std::string reject::joined(const std::vector<std::string>& reasons)
{
    std::string out;
    for (const std::string& r : reasons)
        out += (out.empty() ? "" : ",") + r;
    return out;
}

bool reject::onlyFilters(std::string_view reason)
{
    if (reason.empty())
        return false;
    while (true) {
        const std::size_t comma = reason.find(',');
        if (!isFilterName(reason.substr(0, comma)))
            return false;
        if (comma == std::string_view::npos)
            return true;
        reason.remove_prefix(comma + 1);
    }
}

std::string_view keepStrategyName(KeepStrategy strategy)
{
    switch (strategy) {
    case KeepStrategy::ShortestCorrect:
        return "shortest_correct";
    case KeepStrategy::RandomCorrect:
        return "random_correct";
    }
    return "shortest_correct";
}

KeepStrategy parseKeepStrategy(std::string_view text)
{
    for (const auto s : {KeepStrategy::ShortestCorrect, KeepStrategy::RandomCorrect})
        if (keepStrategyName(s) == text)
            return s;
    throw Error(ErrorCode::InvalidArgument, "unknown keep strategy '" + std::string(text) + "'",
                "use shortest_correct or random_correct");
}

std::vector<SampleDecision> applyRejectionSampling(const std::vector<SampleCandidate>& candidates,
                                                   const RejectionConfig& config)
{
    std::vector<SampleDecision> out(candidates.size());
    std::map<std::int64_t, std::vector<std::size_t>> passingByProblem;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const SampleCandidate& c = candidates[i];
        SampleDecision& d = out[i];
        d.id = c.id;
        d.problemId = c.problemId;
        if (c.contaminated)
            d.rejectReason = reject::kContaminated;
        else if (!c.correct)
            d.rejectReason = reject::kIncorrect;
        else if (!c.filterReasons.empty())
            d.rejectReason = reject::joined(c.filterReasons);
        else if (c.duplicate)
            d.rejectReason = reject::kDuplicate;
        else
            passingByProblem[c.problemId].push_back(i);
    }
    for (auto& [problem, passing] : passingByProblem) {
        if (config.strategy == KeepStrategy::ShortestCorrect) {
            std::sort(passing.begin(), passing.end(), [&](std::size_t a, std::size_t b) {
                return std::tie(candidates[a].length, candidates[a].id) < std::tie(candidates[b].length, candidates[b].id);
            });
        } else {
            // a seeded hash of the sample id is a random order that does not depend on input order
            const auto key = [&](std::size_t i) {
                const std::int64_t id = candidates[i].id;
                return std::make_pair(XXH3_64bits_withSeed(&id, sizeof id, config.seed), id);
            };
            std::sort(passing.begin(), passing.end(), [&](std::size_t a, std::size_t b) { return key(a) < key(b); });
        }
        for (std::size_t rank = 0; rank < passing.size(); ++rank) {
            SampleDecision& d = out[passing[rank]];
            d.kept = config.keepPerProblem == 0 || rank < config.keepPerProblem;
            if (!d.kept)
                d.rejectReason = reject::kExcess;
        }
    }
    return out;
}

}  // namespace distill::text
