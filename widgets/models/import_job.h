// ImportJob: runs formats::importFile on a worker QThread with its own workspace connection.
// Progress and the final report arrive as queued signals tagged with a job id; stale ids are
// for the receiver to drop (house rule 6). A job can be cancelled; nothing is written then.
#pragma once

#include "core/formats/importer.h"

#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

class QThread;

namespace distill::widgets {

class ImportJob : public QObject {
    Q_OBJECT
public:
    explicit ImportJob(QObject* parent = nullptr);
    ~ImportJob() override;  // cancels a running import and waits for its thread

    // Starts importing `filePath` into the workspace file; a running import is cancelled first.
    // `options.progress` is replaced by the job's own callback. Returns the new job id.
    quint64 start(const QString& workspacePath, const QString& filePath, formats::ImportOptions options);
    void cancel();
    bool isRunning() const;
    quint64 currentJob() const { return m_jobId; }
    // Blocks until the current job's thread has ended (for tests and shutdown).
    void wait();

    // Minimum time between two progress signals.
    static constexpr int kProgressIntervalMs = 50;

signals:
    void progress(quint64 jobId, quint64 done, quint64 total);
    // `error` is empty on success (the report may still list skipped records).
    void finished(quint64 jobId, const distill::formats::ImportReport& report, const QString& error);

private:
    quint64 m_jobId = 0;
    QThread* m_thread = nullptr;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::formats::ImportReport)
