// CurationScores implementation.
#include "widgets/models/curation_scores.h"

#include "core/store/rulings.h"
#include "core/store/workspace.h"
#include "core/text/rejection_policy.h"
#include "core/util/error.h"
#include "core/verify/grader.h"

#include <nlohmann/json.hpp>

#include <map>

namespace distill::widgets {

namespace {

store::Verdict toStoreVerdict(verify::Verdict verdict)
{
    switch (verdict) {
    case verify::Verdict::Equal: return store::Verdict::Correct;
    case verify::Verdict::NotEqual: return store::Verdict::Incorrect;
    case verify::Verdict::Unknown: return store::Verdict::Unknown;
    }
    return store::Verdict::Unknown;
}

}  // namespace

CurationScores readCurationScores(const store::Workspace& workspace, const text::FilterConfig& config,
                                  const ProgressFn& progress)
{
    CurationScores out;
    std::map<std::int64_t, std::string> references;  // problem id -> reference answer
    const std::vector<std::int64_t> ids = workspace.sampleIds(store::SampleQuery{});
    for (std::size_t i = 0; i < ids.size(); ++i) {
        if (progress && !progress(i, ids.size()))
            throw Error(ErrorCode::Cancelled, "reading the filter scores was stopped");
        const std::int64_t id = ids[i];
        const std::optional<store::Sample> sample = workspace.sample(id);
        if (!sample)
            continue;
        CurationEntry e;
        e.id = id;
        e.storedVerdict = sample->verdict;
        e.status = sample->status;
        e.filterRejected = sample->status == store::SampleStatus::Rejected && text::reject::onlyFilters(sample->rejectReason);
        e.judgeVerdict = store::judgeVerdict(sample->flagsJson);
        if (const auto ruling = store::rulingOf(*sample))
            e.ruling = ruling->expert;
        const auto flags = nlohmann::json::parse(sample->flagsJson, nullptr, false);
        bool stored = false;
        if (flags.is_object() && flags.contains("filters")) {
            try {
                e.scores = text::filterScoresFromJson(flags["filters"]);
                stored = true;
            } catch (const std::exception&) {
                stored = false;  // malformed stored scores are recomputed below
            }
        }
        if (!stored) {
            const bool closed = sample->rawText.empty() || sample->rawText.find("</think>") != std::string::npos;
            std::optional<std::int64_t> tokens;
            if (sample->thinkingTokens > 0)
                tokens = sample->thinkingTokens;
            e.scores = text::scoreSample({sample->thinking, sample->answer, closed, tokens}, config);
        }
        auto ref = references.find(sample->problemId);
        if (ref == references.end()) {
            const std::optional<store::Problem> problem = workspace.problem(sample->problemId);
            ref = references.emplace(sample->problemId, problem ? problem->referenceAnswer : std::string()).first;
        }
        e.gold = ref->second;
        if (!e.gold.empty()) {
            const verify::GradeResult graded = verify::grade(sample->answer, e.gold);
            e.gradedVerdict = toStoreVerdict(graded.verdict);
            e.predAnswer = graded.predAnswer;
        }
        out.entries.push_back(std::move(e));
    }
    if (progress)
        progress(ids.size(), ids.size());
    return out;
}

KeptCount countKept(const std::vector<CurationEntry>& entries, const text::FilterConfig& config)
{
    KeptCount count;
    for (const CurationEntry& e : entries) {
        if (text::rejectReasons(e.scores, config).empty())
            ++count.kept;
        else
            ++count.rejected;
    }
    return count;
}

std::vector<std::size_t> disagreements(const std::vector<CurationEntry>& entries)
{
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < entries.size(); ++i) {
        const CurationEntry& e = entries[i];
        const bool ruled = e.ruling && *e.ruling == e.storedVerdict;  // an expert's verdict stands
        if (!e.gold.empty() && !ruled
            && (e.gradedVerdict != e.storedVerdict || (e.judgeVerdict && *e.judgeVerdict != e.gradedVerdict)))
            out.push_back(i);
    }
    return out;
}

std::int64_t applyCuration(store::Workspace& workspace, const std::vector<CurationEntry>& entries,
                           const text::FilterConfig& config)
{
    std::int64_t changed = 0;
    store::Workspace::Transaction transaction(workspace);
    for (const CurationEntry& e : entries) {
        const std::vector<std::string> reasons = text::rejectReasons(e.scores, config);
        if (!reasons.empty()) {
            workspace.setStatus({e.id}, store::SampleStatus::Rejected);
            workspace.setVerdict(e.id, e.storedVerdict, text::reject::joined(reasons));
            ++changed;
        } else if (e.filterRejected) {
            workspace.setStatus({e.id}, store::SampleStatus::Candidate);
            workspace.setVerdict(e.id, e.storedVerdict, "");
            ++changed;
        }
    }
    transaction.commit();
    return changed;
}

}  // namespace distill::widgets
