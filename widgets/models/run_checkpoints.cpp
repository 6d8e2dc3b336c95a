// Run checkpoints through train::RunFolder.
#include "widgets/models/run_checkpoints.h"

#include "core/store/workspace.h"
#include "core/train/run_folder.h"
#include "widgets/models/job_tracker.h"

#include <algorithm>
#include <filesystem>

namespace distill::widgets {

QVector<RunCheckpoint> readRunCheckpoints(const store::Workspace& workspace, const std::vector<store::RunKind>& kinds)
{
    QVector<RunCheckpoint> out;
    for (const store::Run& run : workspace.runs()) {
        if (std::find(kinds.begin(), kinds.end(), run.kind) == kinds.end())
            continue;
        for (const train::Checkpoint& c : train::RunFolder::of(workspace.path(), run).checkpoints()) {
            RunCheckpoint rc;
            rc.runId = run.id;
            rc.runName = QString::fromStdString(run.name);
            rc.step = c.step;
            rc.folder = QString::fromStdString(c.folder.string());
            rc.hasTokenizer = std::filesystem::exists(c.folder / "tokenizer.json");
            out.append(rc);
        }
    }
    return out;
}

void startReadingRunCheckpoints(JobTracker& jobs, std::vector<store::RunKind> kinds,
                                std::function<void(const QVector<RunCheckpoint>&, const QString& error)> done)
{
    jobs.start(
        QStringLiteral("checkpoints"),
        [kinds = std::move(kinds)](JobContext& job) { return QVariant::fromValue(readRunCheckpoints(job.reader(), kinds)); },
        [done = std::move(done)](const QVariant& result, const QString& error) {
            done(error.isEmpty() ? result.value<QVector<RunCheckpoint>>() : QVector<RunCheckpoint>(), error);
        });
}

QString readRunFolder(const store::Workspace& workspace, qint64 runId)
{
    const auto run = workspace.run(runId);
    return run ? QString::fromStdString(train::RunFolder::of(workspace.path(), *run).path().string()) : QString();
}

}  // namespace distill::widgets
