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
    throw Error(ErrorCode::InvalidArgument, "unknown learning-rate schedule '" + std::string(text) + "'",
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

}  // namespace distill::train
