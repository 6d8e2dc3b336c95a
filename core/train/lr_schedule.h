// Learning-rate schedules with linear warmup, exactly as transformers' get_cosine_schedule_with_warmup,
// get_linear_schedule_with_warmup and get_constant_schedule_with_warmup compute them; and the
// distillation temperature's schedule over the steps.
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

// The distillation temperature of each optimizer step: `start` at step 0 to `end` at the last step
// (totalSteps - 1), in between constant (start throughout), linear or cosine (half a period).
struct TemperatureSchedule {
    ScheduleKind kind = ScheduleKind::Constant;
    double start = 1.0;
    double end = 1.0;
    std::int64_t totalSteps = 1;

    double at(std::int64_t step) const;
};

}  // namespace distill::train
