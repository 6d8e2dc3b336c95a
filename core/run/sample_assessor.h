// SampleAssessor: turns one teacher result into a workspace sample with its verdict (graded against
// the problem's reference answer), readability filter scores and reject reasons. Never throws on
// the result's text: odd teacher output becomes a verdict or a reject reason.
#pragma once

#include "core/run/teacher.h"
#include "core/store/records.h"

#include <nlohmann/json.hpp>

#include <memory>
#include <string>

namespace distill::run {

class SampleAssessor {
public:
    // filters: core/text FilterConfig JSON, or null for none.
    SampleAssessor(bool verify, bool rejectIncorrect, const nlohmann::json& filters);
    ~SampleAssessor();
    SampleAssessor(const SampleAssessor&) = delete;
    SampleAssessor& operator=(const SampleAssessor&) = delete;

    // Fills verdict, status, reject_reason and flags of `sample` from the result's text. Status:
    // rejected with reasons, accepted when verified correct, else a candidate.
    void assess(store::Sample& sample, const SampleResult& result, const std::string& referenceAnswer) const;

private:
    struct Filters;
    bool m_verify;
    bool m_rejectIncorrect;
    std::unique_ptr<Filters> m_filters;
};

}  // namespace distill::run
