// When to retry a failed teacher request: which HTTP statuses are transient, Retry-After parsing
// (seconds or HTTP date) and exponential backoff with full jitter.
#pragma once

#include "core/teacher/teacher_config.h"

#include <ctime>
#include <optional>
#include <random>
#include <string_view>

namespace distill::teacher {

// 408, 409, 425, 429 and 5xx are transient; every other non-2xx status fails at once.
bool isRetryableStatus(long status);

// Seconds to wait from `now` as a Retry-After value says: a number of seconds or an HTTP date
// (a date in the past gives 0). nullopt when the value is neither.
std::optional<double> parseRetryAfter(std::string_view value, std::time_t now);

// Delay before attempt `failedAttempts + 1`: uniform in [0, min(max, base * 2^(failedAttempts-1))]
// (full jitter). With a Retry-After the server's delay (clamped to maxRetryAfterSeconds) is kept
// and up to one base delay of jitter is added so that a crowd of requests does not return at once.
double retryDelaySeconds(const RetryPolicy& policy, int failedAttempts,
                         std::optional<double> retryAfter, std::mt19937_64& rng);

}  // namespace distill::teacher
