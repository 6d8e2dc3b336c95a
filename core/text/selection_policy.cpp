#include "core/text/selection_policy.h"

#include "core/util/error.h"

#include <algorithm>
#include <map>
#include <random>

namespace distill::text {
namespace {

template <class Enum, std::size_t N>
Enum parseName(std::string_view text, const Enum (&all)[N], std::string_view (*name)(Enum), const char* what)
{
    std::string choices;
    for (const auto e : all) {
        if (name(e) == text)
            return e;
        choices += (choices.empty() ? "" : ", ") + std::string(name(e));
    }
    throw Error(ErrorCode::InvalidArgument, "unknown " + std::string(what) + " '" + std::string(text) + "'",
                "use one of: " + choices);
}

// Uniform double in [0, 1) from the top 53 bits (portable, unlike std::uniform_real_distribution).
double unitDouble(std::mt19937_64& rng)
{
    return double(rng() >> 11) * (1.0 / 9007199254740992.0);
}

bool difficultEnough(const ProblemCandidate& c, const SelectionConfig& config, std::optional<double> passRate)
{
    switch (config.difficulty) {
    case DifficultyMode::None:
        return true;
    case DifficultyMode::ReferenceWrong:
        return c.referenceCorrect.has_value() && !*c.referenceCorrect;
    case DifficultyMode::PassRateBand:
        return passRate && *passRate >= config.minPassRate && *passRate <= config.maxPassRate;
    }
    return false;
}

}  // namespace

std::string_view difficultyModeName(DifficultyMode mode)
{
    switch (mode) {
    case DifficultyMode::None:
        return "none";
    case DifficultyMode::ReferenceWrong:
        return "reference_wrong";
    case DifficultyMode::PassRateBand:
        return "pass_rate_band";
    }
    return "none";
}

DifficultyMode parseDifficultyMode(std::string_view text)
{
    static constexpr DifficultyMode kAll[] = {DifficultyMode::None, DifficultyMode::ReferenceWrong,
                                              DifficultyMode::PassRateBand};
    return parseName(text, kAll, difficultyModeName, "difficulty mode");
}

std::string_view diversityModeName(DiversityMode mode)
{
    return mode == DiversityMode::RoundRobin ? "round_robin" : "uniform_domain";
}

DiversityMode parseDiversityMode(std::string_view text)
{
    static constexpr DiversityMode kAll[] = {DiversityMode::RoundRobin, DiversityMode::UniformDomain};
    return parseName(text, kAll, diversityModeName, "diversity mode");
}

std::vector<ProblemDecision> selectProblems(const std::vector<ProblemCandidate>& candidates,
                                            const SelectionConfig& config)
{
    std::vector<ProblemDecision> out(candidates.size());
    // domain -> eligible candidate indices, longest trace first (s1 favours longer reasoning)
    std::map<std::string, std::vector<std::size_t>> pools;
    std::size_t eligible = 0;
    for (std::size_t i = 0; i < candidates.size(); ++i) {
        const ProblemCandidate& c = candidates[i];
        ProblemDecision& d = out[i];
        d.id = c.id;
        if (c.gradedSamples > 0)
            d.passRate = double(c.correctSamples) / double(c.gradedSamples);
        if (!c.hasKeptSample) {
            d.reason = unselected::kQuality;
        } else if (!difficultEnough(c, config, d.passRate)) {
            d.reason = unselected::kDifficulty;
        } else {
            pools[c.domain].push_back(i);
            ++eligible;
        }
    }
    for (auto& [domain, pool] : pools) {
        std::sort(pool.begin(), pool.end(), [&](std::size_t a, std::size_t b) {
            if (candidates[a].traceLength != candidates[b].traceLength)
                return candidates[a].traceLength > candidates[b].traceLength;
            return candidates[a].id < candidates[b].id;
        });
    }
    const std::size_t target = config.targetSize == 0 ? eligible : std::min(config.targetSize, eligible);
    std::size_t taken = 0;
    if (config.diversity == DiversityMode::RoundRobin) {
        for (std::size_t round = 0; taken < target; ++round)
            for (const auto& [domain, pool] : pools)
                if (round < pool.size() && taken < target) {
                    out[pool[round]].selected = true;
                    ++taken;
                }
    } else {
        std::vector<std::vector<std::size_t>*> open;
        for (auto& [domain, pool] : pools)
            open.push_back(&pool);
        std::mt19937_64 rng(config.seed);
        for (; taken < target; ++taken) {
            const auto which = std::min(open.size() - 1, std::size_t(unitDouble(rng) * double(open.size())));
            auto& pool = *open[which];
            // rank k with probability 2^-(k+1); the last rank takes the remaining mass
            std::size_t rank = 0;
            while (rank + 1 < pool.size() && unitDouble(rng) >= 0.5)
                ++rank;
            out[pool[rank]].selected = true;
            pool.erase(pool.begin() + std::ptrdiff_t(rank));
            if (pool.empty())
                open.erase(open.begin() + std::ptrdiff_t(which));
        }
    }
    for (auto& d : out)
        if (!d.selected && d.reason.empty())
            d.reason = unselected::kExcess;
    return out;
}

}  // namespace distill::text
