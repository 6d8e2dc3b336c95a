// The curation job (`kind: curate`): one curation pass (curation.h) over the workspace. Its spec is a
// curation recipe (docs/curation.md) plus `dry_run` and `threads`; `distillery-cli curate` reads the
// same recipe from a file.
#pragma once

#include "core/run/curation.h"
#include "core/run/job_registry.h"

#include <string>

namespace distill::run {

struct CurateSpec {
    std::string name = "curate";
    text::CurationRecipe recipe;
    CurationOptions options;
};

// The keys of `kind: curate`: the curation recipe (docs/curation.md) plus dry_run and threads.
const SpecSchema& curateSchema();
// The spec of a resolved `kind: curate` spec.
CurateSpec readCurateSpec(const ResolvedSpec& spec, const std::string& name);
// A recipe file (the recipe's keys alone) read through the same schema; errors name "<file>:<line>".
text::CurationRecipe readRecipeFile(const std::string& path);

// Adds `kind: curate` to the registry.
void registerCurateJob(JobRegistry& registry);

class CurateJob : public Job {
public:
    explicit CurateJob(CurateSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "curate"; }
    std::string name() const override { return m_spec.name; }
    // Progress over the graded samples; the summary is curation.h's. A stop before the write-back
    // writes nothing.
    JobOutcome run(JobContext& context) override;

    const CurateSpec& spec() const { return m_spec; }

private:
    CurateSpec m_spec;
};

}  // namespace distill::run
