// SampleReview implementation.
#include "widgets/models/sample_review.h"

#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"

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

}  // namespace

SampleReview::SampleReview(QObject* parent) : QObject(parent), m_jobs(new JobTracker(this)) {}

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
    write(id, [id, field, text](store::Workspace& ws) { ws.updateSampleText(id, field, text); });
}

void SampleReview::undoText(qint64 id, store::SampleField field, const std::string& before, const std::string& after)
{
    write(id, [id, field, before, after](store::Workspace& ws) {
        const auto history = ws.editHistory(id);
        if (!history.empty() && history.back().field == field && history.back().after == after)
            ws.undoLastEdit(id);
        else
            ws.updateSampleText(id, field, before);
    });
}

}  // namespace distill::widgets
