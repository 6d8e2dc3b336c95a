#include "core/run/pipeline_edit.h"

#include "core/run/pipeline_job.h"
#include "core/run/yaml_json.h"
#include "core/util/error.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <sstream>

namespace distill::run {

namespace {

using nlohmann::json;
using ojson = nlohmann::ordered_json;

ojson merged(const json& written, const json& shown, const ojson& full, const ojson* changed)
{
    if (json(full) == shown)
        return ojson(written);
    if (written.is_array() && full.is_array() && written.size() == full.size() && shown.size() == full.size()) {
        // items edited in place (a list of sections): each merged on its own
        ojson out = ojson::array();
        for (std::size_t i = 0; i < full.size(); ++i) {
            const bool same = changed && changed->is_array() && changed->size() == full.size();
            out.push_back(merged(written[i], shown[i], full[i], same ? &(*changed)[i] : nullptr));
        }
        return out;
    }
    if (!written.is_object() || !full.is_object())
        return full;
    ojson out = ojson::object();
    for (const auto& [key, value] : full.items()) {
        const ojson* change = changed && changed->is_object() && changed->contains(key) ? &changed->at(key) : nullptr;
        if (written.contains(key))
            out[key] = merged(written.at(key), shown.at(key), value, change);
        else if (change)
            out[key] = *change;
    }
    return out;
}

std::vector<std::string> lines(const std::string& text)
{
    std::vector<std::string> out;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);)
        out.push_back(line);
    return out;
}

bool commentOrBlank(const std::string& line)
{
    const auto first = line.find_first_not_of(" \t");
    return first == std::string::npos || line[first] == '#';
}

}  // namespace

std::vector<EditableStage> editableStages(const std::string& pipelineYaml, const JobRegistry& stages)
{
    const YAML::Node written = YAML::Load(pipelineYaml);
    ResolvedSpec spec = pipelineSchema().resolve(YAML::Load(pipelineYaml));
    const PipelineSpec pipeline = readPipelineSpec(spec, "pipeline", stages);
    std::vector<EditableStage> out;
    for (std::size_t i = 0; i < pipeline.stages.size(); ++i) {
        const auto& stage = pipeline.stages[i];
        out.push_back({stage.name, stage.spec.at("kind").get<std::string>(), yamlToJson(written["stages"][i]["spec"]),
                       stage.spec});
    }
    return out;
}

ojson mergeStageEdit(const EditableStage& stage, const ojson& full, const ojson& changed)
{
    ojson out = {{"kind", stage.kind}};
    if (stage.written.contains("name"))
        out["name"] = stage.written.at("name");
    ojson shownKeys = ojson(stage.shown);
    shownKeys.erase("kind");
    shownKeys.erase("name");
    json written = stage.written;
    written.erase("kind");
    written.erase("name");
    const ojson rest = merged(written, json(shownKeys), full, &changed);
    for (const auto& [key, value] : rest.items())
        out[key] = value;
    return out;
}

std::string withStageSpec(const std::string& pipelineYaml, std::size_t index, const ojson& spec)
{
    const YAML::Node root = YAML::Load(pipelineYaml);
    const YAML::Node stages = root["stages"];
    if (!stages.IsSequence() || index >= stages.size())
        throw Error(ErrorCode::InvalidArgument, "the pipeline has no stage " + std::to_string(index + 1));
    const YAML::Node stage = stages[index];
    int specLine = -1, specColumn = 0;
    std::vector<int> after;  // lines where what follows the spec block starts
    for (auto it = stage.begin(); it != stage.end(); ++it)
        if (it->first.Scalar() == "spec") {
            specLine = it->first.Mark().line;
            specColumn = it->first.Mark().column;
        }
    if (specLine < 0)
        throw Error(ErrorCode::InvalidArgument, "stage " + std::to_string(index + 1) + " has no spec");
    for (auto it = stage.begin(); it != stage.end(); ++it)
        after.push_back(it->first.Mark().line);
    if (index + 1 < stages.size())
        after.push_back(stages[index + 1].Mark().line);
    for (auto it = root.begin(); it != root.end(); ++it)
        after.push_back(it->first.Mark().line);
    std::vector<std::string> text = lines(pipelineYaml);
    std::size_t end = text.size();
    for (const int line : after)
        if (line > specLine)
            end = std::min(end, std::size_t(line));
    while (end > std::size_t(specLine) + 1 && commentOrBlank(text[end - 1]))
        --end;  // comments and blank lines before what follows stay with it

    YAML::Emitter emitter;
    emitter.SetIndent(2);
    emitter << orderedJsonToYaml(spec);
    const std::string indent(std::size_t(specColumn), ' ');
    std::string block = indent + "spec:\n";
    for (const std::string& line : lines(emitter.c_str()))
        block += indent + "  " + line + "\n";
    // The spec key may share its line with the item's dash ("- spec: ..."): keep what comes before it.
    const std::string head = text[std::size_t(specLine)].substr(0, std::size_t(specColumn));
    block.replace(0, indent.size(), head);

    std::string out;
    for (std::size_t i = 0; i < std::size_t(specLine); ++i)
        out += text[i] + "\n";
    out += block;
    for (std::size_t i = end; i < text.size(); ++i)
        out += text[i] + "\n";
    return out;
}

}  // namespace distill::run
