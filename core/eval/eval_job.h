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
// `device`: "cpu", "cuda" or "cuda:N" (InvalidArgument for other text, Unsupported without it);
// `dtype`: auto (bf16 on CUDA, float32 on the CPU), float32 or bf16.
EvalModel loadEvalModel(const std::string& modelDir, const std::string& tokenizerDir, const std::string& device,
                        const std::string& dtype = "auto");

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

// The keys of an evaluation protocol (samples, temperature, top_p, seed, max_tokens, prompt,
// think_prefill, batch, budget forcing, bootstrap_resamples), shared by the eval spec and the
// benchmark_eval section of training specs.
std::vector<run::KeyDoc> protocolKeys();
// The `benchmark_eval` section (benchmarks, every, at_start, limit and the protocol) of training specs.
run::KeyDoc checkpointEvalSection();
// The benchmark_eval of a resolved training spec (not enabled when the section is absent).
CheckpointEval readCheckpointEval(const run::ResolvedSpec& spec);

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
    std::string dtype = "auto";
    std::vector<std::string> benchmarks;  // required, at least one
    std::int64_t limit = 0;
    EvalConfig config;
};

// The keys of `kind: eval`.
const run::SpecSchema& evalSchema();
// The spec of a resolved `kind: eval` spec (fills in the checkpoint label from the model folder).
EvalSpec readEvalSpec(run::ResolvedSpec& spec, const std::string& name);

// Adds `kind: eval` to the registry.
void registerEvalJob(run::JobRegistry& registry);

class EvalJob : public run::Job {
public:
    explicit EvalJob(EvalSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "eval"; }
    std::string name() const override { return m_spec.name; }
    // Summary: per benchmark, eval_summary.h's JSON; metrics eval/<bench>/pass@1, cons@k, response_len.
    run::JobOutcome run(run::JobContext& context) override;

    const EvalSpec& spec() const { return m_spec; }

private:
    EvalSpec m_spec;
};

}  // namespace distill::eval
