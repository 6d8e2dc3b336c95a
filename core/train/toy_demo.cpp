#include "core/train/toy_demo.h"

#include "core/eval/eval_job.h"
#include "core/eval/stored_results.h"
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/train/job_kinds.h"
#include "core/util/error.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <map>
#include <optional>
#include <sstream>
#include <utility>

namespace distill::train {

namespace fs = std::filesystem;

namespace {

// The stored config without the "# resolved ..." header line runJob writes above it.
std::string storedYaml(const std::string& config)
{
    if (!config.starts_with('#'))
        return config;
    const auto eol = config.find('\n');
    return eol == std::string::npos ? std::string() : config.substr(eol + 1);
}

}  // namespace

std::string toyDemoPipelineYaml(const ToyDemoOptions& o)
{
    const std::string resources = store::bundledResourcesDir();
    if (resources.empty())
        throw Error(ErrorCode::NotFound, "the bundled resources folder was not found", "set DISTILLERY_RESOURCES");
    YAML::Node spec = YAML::LoadFile((fs::path(resources) / "recipes" / "distillation.yaml").string());
    spec["name"] = kToyDemoPipelineName;
    YAML::Node vars = spec["vars"];
    vars["problems"] = o.problems;
    vars["samples_per_problem"] = o.samplesPerProblem;
    vars["error_rate"] = o.teacherErrorRate;
    vars["terse_rate"] = o.teacherTerseRate;
    vars["seed"] = o.seed;
    vars["sft_steps"] = o.sftSteps;
    vars["eval_problems"] = o.evalProblems;
    vars["eval_samples"] = o.evalSamples;
    // GRPO from the SFT checkpoint with the accuracy and format rewards, on the longest problems
    // (four operands): after SFT nearly all of the student's errors are there, so groups there carry
    // a signal (about 60 % of them against 30 % on mixed levels).
    if (o.grpoSteps > 0)
        spec["stages"].push_back(YAML::Load(
            "name: grpo\n"
            "spec:\n"
            "  kind: grpo\n"
            "  problems: {toy: {count: 2000, first_seed: 100000, difficulty: 3}, think_prefill: true}\n"
            "  model:\n"
            "    path: ${sft.checkpoint}\n"
            "  rollout: {prompts_per_step: 32, num_generations: 8, max_new_tokens: 224, temperature: 1.0, top_p: 1.0}\n"
            "  rewards: [{kind: accuracy, weight: 1}, {kind: format, weight: 0.1}]\n"
            "  objective: {epsilon: 0.2, epsilon_high: 0.28, beta: 0.0, loss_aggregation: token, updates_per_batch: 1}\n"
            "  train: {seed: " + std::to_string(o.seed) + ", max_steps: " + std::to_string(o.grpoSteps)
            + ", micro_batch_size: 32, lr: 5.0e-5, schedule: constant, max_grad_norm: 1.0}\n"
              "  checkpoints: {save_every: 10, keep_last: 1}\n"
              "  benchmark_eval: {benchmarks: [toy], limit: " + std::to_string(o.evalProblems) + ", every: 10, samples: "
            + std::to_string(o.evalSamples)
            + ", at_start: true, max_tokens: 224, prompt: \"{question}\", think_prefill: true, batch: 100}\n"));
    YAML::Emitter text;
    text << spec;
    return std::string(text.c_str()) + "\n";
}

namespace {

// Runs the pipeline; the newest pipeline run of the same resolved spec is resumed instead of starting
// over (unless `fresh`), so a rerun of an interrupted demo picks up where it stopped.
run::RunResult runPipeline(store::Workspace& ws, const std::string& spec, const ToyDemoOptions& options,
                           run::EventSink& events, const run::StopToken& stop)
{
    const run::JobRegistry registry = allJobKinds();
    const auto job = registry.parse(spec);
    run::RunRequest request;
    request.specText = spec;
    request.buildVersion = options.buildVersion;
    if (!options.fresh)
        for (const store::Run& r : ws.runs())
            if (r.kind == store::RunKind::Pipeline && r.name == job->name() && storedYaml(r.config) == job->resolvedYaml())
                request.resumeRunId = r.id;
    return run::runJob(registry, ws, request, events, stop);
}

// A training run's benchmark hook: pass@1 at its first and at its last evaluation ({step -1, value
// -1} when it has none).
struct Evaluation {
    std::int64_t step = -1;
    double value = -1.0;
};
std::pair<Evaluation, Evaluation> firstAndLastPassAt1(const store::Workspace& ws, std::int64_t runId)
{
    const auto values = ws.metrics(runId, std::string("eval/") + eval::kToyBenchmark + "/pass@1");
    if (values.empty())
        return {};
    return {{values.front().step, values.front().value}, {values.back().step, values.back().value}};
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
    const run::RunResult pipeline = runPipeline(ws, toyDemoPipelineYaml(o), o, events, stop);
    if (pipeline.status == "failed")
        throw Error(pipeline.errorCode, "demo " + pipeline.summary.value("error", std::string("failed")),
                    "see the error event above; a rerun resumes the stage");
    nlohmann::json out = toyDemoReport(ws, pipeline.runId, report);
    out["seconds"] = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    report << out.dump() << std::endl;
    return out;
}

nlohmann::json toyDemoReport(const store::Workspace& ws, std::int64_t pipelineRunId, std::ostream& report)
{
    const auto pipeline = ws.run(pipelineRunId);
    if (!pipeline)
        throw Error(ErrorCode::NotFound, "no run #" + std::to_string(pipelineRunId) + " in the workspace");
    bool withGrpo = false;  // the spec has a GRPO stage (ToyDemoOptions::grpoSteps > 0)
    for (const auto& stage : YAML::Load(storedYaml(pipeline->config))["stages"])
        withGrpo = withGrpo || stage["name"].as<std::string>("") == "grpo";
    nlohmann::json out = {{"demo", "toy"}, {"pipeline_run", pipelineRunId}};
    auto finish = [&](const std::string& status) {
        out["status"] = status;
        return out;
    };
    struct Stage {
        std::int64_t runId = 0;
        std::string status;
        nlohmann::json summary = nlohmann::json::object();
    };
    std::map<std::string, Stage> stages;  // a stage started again has its newest run here
    for (const store::Run& r : ws.childRuns(pipelineRunId))
        stages[r.stage] = {r.id, r.status,
                           r.summary.empty() ? nlohmann::json::object() : nlohmann::json::parse(r.summary)};

    // 1. Teacher traces, graded against the reference answers: wrong ones were rejected as they landed.
    store::SampleQuery toySamples;
    toySamples.source = run::kToySource;
    const std::int64_t generated = ws.countSamples(toySamples);
    toySamples.status = store::SampleStatus::Accepted;
    const std::int64_t kept = ws.countSamples(toySamples);
    out["samples_generated"] = generated;
    out["samples_kept"] = kept;
    report << "teacher: " << generated << " toy samples, " << kept << " accepted after rejection sampling" << std::endl;
    // 2. The accepted samples were frozen as a dataset named by its size.
    if (stages.count("data"))
        out["dataset"] = stages["data"].summary.value("dataset", std::string());
    if (!stages.count("sft") || stages["sft"].status != "finished") {
        if (stages.count("sft"))
            out["sft_run"] = stages["sft"].runId;
        return finish("stopped");
    }

    // 3. SFT of the tiny student from random weights; its hook measured pass@1 at step 0 and at the end.
    const std::int64_t sftRun = stages["sft"].runId;
    out["sft_run"] = sftRun;
    const auto [beforeSft, sftEnd] = firstAndLastPassAt1(ws, sftRun);
    out["pass_at_1_before"] = beforeSft.value;
    const double afterSft = sftEnd.value;
    out["pass_at_1_after_sft"] = afterSft;
    if (const auto losses = ws.metrics(sftRun, "train/loss"); !losses.empty())
        out["sft_train_loss"] = losses.back().value;
    report << fmt("sft: pass@1 %.3f -> %.3f on held-out toy problems", out["pass_at_1_before"].get<double>(), afterSft)
           << " (" << sftEnd.step << " steps)" << std::endl;
    // 4. The evaluation stage: the final checkpoint on the same held-out problems, at the R1 protocol's
    //    sampling (temperature 0.6, top-p 0.95), with its interval.
    if (!stages.count("eval") || stages["eval"].status != "finished")
        return finish("stopped");
    const auto evalPass = stages["eval"].summary.at(eval::kToyBenchmark).at("pass@1");
    out["eval_run"] = stages["eval"].runId;
    out["eval_pass_at_1"] = evalPass;
    report << fmt("eval: pass@1 %.3f, 95%% CI [%.3f, %.3f] (temperature 0.6, top-p 0.95)", evalPass.at("value").get<double>(),
                  evalPass.at("ci").at(0).get<double>(), evalPass.at("ci").at(1).get<double>())
           << std::endl;
    if (!withGrpo)
        return finish("finished");
    if (!stages.count("grpo") || stages["grpo"].status != "finished") {
        if (stages.count("grpo"))
            out["grpo_run"] = stages["grpo"].runId;
        return finish("stopped");
    }

    // 5. GRPO from the SFT checkpoint.
    const std::int64_t grpoRun = stages["grpo"].runId;
    out["grpo_run"] = grpoRun;
    const Evaluation grpoEnd = firstAndLastPassAt1(ws, grpoRun).second;
    const double afterGrpo = grpoEnd.value;
    out["pass_at_1_after_grpo"] = afterGrpo;
    report << fmt("grpo: pass@1 %.3f -> %.3f", afterSft, afterGrpo) << " (" << grpoEnd.step << " steps)" << std::endl;
    // What the curves show, as the means of their first and last five steps.
    const auto reward = firstAndLastMeans(ws, grpoRun, "grpo/reward_mean", 5);
    const auto length = firstAndLastMeans(ws, grpoRun, "grpo/length_mean", 5);
    if (reward && length) {
        out["grpo_reward_mean"] = {reward->first, reward->second};
        out["grpo_response_length"] = {length->first, length->second};
        report << fmt("grpo: rollout reward %.3f -> %.3f, response length %.0f", reward->first, reward->second,
                      length->first)
               << fmt(" -> %.0f tokens (means of the first and last five steps)", length->second) << std::endl;
    }
    // The gain paired by problem: the hook evaluated the SFT weights (step 0) and the final weights on
    // the same held-out problems, so their difference is far less noisy than the two intervals.
    const auto atStart = ws.evalResults(grpoRun, "step-0");
    const auto atEnd = ws.evalResults(grpoRun, "step-" + std::to_string(grpoEnd.step));
    if (!atStart.empty() && !atEnd.empty()) {
        const eval::Estimate gain = eval::pairedPass1Difference(atStart, atEnd);
        out["grpo_pass_at_1_gain"] = {{"value", gain.value}, {"ci", {gain.low, gain.high}}};
        report << fmt("grpo: pass@1 gain paired by problem %+.3f, 95%% CI [%+.3f, %+.3f]", gain.value, gain.low,
                      gain.high)
               << std::endl;
    }
    return finish("finished");
}

std::string toyDemoReportText(const store::Workspace& ws, std::int64_t pipelineRunId)
{
    const auto run = ws.run(pipelineRunId);
    if (!run || run->kind != store::RunKind::Pipeline || run->name != kToyDemoPipelineName)
        return {};
    std::ostringstream text;
    toyDemoReport(ws, pipelineRunId, text);
    return text.str();
}

}  // namespace distill::train
