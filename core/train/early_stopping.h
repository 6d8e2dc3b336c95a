// Early stopping of a training run on an evaluation metric: the held-out loss (lower is better) or
// the mean pass@1 of the run's benchmark evaluation (higher is better). Each evaluation either
// improves on the best so far by more than min_delta (the run keeps a checkpoint of that step as its
// best) or counts against the patience; when `patience` evaluations in a row did not improve, the
// run stops. Its state travels in the checkpoints, so a resumed run counts on where it was.
#pragma once

#include "core/run/spec_schema.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace distill::train {

enum class StoppingMetric { EvalLoss, Pass1 };

struct EarlyStoppingSpec {
    StoppingMetric metric = StoppingMetric::EvalLoss;
    std::int64_t patience = 3;  // evaluations without improvement before the run stops
    double minDelta = 0.0;      // the least change that counts as an improvement
};

// The `early_stopping` section of training specs (absent: train to the end).
run::KeyDoc earlyStoppingSection();
// The section of a resolved spec; nullopt when it is absent.
std::optional<EarlyStoppingSpec> readEarlyStopping(const run::ResolvedSpec& spec);

class EarlyStopping {
public:
    explicit EarlyStopping(std::optional<EarlyStoppingSpec> spec) : m_spec(spec) {}

    bool enabled() const { return m_spec.has_value(); }
    StoppingMetric metric() const { return m_spec ? m_spec->metric : StoppingMetric::EvalLoss; }
    // Records the metric's value after `step`; true when it is the new best.
    bool record(std::int64_t step, double value);
    // Whether the patience ran out: the run stops.
    bool exhausted() const { return m_spec && m_bad >= m_spec->patience; }
    std::optional<std::int64_t> bestStep() const { return m_bestStep; }

    // The state kept in a checkpoint, and restored from one (null: nothing recorded yet).
    nlohmann::json state() const;
    void restore(const nlohmann::json& state);
    // {"metric", "best", "best_step", "evaluations_without_improvement", "stopped_early"}; null when disabled.
    nlohmann::json summary() const;

private:
    std::optional<EarlyStoppingSpec> m_spec;
    std::optional<double> m_best;
    std::optional<std::int64_t> m_bestStep;
    std::int64_t m_bad = 0;
};

}  // namespace distill::train
