#include "core/run/sample_assessor.h"

#include "core/verify/answer_extractor.h"
#include "core/verify/equivalence.h"
#include "core/text/readability_filter.h"

namespace distill::run {

using nlohmann::json;

struct SampleAssessor::Filters {
    text::FilterConfig config;
};

SampleAssessor::SampleAssessor(bool verify, bool rejectIncorrect, const json& filters)
    : m_verify(verify), m_rejectIncorrect(rejectIncorrect)
{
    if (!filters.is_null()) {
        m_filters = std::make_unique<Filters>();
        m_filters->config = text::filterConfigFromJson(filters);
    }
}

SampleAssessor::~SampleAssessor() = default;

void SampleAssessor::assess(store::Sample& sample, const SampleResult& result, const std::string& reference) const
{
    std::vector<std::string> reasons;
    json flags = json::object();
    if (m_verify) {
        const verify::Extraction extracted =
            result.thinkingClosed ? verify::extractAnswer(result.answer) : verify::Extraction{};
        flags["extracted_answer"] = extracted.answer;
        if (!result.thinkingClosed) {
            sample.verdict = store::Verdict::Unknown;
            reasons.push_back("truncated");
        } else if (!extracted.found()) {
            sample.verdict = store::Verdict::Unknown;
            reasons.push_back("no_answer");
        } else if (reference.empty()) {
            sample.verdict = store::Verdict::Unknown;
            reasons.push_back("no_reference");
        } else {
            const verify::Equivalence eq = verify::compareAnswers(extracted.answer, reference);
            if (eq.verdict == verify::Verdict::Equal) {
                sample.verdict = store::Verdict::Correct;
            } else if (eq.verdict == verify::Verdict::NotEqual) {
                sample.verdict = store::Verdict::Incorrect;
                reasons.push_back("incorrect");
            } else {
                sample.verdict = store::Verdict::Unknown;
                reasons.push_back("unverifiable");
            }
            if (!eq.reason.empty())
                flags["verify_reason"] = eq.reason;
        }
    }
    if (!m_rejectIncorrect)
        reasons.clear();
    if (m_filters) {
        text::FilterInput input{result.thinking, result.answer, result.thinkingClosed, result.thinkingTokens};
        const text::FilterScores scores = text::scoreSample(input, m_filters->config);
        flags["filters"] = text::toJson(scores);
        for (const std::string& reason : text::rejectReasons(scores, m_filters->config))
            reasons.push_back(reason);
    }
    std::string joined;
    for (const std::string& r : reasons)
        joined += (joined.empty() ? "" : ",") + r;
    sample.rejectReason = joined;
    // Rejection sampling: a sample verified correct that no filter rejects is accepted; one that
    // nothing checked stays a candidate for curation.
    if (!reasons.empty())
        sample.status = store::SampleStatus::Rejected;
    else if (m_verify && sample.verdict == store::Verdict::Correct)
        sample.status = store::SampleStatus::Accepted;
    else
        sample.status = store::SampleStatus::Candidate;
    sample.flagsJson = flags.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace distill::run
