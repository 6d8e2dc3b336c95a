// Job spec files for `distillery-cli run`: a JSON object written as block YAML (scalars in JSON
// form, which YAML reads unchanged), saved into a folder the pages keep for their runs.
#pragma once

#include <QJsonObject>
#include <QString>

namespace distill::widgets {

QString specYaml(const QJsonObject& spec);
// Writes `spec` to `<folder>/<stem>-<yyyyMMdd-HHmmss-zzz>.yaml`; returns the path, empty on failure.
QString writeSpecFile(const QString& folder, const QString& stem, const QJsonObject& spec);

}  // namespace distill::widgets
