// The small reads and writes of the workspace that pages run as JobTracker jobs (never on the GUI
// thread): source and reject-reason counts, dataset names, the status-bar counts, a recipe's
// sample count, freezing a dataset, an expert's verdict. Each takes the job's connection.
#pragma once

#include "core/store/records.h"
#include "core/store/sample_query.h"

#include <QString>
#include <QStringList>
#include <QVariant>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

// The workspace's sources as a QVariantList of [name, problems, samples] lists.
QVariant readSources(const store::Workspace& workspace);
// The names of the sources (readSources' lists) that have problems.
QStringList problemSourceNames(const QVariantList& sources);
// What a model can be evaluated on: the toy benchmark and every source with problems (the bundled
// benchmarks and the workspace's own problem sets).
QStringList benchmarkNames(const QVariantList& sources);
// The non-empty reject reasons as [reason, samples] lists, most frequent first.
QVariantList readRejectReasons(const store::Workspace& workspace);
// The frozen datasets' names, oldest first.
QStringList readDatasetNames(const store::Workspace& workspace);

// Totals for the status bar (plain counts: a summary groups every sample and takes seconds).
struct WorkspaceCounts {
    qint64 problems = 0;
    qint64 samples = 0;
    qint64 datasets = 0;
};
WorkspaceCounts readWorkspaceCounts(const store::Workspace& workspace);

// Samples matching `query`.
qint64 countSamples(const store::Workspace& workspace, const store::SampleQuery& query);

struct FrozenDataset {
    QString name;
    qint64 samples = 0;
    QString contentHash;
};
// Freezes the samples matching `recipe` under a new name (an InvalidArgument error for a taken name).
FrozenDataset freezeDataset(store::Workspace& workspace, const QString& name, const store::SampleQuery& recipe);

// The bundled resources folder (benchmarks/, toy/); empty when none is found.
QString bundledResourcesDir();

}  // namespace distill::widgets
