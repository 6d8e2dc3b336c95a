#include "core/eval/pass_at_k.h"

#include "core/util/error.h"

#include <string>

namespace distill::eval {

double passAtK(std::int64_t n, std::int64_t c, std::int64_t k)
{
    if (n < 1 || c < 0 || c > n || k < 1 || k > n)
        throw Error(ErrorCode::InvalidArgument, "pass@k needs 0 <= c <= n and 1 <= k <= n (n=" + std::to_string(n)
                                                    + ", c=" + std::to_string(c) + ", k=" + std::to_string(k) + ")");
    if (n - c < k)
        return 1.0;  // every k-subset holds a correct sample
    double allWrong = 1.0;
    for (std::int64_t i = n - c + 1; i <= n; ++i)
        allWrong *= 1.0 - double(k) / double(i);
    return 1.0 - allWrong;
}

}  // namespace distill::eval
