// JobTracker: the one way the desktop app runs background work (house rule 6). It hands out job ids,
// runs each job's callable on a worker thread with its own connections to the workspace file, lets
// the work poll a cancel flag, and delivers progress and results as queued signals tagged with the id.
#pragma once

#include "core/util/progress.h"

#include <QElapsedTimer>
#include <QHash>
#include <QObject>
#include <QString>
#include <QThreadPool>
#include <QVariant>

#include <atomic>
#include <functional>
#include <memory>
#include <string>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class JobTracker;

// What a job's work sees on its worker thread: its id and cancel flag, a progress channel, and
// connections to the workspace opened on first use and closed when the job ends.
class JobContext {
public:
    ~JobContext();
    JobContext(const JobContext&) = delete;
    JobContext& operator=(const JobContext&) = delete;

    quint64 id() const { return m_id; }
    // True once the job was cancelled or superseded by a newer job of its kind.
    bool cancelled() const { return m_cancel->load(); }
    // Throws distill::Error(Cancelled) once cancelled: for loops that may stop anywhere.
    void throwIfCancelled() const;
    // Queued to the tracker at most every JobTracker::kProgressIntervalMs, and always when done == total.
    void progress(qint64 done, qint64 total);
    // A core progress callback reporting here that returns false (stop) once cancelled.
    ProgressFn progressFn();

    // The tracker's workspace file when the job was started; empty when none was set.
    const std::string& workspacePath() const { return m_path; }
    // Read-only connection (OpenOptions::reader()); NotFound error without a workspace.
    const store::Workspace& reader();
    // Read-write connection (SQLite WAL: many readers, one writer at a time).
    store::Workspace& writer();

private:
    friend class JobTracker;
    JobContext(JobTracker* tracker, quint64 id, std::shared_ptr<std::atomic<bool>> cancel, std::string path);

    JobTracker* m_tracker;
    quint64 m_id;
    std::shared_ptr<std::atomic<bool>> m_cancel;
    std::string m_path;
    std::unique_ptr<store::Workspace> m_reader;
    std::unique_ptr<store::Workspace> m_writer;
    QElapsedTimer m_sinceProgress;
};

class JobTracker : public QObject {
    Q_OBJECT
public:
    // The work returns its result (any QVariant) or throws; what it throws becomes the error text.
    using Work = std::function<QVariant(JobContext&)>;
    // Called on the tracker's thread with a current job's result; `error` is empty on success.
    using Done = std::function<void(const QVariant& result, const QString& error)>;

    explicit JobTracker(QObject* parent = nullptr);
    // Cancels every read, lets queued writes finish, and waits for all work still running.
    ~JobTracker() override;

    // The workspace file later jobs connect to (empty: none). Changing it cancels the jobs started
    // before and drops their results.
    void setWorkspacePath(const QString& path);
    QString workspacePath() const { return m_path; }
    bool hasWorkspace() const { return !m_path.isEmpty(); }

    // Runs `work` on a worker thread as a job of `kind` and returns its id. A job of the same kind
    // still pending is superseded: it is cancelled and its result and progress are dropped.
    quint64 start(const QString& kind, Work work, Done done = {});
    // Runs `work` after every job enqueued before it, one at a time and in order (writes whose
    // order matters, e.g. review actions and their undo). Never superseded, never cancelled on shutdown.
    quint64 enqueue(Work work, Done done = {});
    // Sets the job's cancel flag; its result (usually a Cancelled error) is still delivered.
    void cancel(quint64 id);
    // Cancels every job that is not a queued write.
    void cancelAll();

    // The job is pending and its result will be delivered (not superseded, same workspace).
    bool isCurrent(quint64 id) const;
    // A current job of `kind` is pending.
    bool isRunning(const QString& kind) const;
    int pendingCount() const { return int(m_jobs.size()); }
    // Processes events until no job is pending; false after `timeoutMs`. For tests and shutdown.
    bool waitForIdle(int timeoutMs = 30000);

    static constexpr int kProgressIntervalMs = 50;

signals:
    void progress(quint64 id, qint64 done, qint64 total);
    // Once per current job, after its Done callback.
    void finished(quint64 id, const QString& kind, const QVariant& result, const QString& error);
    // The last pending job has ended.
    void idle();

private:
    friend class JobContext;
    struct Record {
        QString kind;
        Done done;
        std::shared_ptr<std::atomic<bool>> cancel;
        quint64 generation = 0;
        bool serial = false;
    };
    quint64 launch(const QString& kind, Work work, Done done, bool serial);
    void deliver(quint64 id, const QVariant& result, const QString& error);
    void onProgress(quint64 id, qint64 done, qint64 total);

    QString m_path;
    quint64 m_generation = 0;  // bumped by setWorkspacePath
    QHash<quint64, Record> m_jobs;
    QHash<QString, quint64> m_latest;  // kind -> newest job
    QThreadPool m_pool;                // jobs started with start()
    QThreadPool m_serial;              // enqueued jobs, one thread
};

}  // namespace distill::widgets
