// ImportJob implementation.
#include "widgets/models/import_job.h"

#include "widgets/models/job_tracker.h"

namespace distill::widgets {

namespace {
const QString kImport = QStringLiteral("import");
}

ImportJob::ImportJob(QObject* parent) : QObject(parent), m_jobs(new JobTracker(this))
{
    qRegisterMetaType<distill::formats::ImportReport>();
    connect(m_jobs, &JobTracker::progress, this, [this](quint64 id, qint64 done, qint64 total) {
        emit progress(id, quint64(done), quint64(total));
    });
}

quint64 ImportJob::start(const QString& workspacePath, const QString& filePath, formats::ImportOptions options)
{
    m_jobs->setWorkspacePath(workspacePath);
    m_jobId = m_jobs->start(
        kImport,
        [file = filePath.toStdString(), options = std::move(options)](JobContext& job) mutable {
            options.progress = job.progressFn();  // returns false once cancelled: the importer rolls back
            return QVariant::fromValue(formats::importFile(job.writer(), file, options));
        },
        [this](const QVariant& result, const QString& error) {
            emit finished(m_jobId, result.value<formats::ImportReport>(), error);
        });
    return m_jobId;
}

void ImportJob::cancel()
{
    m_jobs->cancel(m_jobId);
}

bool ImportJob::isRunning() const
{
    return m_jobs->isRunning(kImport);
}

}  // namespace distill::widgets
