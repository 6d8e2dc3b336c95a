#include "core/infer/budget_forcing.h"

#include <algorithm>

namespace distill::infer {

BudgetForcer::BudgetForcer(BudgetForcing budget) : m_budget(std::move(budget)), m_thinking(m_budget.enabled()) {}

std::size_t BudgetForcer::holdBack() const
{
    return m_thinking && m_budget.minThinkingTokens > 0 ? m_budget.thinkEndIds.size() - 1 : 0;
}

BudgetForcer::Decision BudgetForcer::onToken(const std::vector<std::int64_t>& generated, std::int64_t sampled)
{
    if (!m_thinking)
        return {0, {sampled}};
    const auto& marker = m_budget.thinkEndIds;
    if (m_budget.maxThinkingTokens >= 0 && m_count >= m_budget.maxThinkingTokens) {
        m_thinking = false;  // budget spent: close the thinking span ourselves
        return {0, marker};
    }
    // Does `generated + sampled` end with the marker?
    const std::size_t m = marker.size();
    bool closes = marker.back() == sampled && generated.size() + 1 >= m &&
                  std::equal(marker.begin(), marker.end() - 1, generated.end() - std::ptrdiff_t(m - 1));
    if (!closes) {
        ++m_count;
        return {0, {sampled}};
    }
    const std::int64_t thought = m_count + 1 - std::int64_t(m);
    if (thought < m_budget.minThinkingTokens && m_waits < m_budget.maxWaits && !m_budget.waitIds.empty()) {
        ++m_waits;  // too early: take the partial marker back and keep thinking with "Wait"
        m_count = thought + std::int64_t(m_budget.waitIds.size());
        return {m - 1, m_budget.waitIds};
    }
    m_count = thought;
    m_thinking = false;
    return {0, {sampled}};
}

}  // namespace distill::infer
