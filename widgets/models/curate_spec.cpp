#include "widgets/models/curate_spec.h"

#include <QJsonDocument>

#include <nlohmann/json.hpp>

namespace distill::widgets {

QJsonObject curateSpec(const text::CurationRecipe& recipe, bool dryRun, int threads)
{
    QJsonObject spec = QJsonDocument::fromJson(QByteArray::fromStdString(text::toJson(recipe).dump())).object();
    spec.insert(QStringLiteral("kind"), QStringLiteral("curate"));
    spec.insert(QStringLiteral("name"), QStringLiteral("curate"));
    spec.insert(QStringLiteral("dry_run"), dryRun);
    spec.insert(QStringLiteral("threads"), threads);
    return spec;
}

}  // namespace distill::widgets
