// CurationScores: the filter scores of every sample of a workspace in a compact array (no texts),
// read once on a worker thread, so curation thresholds can be tried and counted instantly.
#pragma once

#include "core/store/records.h"
#include "core/text/readability_filter.h"
#include "core/util/progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

struct CurationEntry {
    std::int64_t id = 0;
    text::FilterScores scores;
    store::Verdict storedVerdict = store::Verdict::Unknown;
    store::Verdict gradedVerdict = store::Verdict::Unknown;  // re-graded against the reference answer
    store::SampleStatus status = store::SampleStatus::Candidate;
    bool filterRejected = false;  // stored as rejected with only filter names as the reason
    std::string predAnswer;       // extracted answer of the re-grade
    std::string gold;             // the problem's reference answer
    std::optional<store::Verdict> judgeVerdict;  // the generative judge's, when it decided (kind: judge)
    std::optional<store::Verdict> ruling;        // an expert's ruling on a disagreement
};

struct CurationScores {
    std::vector<CurationEntry> entries;
};

// Reads every sample once: the stored scores (flags "filters") or, when missing, scores computed
// with `config`; the sample re-graded with verify::grade against its problem's reference answer.
// `progress` gets (samples read, samples); when it returns false the read stops with a Cancelled error.
CurationScores readCurationScores(const store::Workspace& workspace, const text::FilterConfig& config,
                                  const ProgressFn& progress = {});

struct KeptCount {
    std::int64_t kept = 0;
    std::int64_t rejected = 0;
};
KeptCount countKept(const std::vector<CurationEntry>& entries, const text::FilterConfig& config);

// Indices of entries whose re-graded verdict differs from the stored verdict or from the judge's,
// but for those whose stored verdict is an expert's ruling.
std::vector<std::size_t> disagreements(const std::vector<CurationEntry>& entries);

// Writes the outcome of `config`: rejected samples get status rejected and the filter names as
// reason; samples that only filters had rejected and that now pass go back to candidate.
// Returns the number of samples changed.
std::int64_t applyCuration(store::Workspace& workspace, const std::vector<CurationEntry>& entries,
                           const text::FilterConfig& config);

}  // namespace distill::widgets
