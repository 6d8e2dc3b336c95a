// SampleReview implementation.
#include "widgets/models/sample_review.h"

#include "core/formats/importer.h"
#include "core/store/workspace.h"
#include "core/text/readability_filter.h"
#include "core/text/rejection_policy.h"
#include "core/verify/grader.h"
#include "widgets/models/job_tracker.h"

#include <nlohmann/json.hpp>

#include <set>

namespace distill::widgets {

namespace {

SampleDetail readSample(const store::Workspace& workspace, qint64 id)
{
    SampleDetail detail;
    detail.sample = workspace.sample(id);
    if (detail.sample)
        detail.problem = workspace.problem(detail.sample->problemId);
    return detail;
}

store::Verdict storeVerdict(verify::Verdict verdict)
{
    switch (verdict) {
    case verify::Verdict::Equal: return store::Verdict::Correct;
    case verify::Verdict::NotEqual: return store::Verdict::Incorrect;
    default: return store::Verdict::Unknown;
    }
}

// Whether every part of a reject reason is one that grading or the readability filters give.
bool gradingOrFilterReason(const std::string& reason)
{
    static const std::set<std::string> grading = {std::string(text::reject::kIncorrect), "no_answer", "unverifiable",
                                                  "truncated", "no_reference"};
    std::size_t start = 0;
    while (start <= reason.size()) {
        const std::size_t comma = std::min(reason.find(',', start), reason.size());
        const std::string part = reason.substr(start, comma - start);
        if (!grading.count(part) && !text::reject::onlyFilters(part))
            return false;
        start = comma + 1;
    }
    return !reason.empty();
}

}  // namespace

void reassessSample(store::Workspace& ws, qint64 id)
{
    store::Workspace::Transaction tx(ws);
    const auto sample = ws.sample(id);
    if (!sample)
        return;
    const auto problem = ws.problem(sample->problemId);
    nlohmann::json flags = nlohmann::json::parse(sample->flagsJson, nullptr, false);
    if (!flags.is_object())
        flags = nlohmann::json::object();
    std::vector<std::string> reasons;
    store::Verdict verdict = sample->verdict;
    if (problem && !problem->referenceAnswer.empty()) {
        const verify::GradeResult graded = verify::grade(sample->answer, problem->referenceAnswer);
        verdict = storeVerdict(graded.verdict);
        flags["extracted_answer"] = graded.predAnswer;
        if (verdict == store::Verdict::Incorrect)
            reasons.push_back(std::string(text::reject::kIncorrect));
    }
    const text::FilterConfig config;
    const text::FilterScores scores = text::scoreSample({sample->thinking, sample->answer, true, std::nullopt}, config);
    flags["filters"] = text::toJson(scores);
    for (const std::string& r : text::rejectReasons(scores, config))
        reasons.push_back(r);
    if (ws.editHistory(id).empty())
        flags.erase("edited");
    else
        flags["edited"] = true;
    // No reason yet (a sample that passed) gets the new one too, so that wrong -> right -> wrong ends
    // "incorrect" again.
    const bool replace = sample->rejectReason.empty() || gradingOrFilterReason(sample->rejectReason);
    const std::string reason = replace ? text::reject::joined(reasons) : sample->rejectReason;
    ws.setVerdict(id, verdict, reason);
    ws.setFlags(id, flags.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    ws.setTokenCounts(id, formats::estimateTokens(sample->thinking), formats::estimateTokens(sample->answer));
    tx.commit();
}

SampleReview::SampleReview(QObject* parent) : QObject(parent), m_jobs(new JobTracker(this))
{
    // Only the bulk writes report progress (per chunk).
    connect(m_jobs, &JobTracker::progress, this, &SampleReview::bulkProgress);
}

void SampleReview::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);
}

QString SampleReview::workspacePath() const
{
    return m_jobs->workspacePath();
}

void SampleReview::readDetail(qint64 id)
{
    m_jobs->start(
        QStringLiteral("detail"), [id](JobContext& job) { return QVariant::fromValue(readSample(job.reader(), id)); },
        [this, id](const QVariant& result, const QString& error) {
            emit detailRead(id, result.value<SampleDetail>(), error);
        });
}

void SampleReview::readHistory(qint64 id)
{
    m_jobs->start(
        QStringLiteral("history"), [id](JobContext& job) { return QVariant::fromValue(job.reader().editHistory(id)); },
        [this, id](const QVariant& result, const QString& error) {
            emit historyRead(id, result.value<std::vector<store::EditRecord>>(), error);
        });
}

template <typename Write>
void SampleReview::write(qint64 id, Write write)
{
    m_jobs->enqueue(
        [id, write = std::move(write)](JobContext& job) {
            store::Workspace& workspace = job.writer();
            write(workspace);
            return QVariant::fromValue(readSample(workspace, id));
        },
        [this, id](const QVariant& result, const QString& error) {
            emit sampleChanged(id, result.value<SampleDetail>(), error);
        });
}

void SampleReview::setStatus(qint64 id, store::SampleStatus status)
{
    write(id, [id, status](store::Workspace& ws) { ws.setStatus({id}, status); });
}

void SampleReview::setFlags(qint64 id, const std::string& flagsJson)
{
    write(id, [id, flagsJson](store::Workspace& ws) { ws.setFlags(id, flagsJson); });
}

void SampleReview::setText(qint64 id, store::SampleField field, const std::string& text)
{
    write(id, [id, field, text](store::Workspace& ws) {
        ws.updateSampleText(id, field, text);
        reassessSample(ws, id);
    });
}

void SampleReview::undoText(qint64 id, store::SampleField field, const std::string& before, const std::string& after)
{
    write(id, [id, field, before, after](store::Workspace& ws) {
        const auto history = ws.editHistory(id);
        if (!history.empty() && history.back().field == field && history.back().after == after)
            ws.undoLastEdit(id);
        else
            ws.updateSampleText(id, field, before);
        reassessSample(ws, id);
    });
}

template <typename Work>
quint64 SampleReview::bulk(Work work, bool undone)
{
    auto id = std::make_shared<quint64>(0);
    *id = m_jobs->enqueue(
        [work = std::move(work)](JobContext& job) { return QVariant::fromValue(work(job.writer(), job.progressFn())); },
        [this, id, undone](const QVariant& result, const QString& error) {
            emit bulkDone(*id, result.value<BulkChange>(), undone, error);
        });
    return *id;
}

quint64 SampleReview::setStatusWhere(const store::SampleQuery& query, store::SampleStatus status)
{
    return bulk([query, status](store::Workspace& ws, const ProgressFn& progress) {
        return widgets::setStatusWhere(ws, query, status, progress);
    }, false);
}

quint64 SampleReview::tagWhere(const store::SampleQuery& query, const std::string& tag)
{
    return bulk([query, tag](store::Workspace& ws, const ProgressFn& progress) {
        return widgets::tagWhere(ws, query, tag, progress);
    }, false);
}

quint64 SampleReview::undoBulk(const BulkChange& change)
{
    return bulk([change](store::Workspace& ws, const ProgressFn& progress) {
        widgets::undoBulk(ws, change, progress);
        return change;
    }, true);
}

quint64 SampleReview::redoBulk(const BulkChange& change)
{
    return bulk([change](store::Workspace& ws, const ProgressFn& progress) {
        widgets::redoBulk(ws, change, progress);
        return change;
    }, false);
}

}  // namespace distill::widgets
