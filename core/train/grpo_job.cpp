#include "core/train/grpo_job.h"

#include "core/model/checkpoint.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"
#include "core/toy/split_mix.h"
#include "core/toy/toy_problem.h"
#include "core/train/benchmark_hook.h"
#include "core/train/grpo_trainer.h"
#include "core/train/sft_data.h"
#include "core/train/sft_job.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
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

std::vector<Problem> loadProblems(const GrpoSpec& spec, std::int64_t& skipped)
{
    std::vector<Problem> out;
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
        toy::SplitMix64 rng(seed ^ (0x9E3779B97F4A7C15ULL * (epoch + 1)));
        for (std::size_t k = count; k > 1; --k)
            std::swap(order[k - 1], order[std::size_t(rng.next() % k)]);
        out.push_back(order[flat % count]);
    }
    return out;
}

void writeText(const fs::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + file.string());
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
    writeText(file, text);
}

}  // namespace

run::JobOutcome GrpoJob::run(run::JobContext& ctx)
{
    const GrpoSpec& spec = m_spec;
    const fs::path runFolder = spec.outputDir.empty()
                                   ? fs::path(ctx.workspace.path() + ".runs") / ("run-" + std::to_string(ctx.runId))
                                   : fs::path(spec.outputDir);
    fs::create_directories(runFolder / "groups");
    const fs::path tokenizerDir = spec.tokenizerPath.empty() ? fs::path(spec.modelPath) : fs::path(spec.tokenizerPath);
    const auto tokenizer = tokenizer::Tokenizer::fromDirectory(tokenizerDir);
    ExampleFormat format;
    format.thinkPrefill = spec.thinkPrefill;
    const ExampleBuilder builder(*tokenizer, format);
    std::int64_t skipped = 0;
    const auto problems = loadProblems(spec, skipped);
    std::vector<GrpoPrompt> allPrompts;
    for (const auto& p : problems) {
        nlohmann::ordered_json messages = nlohmann::ordered_json::array();
        if (!spec.systemPrompt.empty())
            messages.push_back({{"role", "system"}, {"content", spec.systemPrompt}});
        messages.push_back({{"role", "user"}, {"content", p.question}});
        allPrompts.push_back({builder.promptIds(messages), p.question, p.answer});
    }

    model::LoadOptions load;
    load.device = c10::Device(spec.device);
    load.dtype = torch::kFloat;
    model::CausalLM policy = model::loadModel(spec.modelPath, load).model;
    GrpoOptions options;
    options.groupSize = spec.numGenerations;
    options.maxNewTokens = spec.maxNewTokens;
    options.sampling.temperature = spec.temperature;
    options.sampling.topP = spec.topP;
    options.sampling.topK = spec.topK;
    options.sampling.seed = spec.seed;
    if (const auto eos = tokenizer->eosId())
        options.stopTokenIds = {*eos};
    options.loss = spec.loss;
    options.scaleRewards = spec.scaleRewards;
    options.maskTruncated = spec.maskTruncated;
    options.updatesPerBatch = spec.updatesPerBatch;
    options.microBatchSize = spec.microBatchSize;
    options.optimizer.schedule = {spec.schedule, spec.lr, spec.warmupSteps, spec.maxSteps};
    options.optimizer.beta1 = spec.beta1;
    options.optimizer.beta2 = spec.beta2;
    options.optimizer.eps = spec.eps;
    options.optimizer.weightDecay = spec.weightDecay;
    options.optimizer.maxGradNorm = spec.maxGradNorm;
    auto detokenize = [&tokenizer](const std::vector<std::int64_t>& ids) {
        return tokenizer->decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
    };
    GrpoTrainer trainer(policy, RewardSet(spec.rewards), options, detokenize);
    if (spec.loss.beta != 0.0)  // β = 0: no reference model is loaded
        trainer.setReference(
            model::loadModel(spec.referencePath.empty() ? spec.modelPath : spec.referencePath, load).model);

    if (const auto checkpoint = latestCheckpoint(runFolder)) {
        std::ifstream in(*checkpoint / kTrainerStateFile);
        const auto state = nlohmann::json::parse(in);
        model::loadWeights(*policy, *checkpoint);
        trainer.restore(state.at("step").get<std::int64_t>(), *checkpoint / kOptimizerStateFile);
        ctx.events.log("info", "resumed from " + checkpoint->string());
    }
    torch::manual_seed(spec.seed + std::uint64_t(trainer.stepsDone()));

    std::string lastCheckpoint;
    auto save = [&]() {
        const std::int64_t step = trainer.stepsDone();
        const nlohmann::json state = {{"step", step}, {"total_steps", spec.maxSteps}, {"seed", spec.seed}};
        lastCheckpoint = writeCheckpoint(runFolder, step, *policy, tokenizerDir, resolvedYaml(), state,
                                         [&](const fs::path& file) { trainer.saveOptimizer(file); })
                             .string();
        ctx.events.checkpoint(lastCheckpoint, step);
        pruneCheckpoints(runFolder, spec.keepLast);
    };

    ctx.events.log("info", std::to_string(problems.size()) + " problems, " + std::to_string(skipped) + " skipped, "
                               + std::to_string(spec.maxSteps) + " steps");
    BenchmarkHook benchmarks(spec.benchmarkEval, ctx);
    bool stopped = trainer.stepsDone() == 0 && !benchmarks.after(0, spec.maxSteps, policy, *tokenizer);
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t firstStep = trainer.stepsDone();
    GrpoStepStats last;
    while (!stopped && trainer.stepsDone() < spec.maxSteps) {
        const std::int64_t step = trainer.stepsDone();
        std::vector<GrpoPrompt> prompts;
        for (const auto i : problemsOfStep(allPrompts.size(), spec.promptsPerStep, spec.seed, step))
            prompts.push_back(allPrompts[i]);
        std::vector<GrpoRollout> rollouts;
        last = trainer.step(prompts, &rollouts);
        char name[32];
        std::snprintf(name, sizeof name, "step_%06lld.jsonl", static_cast<long long>(step));
        writeGroups(runFolder / "groups" / name, step, prompts, rollouts, trainer.rewards());

        std::vector<std::pair<std::string, double>> values = {
            {"grpo/reward_mean", last.totalRewardMean}, {"grpo/reward_std", last.totalRewardStd},
            {"grpo/no_signal_share", last.noSignalShare}, {"grpo/kl", last.kl},
            {"grpo/clip_fraction", last.clipFraction}, {"grpo/entropy", last.entropy},
            {"grpo/length_mean", last.lengthMean}, {"grpo/length_max", double(last.lengthMax)},
            {"grpo/clipped_share", last.truncatedShare}, {"grpo/policy_loss", last.policyLoss},
            {"grpo/grad_norm", last.gradNorm}, {"grpo/lr", last.lr},
            {"grpo/rollout_s", last.rolloutSeconds}, {"grpo/train_s", last.trainSeconds}};
        for (std::size_t k = 0; k < last.rewardMean.size(); ++k) {
            const auto& term = trainer.rewards().terms()[k];
            values.emplace_back("grpo/reward/" + term.name + "/mean", last.rewardMean[k]);
            values.emplace_back("grpo/reward/" + term.name + "/std", last.rewardStd[k]);
            if (term.kind == RewardKind::Accuracy)
                values.emplace_back("grpo/accuracy", last.rewardMean[k]);
        }
        std::vector<store::Metric> metrics;
        for (const auto& [metricName, value] : values)
            metrics.push_back({ctx.runId, step, metricName, value, 0});
        ctx.workspace.addMetrics(metrics);
        for (const auto& m : metrics)
            ctx.events.metric(m.name, m.value, m.step);

        const std::int64_t done = trainer.stepsDone();
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double rate = double(done - firstStep) / std::max(1e-9, elapsed);
        ctx.events.progress(std::uint64_t(done), std::uint64_t(spec.maxSteps), double(spec.maxSteps - done) / rate, rate);
        const bool benchmarked = done >= spec.maxSteps || benchmarks.after(done, spec.maxSteps, policy, *tokenizer);
        if ((ctx.stop.requested() || !benchmarked) && done < spec.maxSteps) {
            save();
            stopped = true;
            break;
        }
        if (spec.saveEvery > 0 && done % spec.saveEvery == 0 && done < spec.maxSteps)
            save();
    }
    if (!stopped) {
        // A rerun of a finished run finds its final checkpoint on disk: no second copy is written.
        if (const auto latest = latestCheckpoint(runFolder); latest && checkpointStep(*latest) == trainer.stepsDone())
            lastCheckpoint = latest->string();
        else
            save();
        stopped = !benchmarks.after(trainer.stepsDone(), spec.maxSteps, policy, *tokenizer);
    }
    run::JobOutcome outcome;
    outcome.stopped = stopped;
    outcome.summary = {{"steps", trainer.stepsDone()},
                       {"total_steps", spec.maxSteps},
                       {"reward_mean", last.totalRewardMean},
                       {"checkpoint", lastCheckpoint},
                       {"problems", problems.size()},
                       {"skipped", skipped},
                       {"benchmarks", benchmarks.summary()}};
    return outcome;
}

void registerGrpoJob(run::JobRegistry& registry)
{
    registry.add("grpo", [](const run::SpecMap& spec, const std::string& name) -> std::unique_ptr<run::Job> {
        return std::make_unique<GrpoJob>(parseGrpoSpec(spec, name));
    });
}

}  // namespace distill::train
