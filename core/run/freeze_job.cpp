#include "core/run/freeze_job.h"

#include "core/store/workspace.h"
#include "core/util/error.h"

namespace distill::run {

KeyDoc sampleQuerySection(const std::string& group, const std::string& status, const std::string& verdict)
{
    using namespace key;
    return section("query", group,
                   {text("source", "", "problem source; empty: every source"),
                    choice("status", status, {"any", "candidate", "accepted", "rejected"}, "review status"),
                    choice("verdict", verdict, {"any", "correct", "incorrect", "unknown"}, "graded verdict"),
                    choice("origin", "any", {"any", "teacher", "import", "human", "reference"}, "where samples came from"),
                    text("origin_detail", "", "exact origin detail, e.g. a generate stage's ${STAGE.teacher}; empty: any"),
                    advanced(text("search", "", "full-text search words (all must occur)"))},
                   "which samples");
}

store::SampleQuery readSampleQuery(const nlohmann::ordered_json& q)
{
    store::SampleQuery query;
    query.source = q.at("source").get<std::string>();
    query.search = q.at("search").get<std::string>();
    query.originDetail = q.at("origin_detail").get<std::string>();
    if (const auto v = q.at("status").get<std::string>(); v != "any")
        query.status = store::parseStatus(v);
    if (const auto v = q.at("verdict").get<std::string>(); v != "any")
        query.verdict = store::parseVerdict(v);
    if (const auto v = q.at("origin").get<std::string>(); v != "any")
        query.origin = store::parseOrigin(v);
    return query;
}

const SpecSchema& freezeSchema()
{
    static const SpecSchema schema = [] {
        KeyDoc dataset = key::required("dataset", "the dataset's name; {count} becomes the number of samples");
        dataset.group = "Dataset";
        return SpecSchema("freeze", "The samples matching a query frozen as a named dataset, the input of SFT.",
                          {dataset, sampleQuerySection("Dataset", "accepted", "any")});
    }();
    return schema;
}

FreezeSpec readFreezeSpec(const ResolvedSpec& spec, const std::string& name)
{
    FreezeSpec s;
    s.name = name;
    s.dataset = spec.values.at("dataset").get<std::string>();
    if (s.dataset.empty())
        failAt(spec, "dataset", "'dataset' must name the dataset");
    s.query = readSampleQuery(spec.values.at("query"));
    return s;
}

void registerFreezeJob(JobRegistry& registry)
{
    registry.add(freezeSchema(), [](ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<Job> {
        return std::make_unique<FreezeJob>(readFreezeSpec(spec, name));
    });
}

JobOutcome FreezeJob::run(JobContext& ctx)
{
    const std::int64_t count = ctx.workspace.countSamples(m_spec.query);
    std::string name = m_spec.dataset;
    if (const auto at = name.find("{count}"); at != std::string::npos)
        name.replace(at, 7, std::to_string(count));
    if (const auto existing = ctx.workspace.dataset(name)) {
        ctx.events.log("info", "dataset " + name + " exists (" + std::to_string(existing->sampleIds.size()) + " samples)");
        return {false, {{"dataset", name}, {"samples", existing->sampleIds.size()}, {"reused", true}}};
    }
    if (count == 0)
        throw Error(ErrorCode::InvalidArgument, "no samples match the query of dataset " + name,
                    "check the query (source, status, verdict, origin)");
    const store::Dataset frozen = ctx.workspace.freezeDataset(name, m_spec.query);
    ctx.events.log("info", "froze " + std::to_string(frozen.sampleIds.size()) + " samples as dataset " + name);
    return {false, {{"dataset", name}, {"samples", frozen.sampleIds.size()}, {"reused", false}}};
}

}  // namespace distill::run
