// BenchmarkHook: a training run's own benchmark evaluation (the `benchmark_eval` spec section) of
// its weights at step 0, every N steps and at the end, with pass@1 / cons@k / response length
// metrics at the step, so the run's curves carry them and the summary has the before/after numbers.
#pragma once

#include "core/eval/eval_job.h"
#include "core/run/job_registry.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>

namespace distill::train {

class BenchmarkHook {
public:
    BenchmarkHook(const eval::CheckpointEval& eval, run::JobContext& context) : m_eval(eval), m_ctx(context) {}

    // Evaluates `model` as it is after `step` of `totalSteps` when that step is due. Returns false
    // when a stop request cut the evaluation short (what was generated is kept and resumed later).
    bool after(std::int64_t step, std::int64_t totalSteps, model::CausalLM model, const tokenizer::Tokenizer& tokenizer);

    // The mean pass@1 over the benchmarks of the evaluation of `step`; nullopt when none ran at it.
    std::optional<double> meanPass1(std::int64_t step) const;
    // {"first": {"step": s, "<bench>": {...summary}}, "last": {...}} of the evaluations this process ran.
    nlohmann::json summary() const;

private:
    const eval::CheckpointEval& m_eval;
    run::JobContext& m_ctx;
    nlohmann::json m_first, m_last;
};

}  // namespace distill::train
