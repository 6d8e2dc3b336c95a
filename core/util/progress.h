// Progress reporting for long work: a callback type and an ETA estimator over a moving window.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>

namespace distill {

// Called with (done, total) units; total 0 means unknown. Return false to cancel the work.
using ProgressFn = std::function<bool(std::uint64_t done, std::uint64_t total)>;

// Estimates the remaining time from the rate over the last `window` seconds.
class EtaEstimator {
public:
    using Clock = std::chrono::steady_clock;

    explicit EtaEstimator(double windowSeconds = 30.0);

    void update(std::uint64_t done, Clock::time_point now = Clock::now());
    // Units per second over the window; nullopt until two samples span some time.
    std::optional<double> rate() const;
    // Seconds until `total` is reached at the current rate.
    std::optional<double> secondsLeft(std::uint64_t total) const;

private:
    double m_window;
    std::deque<std::pair<Clock::time_point, std::uint64_t>> m_samples;
};

}  // namespace distill
