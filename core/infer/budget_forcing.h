// Budget forcing (s1): cap the thinking span at a maximum number of tokens (then force the
// end-of-thinking tokens), and extend it to a minimum by replacing an early end with "Wait".
#pragma once

#include <cstdint>
#include <vector>

namespace distill::infer {

struct BudgetForcing {
    std::int64_t maxThinkingTokens = -1;     // -1 = unlimited
    std::int64_t minThinkingTokens = 0;
    int maxWaits = 1;                        // how often an early end may be replaced
    std::vector<std::int64_t> thinkEndIds;   // tokens of "</think>"
    std::vector<std::int64_t> waitIds;       // tokens of "Wait"
    bool enabled() const { return !thinkEndIds.empty() && (maxThinkingTokens >= 0 || minThinkingTokens > 0); }
};

// Per-sequence state machine. Generation starts inside the thinking span (the prompt opened it).
class BudgetForcer {
public:
    struct Decision {
        std::size_t dropLast = 0;           // already emitted tokens to take back (a partial marker)
        std::vector<std::int64_t> append;   // tokens to emit instead of / with the sampled one
    };

    explicit BudgetForcer(BudgetForcing budget);

    // The sampled token and the tokens generated so far decide what is emitted.
    Decision onToken(const std::vector<std::int64_t>& generated, std::int64_t sampled);
    bool thinking() const { return m_thinking; }
    std::int64_t thinkingTokens() const { return m_count; }
    int waits() const { return m_waits; }
    // Tokens to hold back from streaming while a partial end marker could still be taken back.
    std::size_t holdBack() const;

private:
    BudgetForcing m_budget;
    bool m_thinking;
    std::int64_t m_count = 0;  // thinking tokens emitted so far
    int m_waits = 0;
};

}  // namespace distill::infer
