// Bulk review: a status or a tag applied to every sample matching the browser's filter, in chunks of
// one transaction each with progress and a cancel between chunks, recorded (BulkChange) so that it is
// taken back exactly: each sample gets its own status back, a tag leaves only the samples it was added to.
#pragma once

#include "core/store/records.h"
#include "core/store/sample_query.h"
#include "core/util/progress.h"

#include <QMetaType>

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

struct BulkChange {
    enum class Kind { Status, Tag };
    Kind kind = Kind::Status;
    store::SampleStatus status = store::SampleStatus::Accepted;  // Status: the status set
    std::string tag;                                             // Tag: the tag added
    // Status: the samples that changed, grouped by the status they had before.
    std::vector<std::pair<store::SampleStatus, std::vector<std::int64_t>>> before;
    std::vector<std::int64_t> tagged;  // Tag: the samples that did not have the tag
    std::int64_t matched = 0;          // samples matching the filter
    bool complete = true;              // false when cancelled part-way (the change covers what was done)

    std::int64_t changed() const;
};

// Samples per transaction of a bulk write.
inline constexpr std::size_t kBulkChunk = 2000;

// Sets `status` on every sample matching `query`; `progress` gets (written, to write) and may stop
// it between chunks.
BulkChange setStatusWhere(store::Workspace& workspace, const store::SampleQuery& query, store::SampleStatus status,
                          const ProgressFn& progress = {});
// Adds `tag` to the "tags" list of the flags of every sample matching `query`.
BulkChange tagWhere(store::Workspace& workspace, const store::SampleQuery& query, const std::string& tag,
                    const ProgressFn& progress = {});
// Takes a change back, or applies it again after that (to the same samples, whatever the filter now matches).
void undoBulk(store::Workspace& workspace, const BulkChange& change, const ProgressFn& progress = {});
void redoBulk(store::Workspace& workspace, const BulkChange& change, const ProgressFn& progress = {});

// The "tags" of a sample's flags JSON.
std::vector<std::string> sampleTags(const std::string& flagsJson);

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::widgets::BulkChange)
