#include "core/eval/eval_summary.h"

#include "core/eval/majority_vote.h"
#include "core/eval/pass_at_k.h"
#include "core/util/error.h"
#include "core/util/median.h"

#include <algorithm>

namespace distill::eval {

namespace {

nlohmann::json estimateJson(const Estimate& e)
{
    return {{"value", e.value}, {"ci", {e.low, e.high}}};
}

}  // namespace

EvalSummary summarize(const std::vector<ProblemOutcome>& problems, const BootstrapOptions& bootstrap)
{
    std::vector<const ProblemOutcome*> used;
    for (const ProblemOutcome& p : problems)
        if (!p.samples.empty())
            used.push_back(&p);
    if (used.empty())
        throw Error(ErrorCode::InvalidArgument, "no graded samples to summarize");

    EvalSummary s;
    s.problems = std::int64_t(used.size());
    s.samplesPerProblem = std::int64_t(used.front()->samples.size());
    for (const ProblemOutcome* p : used)
        s.samplesPerProblem = std::min(s.samplesPerProblem, std::int64_t(p->samples.size()));

    std::vector<std::int64_t> ks;
    for (std::int64_t k = 1; k < s.samplesPerProblem; k *= 2)
        ks.push_back(k);
    ks.push_back(s.samplesPerProblem);

    std::map<std::int64_t, std::vector<double>> passValues;
    std::vector<double> consValues, lengthValues, allLengths;
    double thinkingSum = 0.0, truncatedCount = 0.0;
    std::int64_t thinkingKnown = 0, finishKnown = 0;
    for (const ProblemOutcome* p : used) {
        const std::int64_t n = std::int64_t(p->samples.size());
        std::int64_t correct = 0;
        double lengthSum = 0.0;
        std::vector<std::string> answers;
        for (const SampleOutcome& o : p->samples) {
            correct += o.correct ? 1 : 0;
            lengthSum += double(o.responseTokens);
            allLengths.push_back(double(o.responseTokens));
            answers.push_back(o.answer);
            if (o.thinkingTokens) {
                thinkingSum += double(*o.thinkingTokens);
                ++thinkingKnown;
            }
            if (o.truncated) {
                truncatedCount += *o.truncated ? 1.0 : 0.0;
                ++finishKnown;
            }
        }
        for (std::int64_t k : ks)
            passValues[k].push_back(passAtK(n, correct, k));
        const Vote vote = majorityVote(answers);
        consValues.push_back(vote.winner >= 0 && p->samples[std::size_t(vote.winner)].correct ? 1.0 : 0.0);
        lengthValues.push_back(lengthSum / double(n));
        s.samples += n;
    }
    for (const auto& [k, values] : passValues)
        s.passAtK[k] = bootstrapMean(values, bootstrap);
    s.pass1 = s.passAtK.at(1);
    s.consAtK = bootstrapMean(consValues, bootstrap);
    s.responseTokens = bootstrapMean(lengthValues, bootstrap);
    s.medianResponseTokens = util::median(allLengths);
    if (thinkingKnown > 0)
        s.meanThinkingTokens = thinkingSum / double(thinkingKnown);
    if (finishKnown > 0)
        s.truncatedShare = truncatedCount / double(finishKnown);
    return s;
}

nlohmann::json toJson(const EvalSummary& s)
{
    nlohmann::json passK = nlohmann::json::object();
    for (const auto& [k, e] : s.passAtK)
        passK[std::to_string(k)] = estimateJson(e);
    const double outside = s.seconds > 0.0 ? std::max(0.0, s.seconds - s.generationSeconds) / s.seconds : 0.0;
    nlohmann::json j = {
        {"benchmark", s.benchmark},
        {"problems", s.problems},
        {"samples", s.samples},
        {"k", s.samplesPerProblem},
        {"pass@1", estimateJson(s.pass1)},
        {"pass@k", passK},
        {"cons@k", estimateJson(s.consAtK)},
        {"response_tokens", {{"mean", estimateJson(s.responseTokens)}, {"median", s.medianResponseTokens}}},
        {"thinking_tokens_mean", s.meanThinkingTokens ? nlohmann::json(*s.meanThinkingTokens) : nlohmann::json()},
        {"truncated_share", s.truncatedShare ? nlohmann::json(*s.truncatedShare) : nlohmann::json()},
        {"timing",
         {{"seconds", s.seconds},
          {"generation_seconds", s.generationSeconds},
          {"outside_generation_share", outside},
          {"generated_tokens", s.generatedTokens}}},
        {"complete", s.complete},
    };
    return j;
}

}  // namespace distill::eval
