// The `eval` job kind (a model folder on workspace benchmarks, resumable per problem x sample), the
// problem sets it evaluates, and evaluateCheckpoint(): the hook trainers call every N steps.
#pragma once

#include "core/eval/evaluator.h"
#include "core/model/checkpoint.h"
#include "core/run/job_registry.h"
#include "core/tokenizer/tokenizer.h"

#include <memory>
#include <string>
#include <vector>

namespace distill::eval {

// The benchmark name of the toy domain's held-out problems.
inline constexpr const char* kToyBenchmark = "toy";
inline constexpr std::int64_t kToyDefaultCount = 100;

// Problems of a benchmark: a problem source of the workspace ("aime24", "math500", a user set), or
// "toy" (held-out toy problems, created in the workspace when missing). limit 0 = all (toy: 100).
// NotFound when the workspace has no problem of that source.
std::vector<EvalProblem> benchmarkProblems(store::Workspace& workspace, const std::string& benchmark,
                                           std::int64_t limit);

// A model folder loaded for evaluation with its tokenizer (from `tokenizerDir`, else the model folder).
struct EvalModel {
    model::LoadedModel loaded;
    std::unique_ptr<tokenizer::Tokenizer> tokenizer;
};
// `device`: "cpu", "cuda" or "cuda:N". InvalidArgument for other text.
EvalModel loadEvalModel(const std::string& modelDir, const std::string& tokenizerDir, const std::string& device);

// The benchmark evaluation a training run does of its own weights (the `benchmark_eval` section of
// the sft and grpo specs): on the starting weights (step 0, the "before" number), every `every`
// steps, and on the final weights.
struct CheckpointEval {
    std::vector<std::string> benchmarks;  // empty: no evaluation
    std::int64_t every = 0;               // steps; 0: only at the start and the end
    bool atStart = true;                  // evaluate the starting weights as step 0
    std::int64_t limit = 0;
    EvalConfig config;

    bool enabled() const { return !benchmarks.empty(); }
    // Whether the weights after `step` of `totalSteps` are evaluated (step 0 = before training).
    bool due(std::int64_t step, std::int64_t totalSteps) const;
};

// Reads a `benchmark_eval` mapping (benchmarks, every, at_start, limit and the keys of an eval spec's
// protocol: samples, temperature, top_p, seed, max_tokens, prompt, think_prefill, batch, budget
// forcing, bootstrap_resamples); unknown keys are errors.
CheckpointEval parseCheckpointEval(const run::SpecMap& map);
// The resolved mapping; parseCheckpointEval of it gives the same value.
YAML::Node checkpointEvalYaml(const CheckpointEval& eval);

// Evaluates a training checkpoint on each benchmark: responses go to eval_results of `runId` under
// checkpoint "step-<step>" (so a rerun resumes), and metrics eval/<bench>/pass@1,
// eval/<bench>/cons@k and eval/<bench>/response_len are added at `step` (and reported as metric
// events when `events` is given). Returns one summary per benchmark.
std::vector<EvalSummary> evaluateCheckpoint(store::Workspace& workspace, std::int64_t runId, std::int64_t step,
                                            model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                                            const CheckpointEval& eval, const ProgressFn& progress = {},
                                            run::EventSink* events = nullptr);

struct EvalSpec {
    std::string name = "eval";
    std::string model;       // HF model folder (required)
    std::string tokenizer;   // empty: the model folder
    std::string checkpoint;  // label of the rows in eval_results; empty: the model folder's name
    std::string device = "cpu";
    std::vector<std::string> benchmarks;  // required, at least one
    std::int64_t limit = 0;
    EvalConfig config;
};

// Reads a `kind: eval` spec (kind and name already read); unknown keys are errors.
EvalSpec parseEvalSpec(const run::SpecMap& spec, const std::string& name);
// The resolved spec as YAML; parseEvalSpec of it gives the same spec.
std::string evalSpecYaml(const EvalSpec& spec);

// Adds `kind: eval` to the registry.
void registerEvalJob(run::JobRegistry& registry);

}  // namespace distill::eval
