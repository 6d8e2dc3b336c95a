// grade(): the one call that judges a model output against a gold answer (extract, then compare).
#pragma once

#include "core/verify/answer_extractor.h"
#include "core/verify/equivalence.h"

#include <string>
#include <string_view>

namespace distill::verify {

struct GradeResult {
    Verdict verdict = Verdict::Unknown;
    std::string predAnswer;  // what was compared (the extracted answer)
    ExtractRule rule = ExtractRule::None;
    std::string reason;
};

// `pred` may be a bare answer or a whole response (then the answer is extracted first, see
// answer_extractor.h). A response without an answer is Unknown ("no answer found").
GradeResult grade(std::string_view pred, std::string_view gold);

}  // namespace distill::verify
