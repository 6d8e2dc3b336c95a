// The curation job (`kind: curate`): one curation pass (curation.h) over the workspace. Its spec is a
// curation recipe (docs/curation.md) plus `dry_run` and `threads`; `distillery-cli curate` reads the
// same recipe from a file.
#pragma once

#include "core/run/curation.h"
#include "core/run/job_registry.h"

#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

namespace distill::run {

struct CurateSpec {
    std::string name = "curate";
    text::CurationRecipe recipe;
    CurationOptions options;
};

// The recipe keys of a YAML mapping (keys in `skip` are not the recipe's). Unknown keys are an
// InvalidArgument error "<origin><line>: unknown key 'k' in filters" (origin: "line " in a job spec,
// "recipe.yaml:" for a recipe file); bad values name the section.
text::CurationRecipe curationRecipeFromYaml(const YAML::Node& node, const std::string& origin,
                                            const std::set<std::string>& skip = {});

// Reads a `kind: curate` spec (kind and name already read) and checks for unknown keys.
CurateSpec parseCurateSpec(const SpecMap& spec, const std::string& name);
// The resolved spec as YAML (kind first); parsing it gives the same spec.
std::string curateSpecYaml(const CurateSpec& spec);

// Adds `kind: curate` to the registry.
void registerCurateJob(JobRegistry& registry);

class CurateJob : public Job {
public:
    explicit CurateJob(CurateSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "curate"; }
    std::string name() const override { return m_spec.name; }
    std::string resolvedYaml() const override { return curateSpecYaml(m_spec); }
    // Progress over the graded samples; the summary is curation.h's. A stop before the write-back
    // writes nothing.
    JobOutcome run(JobContext& context) override;

    const CurateSpec& spec() const { return m_spec; }

private:
    CurateSpec m_spec;
};

}  // namespace distill::run
