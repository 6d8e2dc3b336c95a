// General solutions with an integer parameter ("\frac{\pi}{4} + k\pi", "(-1)^k \frac{\pi}{6} + k\pi"),
// compared as the sets of values they take over the integers. Internal to core/verify (math_compare.cpp).
#pragma once

#include "core/verify/math_answer.h"

#include <optional>

namespace distill::verify {

// The integer parameter of a general solution: the one of k, n, m among the answer's symbols, when the
// answer holds pi or degrees.
std::optional<GiNaC::ex> periodParameter(const MathAnswer& m, const ParseContext& ctx);
// Whether one of the answer's expressions holds the symbol.
bool mentions(const MathAnswer& m, const GiNaC::ex& symbol);
// The answer with one symbol renamed throughout.
MathAnswer withSymbolRenamed(const MathAnswer& m, const GiNaC::ex& from, const GiNaC::ex& to);
// Whether two general solutions take the same values over the integers k: "\frac{\pi}{4} + k\pi" and
// "\frac{5\pi}{4} + k\pi"; nullopt when either is not a union of progressions c + t k with steps of a
// small common multiple.
std::optional<bool> sameGeneralSolutions(const MathAnswer& a, const MathAnswer& b, const GiNaC::ex& k,
                                         const ParseContext& ctx);

}  // namespace distill::verify
