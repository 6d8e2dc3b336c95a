// Percentile bootstrap confidence intervals over problems: resample the per-problem values with
// replacement, take the mean of each resample, read the interval off the sorted means.
#pragma once

#include <cstdint>
#include <vector>

namespace distill::eval {

struct Estimate {
    double value = 0.0;  // the mean of the values themselves
    double low = 0.0;    // interval bounds
    double high = 0.0;
};

struct BootstrapOptions {
    int resamples = 1000;
    std::uint64_t seed = 0;  // same values + same seed = same interval
    double level = 0.95;
};

// Throws InvalidArgument for no values, resamples < 1 or a level outside (0, 1).
Estimate bootstrapMean(const std::vector<double>& values, const BootstrapOptions& options = {});

}  // namespace distill::eval
