// Job spec files for `distillery-cli run`, saved into a folder the pages keep for their runs.
#pragma once

#include <QString>

namespace distill::widgets {

// Writes `yamlText` to `<folder>/<stem>-<yyyyMMdd-HHmmss-zzz>.yaml`; returns the path, empty on failure.
QString writeSpecFile(const QString& folder, const QString& stem, const QString& yamlText);

}  // namespace distill::widgets
