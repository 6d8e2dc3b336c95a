// The checkpoints of a workspace's training runs, found through the one run-folder rule
// (train::RunFolder), for the pages that offer a checkpoint as a model (the GRPO policy, the
// playground), and a run's folder for the GRPO group inspector. Run as JobTracker jobs.
#pragma once

#include "core/store/records.h"

#include <QString>
#include <QVector>

#include <functional>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class JobTracker;

struct RunCheckpoint {
    qint64 runId = 0;
    QString runName;
    qint64 step = 0;
    QString folder;             // the checkpoint-N folder
    bool hasTokenizer = false;  // tokenizer.json in it: a chat can load it
};

// The complete checkpoints of the runs of these kinds: oldest run first, each by step.
QVector<RunCheckpoint> readRunCheckpoints(const store::Workspace& workspace, const std::vector<store::RunKind>& kinds);
// Reads them as a job of `jobs` (kind "checkpoints", so a newer read supersedes an older one);
// `done` gets the checkpoints, or the error text with none.
void startReadingRunCheckpoints(JobTracker& jobs, std::vector<store::RunKind> kinds,
                                std::function<void(const QVector<RunCheckpoint>&, const QString& error)> done);
// The folder of run `runId` (empty when there is no such run).
QString readRunFolder(const store::Workspace& workspace, qint64 runId);

}  // namespace distill::widgets
