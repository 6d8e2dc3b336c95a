// Recursive-descent parser from answer LaTeX to GiNaC: \frac, \sqrt[n]{}, powers, implicit
// products, functions, \pi, e, i, \infty, degrees and percent as unit symbols; guards huge powers.
#pragma once

#include "core/verify/math_answer.h"

#include <string_view>

namespace distill::verify {

// Parses one scalar expression or relation chain ("2x+1", "x = 3", "-1 < x \le 2").
// On return `operands`/`ops` hold the chain; a plain expression has one operand and no ops.
void parseRelationChain(std::string_view latex, ParseContext& ctx, std::vector<GiNaC::ex>& operands,
                        std::vector<std::string>& ops);

}  // namespace distill::verify
