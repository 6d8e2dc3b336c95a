#include "core/train/benchmark_hook.h"

#include <cstdio>

namespace distill::train {

bool BenchmarkHook::after(std::int64_t step, std::int64_t totalSteps, model::CausalLM model,
                          const tokenizer::Tokenizer& tokenizer)
{
    if (!m_eval.due(step, totalSteps))
        return true;
    m_ctx.events.log("info", "benchmark evaluation of step " + std::to_string(step));
    const auto summaries = eval::evaluateCheckpoint(
        m_ctx.workspace, m_ctx.runId, step, model, tokenizer, m_eval,
        [this](std::uint64_t, std::uint64_t) { return !m_ctx.stop.requested(); }, &m_ctx.events);
    nlohmann::json result = {{"step", step}};
    for (const auto& s : summaries) {
        if (!s.complete)
            return false;
        result[s.benchmark] = eval::toJson(s);
        char line[160];
        std::snprintf(line, sizeof line, "step %lld %s: pass@1 %.3f, cons@k %.3f, response %.0f tokens",
                      static_cast<long long>(step), s.benchmark.c_str(), s.pass1.value, s.consAtK.value,
                      s.responseTokens.value);
        m_ctx.events.log("info", line);
    }
    if (m_first.is_null())
        m_first = result;
    m_last = result;
    return true;
}

std::optional<double> BenchmarkHook::meanPass1(std::int64_t step) const
{
    if (m_last.is_null() || m_last.at("step").get<std::int64_t>() != step)
        return std::nullopt;
    double sum = 0.0;
    int count = 0;
    for (const auto& [key, bench] : m_last.items())
        if (key != "step") {
            sum += bench.at("pass@1").at("value").get<double>();
            ++count;
        }
    return count > 0 ? std::optional<double>(sum / count) : std::nullopt;
}

nlohmann::json BenchmarkHook::summary() const
{
    if (m_first.is_null())
        return nullptr;
    return {{"first", m_first}, {"last", m_last}};
}

}  // namespace distill::train
