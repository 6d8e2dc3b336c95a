#include "widgets/models/metric_reader.h"

#include "core/store/workspace.h"
#include "core/util/error.h"

namespace distill::widgets {

void MetricReader::forget(qint64 runId)
{
    m_seen.remove(runId);
}

QVector<MetricPoint> MetricReader::poll(const store::Workspace& workspace, qint64 runId)
{
    QVector<MetricPoint> points;
    Seen& seen = m_seen[runId];
    std::vector<store::Metric> rows;
    try {
        rows = workspace.metrics(runId, {}, seen.lastStep - 1);
    } catch (const Error&) {
        return points;
    }
    for (const store::Metric& m : rows) {
        const QString name = QString::fromStdString(m.name);
        if (m.step < seen.lastStep)
            continue;
        if (m.step == seen.lastStep) {
            if (seen.namesAtLastStep.contains(name))
                continue;
        } else {
            seen.lastStep = m.step;
            seen.namesAtLastStep.clear();
        }
        seen.namesAtLastStep.insert(name);
        points.append({name, m.step, m.value});
    }
    return points;
}

}  // namespace distill::widgets
