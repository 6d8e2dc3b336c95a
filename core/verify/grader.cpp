#include "core/verify/grader.h"

namespace distill::verify {

GradeResult grade(std::string_view pred, std::string_view gold)
{
    GradeResult result;
    if (looksLikeResponse(pred)) {
        Extraction e = extractAnswer(pred);
        result.rule = e.rule;
        result.predAnswer = std::move(e.answer);
        if (!e.found()) {
            result.reason = "no answer found in the response";
            return result;
        }
    } else {
        result.rule = ExtractRule::Bare;
        result.predAnswer = trimAnswer(pred);
    }
    const Equivalence eq = compareAnswers(result.predAnswer, gold);
    result.verdict = eq.verdict;
    result.reason = eq.reason;
    return result;
}

}  // namespace distill::verify
