#include "core/teacher/backoff.h"

#include <curl/curl.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <string>

namespace distill::teacher {

bool isRetryableStatus(long status)
{
    return status == 408 || status == 409 || status == 425 || status == 429
        || (status >= 500 && status <= 599);
}

std::optional<double> parseRetryAfter(std::string_view value, std::time_t now)
{
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.front())))
        value.remove_prefix(1);
    while (!value.empty() && std::isspace(static_cast<unsigned char>(value.back())))
        value.remove_suffix(1);
    if (value.empty())
        return std::nullopt;
    if (std::all_of(value.begin(), value.end(),
                    [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
        if (value.size() > 9)
            return std::nullopt;
        return std::stod(std::string(value));
    }
    const std::string text(value);
    const time_t when = curl_getdate(text.c_str(), nullptr);
    if (when == -1)
        return std::nullopt;
    return std::max(0.0, std::difftime(when, now));
}

double retryDelaySeconds(const RetryPolicy& policy, int failedAttempts,
                         std::optional<double> retryAfter, std::mt19937_64& rng)
{
    const double base = std::max(0.0, policy.backoffBaseSeconds);
    if (retryAfter) {
        std::uniform_real_distribution<double> jitter(0.0, base);
        return std::clamp(*retryAfter, 0.0, policy.maxRetryAfterSeconds) + jitter(rng);
    }
    const int exponent = std::clamp(failedAttempts - 1, 0, 30);
    const double cap = std::min(policy.backoffMaxSeconds, base * std::ldexp(1.0, exponent));
    std::uniform_real_distribution<double> jitter(0.0, std::max(0.0, cap));
    return jitter(rng);
}

}  // namespace distill::teacher
