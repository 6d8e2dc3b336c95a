// BackgroundRead: runs a slow read of the workspace (source lists, summaries) on a worker thread
// with its own read-only connection; the result arrives as a queued signal tagged with a job id.
#pragma once

#include <QObject>
#include <QVariant>

#include <functional>
#include <string>
#include <vector>

class QThread;

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class BackgroundRead : public QObject {
    Q_OBJECT
public:
    using ReadFn = std::function<QVariant(const store::Workspace&)>;

    explicit BackgroundRead(QObject* parent = nullptr);
    ~BackgroundRead() override;  // waits for reads still running

    // Starts `read` on a new worker thread; returns its job id (ids only grow, so a receiver keeps
    // the latest id and drops older results).
    quint64 start(const std::string& workspacePath, ReadFn read);
    quint64 latestJob() const { return m_jobId; }

signals:
    // `error` is empty on success.
    void finished(quint64 jobId, const QVariant& result, const QString& error);

private:
    quint64 m_jobId = 0;
    std::vector<QThread*> m_threads;
};

// A ReadFn: the workspace's sources as a QVariantList of [name, problems, samples] lists.
QVariant readSources(const store::Workspace& workspace);

}  // namespace distill::widgets
