#include "core/eval/stored_results.h"

#include "core/util/error.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <charconv>
#include <map>

namespace distill::eval {

namespace {

// EvalConfig's defaults (core/eval/evaluator.h), for keys a config leaves out.
constexpr std::int64_t kDefaultSamples = 64;
constexpr std::int64_t kDefaultMaxTokens = 32768;
constexpr std::int64_t kDefaultMaxWaits = 1;

std::int64_t integer(const YAML::Node& map, const char* key, std::int64_t fallback)
{
    const YAML::Node v = map[key];
    return v && v.IsScalar() ? v.as<std::int64_t>() : fallback;
}

// The scalar of `key` as written, "" when missing.
std::string scalar(const YAML::Node& map, const char* key)
{
    const YAML::Node v = map[key];
    return v && v.IsScalar() ? v.Scalar() : std::string();
}

}  // namespace

SampleOutcome sampleOutcome(const store::EvalResult& row, std::optional<std::int64_t> maxTokens)
{
    SampleOutcome o;
    o.sampleIndex = row.sampleIndex;
    o.answer = row.extractedAnswer;
    o.correct = row.correct;
    o.responseTokens = row.responseTokens;
    if (maxTokens)
        o.truncated = row.responseTokens >= *maxTokens;
    return o;
}

std::vector<ProblemOutcome> problemOutcomes(const std::vector<store::EvalResult>& rows,
                                            std::optional<std::int64_t> maxTokens)
{
    std::map<std::int64_t, ProblemOutcome> byProblem;
    for (const store::EvalResult& r : rows) {
        ProblemOutcome& p = byProblem[r.problemId];
        p.problemId = r.problemId;
        p.samples.push_back(sampleOutcome(r, maxTokens));
    }
    std::vector<ProblemOutcome> out;
    out.reserve(byProblem.size());
    for (auto& [id, p] : byProblem) {
        std::sort(p.samples.begin(), p.samples.end(),
                  [](const SampleOutcome& a, const SampleOutcome& b) { return a.sampleIndex < b.sampleIndex; });
        out.push_back(std::move(p));
    }
    return out;
}

EvalSummary summarizeStored(const std::vector<store::EvalResult>& rows, const BootstrapOptions& bootstrap,
                            std::optional<std::int64_t> maxTokens)
{
    if (rows.empty())
        throw Error(ErrorCode::InvalidArgument, "no stored evaluation results to summarize");
    EvalSummary s = summarize(problemOutcomes(rows, maxTokens), bootstrap);
    s.benchmark = rows.front().benchmark;
    return s;
}

Estimate pairedPass1Difference(const std::vector<store::EvalResult>& before, const std::vector<store::EvalResult>& after,
                               const BootstrapOptions& bootstrap)
{
    const auto correctShare = [](const std::vector<store::EvalResult>& rows) {
        std::map<std::int64_t, double> share;  // problem -> share of its samples graded correct
        for (const ProblemOutcome& p : problemOutcomes(rows))
            share[p.problemId] = double(std::count_if(p.samples.begin(), p.samples.end(),
                                                      [](const SampleOutcome& o) { return o.correct; }))
                                 / double(p.samples.size());
        return share;
    };
    const auto a = correctShare(before), b = correctShare(after);
    std::vector<double> differences;
    for (const auto& [problem, shareBefore] : a)
        if (const auto it = b.find(problem); it != b.end())
            differences.push_back(it->second - shareBefore);
    if (differences.empty())
        throw Error(ErrorCode::InvalidArgument, "the two evaluations share no problem");
    return bootstrapMean(differences, bootstrap);
}

StoredProtocol readStoredProtocol(const std::string& runConfigYaml)
{
    StoredProtocol p;
    try {
        const YAML::Node root = YAML::Load(runConfigYaml);
        if (!root.IsMap())
            return p;
        const bool evalSpec = scalar(root, "kind") == "eval";
        const YAML::Node map = evalSpec ? root : root["benchmark_eval"];
        if (!map || !map.IsMap())
            return p;
        if (evalSpec)
            p.model = scalar(root, "model");
        p.samples = integer(map, "samples", kDefaultSamples);
        p.maxTokens = integer(map, "max_tokens", kDefaultMaxTokens);
        p.maxThinkingTokens = integer(map, "max_thinking_tokens", -1);
        p.minThinkingTokens = integer(map, "min_thinking_tokens", 0);
        p.maxWaits = integer(map, "max_waits", kDefaultMaxWaits);
        p.bootstrap.resamples = int(std::max<std::int64_t>(1, integer(map, "bootstrap_resamples", p.bootstrap.resamples)));
        p.bootstrap.seed = map["seed"] && map["seed"].IsScalar() ? map["seed"].as<std::uint64_t>() : 0;
        std::string key;
        for (const char* name : {"model", "tokenizer", "limit", "samples", "temperature", "top_p", "seed", "max_tokens",
                                 "prompt", "think_prefill"})
            key += std::string(name) + "=" + scalar(map, name) + "\n";
        p.keyWithoutBudget = std::move(key);
        p.found = true;
    } catch (const YAML::Exception&) {
        return StoredProtocol{};
    }
    return p;
}

std::optional<std::int64_t> checkpointStep(const std::string& checkpoint)
{
    constexpr std::string_view prefix = "step-";
    if (checkpoint.size() <= prefix.size() || checkpoint.compare(0, prefix.size(), prefix) != 0)
        return std::nullopt;
    std::int64_t step = 0;
    const char* begin = checkpoint.data() + prefix.size();
    const char* end = checkpoint.data() + checkpoint.size();
    const auto [ptr, ec] = std::from_chars(begin, end, step);
    if (ec != std::errc() || ptr != end || step < 0)
        return std::nullopt;
    return step;
}

}  // namespace distill::eval
