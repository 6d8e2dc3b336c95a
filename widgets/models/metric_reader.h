// MetricReader: reads a run's stored metrics incrementally, for runs started elsewhere (the CLI on a
// server writing to the same workspace). Each poll returns only metrics not returned before.
#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QVector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

struct MetricPoint {
    QString name;
    qint64 step = 0;
    double value = 0.0;
};

class MetricReader {
public:
    explicit MetricReader(store::Workspace* workspace = nullptr) : m_workspace(workspace) {}
    void setWorkspace(store::Workspace* workspace);
    // New metrics of `runId` since the last poll of that run, by step. The last step seen is read
    // again (a job may store a step's names in more than one write); points already returned are
    // skipped. Store errors (a busy workspace) give an empty result and are retried next poll.
    QVector<MetricPoint> poll(qint64 runId);
    void forget(qint64 runId);

private:
    store::Workspace* m_workspace;
    struct Seen {
        qint64 lastStep = -1;
        QSet<QString> namesAtLastStep;
    };
    QHash<qint64, Seen> m_seen;
};

}  // namespace distill::widgets
