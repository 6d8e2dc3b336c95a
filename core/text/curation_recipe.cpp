#include "core/text/curation_recipe.h"

#include "core/text/json_fields.h"

namespace distill::text {

// nlohmann::json hooks (found by argument-dependent lookup) for the nested structs and enums.
void to_json(nlohmann::json& j, const FilterConfig& c) { j = toJson(c); }
void from_json(const nlohmann::json& j, FilterConfig& c) { c = filterConfigFromJson(j); }
void to_json(nlohmann::json& j, const MinHashConfig& c) { j = toJson(c); }
void from_json(const nlohmann::json& j, MinHashConfig& c) { c = minHashConfigFromJson(j); }
void to_json(nlohmann::json& j, KeepStrategy s) { j = keepStrategyName(s); }
void from_json(const nlohmann::json& j, KeepStrategy& s) { s = parseKeepStrategy(j.get<std::string>()); }
void to_json(nlohmann::json& j, DifficultyMode m) { j = difficultyModeName(m); }
void from_json(const nlohmann::json& j, DifficultyMode& m) { m = parseDifficultyMode(j.get<std::string>()); }
void to_json(nlohmann::json& j, DiversityMode m) { j = diversityModeName(m); }
void from_json(const nlohmann::json& j, DiversityMode& m) { m = parseDiversityMode(j.get<std::string>()); }

namespace {

template <class Self, class Field>
void visitDedup(Self& c, Field&& f)
{
    f("exact", c.exact);
    f("near_samples", c.nearSamples);
    f("near_problems", c.nearProblems);
    f("minhash", c.minhash);
}

template <class Self, class Field>
void visitDecontamination(Self& c, Field&& f)
{
    f("enabled", c.enabled);
    f("ngram", c.ngram);
    f("benchmarks_dir", c.benchmarksDir);
}

template <class Self, class Field>
void visitRejection(Self& c, Field&& f)
{
    f("keep_per_problem", c.keepPerProblem);
    f("strategy", c.strategy);
    f("seed", c.seed);
}

template <class Self, class Field>
void visitSelection(Self& c, Field&& f)
{
    f("target_size", c.targetSize);
    f("difficulty", c.difficulty);
    f("min_pass_rate", c.minPassRate);
    f("max_pass_rate", c.maxPassRate);
    f("diversity", c.diversity);
    f("seed", c.seed);
}

template <class Self, class Field>
void visitRecipe(Self& c, Field&& f)
{
    f("sources", c.sources);
    f("verify", c.verify);
    f("reference_model", c.referenceModel);
    f("cold_start_summary", c.coldStartSummary);
    f("filters", c.filters);
    f("dedup", c.dedup);
    f("decontamination", c.decontamination);
    f("rejection", c.rejection);
    f("selection", c.selection);
}

}  // namespace

void to_json(nlohmann::json& j, const DedupConfig& c)
{
    j = detail::fieldsToJson(c, [](auto& s, auto&& f) { visitDedup(s, f); });
}
void from_json(const nlohmann::json& j, DedupConfig& c)
{
    detail::fieldsFromJson(j, c, [](auto& s, auto&& f) { visitDedup(s, f); }, "dedup");
}
void to_json(nlohmann::json& j, const DecontaminationConfig& c)
{
    j = detail::fieldsToJson(c, [](auto& s, auto&& f) { visitDecontamination(s, f); });
}
void from_json(const nlohmann::json& j, DecontaminationConfig& c)
{
    detail::fieldsFromJson(j, c, [](auto& s, auto&& f) { visitDecontamination(s, f); }, "decontamination");
}
void to_json(nlohmann::json& j, const RejectionConfig& c)
{
    j = detail::fieldsToJson(c, [](auto& s, auto&& f) { visitRejection(s, f); });
}
void from_json(const nlohmann::json& j, RejectionConfig& c)
{
    detail::fieldsFromJson(j, c, [](auto& s, auto&& f) { visitRejection(s, f); }, "rejection");
}
void to_json(nlohmann::json& j, const SelectionConfig& c)
{
    j = detail::fieldsToJson(c, [](auto& s, auto&& f) { visitSelection(s, f); });
}
void from_json(const nlohmann::json& j, SelectionConfig& c)
{
    detail::fieldsFromJson(j, c, [](auto& s, auto&& f) { visitSelection(s, f); }, "selection");
}

nlohmann::json toJson(const CurationRecipe& recipe)
{
    return detail::fieldsToJson(recipe, [](auto& s, auto&& f) { visitRecipe(s, f); });
}

CurationRecipe curationRecipeFromJson(const nlohmann::json& json)
{
    CurationRecipe recipe;
    detail::fieldsFromJson(json, recipe, [](auto& s, auto&& f) { visitRecipe(s, f); }, "recipe");
    return recipe;
}

}  // namespace distill::text
