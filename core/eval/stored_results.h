// Evaluation numbers from what the workspace stores: the eval_results rows of one (run, checkpoint,
// benchmark) turned into per-problem outcomes and an EvalSummary, and the evaluation protocol read
// back from a run's resolved config. No torch, no Qt: the desktop app's evaluation page uses it.
#pragma once

#include "core/eval/eval_summary.h"
#include "core/store/records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distill::eval {

// One stored response as a SampleOutcome. Thinking lengths are not stored; with `maxTokens` a
// response of at least that many tokens counts as truncated (stopped by the token limit), without
// it the finish is unknown.
SampleOutcome sampleOutcome(const store::EvalResult& row, std::optional<std::int64_t> maxTokens = {});

// The rows grouped by problem (ascending problem id), each problem's samples by sample index. The
// caller passes the rows of one benchmark and checkpoint.
std::vector<ProblemOutcome> problemOutcomes(const std::vector<store::EvalResult>& rows,
                                            std::optional<std::int64_t> maxTokens = {});

// summarize(problemOutcomes(rows, maxTokens)) with the benchmark name of the first row. Throws
// InvalidArgument for no rows.
EvalSummary summarizeStored(const std::vector<store::EvalResult>& rows, const BootstrapOptions& bootstrap = {},
                            std::optional<std::int64_t> maxTokens = {});

// pass@1 of `after` minus pass@1 of `before`, paired by problem: the mean over the problems both
// evaluated of (correct share after - correct share before), with a bootstrap interval over those
// problems. Two checkpoints evaluated on the same problems differ by far less noise than their two
// separate intervals suggest; an interval above 0 shows that `after` is better. Throws
// InvalidArgument when the two share no problem.
Estimate pairedPass1Difference(const std::vector<store::EvalResult>& before, const std::vector<store::EvalResult>& after,
                               const BootstrapOptions& bootstrap = {});

// The protocol an evaluation ran with, read from a run's config (Run::config): the top level of a
// `kind: eval` spec, or the `benchmark_eval` section of an sft / grpo spec. Keys that are missing
// keep EvalConfig's defaults.
struct StoredProtocol {
    bool found = false;  // the config has an evaluation protocol
    std::string model;   // an eval spec's model folder; empty for training runs
    std::int64_t samples = 0;
    std::int64_t maxTokens = 0;
    // The thinking budget (budget forcing; -1 / 0 = off).
    std::int64_t maxThinkingTokens = -1;
    std::int64_t minThinkingTokens = 0;
    std::int64_t maxWaits = 0;
    // The bootstrap of the job's summary (its seed is the sampling seed), to reproduce its interval.
    BootstrapOptions bootstrap;
    // Everything else that changes the responses (model, tokenizer, limit, samples, temperature,
    // top_p, seed, max_tokens, prompt, think_prefill) as one text: two evaluations with the same key
    // differ at most by their thinking budget.
    std::string keyWithoutBudget;
};

// Never throws: a config that is not YAML, or has no protocol, gives found = false.
StoredProtocol readStoredProtocol(const std::string& runConfigYaml);

// The training step of a checkpoint label "step-<n>"; nullopt for other labels (a model folder name).
std::optional<std::int64_t> checkpointStep(const std::string& checkpoint);

}  // namespace distill::eval
