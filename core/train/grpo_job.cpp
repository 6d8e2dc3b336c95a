#include "core/train/grpo_job.h"

#include "core/model/checkpoint.h"
#include "core/model/precision.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"
#include "core/toy/toy_problem.h"
#include "core/train/benchmark_hook.h"
#include "core/train/grpo_trainer.h"
#include "core/train/sft_data.h"
#include "core/train/training_run.h"
#include "core/util/error.h"
#include "core/util/split_mix64.h"
#include "core/util/text_file.h"

#include <torch/torch.h>

#include <cstdio>
#include <fstream>

namespace distill::train {

namespace fs = std::filesystem;

namespace {

struct Problem {
    std::string question, answer;
};

// A JSON field as text (numbers as written by nlohmann); empty when missing or not a scalar.
std::string fieldText(const nlohmann::json& record, const std::string& key)
{
    if (!record.contains(key))
        return {};
    const auto& v = record[key];
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_number() || v.is_boolean())
        return v.dump();
    return {};
}

// The problems of a workspace source with a reference answer (the others are skipped).
std::vector<Problem> workspaceProblems(const store::Workspace& ws, const std::string& source, std::int64_t& skipped)
{
    std::vector<Problem> out;
    constexpr std::int64_t kPage = 1000;
    for (std::int64_t offset = 0;; offset += kPage) {
        const auto page = ws.listProblems(source, offset, kPage);
        for (const auto& p : page) {
            if (p.referenceAnswer.empty())
                ++skipped;
            else
                out.push_back({p.question, p.referenceAnswer});
        }
        if (std::int64_t(page.size()) < kPage)
            break;
    }
    if (out.empty())
        throw Error(ErrorCode::NotFound, "no problems with a reference answer in source '" + source + "'",
                    "import a problem set with answers, or give problems.jsonl");
    return out;
}

std::vector<Problem> loadProblems(const GrpoSpec& spec, const store::Workspace& ws, std::int64_t& skipped)
{
    std::vector<Problem> out;
    if (!spec.source.empty())
        return workspaceProblems(ws, spec.source, skipped);
    if (spec.toyCount > 0) {
        toy::ToyProblemSet set;
        set.count = spec.toyCount;
        set.firstSeed = spec.toyFirstSeed;
        set.difficulty = spec.toyDifficulty;
        for (const auto& p : toy::makeToyProblems(set))
            out.push_back({p.question, std::to_string(p.answer)});
        return out;
    }
    std::ifstream in(spec.jsonl);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot read " + spec.jsonl);
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const auto record = nlohmann::json::parse(line, nullptr, false);
        Problem p;
        if (!record.is_discarded() && record.is_object()) {
            p.question = fieldText(record, spec.questionField);
            p.answer = fieldText(record, spec.answerField);
        }
        if (p.question.empty() || p.answer.empty())
            ++skipped;  // an unusable record is skipped, never fatal
        else
            out.push_back(std::move(p));
    }
    if (out.empty())
        throw Error(ErrorCode::InvalidArgument, "no usable problems in " + spec.jsonl,
                    "each line needs '" + spec.questionField + "' and '" + spec.answerField + "'");
    return out;
}

// The problems of a step: consecutive entries of the epoch's seeded shuffle (a pure function of the
// step, so a resumed run draws what the uninterrupted one would have).
std::vector<std::size_t> problemsOfStep(std::size_t count, std::int64_t perStep, std::uint64_t seed, std::int64_t step)
{
    std::vector<std::size_t> out;
    for (std::int64_t i = 0; i < perStep; ++i) {
        const auto flat = std::uint64_t(step * perStep + i);
        const std::uint64_t epoch = flat / count;
        std::vector<std::size_t> order(count);
        for (std::size_t k = 0; k < count; ++k)
            order[k] = k;
        util::SplitMix64 rng(seed ^ (0x9E3779B97F4A7C15ULL * (epoch + 1)));
        for (std::size_t k = count; k > 1; --k)
            std::swap(order[k - 1], order[std::size_t(rng.next() % k)]);
        out.push_back(order[flat % count]);
    }
    return out;
}

// groups/step_000123.jsonl (rank 0), groups/step_000123.rank1.jsonl (the other ranks' prompts)
std::string groupsFileName(std::int64_t step, int rank)
{
    char name[48];
    if (rank == 0)
        std::snprintf(name, sizeof name, "step_%06lld.jsonl", static_cast<long long>(step));
    else
        std::snprintf(name, sizeof name, "step_%06lld.rank%d.jsonl", static_cast<long long>(step), rank);
    return name;
}

// This rank's consecutive slice of the step's prompts, and where it starts in the step.
struct StepPrompts {
    std::vector<GrpoPrompt> prompts;
    std::size_t first = 0;
};

StepPrompts stepPrompts(const std::vector<GrpoPrompt>& all, const GrpoSpec& spec, std::int64_t step, DataParallel& parallel)
{
    const auto order = problemsOfStep(all.size(), spec.promptsPerStep, spec.optimizer.seed, step);
    const auto world = std::size_t(parallel.worldSize()), rank = std::size_t(parallel.rank());
    StepPrompts out;
    out.first = order.size() * rank / world;
    for (std::size_t i = out.first; i < order.size() * (rank + 1) / world; ++i)
        out.prompts.push_back(all[order[i]]);
    return out;
}

// One line per group: the prompt, the reference answer and each completion's rewards and advantage.
void writeGroups(const fs::path& file, std::int64_t step, const std::vector<GrpoPrompt>& prompts,
                 const std::vector<GrpoRollout>& rollouts, const RewardSet& rewards)
{
    std::string text;
    for (std::size_t p = 0; p < prompts.size(); ++p) {
        nlohmann::json completions = nlohmann::json::array();
        for (const auto& r : rollouts) {
            if (r.prompt != p)
                continue;
            nlohmann::json scores = nlohmann::json::object();
            for (std::size_t k = 0; k < r.scores.size(); ++k)
                scores[rewards.terms()[k].name] = r.scores[k];
            completions.push_back({{"text", r.text}, {"tokens", r.ids.size()}, {"truncated", r.truncated},
                                   {"reward", r.reward}, {"scores", scores}, {"advantage", r.advantage}});
        }
        const nlohmann::json line = {{"step", step}, {"prompt", prompts[p].text}, {"gold", prompts[p].gold},
                                     {"completions", completions}};
        text += line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
    }
    util::writeTextFile(file, text);
}

// Every problem as a prompt: the chat template's generation prompt (system prompt, question).
std::vector<GrpoPrompt> makePrompts(const GrpoSpec& spec, const std::vector<Problem>& problems,
                                    const tokenizer::Tokenizer& tokenizer)
{
    ExampleFormat format;
    format.thinkPrefill = spec.thinkPrefill;
    const ExampleBuilder builder(tokenizer, format);
    std::vector<GrpoPrompt> prompts;
    for (const auto& p : problems) {
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        if (!spec.systemPrompt.empty())
            messages.push_back({{"role", "system"}, {"content", spec.systemPrompt}});
        messages.push_back({{"role", "user"}, {"content", p.question}});
        prompts.push_back({builder.promptIds(messages), p.question, p.answer});
    }
    return prompts;
}

GrpoOptions grpoOptions(const GrpoSpec& spec, std::vector<std::int64_t> stopTokenIds, bool bf16)
{
    GrpoOptions options;
    options.bf16 = bf16;
    options.groupSize = spec.numGenerations;
    options.maxNewTokens = spec.maxNewTokens;
    options.sampling.temperature = spec.temperature;
    options.sampling.topP = spec.topP;
    options.sampling.topK = spec.topK;
    options.sampling.seed = spec.optimizer.seed;
    options.stopTokenIds = std::move(stopTokenIds);
    options.loss = spec.loss;
    options.scaleRewards = spec.scaleRewards;
    options.maskTruncated = spec.maskTruncated;
    options.updatesPerBatch = spec.updatesPerBatch;
    options.microBatchSize = spec.microBatchSize;
    options.optimizer = spec.optimizer.options(spec.maxSteps);
    return options;
}

MetricValues stepMetrics(const GrpoStepStats& last, const RewardSet& rewards)
{
    MetricValues values = {
        {"grpo/reward_mean", last.totalRewardMean}, {"grpo/reward_std", last.totalRewardStd},
        {"grpo/no_signal_share", last.noSignalShare}, {"grpo/kl", last.kl},
        {"grpo/clip_fraction", last.clipFraction}, {"grpo/entropy", last.entropy},
        {"grpo/length_mean", last.lengthMean}, {"grpo/length_max", double(last.lengthMax)},
        {"grpo/clipped_share", last.truncatedShare}, {"grpo/loss", last.loss}, {"grpo/policy_loss", last.policyLoss},
        {"grpo/grad_norm", last.gradNorm}, {"grpo/lr", last.lr},
        {"grpo/rollout_s", last.rolloutSeconds}, {"grpo/train_s", last.trainSeconds}};
    for (std::size_t k = 0; k < last.rewardMean.size(); ++k) {
        const auto& term = rewards.terms()[k];
        values.emplace_back("grpo/reward/" + term.name + "/mean", last.rewardMean[k]);
        values.emplace_back("grpo/reward/" + term.name + "/std", last.rewardStd[k]);
        if (term.kind == RewardKind::Accuracy)
            values.emplace_back("grpo/accuracy", last.rewardMean[k]);
    }
    return values;
}

}  // namespace

run::JobOutcome GrpoJob::run(run::JobContext& ctx)
{
    const GrpoSpec& spec = m_spec;
    TrainingRun session(ctx, spec.device, spec.checkpoints, tokenizerFolder(spec.modelPath, spec.tokenizerPath), resolvedYaml());
    fs::create_directories(session.folder().path() / "groups");
    const auto tokenizer = tokenizer::Tokenizer::fromDirectory(session.tokenizerFolder());
    std::int64_t skipped = 0;
    const auto problems = loadProblems(spec, ctx.workspace, skipped);
    const std::vector<GrpoPrompt> allPrompts = makePrompts(spec, problems, *tokenizer);
    model::CausalLM policy = loadTrainableModel(spec.modelPath, session.device(), spec.optimizer.seed, spec.lora);
    const bool bf16 = model::trainingAutocast(model::parsePrecision(spec.dtype), session.device());
    auto detokenize = [&tokenizer](const std::vector<std::int64_t>& ids) {
        return tokenizer->decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
    };
    GrpoTrainer trainer(policy, RewardSet(spec.rewards),
                        grpoOptions(spec, model::stopTokenIds(policy->config(), spec.modelPath, tokenizer->eosId()), bf16),
                        detokenize);
    if (spec.loss.beta != 0.0)  // β = 0: no reference model is loaded; frozen in bf16 when training in bf16
        trainer.setReference(model::loadModel(spec.referencePath.empty() ? spec.modelPath : spec.referencePath,
                                              {session.device(), bf16 ? torch::kBFloat16 : torch::kFloat})
                                 .model);
    session.resume(trainer);
    trainer.setDataParallel(session.parallel());
    torch::manual_seed(spec.optimizer.seed + std::uint64_t(trainer.stepsDone()));
    auto state = [&] {
        return nlohmann::json{{"step", trainer.stepsDone()}, {"total_steps", spec.maxSteps}, {"seed", spec.optimizer.seed}};
    };
    session.log("info", std::to_string(problems.size()) + " problems, " + std::to_string(skipped) + " skipped, "
                            + std::to_string(spec.maxSteps) + " steps");
    const eval::CheckpointEval noBenchmarks;  // the other ranks wait while rank 0 evaluates
    BenchmarkHook benchmarks(session.isMain() ? spec.benchmarkEval : noBenchmarks, ctx);
    bool stopped = session.anyStops(trainer.stepsDone() == 0 && !benchmarks.after(0, spec.maxSteps, policy, *tokenizer));
    std::string lastCheckpoint;
    GrpoStepStats last;
    session.startLoop(trainer.stepsDone());
    while (!stopped && trainer.stepsDone() < spec.maxSteps) {
        const std::int64_t step = trainer.stepsDone();
        const StepPrompts prompts = stepPrompts(allPrompts, spec, step, session.parallel());
        std::vector<GrpoRollout> rollouts;
        last = trainer.step(prompts.prompts, &rollouts, prompts.first);
        writeGroups(session.folder().path() / "groups" / groupsFileName(step, session.parallel().rank()), step,
                    prompts.prompts, rollouts, trainer.rewards());
        session.report(step, stepMetrics(last, trainer.rewards()));
        const std::int64_t done = trainer.stepsDone();
        session.progress(done, spec.maxSteps);
        const bool benchmarked = done >= spec.maxSteps || benchmarks.after(done, spec.maxSteps, policy, *tokenizer);
        if (session.anyStops(ctx.stop.requested() || !benchmarked) && done < spec.maxSteps) {
            lastCheckpoint = session.save(trainer, state());
            stopped = true;
        } else if (TrainingRun::due(spec.checkpoints.saveEvery, done, spec.maxSteps)) {
            lastCheckpoint = session.save(trainer, state());
        }
    }
    if (!stopped && session.isMain()) {
        lastCheckpoint = session.saveFinal(trainer, state());
        stopped = !benchmarks.after(trainer.stepsDone(), spec.maxSteps, policy, *tokenizer);
    }
    return {stopped,
            {{"steps", trainer.stepsDone()},
             {"total_steps", spec.maxSteps},
             {"reward_mean", last.totalRewardMean},
             {"checkpoint", lastCheckpoint},
             {"problems", problems.size()},
             {"skipped", skipped},
             {"benchmarks", benchmarks.summary()}}};
}

void registerGrpoJob(run::JobRegistry& registry)
{
    registry.add(grpoSchema(), [](run::ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<run::Job> {
        return std::make_unique<GrpoJob>(readGrpoSpec(spec, name));
    });
}

}  // namespace distill::train
