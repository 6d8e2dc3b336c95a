// The toy pipeline of `distillery-cli demo`: the bundled distillation recipe (toy-teacher generation
// with rejection sampling, a frozen dataset of the accepted samples, SFT of a tiny student from
// scratch, evaluation) plus GRPO from the SFT checkpoint, run as one pipeline job of the workspace (a
// rerun resumes it). Held-out toy pass@1 is measured by the training runs' benchmark hook before SFT,
// after SFT and after GRPO.
#pragma once

#include "core/run/event_sink.h"
#include "core/run/stop_token.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <ostream>
#include <string>

namespace distill::store {
class Workspace;
}

namespace distill::train {

struct ToyDemoOptions {
    int problems = 16000;            // toy train problems given to the teacher
    int samplesPerProblem = 2;
    double teacherErrorRate = 0.2;   // share of wrong traces, for rejection sampling to remove
    double teacherTerseRate = 0.2;   // share of traces without the working ("37+48=85"), which a tiny
                                     // student imitates but gets wrong far more often
    std::int64_t sftSteps = 1000;
    std::int64_t grpoSteps = 30;     // 0: no GRPO stage
    int evalProblems = 100;          // held-out toy problems
    int evalSamples = 4;             // k per problem
    std::uint64_t seed = 0;          // of the teacher's choices, the SFT and the GRPO runs (not of the problems)
    bool fresh = false;              // start new runs even when the workspace has runs of the same specs
    std::string buildVersion;
};

// The name of the demo's pipeline runs.
inline constexpr const char* kToyDemoPipelineName = "demo-toy";

// The demo's pipeline spec (YAML): the bundled distillation recipe sized by `options`, plus a GRPO
// stage when grpoSteps > 0. The window's first start runs the same spec.
std::string toyDemoPipelineYaml(const ToyDemoOptions& options);

// Runs the pipeline. Job events go to `events`; `report` gets one human line per stage and, last, one
// JSON line: {"demo": "toy", "pass_at_1_before", "pass_at_1_after_sft", "pass_at_1_after_grpo",
// "grpo_pass_at_1_gain", "grpo_reward_mean" and "grpo_response_length" ([first, last]: means of the
// first and last five GRPO steps), "samples_generated", "samples_kept", "seconds", ...}, which is also
// returned. A stop request ends the stage in flight gracefully (the JSON then has "status": "stopped").
// Throws distill::Error when a stage fails.
nlohmann::json runToyDemo(store::Workspace& workspace, const ToyDemoOptions& options, run::EventSink& events,
                          std::ostream& report, const run::StopToken& stop);

// The report of a pipeline run of toyDemoPipelineYaml as it stands in the workspace (the
// window shows it when the run ends): the human lines go to `report`; returns the JSON above, less
// "seconds", with "status": "stopped" while a stage is not finished.
nlohmann::json toyDemoReport(const store::Workspace& workspace, std::int64_t pipelineRunId, std::ostream& report);
// The report's human lines for a run of the demo's pipeline (the window's first start); empty for a
// run of another pipeline.
std::string toyDemoReportText(const store::Workspace& workspace, std::int64_t pipelineRunId);

}  // namespace distill::train
