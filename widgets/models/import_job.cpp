// ImportJob implementation.
#include "widgets/models/import_job.h"

#include "core/store/workspace.h"
#include "widgets/models/error_text.h"

#include <QElapsedTimer>
#include <QThread>

namespace distill::widgets {

ImportJob::ImportJob(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<distill::formats::ImportReport>();
}

ImportJob::~ImportJob()
{
    cancel();
    wait();
}

quint64 ImportJob::start(const QString& workspacePath, const QString& filePath, formats::ImportOptions options)
{
    cancel();
    wait();
    const quint64 jobId = ++m_jobId;
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_cancel = cancelFlag;

    m_thread = QThread::create([this, jobId, cancelFlag, ws = workspacePath.toStdString(),
                                file = filePath.toStdString(), options = std::move(options)]() mutable {
        QElapsedTimer sinceSignal;
        sinceSignal.start();
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            if (sinceSignal.elapsed() >= kProgressIntervalMs || (total != 0 && done >= total)) {
                sinceSignal.restart();
                emit progress(jobId, done, total);
            }
            return !cancelFlag->load();
        };
        formats::ImportReport report;
        QString error;
        try {
            auto workspace = store::Workspace::open(ws);
            report = formats::importFile(workspace, file, options);
        } catch (const std::exception& e) {
            error = errorMessage(e);
        }
        emit finished(jobId, report, error);
    });
    m_thread->setObjectName(QStringLiteral("import-%1").arg(jobId));
    m_thread->start();
    return jobId;
}

void ImportJob::cancel()
{
    if (m_cancel)
        m_cancel->store(true);
}

bool ImportJob::isRunning() const
{
    return m_thread && m_thread->isRunning();
}

void ImportJob::wait()
{
    if (!m_thread)
        return;
    m_thread->wait();
    delete m_thread;
    m_thread = nullptr;
}

}  // namespace distill::widgets
