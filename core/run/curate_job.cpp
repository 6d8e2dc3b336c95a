#include "core/run/curate_job.h"

#include "core/run/spec_keys.h"
#include "core/util/error.h"

namespace distill::run {

const SpecSchema& curateSchema()
{
    static const SpecSchema schema = [] {
        std::vector<KeyDoc> keys = curationRecipeKeys();
        KeyDoc dryRun = key::flag("dry_run", false, "decide and count, write nothing (the preview)");
        KeyDoc threads = key::advanced(key::integer("threads", 0, 0, 256, "grading threads; 0: every core"));
        dryRun.group = threads.group = "Samples";
        keys.insert(keys.begin(), {dryRun, threads});
        return SpecSchema("curate",
                          "One curation pass over the workspace's teacher samples: grade, filter, dedup, "
                          "decontaminate, keep the k best per problem, select problems, write the decisions back.",
                          std::move(keys));
    }();
    return schema;
}

namespace {

text::CurationRecipe recipeOf(const ResolvedSpec& spec)
{
    nlohmann::json recipe = nlohmann::json::parse(spec.values.dump());
    recipe.erase("dry_run");
    recipe.erase("threads");
    try {
        return text::curationRecipeFromJson(recipe);
    } catch (const Error& e) {
        failAt(spec, "", e.detail(), e.hint().empty() ? "see docs/curation.md for the recipe keys" : e.hint());
    }
}

}  // namespace

CurateSpec readCurateSpec(const ResolvedSpec& spec, const std::string& name)
{
    CurateSpec s;
    s.name = name;
    s.options.dryRun = spec.values.at("dry_run").get<bool>();
    s.options.threads = spec.values.at("threads").get<std::size_t>();
    s.recipe = recipeOf(spec);
    return s;
}

text::CurationRecipe readRecipeFile(const std::string& path)
{
    YAML::Node root;
    try {
        root = YAML::LoadFile(path);
    } catch (const YAML::BadFile&) {
        throw Error(ErrorCode::NotFound, "cannot read recipe " + path);
    } catch (const YAML::Exception& e) {
        throw Error(ErrorCode::Parse, path + ":" + std::to_string(e.mark.line + 1) + ": " + e.msg);
    }
    try {
        ResolvedSpec spec = curateSchema().resolve(root.IsNull() ? YAML::Node(YAML::NodeType::Map) : root);
        if (root.IsMap() && (root["dry_run"] || root["threads"]))
            failAt(spec, root["dry_run"] ? "dry_run" : "threads", "a recipe file holds the recipe's keys only",
                   "--dry-run and --threads are options of the command");
        return recipeOf(spec);
    } catch (const Error& e) {
        // "line N: ..." of the schema becomes "<file>:N: ...".
        const std::string detail = e.detail().starts_with("line ") ? path + ":" + e.detail().substr(5) : path + ": " + e.detail();
        throw Error(ErrorCode::Parse, detail, e.hint());
    }
}

void registerCurateJob(JobRegistry& registry)
{
    registry.add(curateSchema(), [](ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<Job> {
        return std::make_unique<CurateJob>(readCurateSpec(spec, name));
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
