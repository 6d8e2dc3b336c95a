#include "core/train/lr_schedule.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>

namespace distill::train {

std::string_view scheduleKindName(ScheduleKind kind)
{
    switch (kind) {
    case ScheduleKind::Cosine: return "cosine";
    case ScheduleKind::Linear: return "linear";
    case ScheduleKind::Constant: return "constant";
    }
    return "cosine";
}

ScheduleKind parseScheduleKind(std::string_view text)
{
    if (text == "cosine")
        return ScheduleKind::Cosine;
    if (text == "linear")
        return ScheduleKind::Linear;
    if (text == "constant")
        return ScheduleKind::Constant;
    throw Error(ErrorCode::InvalidArgument, "unknown schedule '" + std::string(text) + "'",
                "use cosine, linear or constant");
}

double LrSchedule::at(std::int64_t step) const
{
    const double s = double(step);
    if (step < warmupSteps)
        return peakLr * s / double(std::max<std::int64_t>(1, warmupSteps));
    const double decaySteps = double(std::max<std::int64_t>(1, totalSteps - warmupSteps));
    switch (kind) {
    case ScheduleKind::Constant:
        return peakLr;
    case ScheduleKind::Linear:
        return peakLr * std::max(0.0, (double(totalSteps) - s) / decaySteps);
    case ScheduleKind::Cosine: {
        const double progress = (s - double(warmupSteps)) / decaySteps;
        const double numCycles = 0.5;
        return peakLr * std::max(0.0, 0.5 * (1.0 + std::cos(M_PI * numCycles * 2.0 * progress)));
    }
    }
    return peakLr;
}

double TemperatureSchedule::at(std::int64_t step) const
{
    const double progress = std::clamp(double(step) / double(std::max<std::int64_t>(1, totalSteps - 1)), 0.0, 1.0);
    switch (kind) {
    case ScheduleKind::Constant:
        return start;
    case ScheduleKind::Linear:
        return start + (end - start) * progress;
    case ScheduleKind::Cosine:
        return end + (start - end) * 0.5 * (1.0 + std::cos(M_PI * progress));
    }
    return start;
}

}  // namespace distill::train
