// Learning-rate schedules with linear warmup, exactly as transformers' get_cosine_schedule_with_warmup,
// get_linear_schedule_with_warmup and get_constant_schedule_with_warmup compute them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace distill::train {

enum class ScheduleKind { Cosine, Linear, Constant };

std::string_view scheduleKindName(ScheduleKind kind);  // "cosine", "linear", "constant"
ScheduleKind parseScheduleKind(std::string_view text);  // InvalidArgument on other text

struct LrSchedule {
    ScheduleKind kind = ScheduleKind::Cosine;
    double peakLr = 1e-3;
    std::int64_t warmupSteps = 0;
    std::int64_t totalSteps = 1;

    // The learning rate of optimizer step `step` (0-based): peakLr times transformers' lambda.
    double at(std::int64_t step) const;
};

}  // namespace distill::train
