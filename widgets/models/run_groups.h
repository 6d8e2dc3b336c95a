// RunGroups: reads the GRPO group records of a run folder, `groups/step_NNNNNN.jsonl`, one JSON
// line per prompt: {"step", "prompt", "gold", "completions": [{"text", "tokens", "truncated",
// "reward", "scores": {term: value}, "advantage"}]} (written by the GRPO job).
#pragma once

#include <QMap>
#include <QString>
#include <QVector>

namespace distill::widgets {

struct GroupCompletion {
    QString text;
    int tokens = 0;
    double reward = 0.0;
    double advantage = 0.0;
    bool truncated = false;
    QMap<QString, double> scores;  // per reward function
};

struct PromptGroup {
    int prompt = 0;  // line of the group file
    QString promptText;
    QString gold;
    QVector<GroupCompletion> completions;
};

// The steps with a group file in `runFolder`, ascending.
QVector<qint64> groupSteps(const QString& runFolder);
// The groups of one step, by prompt index. Malformed lines are skipped and counted in `skipped`.
QVector<PromptGroup> readGroups(const QString& runFolder, qint64 step, int* skipped = nullptr);
QString groupFilePath(const QString& runFolder, qint64 step);

}  // namespace distill::widgets
