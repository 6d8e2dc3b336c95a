// CuratePreview: what each stage of a curation pass would remove and why, from two dry runs of the
// `curate` job (the pass without its problem selection, then the whole pass): samples per stage,
// the reasons the job gives, and example problems where the job names them.
#pragma once

#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <QVector>

namespace distill::widgets {

struct CurateStage {
    enum Kind { Verification, Filters, Dedup, Decontamination, KeepK, Selection, Other };
    Kind kind = Other;
    qint64 removed = 0;  // samples this stage removes (each sample counted once, under its reason)
    QStringList why;     // "language_mix 12", "difficulty 3 problems", ...
    QStringList examples;
};

// The stages in the pass's order, from the summaries (curation.h's JSON) of a dry run without
// selection (`withoutSelection`) and of the whole pass (`full`). A sample several stages would
// remove counts under the reason the job records: contaminated, incorrect, the failed filters,
// duplicate, excess (beyond the k kept per problem), in that order of precedence.
QVector<CurateStage> curateStages(const QJsonObject& withoutSelection, const QJsonObject& full);

// "name count [unit]" for each entry of a JSON object of counts, largest first.
QStringList countLines(const QJsonObject& counts, const QString& unit = {});

// The stage's name as shown.
QString curateStageName(CurateStage::Kind kind);

}  // namespace distill::widgets
