// Test workspaces for the widget tests: a synthetic one with known samples (for filter and sort
// checks) and a demo one built from the bundled benchmarks and the trace fixtures (screenshots).
#pragma once

#include "core/store/workspace.h"

#include <QString>

#include <vector>

namespace distill::testing {

// Creates `path` with 3 sources ("alpha", "beta", "gamma"), one problem per 5 samples and
// `samples` samples with varied verdict, status, origin, token counts and flags. The inserted
// samples are returned (ids filled) so tests can compute expected results on their own.
store::Workspace makeSyntheticWorkspace(const QString& path, int samples, std::vector<store::Sample>* inserted = nullptr,
                                        std::vector<store::Problem>* problems = nullptr);

// Creates `path` with the bundled benchmark sets and the s1K and STAR-1 trace fixtures imported.
store::Workspace makeDemoWorkspace(const QString& path);

// Path of a file under the source tree.
QString sourcePath(const QString& relative);

}  // namespace distill::testing
