// Workspace queries of the pages.
#include "widgets/models/workspace_queries.h"

#include "core/store/workspace.h"

namespace distill::widgets {

QVariant readSources(const store::Workspace& workspace)
{
    QVariantList rows;
    for (const store::SourceCount& s : workspace.sources())
        rows.append(QVariant(QVariantList{QString::fromStdString(s.source), qlonglong(s.problems), qlonglong(s.samples)}));
    return rows;
}

QStringList problemSourceNames(const QVariantList& sources)
{
    QStringList names;
    for (const QVariant& entry : sources) {
        const QVariantList fields = entry.toList();
        if (fields.size() >= 2 && fields[1].toLongLong() > 0)
            names << fields[0].toString();
    }
    return names;
}

QStringList benchmarkNames(const QVariantList& sources)
{
    QStringList names = QStringList{QStringLiteral("toy")} + problemSourceNames(sources);
    names.removeDuplicates();
    return names;
}

QVariantList readRejectReasons(const store::Workspace& workspace)
{
    QVariantList rows;
    for (const auto& [reason, samples] : workspace.rejectReasons())
        rows.append(QVariant(QVariantList{QString::fromStdString(reason), qlonglong(samples)}));
    return rows;
}

QStringList readDatasetNames(const store::Workspace& workspace)
{
    QStringList names;
    for (const store::Dataset& d : workspace.datasets())
        names << QString::fromStdString(d.name);
    return names;
}

WorkspaceCounts readWorkspaceCounts(const store::Workspace& workspace)
{
    return {workspace.countProblems(), workspace.countSamples({}), qint64(workspace.datasets().size())};
}

qint64 countSamples(const store::Workspace& workspace, const store::SampleQuery& query)
{
    return workspace.countSamples(query);
}

FrozenDataset freezeDataset(store::Workspace& workspace, const QString& name, const store::SampleQuery& recipe)
{
    const store::Dataset d = workspace.freezeDataset(name.toStdString(), recipe);
    return {QString::fromStdString(d.name), qint64(d.sampleIds.size()), QString::fromStdString(d.contentHash)};
}

QString bundledResourcesDir()
{
    return QString::fromStdString(store::bundledResourcesDir());
}

}  // namespace distill::widgets
