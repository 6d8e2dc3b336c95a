// Token usage as reported by OpenAI-compatible servers, prices per million tokens, and a
// thread-safe per-job counter of tokens and money spent.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <mutex>

namespace distill::teacher {

struct Usage {
    bool present = false;                // the server reported usage
    std::int64_t promptTokens = 0;       // all prompt tokens, cache hits included
    std::int64_t completionTokens = 0;   // all output tokens, reasoning included
    std::int64_t reasoningTokens = 0;    // completion_tokens_details.reasoning_tokens
    std::int64_t cacheHitTokens = 0;     // prompt_cache_hit_tokens (DeepSeek) or cached_tokens
};

// Reads a `usage` object; missing fields are 0, a non-object gives `present == false`.
Usage parseUsage(const nlohmann::json& usage);

// Prices in currency units per million tokens. A cache hit costs `promptCacheHit` instead of
// `prompt`; reasoning tokens are billed as completion tokens (they are part of them).
struct Prices {
    double prompt = 0.0;
    double promptCacheHit = 0.0;
    double completion = 0.0;
};

double costOf(const Usage& usage, const Prices& prices);

struct UsageTotals {
    std::int64_t requests = 0;  // responses that carried usage
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::int64_t reasoningTokens = 0;
    std::int64_t cacheHitTokens = 0;
    double cost = 0.0;
};

class UsageCounter {
public:
    explicit UsageCounter(Prices prices = {}) : m_prices(prices) {}

    void add(const Usage& usage);
    UsageTotals totals() const;
    const Prices& prices() const { return m_prices; }

private:
    Prices m_prices;
    mutable std::mutex m_mutex;
    UsageTotals m_totals;
};

}  // namespace distill::teacher
