#include "widgets/models/run_health.h"

#include <algorithm>

namespace distill::widgets {

void RunHealth::add(const std::string& name, std::int64_t step, double value)
{
    if (name == m_options.rewardMetric) {
        m_rewards.emplace_back(step, value);
        while (std::int64_t(m_rewards.size()) > m_options.flatSteps)
            m_rewards.pop_front();
    } else if (name == m_options.klMetric) {
        m_kl = {step, value};
    } else if (name == m_options.entropyMetric) {
        if (!m_firstEntropy)
            m_firstEntropy = value;
        m_entropy = {step, value};
    } else if (name == m_options.sameGroupsMetric) {
        m_same = {step, value};
    }
}

void RunHealth::reset()
{
    m_rewards.clear();
    m_kl.reset();
    m_entropy.reset();
    m_same.reset();
    m_firstEntropy.reset();
}

std::vector<RunAlarm> RunHealth::alarms() const
{
    std::vector<RunAlarm> out;
    if (m_options.flatSteps > 0 && std::int64_t(m_rewards.size()) == m_options.flatSteps) {
        const auto [lo, hi] = std::minmax_element(m_rewards.begin(), m_rewards.end(),
                                                  [](const auto& a, const auto& b) { return a.second < b.second; });
        const double range = hi->second - lo->second;
        if (range <= m_options.flatTolerance)
            out.push_back({AlarmKind::RewardFlat, m_rewards.back().first, range});
    }
    if (m_kl && m_kl->second > m_options.klThreshold)
        out.push_back({AlarmKind::KlExploding, m_kl->first, m_kl->second});
    // The floor counts only for a policy that started above it: a student trained on a near-deterministic
    // task starts with a low entropy, and only a drop relative to its start is a collapse.
    if (m_entropy && ((*m_firstEntropy >= m_options.entropyFloor && m_entropy->second < m_options.entropyFloor) ||
                      (*m_firstEntropy > 0 && m_entropy->second < m_options.entropyDropRatio * *m_firstEntropy)))
        out.push_back({AlarmKind::EntropyCollapse, m_entropy->first, m_entropy->second});
    if (m_same && m_same->second > m_options.sameGroupsThreshold)
        out.push_back({AlarmKind::SameGroups, m_same->first, m_same->second});
    return out;
}

}  // namespace distill::widgets
