// ImportJob: runs formats::importFile as a JobTracker job (its own workspace connection on a worker
// thread). Progress and the final report arrive as queued signals tagged with the job id; a new
// import supersedes a running one, whose result is dropped. Cancelling writes nothing.
#pragma once

#include "core/formats/importer.h"

#include <QObject>
#include <QString>

namespace distill::widgets {

class JobTracker;

class ImportJob : public QObject {
    Q_OBJECT
public:
    explicit ImportJob(QObject* parent = nullptr);

    // Starts importing `filePath` into the workspace file; a running import is cancelled and its
    // result dropped. `options.progress` is replaced by the job's own callback. Returns the job id.
    quint64 start(const QString& workspacePath, const QString& filePath, formats::ImportOptions options);
    void cancel();
    bool isRunning() const;
    quint64 currentJob() const { return m_jobId; }

signals:
    void progress(quint64 jobId, quint64 done, quint64 total);
    // `error` is empty on success (the report may still list skipped records).
    void finished(quint64 jobId, const distill::formats::ImportReport& report, const QString& error);

private:
    JobTracker* m_jobs;
    quint64 m_jobId = 0;
};

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::formats::ImportReport)
