#include "core/teacher/usage_counter.h"

namespace distill::teacher {

static std::int64_t intField(const nlohmann::json& object, const char* key)
{
    if (!object.is_object())
        return 0;
    const auto it = object.find(key);
    return it != object.end() && it->is_number() ? it->get<std::int64_t>() : 0;
}

Usage parseUsage(const nlohmann::json& usage)
{
    Usage u;
    if (!usage.is_object())
        return u;
    u.present = true;
    u.promptTokens = intField(usage, "prompt_tokens");
    u.completionTokens = intField(usage, "completion_tokens");
    if (const auto it = usage.find("completion_tokens_details"); it != usage.end())
        u.reasoningTokens = intField(*it, "reasoning_tokens");
    if (usage.contains("prompt_cache_hit_tokens"))
        u.cacheHitTokens = intField(usage, "prompt_cache_hit_tokens");
    else if (const auto it = usage.find("prompt_tokens_details"); it != usage.end())
        u.cacheHitTokens = intField(*it, "cached_tokens");
    return u;
}

double costOf(const Usage& usage, const Prices& prices)
{
    const std::int64_t missed = usage.promptTokens - usage.cacheHitTokens;
    return (double(missed) * prices.prompt + double(usage.cacheHitTokens) * prices.promptCacheHit
            + double(usage.completionTokens) * prices.completion)
        / 1e6;
}

void UsageCounter::add(const Usage& usage)
{
    if (!usage.present)
        return;
    const double cost = costOf(usage, m_prices);
    std::lock_guard lock(m_mutex);
    ++m_totals.requests;
    m_totals.promptTokens += usage.promptTokens;
    m_totals.completionTokens += usage.completionTokens;
    m_totals.reasoningTokens += usage.reasoningTokens;
    m_totals.cacheHitTokens += usage.cacheHitTokens;
    m_totals.cost += cost;
}

UsageTotals UsageCounter::totals() const
{
    std::lock_guard lock(m_mutex);
    return m_totals;
}

}  // namespace distill::teacher
