#include "widgets/models/run_groups.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonArray>
#include <QJsonObject>
#include <QRegularExpression>

#include <algorithm>

namespace distill::widgets {

QString groupFilePath(const QString& runFolder, qint64 step)
{
    return QDir(runFolder).filePath(QStringLiteral("groups/step_%1.jsonl").arg(step, 6, 10, QLatin1Char('0')));
}

QVector<qint64> groupSteps(const QString& runFolder)
{
    static const QRegularExpression pattern(QStringLiteral("^step_(\\d+)\\.jsonl$"));
    QVector<qint64> steps;
    const QDir dir(QDir(runFolder).filePath(QStringLiteral("groups")));
    for (const QString& name : dir.entryList({QStringLiteral("step_*.jsonl")}, QDir::Files)) {
        const auto match = pattern.match(name);
        if (match.hasMatch())
            steps.append(match.captured(1).toLongLong());
    }
    std::sort(steps.begin(), steps.end());
    return steps;
}

QVector<PromptGroup> readGroups(const QString& runFolder, qint64 step, int* skipped)
{
    QVector<PromptGroup> groups;
    int bad = 0;
    QFile file(groupFilePath(runFolder, step));
    if (file.open(QIODevice::ReadOnly)) {
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (line.isEmpty())
                continue;
            const QJsonDocument doc = QJsonDocument::fromJson(line);
            const QJsonObject o = doc.object();
            if (!doc.isObject() || !o.value(QLatin1String("completions")).isArray()) {
                ++bad;
                continue;
            }
            PromptGroup group;
            group.prompt = int(groups.size());
            group.promptText = o.value(QLatin1String("prompt")).toString();
            group.gold = o.value(QLatin1String("gold")).toString();
            for (const QJsonValue& value : o.value(QLatin1String("completions")).toArray()) {
                const QJsonObject c = value.toObject();
                GroupCompletion completion;
                completion.text = c.value(QLatin1String("text")).toString();
                completion.tokens = c.value(QLatin1String("tokens")).toInt();
                completion.reward = c.value(QLatin1String("reward")).toDouble();
                completion.advantage = c.value(QLatin1String("advantage")).toDouble();
                completion.truncated = c.value(QLatin1String("truncated")).toBool();
                const QJsonObject scores = c.value(QLatin1String("scores")).toObject();
                for (auto it = scores.begin(); it != scores.end(); ++it)
                    completion.scores.insert(it.key(), it.value().toDouble());
                group.completions.append(completion);
            }
            groups.append(group);
        }
    }
    if (skipped)
        *skipped = bad;
    return groups;
}

}  // namespace distill::widgets
