#include "core/run/pipeline_job.h"

#include "core/run/job_runner.h"
#include "core/run/yaml_json.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <algorithm>
#include <set>

namespace distill::run {

using nlohmann::json;

namespace {

constexpr std::string_view kOpen = "${";

bool validStageName(const std::string& name)
{
    return !name.empty() && name != "vars" && name != "resources"
           && std::all_of(name.begin(), name.end(), [](char c) {
                  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-';
              });
}

std::string scalarText(const json& value)
{
    return value.is_string() ? value.get<std::string>() : value.dump();
}

// Replaces each ${...} of `text` by what `lookup` gives for its inside (nullopt: left as it is).
// `whole` is set to the value when the text is a single reference and nothing else.
template <typename Lookup>
std::string expand(const std::string& text, Lookup&& lookup, std::optional<json>* whole = nullptr)
{
    std::string out;
    std::size_t at = 0;
    while (true) {
        const auto open = text.find(kOpen, at);
        const auto close = open == std::string::npos ? open : text.find('}', open);
        if (close == std::string::npos) {
            out += text.substr(at);
            return out;
        }
        const std::string inside = text.substr(open + kOpen.size(), close - open - kOpen.size());
        const std::optional<json> value = lookup(inside);
        out += text.substr(at, open - at);
        out += value ? scalarText(*value) : text.substr(open, close + 1 - open);
        if (whole && value && open == 0 && close + 1 == text.size())
            *whole = value;
        at = close + 1;
    }
}

// Fills in ${vars.NAME} and ${resources} in every scalar of a stage's spec (in place, so each keeps
// its line), and checks every other reference names an earlier stage.
void fillParseTimeValues(YAML::Node node, const json& vars, const std::set<std::string>& earlier,
                         const std::string& stage)
{
    if (node.IsMap()) {
        for (auto it = node.begin(); it != node.end(); ++it)
            fillParseTimeValues(it->second, vars, earlier, stage);
        return;
    }
    if (node.IsSequence()) {
        for (YAML::Node item : node)
            fillParseTimeValues(item, vars, earlier, stage);
        return;
    }
    if (!node.IsScalar() || node.Scalar().find(kOpen) == std::string::npos)
        return;
    const int line = node.Mark().line + 1;
    const auto fail = [&](const std::string& message, const std::string& hint) {
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(line) + ": stage '" + stage + "': " + message, hint);
    };
    const std::string filled = expand(node.Scalar(), [&](const std::string& inside) -> std::optional<json> {
        if (inside == "resources") {
            const std::string dir = store::bundledResourcesDir();
            if (dir.empty())
                fail("${resources}: the bundled resources folder was not found", "set DISTILLERY_RESOURCES");
            return dir;
        }
        const auto dot = inside.find('.');
        const std::string head = inside.substr(0, dot);
        if (head == "vars") {
            const std::string var = dot == std::string::npos ? "" : inside.substr(dot + 1);
            if (!vars.contains(var))
                fail("${" + inside + "}: no value '" + var + "' in vars", "add it under vars:");
            if (vars[var].is_object() || vars[var].is_array())
                fail("${" + inside + "}: vars." + var + " is not a single value", "");
            return vars[var];
        }
        if (dot == std::string::npos || dot + 1 == inside.size())
            fail("${" + inside + "} is not a reference", "write ${STAGE.KEY}, ${vars.NAME} or ${resources}");
        if (!earlier.count(head)) {
            std::string names;
            for (const auto& n : earlier)
                names += (names.empty() ? "" : ", ") + n;
            fail("${" + inside + "}: '" + head + "' is not an earlier stage",
                 earlier.empty() ? "the first stage cannot refer to other stages" : "earlier stages: " + names);
        }
        return std::nullopt;  // filled in when the stage starts
    });
    if (filled != node.Scalar())
        node = filled;
}

std::string yamlText(const json& spec)
{
    YAML::Emitter out;
    out << jsonToYaml(spec);
    return std::string(out.c_str()) + "\n";
}

}  // namespace

const SpecSchema& pipelineSchema()
{
    static const SpecSchema schema = [] {
        using namespace key;
        KeyDoc vars = make("vars", KeyType::Map, json::object());
        vars.doc = "values the stages use as ${vars.NAME}";
        vars.group = "Stages";
        KeyDoc spec = make("spec", KeyType::Map);
        spec.doc = "the stage's job spec (kind and its keys); ${STAGE.KEY} is a key of an earlier stage's run summary";
        spec.required = true;
        KeyDoc stages = sectionList("stages",
                                    {required("name", "the stage's name (letters, digits, _ and -), used by ${NAME.KEY}"), spec},
                                    nullptr, "the stages, run in order");
        stages.required = true;
        stages.group = "Stages";
        return SpecSchema("pipeline",
                          "Stages run in order as child runs, each a job of another kind, later ones using earlier "
                          "ones' outputs; a resumed pipeline skips the finished stages.",
                          {vars, stages});
    }();
    return schema;
}

PipelineSpec readPipelineSpec(ResolvedSpec& spec, const std::string& name, const JobRegistry& stages)
{
    PipelineSpec out;
    out.name = name;
    const json vars = json(spec.values.at("vars"));
    const auto& list = spec.values.at("stages");
    if (list.empty())
        failAt(spec, "stages", "a pipeline needs at least one stage");
    std::set<std::string> earlier;
    for (std::size_t i = 0; i < list.size(); ++i) {
        const std::string path = "stages[" + std::to_string(i) + "]";
        PipelineStage stage;
        stage.name = list[i].at("name").get<std::string>();
        stage.line = spec.line(path + ".name");
        if (!validStageName(stage.name))
            failAt(spec, path + ".name", "stage name '" + stage.name + "' must be letters, digits, _ or -, not vars or resources");
        if (earlier.count(stage.name))
            failAt(spec, path + ".name", "two stages are named '" + stage.name + "'");
        YAML::Node node = spec.source["stages"][i]["spec"];
        if (node["kind"].IsScalar() && node["kind"].Scalar() == "pipeline")
            failAt(spec, path + ".spec", "a stage cannot be a pipeline");
        fillParseTimeValues(node, vars, earlier, stage.name);
        if (!node["name"])
            node["name"] = stage.name;
        stages.parse(node);  // the stage's own keys checked now, with their lines
        stage.spec = yamlToJson(node);
        earlier.insert(stage.name);
        out.stages.push_back(std::move(stage));
    }
    return out;
}

void registerPipelineJob(JobRegistry& registry, std::shared_ptr<const JobRegistry> stages)
{
    registry.add(pipelineSchema(), [stages](ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<Job> {
        return std::make_unique<PipelineJob>(readPipelineSpec(spec, name, *stages), stages);
    });
}

json resolveStageReferences(const json& spec, const json& outputs, const std::string& stage)
{
    if (spec.is_object() || spec.is_array()) {
        json out = spec;
        for (auto& item : out)
            item = resolveStageReferences(item, outputs, stage);
        return out;
    }
    if (!spec.is_string())
        return spec;
    std::optional<json> whole;
    const std::string text = expand(
        spec.get<std::string>(),
        [&](const std::string& inside) -> std::optional<json> {
            const auto dot = inside.find('.');
            const std::string from = inside.substr(0, dot);
            std::string pointer = "/" + inside.substr(dot + 1);
            std::replace(pointer.begin(), pointer.end(), '.', '/');
            const json::json_pointer at(pointer);
            if (!outputs.contains(from) || !outputs[from].contains(at)) {
                std::string keys;
                if (outputs.contains(from))
                    for (const auto& [key, value] : outputs[from].items())
                        keys += (keys.empty() ? "" : ", ") + key;
                throw Error(ErrorCode::InvalidArgument,
                            "stage '" + stage + "': ${" + inside + "}: stage '" + from + "' left no '" + inside.substr(dot + 1) + "'",
                            keys.empty() ? std::string() : "its summary has: " + keys);
            }
            return outputs[from][at];
        },
        &whole);
    return whole ? *whole : json(text);
}

JobOutcome PipelineJob::run(JobContext& ctx)
{
    const std::vector<store::Run> children = ctx.workspace.childRuns(ctx.runId);
    json outputs = json::object();
    json stages = json::array();
    JobOutcome outcome;
    const int count = int(m_spec.stages.size());
    for (int i = 0; i < count; ++i) {
        const PipelineStage& stage = m_spec.stages[std::size_t(i)];
        const std::string kind = stage.spec.at("kind").get<std::string>();
        json event = {{"event", "stage"}, {"stage", stage.name}, {"index", i}, {"stages", count}, {"kind", kind}};
        const auto emit = [&](const std::string& status, std::int64_t runId, const json& summary = nullptr) {
            event["status"] = status;
            event["run_id"] = runId;
            if (!summary.is_null())
                event["summary"] = summary;
            ctx.events.emit(event);
        };
        const store::Run* existing = nullptr;
        for (const store::Run& r : children)
            if (r.stage == stage.name)
                existing = &r;  // the newest run of the stage
        RunResult result;
        if (existing && existing->status == "finished") {
            result = {existing->id, "finished", json::parse(existing->summary.empty() ? "{}" : existing->summary)};
            emit("skipped", existing->id, result.summary);
        } else {
            RunRequest request;
            request.buildVersion = ctx.buildVersion;
            if (existing) {
                request.resumeRunId = existing->id;
                emit("resumed", existing->id);
            } else {
                request.specText = yamlText(resolveStageReferences(stage.spec, outputs, stage.name));
                request.parentRunId = ctx.runId;
                request.stage = stage.name;
                emit("started", 0);
            }
            EventSink tagged(ctx.events, {{"stage", stage.name}});
            result = runJob(*m_stages, ctx.workspace, request, tagged, ctx.stop);
            emit(result.status, result.runId, result.summary);
        }
        outputs[stage.name] = result.summary;
        stages.push_back({{"stage", stage.name}, {"kind", kind}, {"run_id", result.runId}, {"status", result.status},
                          {"summary", result.summary}});
        outcome.summary = {{"stages", stages}};
        if (result.status == "failed")
            throw Error(result.errorCode,
                        "stage '" + stage.name + "' (" + kind + ", run " + std::to_string(result.runId)
                            + ") failed: " + result.summary.value("error", std::string("see its error event")),
                        "remove the cause and resume the pipeline: it goes on with this stage");
        if (result.status == "stopped") {
            outcome.stopped = true;
            return outcome;
        }
    }
    return outcome;
}

}  // namespace distill::run
