// RunHealth: GRPO health alarms computed from the metric stream (no Qt): reward flat for N steps,
// KL above a threshold, entropy collapse, and too many groups whose completions all scored the same.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace distill::widgets {

struct RunHealthOptions {
    std::string rewardMetric = "grpo/reward_mean";
    std::string klMetric = "grpo/kl";
    std::string entropyMetric = "grpo/entropy";
    std::string sameGroupsMetric = "grpo/no_signal_share";  // share of groups whose rewards are all equal
    std::int64_t flatSteps = 20;       // reward flat when its range over this many steps ...
    double flatTolerance = 1e-3;       // ... is at most this
    double klThreshold = 1.0;          // KL above this is exploding
    double entropyFloor = 0.05;        // entropy that falls below this (from a first value above it) ...
    double entropyDropRatio = 0.1;     // ... or below this share of its first value has collapsed
    double sameGroupsThreshold = 0.8;  // share of all-same groups above this
};

enum class AlarmKind { RewardFlat, KlExploding, EntropyCollapse, SameGroups };

struct RunAlarm {
    AlarmKind kind;
    std::int64_t step = 0;  // the step that raised it
    double value = 0.0;     // the figure compared to the threshold
};

class RunHealth {
public:
    explicit RunHealth(RunHealthOptions options = {}) : m_options(std::move(options)) {}
    const RunHealthOptions& options() const { return m_options; }

    // One metric point; other names are ignored. Steps arrive in order per name.
    void add(const std::string& name, std::int64_t step, double value);
    void reset();
    // The alarms as of the latest points (each kind at most once).
    std::vector<RunAlarm> alarms() const;

private:
    RunHealthOptions m_options;
    std::deque<std::pair<std::int64_t, double>> m_rewards;  // the last flatSteps points
    std::optional<std::pair<std::int64_t, double>> m_kl, m_entropy, m_same;
    std::optional<double> m_firstEntropy;
};

}  // namespace distill::widgets
