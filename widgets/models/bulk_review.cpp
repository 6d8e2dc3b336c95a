// Bulk review writes.
#include "widgets/models/bulk_review.h"

#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

#include <algorithm>

namespace distill::widgets {

namespace {

using nlohmann::json;

constexpr store::SampleStatus kStatuses[] = {store::SampleStatus::Candidate, store::SampleStatus::Accepted,
                                             store::SampleStatus::Rejected};

// Calls `write` on chunks of `ids` in one transaction each; false when `progress` stopped it
// (after `done` of them).
template <typename Write>
bool inChunks(store::Workspace& ws, const std::vector<std::int64_t>& ids, std::uint64_t& done, std::uint64_t total,
              const ProgressFn& progress, Write write, std::vector<std::int64_t>* written = nullptr)
{
    for (std::size_t at = 0; at < ids.size(); at += kBulkChunk) {
        const std::vector<std::int64_t> chunk(ids.begin() + std::ptrdiff_t(at),
                                              ids.begin() + std::ptrdiff_t(std::min(ids.size(), at + kBulkChunk)));
        store::Workspace::Transaction tx(ws);
        write(chunk);
        tx.commit();
        if (written)
            written->insert(written->end(), chunk.begin(), chunk.end());
        done += chunk.size();
        if (progress && !progress(done, total))
            return false;
    }
    return true;
}

json flagsOf(const std::string& flagsJson)
{
    json flags = json::parse(flagsJson, nullptr, false);
    return flags.is_object() ? flags : json::object();
}

// Adds (or removes) `tag` in the sample's flags; true when they changed.
bool retag(store::Workspace& ws, std::int64_t id, const std::string& tag, bool add)
{
    const auto sample = ws.sample(id);
    if (!sample)
        return false;
    json flags = flagsOf(sample->flagsJson);
    std::vector<std::string> tags = sampleTags(sample->flagsJson);
    const auto it = std::find(tags.begin(), tags.end(), tag);
    if (add == (it != tags.end()))
        return false;
    if (add)
        tags.push_back(tag);
    else
        tags.erase(it);
    if (tags.empty())
        flags.erase("tags");
    else
        flags["tags"] = tags;
    ws.setFlags(id, flags.dump());
    return true;
}

}  // namespace

std::int64_t BulkChange::changed() const
{
    if (kind == Kind::Tag)
        return std::int64_t(tagged.size());
    std::int64_t n = 0;
    for (const auto& [status, ids] : before)
        n += std::int64_t(ids.size());
    return n;
}

std::vector<std::string> sampleTags(const std::string& flagsJson)
{
    std::vector<std::string> tags;
    const json flags = flagsOf(flagsJson);
    if (const auto it = flags.find("tags"); it != flags.end() && it->is_array())
        for (const json& t : *it)
            if (t.is_string())
                tags.push_back(t.get<std::string>());
    return tags;
}

BulkChange setStatusWhere(store::Workspace& ws, const store::SampleQuery& query, store::SampleStatus status,
                          const ProgressFn& progress)
{
    BulkChange change;
    change.kind = BulkChange::Kind::Status;
    change.status = status;
    change.matched = ws.countSamples(query);
    // The samples of each other status, found by the store's own filter: what undo gives back.
    std::vector<std::pair<store::SampleStatus, std::vector<std::int64_t>>> toChange;
    std::uint64_t total = 0;
    for (const store::SampleStatus from : kStatuses) {
        if (from == status || (query.status && *query.status != from))
            continue;
        store::SampleQuery q = query;
        q.status = from;
        toChange.emplace_back(from, ws.sampleIds(q));
        total += toChange.back().second.size();
    }
    std::uint64_t done = 0;
    for (const auto& [from, ids] : toChange) {
        change.before.emplace_back(from, std::vector<std::int64_t>{});
        if (!inChunks(ws, ids, done, total, progress,
                      [&](const std::vector<std::int64_t>& chunk) { ws.setStatus(chunk, status); },
                      &change.before.back().second)) {
            change.complete = false;
            break;
        }
    }
    if (progress && change.complete)
        progress(total, total);
    return change;
}

BulkChange tagWhere(store::Workspace& ws, const store::SampleQuery& query, const std::string& tag,
                    const ProgressFn& progress)
{
    BulkChange change;
    change.kind = BulkChange::Kind::Tag;
    change.tag = tag;
    const std::vector<std::int64_t> ids = ws.sampleIds(query);
    change.matched = std::int64_t(ids.size());
    std::uint64_t done = 0;
    change.complete = inChunks(ws, ids, done, ids.size(), progress, [&](const std::vector<std::int64_t>& chunk) {
        for (const std::int64_t id : chunk)
            if (retag(ws, id, tag, true))
                change.tagged.push_back(id);
    });
    if (progress && change.complete)
        progress(ids.size(), ids.size());
    return change;
}

void undoBulk(store::Workspace& ws, const BulkChange& change, const ProgressFn& progress)
{
    std::uint64_t done = 0;
    const auto total = std::uint64_t(change.changed());
    if (change.kind == BulkChange::Kind::Tag) {
        inChunks(ws, change.tagged, done, total, progress, [&](const std::vector<std::int64_t>& chunk) {
            for (const std::int64_t id : chunk)
                retag(ws, id, change.tag, false);
        });
        return;
    }
    for (const auto& [from, ids] : change.before)
        inChunks(ws, ids, done, total, progress, [&, from = from](const std::vector<std::int64_t>& chunk) {
            ws.setStatus(chunk, from);
        });
}

void redoBulk(store::Workspace& ws, const BulkChange& change, const ProgressFn& progress)
{
    std::uint64_t done = 0;
    const auto total = std::uint64_t(change.changed());
    if (change.kind == BulkChange::Kind::Tag) {
        inChunks(ws, change.tagged, done, total, progress, [&](const std::vector<std::int64_t>& chunk) {
            for (const std::int64_t id : chunk)
                retag(ws, id, change.tag, true);
        });
        return;
    }
    for (const auto& [from, ids] : change.before)
        inChunks(ws, ids, done, total, progress,
                 [&](const std::vector<std::int64_t>& chunk) { ws.setStatus(chunk, change.status); });
}

}  // namespace distill::widgets
