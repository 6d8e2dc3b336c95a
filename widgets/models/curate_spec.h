// The spec of a `kind: curate` job as the curation page starts it: a curation recipe serialised by
// the core (so the keys are exactly the job's, docs/curation.md) plus name, dry_run and threads.
#pragma once

#include "core/text/curation_recipe.h"

#include <QJsonObject>

namespace distill::widgets {

QJsonObject curateSpec(const text::CurationRecipe& recipe, bool dryRun, int threads);

}  // namespace distill::widgets
