// The unbiased pass@k estimator of Chen et al. (2021): the chance that at least one of k samples drawn
// without replacement from n generated samples, c of them correct, is correct.
#pragma once

#include <cstdint>

namespace distill::eval {

// 1 - C(n-c, k) / C(n, k), computed as 1 - prod_{i=n-c+1..n} (1 - k/i) so that no binomial
// coefficient is ever formed (stable for any n). Throws InvalidArgument unless 0 <= c <= n and
// 1 <= k <= n.
double passAtK(std::int64_t n, std::int64_t c, std::int64_t k);

}  // namespace distill::eval
