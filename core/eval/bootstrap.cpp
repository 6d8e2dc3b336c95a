#include "core/eval/bootstrap.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <random>

namespace distill::eval {

namespace {

// Linear interpolation between order statistics (the default quantile of R and numpy).
double quantile(const std::vector<double>& sorted, double q)
{
    const double pos = q * double(sorted.size() - 1);
    const std::size_t lo = std::size_t(std::floor(pos));
    const std::size_t hi = std::min(sorted.size() - 1, lo + 1);
    return sorted[lo] + (pos - double(lo)) * (sorted[hi] - sorted[lo]);
}

}  // namespace

Estimate bootstrapMean(const std::vector<double>& values, const BootstrapOptions& options)
{
    if (values.empty())
        throw Error(ErrorCode::InvalidArgument, "bootstrap of no values");
    if (options.resamples < 1 || !(options.level > 0.0 && options.level < 1.0))
        throw Error(ErrorCode::InvalidArgument, "bootstrap needs resamples >= 1 and a level in (0, 1)");
    const std::size_t n = values.size();
    Estimate e;
    e.value = std::accumulate(values.begin(), values.end(), 0.0) / double(n);
    std::mt19937_64 rng(options.seed);
    std::vector<double> means(std::size_t(options.resamples));
    for (double& m : means) {
        double sum = 0.0;
        for (std::size_t i = 0; i < n; ++i)
            sum += values[std::size_t(rng() % n)];
        m = sum / double(n);
    }
    std::sort(means.begin(), means.end());
    const double tail = (1.0 - options.level) / 2.0;
    e.low = quantile(means, tail);
    e.high = quantile(means, 1.0 - tail);
    return e;
}

}  // namespace distill::eval
