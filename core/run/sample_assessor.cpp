#include "core/run/sample_assessor.h"

#ifdef DISTILL_JOBS_HAVE_VERIFY
#include "core/verify/answer_extractor.h"
#include "core/verify/equivalence.h"
#endif
#ifdef DISTILL_JOBS_HAVE_TEXT
#include "core/text/readability_filter.h"
#endif

namespace distill::run {

using nlohmann::json;

struct SampleAssessor::Filters {
#ifdef DISTILL_JOBS_HAVE_TEXT
    text::FilterConfig config;
#endif
};

SampleAssessor::SampleAssessor(bool verify, bool rejectIncorrect, const json& filters)
    : m_verify(verify), m_rejectIncorrect(rejectIncorrect)
{
#ifndef DISTILL_JOBS_HAVE_VERIFY
    if (m_verify)
        throw Error(ErrorCode::Unsupported, "answer verification is not in this build", "set verify: false");
#endif
    if (!filters.is_null()) {
#ifdef DISTILL_JOBS_HAVE_TEXT
        m_filters = std::make_unique<Filters>();
        m_filters->config = text::filterConfigFromJson(filters);
#else
        throw Error(ErrorCode::Unsupported, "readability filters are not in this build");
#endif
    }
}

SampleAssessor::~SampleAssessor() = default;

void SampleAssessor::assess(store::Sample& sample, const SampleResult& result, const std::string& reference) const
{
    std::vector<std::string> reasons;
    json flags = json::object();
    if (m_verify) {
#ifdef DISTILL_JOBS_HAVE_VERIFY
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
#endif
    }
    if (!m_rejectIncorrect)
        reasons.clear();
#ifdef DISTILL_JOBS_HAVE_TEXT
    if (m_filters) {
        text::FilterInput input{result.thinking, result.answer, result.thinkingClosed, result.thinkingTokens};
        const text::FilterScores scores = text::scoreSample(input, m_filters->config);
        flags["filters"] = text::toJson(scores);
        for (const std::string& reason : text::rejectReasons(scores, m_filters->config))
            reasons.push_back(reason);
    }
#endif
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
