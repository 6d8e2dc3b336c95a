// The median of a list of numbers: the middle one, or the mean of the two middle ones.
// `values` must not be empty.
#pragma once

#include <algorithm>
#include <cstddef>
#include <vector>

namespace distill::util {

inline double median(std::vector<double> values)
{
    std::sort(values.begin(), values.end());
    const std::size_t n = values.size();
    return n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0;
}

}  // namespace distill::util
