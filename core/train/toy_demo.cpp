#include "core/train/toy_demo.h"

#include "core/eval/eval_job.h"
#include "core/eval/stored_results.h"
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/train/job_kinds.h"
#include "core/util/error.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <utility>

namespace distill::train {

namespace fs = std::filesystem;

namespace {

constexpr const char* kSftDatasetPrefix = "demo-toy-sft-";

// The stored config without the "# resolved ..." header line runJob writes above it.
std::string storedYaml(const std::string& config)
{
    if (!config.starts_with('#'))
        return config;
    const auto eol = config.find('\n');
    return eol == std::string::npos ? std::string() : config.substr(eol + 1);
}

struct Stage {
    run::RunResult result;
    double seconds = 0.0;
    bool resumed = false;
};

// Runs one job spec; the newest run of the same kind, name and resolved spec is resumed instead of
// starting over (unless `fresh`), so a rerun of an interrupted demo picks up where it stopped.
Stage runStage(const run::JobRegistry& registry, store::Workspace& ws, const std::string& spec,
               const ToyDemoOptions& options, run::EventSink& events, const run::StopToken& stop)
{
    const auto job = registry.parse(spec);
    run::RunRequest request{spec, std::nullopt, options.buildVersion};
    if (!options.fresh)
        for (const store::Run& r : ws.runs())
            if (store::runKindName(r.kind) == job->kind() && r.name == job->name()
                && storedYaml(r.config) == job->resolvedYaml())
                request.resumeRunId = r.id;
    const auto started = std::chrono::steady_clock::now();
    Stage stage{run::runJob(registry, ws, request, events, stop), 0.0, request.resumeRunId.has_value()};
    stage.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    if (stage.result.status == "failed")
        throw Error(ErrorCode::Internal,
                    "demo stage " + job->kind() + " failed: " + stage.result.summary.value("error", std::string("?")),
                    "see the error event above");
    return stage;
}

// pass@1 of a training run's benchmark hook at `step` (the last evaluated step when step < 0).
std::optional<double> passAt1(const store::Workspace& ws, std::int64_t runId, std::int64_t step)
{
    const auto values = ws.metrics(runId, std::string("eval/") + eval::kToyBenchmark + "/pass@1");
    if (values.empty())
        return std::nullopt;
    if (step < 0)
        return values.back().value;
    for (const auto& m : values)
        if (m.step == step)
            return m.value;
    return std::nullopt;
}

// The mean of a run's metric over its first and over its last `window` logged steps.
std::optional<std::pair<double, double>> firstAndLastMeans(const store::Workspace& ws, std::int64_t runId,
                                                           const std::string& name, std::size_t window)
{
    const auto values = ws.metrics(runId, name);
    if (values.empty())
        return std::nullopt;
    const std::size_t n = std::min(window, values.size());
    double first = 0.0;
    double last = 0.0;
    for (std::size_t i = 0; i < n; ++i) {
        first += values[i].value;
        last += values[values.size() - n + i].value;
    }
    return std::make_pair(first / double(n), last / double(n));
}

// Held-out toy pass@1 every `every` steps (and at the end), with the prompt the student was trained
// on: the bare question, the assistant turn opened with <think>.
std::string benchmarkEvalYaml(const ToyDemoOptions& o, std::int64_t every, bool atStart)
{
    return "benchmark_eval: {benchmarks: [toy], limit: " + std::to_string(o.evalProblems) + ", every: "
           + std::to_string(every) + ", samples: " + std::to_string(o.evalSamples)
           + ", at_start: " + (atStart ? "true" : "false")
           + ", max_tokens: 224, prompt: \"{question}\", think_prefill: true, batch: 100}\n";
}

std::string fmt(const char* format, double a, double b = 0.0, double c = 0.0)
{
    char line[256];
    std::snprintf(line, sizeof line, format, a, b, c);
    return line;
}

}  // namespace

nlohmann::json runToyDemo(store::Workspace& ws, const ToyDemoOptions& o, run::EventSink& events,
                          std::ostream& report, const run::StopToken& stop)
{
    const auto started = std::chrono::steady_clock::now();
    const run::JobRegistry registry = allJobKinds();
    const std::string resources = fs::path(o.toyResources).lexically_normal().string();
    nlohmann::json out = {{"demo", "toy"}};
    auto finish = [&](const std::string& status) {
        out["status"] = status;
        out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        report << out.dump() << std::endl;
        return out;
    };

    // 1. Teacher traces, graded against the reference answers: wrong ones are rejected as they land.
    const Stage gen = runStage(registry, ws,
                               "kind: generate\nname: demo-toy-teacher\ntoy: {count: " + std::to_string(o.problems)
                                   + ", seed: 0, difficulty: 0, split: train}\nsamples_per_problem: "
                                   + std::to_string(o.samplesPerProblem)
                                   + "\nprompt: {user: \"{question}\", think_prefill: true}\n"
                                     "teacher: {type: toy, error_rate: " + fmt("%g", o.teacherErrorRate)
                                   + ", self_check_rate: 0.1, verbosity: worked, terse_rate: "
                                   + fmt("%g", o.teacherTerseRate) + ", seed: " + std::to_string(o.seed) + "}\n"
                                     "verify: true\nreject_incorrect: true\nfilters: {language: en}\n",
                               o, events, stop);
    store::SampleQuery toySamples;
    toySamples.source = run::kToySource;
    const std::int64_t generated = ws.countSamples(toySamples);
    toySamples.status = store::SampleStatus::Accepted;
    const std::int64_t kept = ws.countSamples(toySamples);
    out["samples_generated"] = generated;
    out["samples_kept"] = kept;
    report << "teacher: " << generated << " toy samples, " << kept << " accepted after rejection sampling ("
           << fmt("%.0f s", gen.seconds) << ")" << std::endl;
    if (gen.result.status == "stopped")
        return finish("stopped");

    // 2. The accepted samples as a frozen dataset (named by its size, so new samples make a new one).
    const std::string datasetName = kSftDatasetPrefix + std::to_string(kept);
    if (!ws.dataset(datasetName))
        ws.freezeDataset(datasetName, toySamples);

    // 3. SFT of the tiny student from random weights; the hook measures pass@1 at step 0 and at the end.
    const Stage sft = runStage(
        registry, ws,
        "kind: sft\nname: demo-toy-sft\n"
        "data: {datasets: [{name: " + datasetName + "}], max_seq_len: 256, think_prefill: true, eval_fraction: 0.02}\n"
        "model: {path: " + resources + "/student_config.json, tokenizer: " + resources + "}\n"
        "train: {seed: " + std::to_string(o.seed) + ", max_steps: " + std::to_string(o.sftSteps) + ", micro_batch_size: 32, lr: 0.003,"
        " schedule: cosine, warmup_steps: 20, weight_decay: 0.1, max_grad_norm: 1.0, loss_chunk_tokens: 2048}\n"
        "checkpoints: {save_every: 250, keep_last: 1}\n" + benchmarkEvalYaml(o, 250, true),
        o, events, stop);
    out["sft_run"] = sft.result.runId;
    out["pass_at_1_before"] = passAt1(ws, sft.result.runId, 0).value_or(-1.0);
    if (sft.result.status == "stopped")
        return finish("stopped");
    const double afterSft = passAt1(ws, sft.result.runId, o.sftSteps).value_or(-1.0);
    out["pass_at_1_after_sft"] = afterSft;
    if (const auto losses = ws.metrics(sft.result.runId, "train/loss"); !losses.empty())
        out["sft_train_loss"] = losses.back().value;  // also when a rerun found the run finished
    report << fmt("sft: pass@1 %.3f -> %.3f on held-out toy problems", out["pass_at_1_before"].get<double>(),
                  afterSft)
           << " (" << o.sftSteps << " steps, " << fmt("%.0f s", sft.seconds) << ")" << std::endl;
    if (o.grpoSteps <= 0)
        return finish("finished");

    // 4. GRPO from the SFT checkpoint with the accuracy and format rewards, on the longest problems
    //    (four operands): after SFT nearly all of the student's errors are there, so groups there
    //    carry a signal (about 60 % of them against 30 % on mixed levels).
    const std::string checkpoint = sft.result.summary.value("checkpoint", std::string());
    if (checkpoint.empty())
        throw Error(ErrorCode::Internal, "the SFT stage left no checkpoint");
    const Stage grpo = runStage(
        registry, ws,
        "kind: grpo\nname: demo-toy-grpo\n"
        "problems: {toy: {count: 2000, first_seed: 100000, difficulty: 3}, think_prefill: true}\n"
        "model: {path: " + checkpoint + "}\n"
        "rollout: {prompts_per_step: 32, num_generations: 8, max_new_tokens: 224, temperature: 1.0, top_p: 1.0}\n"
        "rewards: [{kind: accuracy, weight: 1}, {kind: format, weight: 0.1}]\n"
        "objective: {epsilon: 0.2, epsilon_high: 0.28, beta: 0.0, loss_aggregation: token, updates_per_batch: 1}\n"
        "train: {seed: " + std::to_string(o.seed) + ", max_steps: " + std::to_string(o.grpoSteps) + ", micro_batch_size: 32, lr: 5.0e-5,"
        " schedule: constant, max_grad_norm: 1.0}\n"
        "checkpoints: {save_every: 10, keep_last: 1}\n" + benchmarkEvalYaml(o, 10, true),
        o, events, stop);
    out["grpo_run"] = grpo.result.runId;
    if (grpo.result.status == "stopped")
        return finish("stopped");
    const double afterGrpo = passAt1(ws, grpo.result.runId, o.grpoSteps).value_or(-1.0);
    out["pass_at_1_after_grpo"] = afterGrpo;
    report << fmt("grpo: pass@1 %.3f -> %.3f", afterSft, afterGrpo) << " (" << o.grpoSteps << " steps, "
           << fmt("%.0f s", grpo.seconds) << ")" << std::endl;
    // What the curves show, as the means of their first and last five steps.
    const auto reward = firstAndLastMeans(ws, grpo.result.runId, "grpo/reward_mean", 5);
    const auto length = firstAndLastMeans(ws, grpo.result.runId, "grpo/length_mean", 5);
    if (reward && length) {
        out["grpo_reward_mean"] = {reward->first, reward->second};
        out["grpo_response_length"] = {length->first, length->second};
        report << fmt("grpo: rollout reward %.3f -> %.3f, response length %.0f", reward->first, reward->second,
                      length->first)
               << fmt(" -> %.0f tokens (means of the first and last five steps)", length->second) << std::endl;
    }
    // The gain paired by problem: the hook evaluated the SFT weights (step 0) and the final weights on
    // the same held-out problems, so their difference is far less noisy than the two intervals.
    const auto atStart = ws.evalResults(grpo.result.runId, "step-0");
    const auto atEnd = ws.evalResults(grpo.result.runId, "step-" + std::to_string(o.grpoSteps));
    if (!atStart.empty() && !atEnd.empty()) {
        const eval::Estimate gain = eval::pairedPass1Difference(atStart, atEnd);
        out["grpo_pass_at_1_gain"] = {{"value", gain.value}, {"ci", {gain.low, gain.high}}};
        report << fmt("grpo: pass@1 gain paired by problem %+.3f, 95%% CI [%+.3f, %+.3f]", gain.value, gain.low,
                      gain.high)
               << std::endl;
    }
    return finish("finished");
}

}  // namespace distill::train
