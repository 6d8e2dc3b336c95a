// MetricReader: reads a run's stored metrics incrementally, for runs started elsewhere (the CLI on a
// server writing to the same workspace). Each poll returns only metrics not returned before. A
// value type: a monitor hands a copy to a worker-thread job and keeps the copy that comes back.
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
    // New metrics of `runId` since the last poll of that run, by step. The last step seen is read
    // again (a job may store a step's names in more than one write); points already returned are
    // skipped. Store errors (a busy workspace) give an empty result and are retried next poll.
    QVector<MetricPoint> poll(const store::Workspace& workspace, qint64 runId);
    void forget(qint64 runId);
    void clear() { m_seen.clear(); }

private:
    struct Seen {
        qint64 lastStep = -1;
        QSet<QString> namesAtLastStep;
    };
    QHash<qint64, Seen> m_seen;
};

}  // namespace distill::widgets
