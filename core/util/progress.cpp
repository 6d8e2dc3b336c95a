#include "core/util/progress.h"

namespace distill {

EtaEstimator::EtaEstimator(double windowSeconds) : m_window(windowSeconds) {}

void EtaEstimator::update(std::uint64_t done, Clock::time_point now)
{
    m_samples.emplace_back(now, done);
    while (m_samples.size() > 2
           && std::chrono::duration<double>(now - m_samples[1].first).count() > m_window)
        m_samples.pop_front();
}

std::optional<double> EtaEstimator::rate() const
{
    if (m_samples.size() < 2)
        return std::nullopt;
    const auto& [t0, d0] = m_samples.front();
    const auto& [t1, d1] = m_samples.back();
    const double dt = std::chrono::duration<double>(t1 - t0).count();
    if (dt <= 0.0 || d1 < d0)
        return std::nullopt;
    return double(d1 - d0) / dt;
}

std::optional<double> EtaEstimator::secondsLeft(std::uint64_t total) const
{
    const auto r = rate();
    if (!r || *r <= 0.0 || m_samples.empty())
        return std::nullopt;
    const std::uint64_t done = m_samples.back().second;
    return done >= total ? 0.0 : double(total - done) / *r;
}

}  // namespace distill
