#include "core/run/curate_job.h"

#include "core/run/yaml_json.h"
#include "core/util/error.h"

namespace distill::run {

namespace {

constexpr const char* kRecipeHint = "see docs/curation.md for the recipe keys";

// Rejects keys the recipe does not have, naming the key and its line; `known` is the JSON of a
// default recipe, so the allowed keys come from the same field list as the JSON reader.
void checkRecipeKeys(const YAML::Node& node, const nlohmann::json& known, const std::string& where,
                     const std::string& origin, const std::set<std::string>& skip)
{
    if (!node.IsMap() || !known.is_object())
        return;
    for (const auto& item : node) {
        const std::string key = item.first.Scalar();
        if (skip.count(key))
            continue;
        const auto it = known.find(key);
        if (it == known.end())
            throw Error(ErrorCode::InvalidArgument,
                        origin + std::to_string(item.first.Mark().line + 1) + ": unknown key '" + key + "'"
                            + (where.empty() ? "" : " in " + where),
                        kRecipeHint);
        checkRecipeKeys(item.second, *it, where.empty() ? key : where + "." + key, origin, {});
    }
}

}  // namespace

text::CurationRecipe curationRecipeFromYaml(const YAML::Node& node, const std::string& origin,
                                            const std::set<std::string>& skip)
{
    if (!node.IsDefined() || node.IsNull())
        return {};
    if (!node.IsMap())
        throw Error(ErrorCode::InvalidArgument, origin + std::to_string(node.Mark().line + 1) + ": a recipe is a YAML mapping");
    checkRecipeKeys(node, text::toJson(text::CurationRecipe{}), "", origin, skip);
    nlohmann::json json = yamlToJson(node);
    for (const auto& key : skip)
        json.erase(key);
    try {
        return text::curationRecipeFromJson(json);
    } catch (const Error& e) {
        throw Error(ErrorCode::InvalidArgument, origin + std::to_string(node.Mark().line + 1) + ": " + e.detail(),
                    e.hint().empty() ? kRecipeHint : e.hint());
    }
}

CurateSpec parseCurateSpec(const SpecMap& spec, const std::string& name)
{
    CurateSpec s;
    s.name = name;
    s.options.dryRun = spec.boolean("dry_run", s.options.dryRun);
    s.options.threads = std::size_t(spec.integer("threads", 0, 0, 256));
    const std::set<std::string> own = {"kind", "name", "dry_run", "threads"};
    const YAML::Node& root = spec.mapping();
    s.recipe = curationRecipeFromYaml(root, "line ", own);
    for (const auto& item : root)
        spec.node(item.first.Scalar());  // the recipe's keys are read
    spec.finish();
    return s;
}

std::string curateSpecYaml(const CurateSpec& s)
{
    YAML::Node root(YAML::NodeType::Map);
    root["kind"] = "curate";
    root["name"] = s.name;
    root["dry_run"] = s.options.dryRun;
    root["threads"] = s.options.threads;
    const YAML::Node recipe = jsonToYaml(text::toJson(s.recipe));
    for (const auto& item : recipe)
        root[item.first.Scalar()] = item.second;
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

void registerCurateJob(JobRegistry& registry)
{
    registry.add("curate", [](const SpecMap& spec, const std::string& name) -> std::unique_ptr<Job> {
        return std::make_unique<CurateJob>(parseCurateSpec(spec, name));
    });
}

JobOutcome CurateJob::run(JobContext& ctx)
{
    EtaEstimator eta;
    const CurationSummary summary =
        curate(ctx.workspace, m_spec.recipe, m_spec.options, [&](std::uint64_t done, std::uint64_t total) {
            eta.update(done);
            ctx.events.progress(done, total, eta.secondsLeft(total), eta.rate());
            return !ctx.stop.requested();
        });
    if (!summary.stopped)
        ctx.events.log("info", std::to_string(summary.samples.kept) + " of " + std::to_string(summary.samples.total)
                                   + " samples kept, " + std::to_string(summary.problems.selected) + " of "
                                   + std::to_string(summary.problems.total) + " problems selected"
                                   + (summary.dryRun ? " (dry run: nothing written)" : ""));
    return {summary.stopped, toJson(summary)};
}

}  // namespace distill::run
