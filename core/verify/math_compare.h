// Structural and symbolic comparison of two parsed answers (internal to core/verify).
#pragma once

#include "core/verify/equivalence.h"
#include "core/verify/math_answer.h"

namespace distill::verify {

Equivalence compareMath(const MathAnswer& pred, const MathAnswer& gold, ParseContext& ctx);

}  // namespace distill::verify
