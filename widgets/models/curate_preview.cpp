// The curation stage preview.
#include "widgets/models/curate_preview.h"

#include "core/text/rejection_policy.h"

#include <QCoreApplication>
#include <QJsonArray>

#include <algorithm>

namespace distill::widgets {

QStringList countLines(const QJsonObject& counts, const QString& unit)
{
    QList<QPair<qint64, QString>> items;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        items.append({it.value().toInteger(), it.key()});
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList lines;
    for (const auto& [count, name] : items)
        lines << (unit.isEmpty() ? QStringLiteral("%1 %2").arg(name).arg(count)
                                 : QStringLiteral("%1 %2 %3").arg(name).arg(count).arg(unit));
    return lines;
}

QString curateStageName(CurateStage::Kind kind)
{
    switch (kind) {
    case CurateStage::Verification: return QCoreApplication::translate("distill::widgets::CuratePreview", "Verification");
    case CurateStage::Filters: return QCoreApplication::translate("distill::widgets::CuratePreview", "Readability filters");
    case CurateStage::Dedup: return QCoreApplication::translate("distill::widgets::CuratePreview", "Dedup");
    case CurateStage::Decontamination: return QCoreApplication::translate("distill::widgets::CuratePreview", "Benchmark decontamination");
    case CurateStage::KeepK: return QCoreApplication::translate("distill::widgets::CuratePreview", "Keep-k rejection sampling");
    case CurateStage::Selection: return QCoreApplication::translate("distill::widgets::CuratePreview", "Selection (quality, difficulty, diversity)");
    case CurateStage::Other: return QCoreApplication::translate("distill::widgets::CuratePreview", "Other");
    }
    return {};
}

QVector<CurateStage> curateStages(const QJsonObject& withoutSelection, const QJsonObject& full)
{
    QVector<CurateStage> stages;
    for (int k = CurateStage::Verification; k <= CurateStage::Selection; ++k)
        stages.append(CurateStage{CurateStage::Kind(k), 0, {}, {}});
    CurateStage other{CurateStage::Other, 0, {}, {}};
    const QJsonObject rejected = withoutSelection.value(QLatin1String("samples")).toObject().value(QLatin1String("rejected")).toObject();
    QJsonObject filterReasons;
    for (auto it = rejected.begin(); it != rejected.end(); ++it) {
        const QString reason = it.key();
        const qint64 n = it.value().toInteger();
        CurateStage* stage = &other;
        if (reason == QLatin1String(text::reject::kIncorrect))
            stage = &stages[CurateStage::Verification];
        else if (reason == QLatin1String(text::reject::kDuplicate))
            stage = &stages[CurateStage::Dedup];
        else if (reason == QLatin1String(text::reject::kContaminated))
            stage = &stages[CurateStage::Decontamination];
        else if (reason == QLatin1String(text::reject::kExcess))
            stage = &stages[CurateStage::KeepK];
        else if (text::reject::onlyFilters(reason.toStdString()))
            stage = &stages[CurateStage::Filters];
        stage->removed += n;
        if (stage == &stages[CurateStage::Filters])
            filterReasons.insert(reason, n);
        else
            stage->why << QStringLiteral("%1 %2").arg(reason).arg(n);
    }
    stages[CurateStage::Filters].why = countLines(filterReasons);

    const QJsonObject problems = full.value(QLatin1String("problems")).toObject();
    if (const qint64 dup = problems.value(QLatin1String("duplicates")).toInteger(); dup > 0)
        stages[CurateStage::Dedup].why << QCoreApplication::translate("distill::widgets::CuratePreview", "%1 duplicate problems").arg(dup);
    const QJsonArray contamination = problems.value(QLatin1String("contamination")).toArray();
    if (!contamination.isEmpty())
        stages[CurateStage::Decontamination].why << QCoreApplication::translate("distill::widgets::CuratePreview", "%1 problems overlap a benchmark").arg(contamination.size());
    for (const QJsonValue& c : contamination) {
        if (stages[CurateStage::Decontamination].examples.size() == 5)
            break;
        const QJsonObject hit = c.toObject();
        stages[CurateStage::Decontamination].examples
            << QCoreApplication::translate("distill::widgets::CuratePreview", "problem #%1 ~ %2 %3").arg(hit.value(QLatin1String("problem")).toInteger())
                   .arg(hit.value(QLatin1String("benchmark")).toString(), hit.value(QLatin1String("id")).toString());
    }
    const qint64 keptBefore = withoutSelection.value(QLatin1String("samples")).toObject().value(QLatin1String("kept")).toInteger();
    const qint64 keptAfter = full.value(QLatin1String("samples")).toObject().value(QLatin1String("kept")).toInteger();
    stages[CurateStage::Selection].removed = std::max<qint64>(0, keptBefore - keptAfter);
    stages[CurateStage::Selection].why = countLines(problems.value(QLatin1String("not_selected")).toObject(), QCoreApplication::translate("distill::widgets::CuratePreview", "problems"));
    if (other.removed > 0)
        stages.append(other);
    return stages;
}

}  // namespace distill::widgets
