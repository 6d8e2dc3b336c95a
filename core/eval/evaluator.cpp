#include "core/eval/evaluator.h"

#include "core/eval/stored_results.h"
#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/store/workspace.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/split_mix64.h"
#include "core/verify/grader.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>

namespace distill::eval {

namespace {

using Clock = std::chrono::steady_clock;

constexpr const char* kThinkOpen = "<think>\n";

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

// Independent sampling streams per problem (and per sample for single-sample requests).
std::uint64_t mixSeed(std::uint64_t seed, std::uint64_t problem, std::uint64_t sample = 0)
{
    return util::SplitMix64(seed ^ (problem * 0x9E3779B97F4A7C15ULL) ^ (sample * 0xC2B2AE3D27D4EB4FULL)).next();
}

// Tokens before the first end-of-thinking marker; all of them when the span never closed.
std::int64_t thinkingLength(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& thinkEnd)
{
    if (thinkEnd.empty())
        return 0;
    const auto it = std::search(ids.begin(), ids.end(), thinkEnd.begin(), thinkEnd.end());
    return std::int64_t(it - ids.begin());
}

void checkConfig(const EvalConfig& c)
{
    if (c.samples < 1 || c.maxTokens < 1 || c.batch < 1)
        throw Error(ErrorCode::InvalidArgument, "evaluation needs samples, max tokens and batch of at least 1");
    if (c.prompt.find("{question}") == std::string::npos)
        throw Error(ErrorCode::InvalidArgument, "the evaluation prompt has no {question} placeholder");
}

// Where one (request, sample) of a generate() call belongs.
struct Slot {
    std::size_t problem;
    std::int64_t sampleIndex;
};

}  // namespace

std::string renderPrompt(const tokenizer::Tokenizer& tokenizer, const std::string& question, const EvalConfig& config)
{
    std::string user = config.prompt;
    user.replace(user.find("{question}"), std::string("{question}").size(), question);
    if (tokenizer.config().chatTemplate.empty())
        return config.thinkPrefill ? user + "\n" + kThinkOpen : user;
    const tokenizer::ChatTemplate chat = tokenizer::ChatTemplate::fromTokenizer(tokenizer);
    const nlohmann::ordered_json messages = nlohmann::ordered_json::array({{{"role", "user"}, {"content", user}}});
    return chat.generationPrompt(messages, config.thinkPrefill).text;
}

EvalSummary evaluate(model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                     const std::vector<EvalProblem>& problems, const EvalConfig& config,
                     const EvalRecording* recording, const ProgressFn& progress)
{
    checkConfig(config);
    if (problems.empty())
        throw Error(ErrorCode::InvalidArgument, "no problems to evaluate");
    const auto start = Clock::now();

    const std::vector<std::int64_t> stopIds = model::stopTokenIds(model->config(), {}, tokenizer.eosId());
    const std::vector<std::int64_t> thinkEnd = tokenizer::widen(tokenizer.encode("</think>"));
    infer::BudgetForcing budget;
    budget.maxThinkingTokens = config.maxThinkingTokens;
    budget.minThinkingTokens = config.minThinkingTokens;
    budget.maxWaits = config.maxWaits;
    if (budget.maxThinkingTokens >= 0 || budget.minThinkingTokens > 0) {
        budget.thinkEndIds = thinkEnd;
        budget.waitIds = tokenizer::widen(tokenizer.encode("Wait"));
    }

    infer::EngineOptions engineOptions;
    engineOptions.maxBatch = config.batch;
    engineOptions.detokenize = [&tokenizer](const std::vector<std::int64_t>& ids) {
        return tokenizer.decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
    };
    infer::Engine engine(model.ptr(), engineOptions);

    // Outcomes per problem, starting from what the workspace already holds.
    std::vector<ProblemOutcome> outcomes(problems.size());
    std::map<std::int64_t, std::size_t> indexOf;
    for (std::size_t i = 0; i < problems.size(); ++i) {
        outcomes[i].problemId = problems[i].id;
        if (!indexOf.emplace(problems[i].id, i).second)
            throw Error(ErrorCode::InvalidArgument, "problem " + std::to_string(problems[i].id) + " is listed twice");
    }
    if (recording) {
        for (const store::EvalResult& r : recording->workspace.evalResults(recording->runId, recording->checkpoint)) {
            const auto it = indexOf.find(r.problemId);
            if (r.benchmark != recording->benchmark || it == indexOf.end() || r.sampleIndex >= config.samples)
                continue;
            outcomes[it->second].samples.push_back(sampleOutcome(r));
        }
    }
    std::vector<std::pair<std::size_t, std::vector<std::int64_t>>> pending;  // problem, missing sample indices
    std::uint64_t done = 0;
    for (std::size_t i = 0; i < problems.size(); ++i) {
        std::set<std::int64_t> have;
        for (const SampleOutcome& o : outcomes[i].samples)
            have.insert(o.sampleIndex);
        std::vector<std::int64_t> missing;
        for (std::int64_t j = 0; j < config.samples; ++j)
            if (!have.count(j))
                missing.push_back(j);
        if (missing.empty())
            ++done;
        else
            pending.emplace_back(i, std::move(missing));
    }

    EvalSummary timing;
    bool complete = true;
    if (progress && !progress(done, problems.size()))
        complete = false;
    for (std::size_t next = 0; complete && next < pending.size();) {
        // Enough problems to fill the engine's slots, at least one.
        std::vector<infer::GenerationRequest> requests;
        std::vector<std::vector<Slot>> slots;  // per request, per sample
        std::vector<bool> prefilled;           // per request: the prompt opened a think span
        std::size_t queued = 0;
        std::size_t end = next;
        while (end < pending.size() && (end == next || queued + pending[end].second.size() <= std::size_t(config.batch))) {
            const auto& [p, missing] = pending[end];
            const std::string promptText = renderPrompt(tokenizer, problems[p].question, config);
            const bool opened = config.thinkPrefill;
            infer::GenerationRequest base;
            base.prompt = tokenizer::widen(tokenizer.encode(promptText));
            base.sampling = config.sampling;
            base.maxNewTokens = config.maxTokens;
            base.stopTokenIds = stopIds;
            base.budget = budget;
            const auto seedKey = std::uint64_t(problems[p].id);
            if (std::int64_t(missing.size()) == config.samples) {
                base.n = config.samples;  // one prefill shared by all samples
                base.sampling.seed = mixSeed(config.sampling.seed, seedKey);
                std::vector<Slot> s;
                for (std::int64_t j : missing)
                    s.push_back({p, j});
                requests.push_back(std::move(base));
                slots.push_back(std::move(s));
                prefilled.push_back(opened);
            } else {
                for (std::int64_t j : missing) {
                    infer::GenerationRequest one = base;
                    one.sampling.seed = mixSeed(config.sampling.seed, seedKey, std::uint64_t(j) + 1);
                    requests.push_back(std::move(one));
                    slots.push_back({{p, j}});
                    prefilled.push_back(opened);
                }
            }
            queued += missing.size();
            ++end;
        }

        const auto genStart = Clock::now();
        const std::vector<infer::Completion> completions = engine.generate(requests);
        timing.generationSeconds += secondsSince(genStart);
        timing.generatedTokens += engine.lastStats().generatedTokens;

        std::vector<store::EvalResult> rows;
        for (const infer::Completion& c : completions) {
            const Slot slot = slots[c.request][std::size_t(c.sample)];
            const std::string text = prefilled[c.request] ? kThinkOpen + c.text : c.text;
            const verify::GradeResult g = verify::grade(text, problems[slot.problem].answer);
            SampleOutcome o;
            o.sampleIndex = slot.sampleIndex;
            o.answer = g.predAnswer;
            o.correct = g.verdict == verify::Verdict::Equal;
            o.responseTokens = std::int64_t(c.ids.size());
            o.thinkingTokens = budget.enabled() ? c.thinkingTokens
                                                : (prefilled[c.request] ? thinkingLength(c.ids, thinkEnd) : 0);
            o.truncated = c.finish == infer::FinishReason::Length;
            if (recording) {
                store::EvalResult r;
                r.runId = recording->runId;
                r.checkpoint = recording->checkpoint;
                r.benchmark = recording->benchmark;
                r.problemId = problems[slot.problem].id;
                r.sampleIndex = o.sampleIndex;
                r.extractedAnswer = o.answer;
                r.correct = o.correct;
                r.responseTokens = o.responseTokens;
                rows.push_back(std::move(r));
            }
            outcomes[slot.problem].samples.push_back(std::move(o));
        }
        if (recording) {
            store::Workspace::Transaction tx(recording->workspace);
            for (store::EvalResult& r : rows)
                recording->workspace.addEvalResult(r);
            tx.commit();
        }
        done += end - next;
        next = end;
        if (progress && !progress(done, problems.size()))
            complete = false;
    }

    for (ProblemOutcome& o : outcomes)
        std::sort(o.samples.begin(), o.samples.end(),
                  [](const SampleOutcome& a, const SampleOutcome& b) { return a.sampleIndex < b.sampleIndex; });
    EvalSummary summary = summarize(outcomes, config.bootstrap);
    summary.benchmark = recording ? recording->benchmark : std::string();
    summary.complete = complete && done == problems.size();
    summary.generationSeconds = timing.generationSeconds;
    summary.generatedTokens = timing.generatedTokens;
    summary.seconds = secondsSince(start);
    return summary;
}

std::vector<SweepPoint> budgetSweep(model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                                    const std::vector<EvalProblem>& problems, const EvalConfig& config,
                                    const std::vector<BudgetPoint>& budgets)
{
    std::vector<SweepPoint> out;
    for (const BudgetPoint& b : budgets) {
        EvalConfig c = config;
        c.maxThinkingTokens = b.maxThinkingTokens;
        c.minThinkingTokens = b.minThinkingTokens;
        c.maxWaits = b.maxWaits;
        out.push_back({b, evaluate(model, tokenizer, problems, c)});
    }
    return out;
}

}  // namespace distill::eval
