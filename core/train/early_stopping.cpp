#include "core/train/early_stopping.h"

namespace distill::train {

namespace {

const char* metricName(StoppingMetric metric)
{
    return metric == StoppingMetric::EvalLoss ? "eval_loss" : "pass@1";
}

}  // namespace

run::KeyDoc earlyStoppingSection()
{
    using namespace run::key;
    const EarlyStoppingSpec d;
    return optionalSection(
        "early_stopping", "Early stopping",
        {choice("metric", metricName(d.metric), {"eval_loss", "pass@1"},
                "eval_loss: the held-out loss (eval_every); pass@1: the mean over benchmark_eval's benchmarks"),
         integer("patience", d.patience, 1, 1000000, "evaluations in a row without improvement before the run stops"),
         number("min_delta", d.minDelta, 0.0, 1e9, "the least change of the metric that counts as an improvement")},
        "stop when the evaluation metric stops improving; the best step's checkpoint is kept (absent: train to the end)");
}

std::optional<EarlyStoppingSpec> readEarlyStopping(const run::ResolvedSpec& spec)
{
    if (!spec.values.contains("early_stopping"))
        return std::nullopt;
    const auto& v = spec.values.at("early_stopping");
    EarlyStoppingSpec s;
    s.metric = v.at("metric").get<std::string>() == "eval_loss" ? StoppingMetric::EvalLoss : StoppingMetric::Pass1;
    s.patience = v.at("patience").get<std::int64_t>();
    s.minDelta = v.at("min_delta").get<double>();
    return s;
}

bool EarlyStopping::record(std::int64_t step, double value)
{
    if (!m_spec)
        return false;
    const double gain = m_spec->metric == StoppingMetric::EvalLoss ? (m_best ? *m_best - value : 0.0)
                                                                   : (m_best ? value - *m_best : 0.0);
    if (!m_best || gain > m_spec->minDelta) {
        m_best = value;
        m_bestStep = step;
        m_bad = 0;
        return true;
    }
    ++m_bad;
    return false;
}

nlohmann::json EarlyStopping::state() const
{
    if (!m_best)
        return nullptr;
    return {{"best", *m_best}, {"best_step", *m_bestStep}, {"bad", m_bad}};
}

void EarlyStopping::restore(const nlohmann::json& state)
{
    if (state.is_null())
        return;
    m_best = state.at("best").get<double>();
    m_bestStep = state.at("best_step").get<std::int64_t>();
    m_bad = state.at("bad").get<std::int64_t>();
}

nlohmann::json EarlyStopping::summary() const
{
    if (!m_spec)
        return nullptr;
    return {{"metric", metricName(m_spec->metric)},
            {"best", m_best ? nlohmann::json(*m_best) : nlohmann::json()},
            {"best_step", m_bestStep ? nlohmann::json(*m_bestStep) : nlohmann::json()},
            {"evaluations_without_improvement", m_bad},
            {"stopped_early", exhausted()}};
}

}  // namespace distill::train
