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

struct CheckpointEval {
    std::vector<std::string> benchmarks;
    std::int64_t limit = 0;
    EvalConfig config;
};

// Evaluates a training checkpoint on each benchmark: responses go to eval_results of `runId` under
// checkpoint "step-<step>" (so a rerun resumes), and metrics eval/<bench>/pass@1,
// eval/<bench>/cons@k and eval/<bench>/response_len are added at `step`. Returns one summary per
// benchmark.
std::vector<EvalSummary> evaluateCheckpoint(store::Workspace& workspace, std::int64_t runId, std::int64_t step,
                                            model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                                            const CheckpointEval& eval, const ProgressFn& progress = {});

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
