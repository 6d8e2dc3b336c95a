#include "core/run/generate_spec.h"

#include "core/run/yaml_json.h"
#include "core/util/error.h"

#include "core/teacher/teacher_config.h"
#include "core/text/readability_filter.h"
#include "core/run/local_teacher.h"

#include <limits>

namespace distill::run {

std::string_view teacherKindName(TeacherKind kind)
{
    switch (kind) {
    case TeacherKind::Toy: return "toy";
    case TeacherKind::OpenAi: return "openai";
    case TeacherKind::Local: return "local";
    }
    return "toy";
}

static constexpr long long kMaxCount = 100'000'000;

// Sections that another library reads as JSON: unknown keys are reported with their line here, then
// the owner validates the values and fills in its defaults.
static nlohmann::json resolveOpenAi(const YAML::Node& node, int line)
{
    requireKnownKeys(node, teacher::toJson(teacher::TeacherConfig{}), "teacher", {"type"});
    nlohmann::json config = yamlToJson(node);
    config.erase("type");
    try {
        return teacher::toJson(teacher::teacherConfigFromJson(config));
    } catch (const Error& e) {
        throw Error(e.code(), "line " + std::to_string(line) + ": teacher: " + e.detail(), e.hint());
    }
}

static nlohmann::json resolveFilters(const YAML::Node& node, int line)
{
    requireKnownKeys(node, text::toJson(text::FilterConfig{}), "filters");
    try {
        return text::toJson(text::filterConfigFromJson(yamlToJson(node)));
    } catch (const Error& e) {
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(line) + ": filters: " + e.detail(), e.hint());
    }
}

GenerateSpec parseGenerateSpec(const SpecMap& spec, const std::string& name)
{
    GenerateSpec g;
    g.name = name;
    if (spec.has("problems") == spec.has("toy"))
        throw Error(ErrorCode::InvalidArgument,
                    "line " + std::to_string(spec.line()) + ": a generate job needs exactly one of 'problems' and 'toy'",
                    "problems: {source, tag, limit} selects workspace problems; toy: {count, seed, difficulty, split} creates toy ones");
    if (auto problems = spec.child("problems")) {
        g.problems.source = problems->text("source", "");
        g.problems.tag = problems->text("tag", "");
        g.problems.limit = problems->integer("limit", 0, 0, kMaxCount);
        problems->finish();
    }
    if (auto toySpec = spec.child("toy")) {
        toy::ToyProblemSet set;
        set.count = int(toySpec->integer("count", set.count, 1, 10'000'000));
        set.firstSeed = std::uint64_t(toySpec->integer("seed", 0, 0, (long long)(toy::kHeldOutSeedBase) - 1));
        set.difficulty = int(toySpec->integer("difficulty", 0, 0, toy::kMaxDifficulty));
        set.split = toy::parseToySplit(toySpec->text("split", "train"));
        toySpec->finish();
        g.toy = set;
    }
    g.samplesPerProblem = int(spec.integer("samples_per_problem", 1, 1, 1024));
    if (auto prompt = spec.child("prompt")) {
        g.prompt.system = prompt->text("system", g.prompt.system);
        g.prompt.user = prompt->text("user", g.prompt.user);
        g.prompt.thinkPrefill = prompt->boolean("think_prefill", g.prompt.thinkPrefill);
        prompt->finish();
    }
    if (g.prompt.user.find("{question}") == std::string::npos)
        throw Error(ErrorCode::InvalidArgument, "'user' in prompt must contain {question}");

    const auto teacher = spec.child("teacher");
    if (!teacher)
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(spec.line()) + ": missing required key 'teacher'");
    const std::string type = teacher->requiredText("type");
    if (type == "toy") {
        g.teacher = TeacherKind::Toy;
        g.toyTeacher.errorRate = teacher->number("error_rate", 0.0, 0.0, 1.0);
        g.toyTeacher.selfCheckRate = teacher->number("self_check_rate", 0.0, 0.0, 1.0);
        g.toyTeacher.verbosity = toy::parseToyVerbosity(teacher->text("verbosity", "digits"));
        g.toyTeacher.terseRate = teacher->number("terse_rate", 0.0, 0.0, 1.0);
        g.toyTeacher.seed = std::uint64_t(teacher->integer("seed", 0, 0, std::numeric_limits<long long>::max()));
        g.toyDelayMs = int(teacher->integer("delay_ms", 0, 0, 60'000));
        teacher->finish();
    } else if (type == "openai") {
        g.teacher = TeacherKind::OpenAi;
        // Every key but `type` belongs to core/teacher's TeacherConfig.
        g.openai = resolveOpenAi(spec.node("teacher"), teacher->line());
    } else if (type == "local") {
        g.teacher = TeacherKind::Local;
        try {
            g.local = resolveLocalTeacherConfig(yamlToJson(spec.node("teacher")));
        } catch (const Error& e) {
            throw Error(e.code(), "line " + std::to_string(teacher->line()) + ": " + e.detail(), e.hint());
        }
    } else {
        throw Error(ErrorCode::InvalidArgument,
                    "line " + std::to_string(teacher->line()) + ": unknown teacher type '" + type + "'",
                    "use toy or openai");
    }

    g.batchSize = int(spec.integer("batch_size", 0, 0, 4096));
    g.verify = spec.boolean("verify", g.verify);
    g.rejectIncorrect = spec.boolean("reject_incorrect", g.rejectIncorrect);
    if (auto filters = spec.child("filters"))
        g.filters = resolveFilters(spec.node("filters"), filters->line());
    spec.finish();
    return g;
}

std::string generateSpecYaml(const GenerateSpec& g)
{
    YAML::Node root(YAML::NodeType::Map);
    root["kind"] = "generate";
    root["name"] = g.name;
    if (g.toy) {
        YAML::Node toy(YAML::NodeType::Map);
        toy["count"] = g.toy->count;
        toy["seed"] = g.toy->firstSeed;
        toy["difficulty"] = g.toy->difficulty;
        toy["split"] = std::string(toy::toySplitName(g.toy->split));
        root["toy"] = toy;
    } else {
        YAML::Node problems(YAML::NodeType::Map);
        problems["source"] = g.problems.source;
        problems["tag"] = g.problems.tag;
        problems["limit"] = g.problems.limit;
        root["problems"] = problems;
    }
    root["samples_per_problem"] = g.samplesPerProblem;
    YAML::Node prompt(YAML::NodeType::Map);
    prompt["system"] = g.prompt.system;
    prompt["user"] = g.prompt.user;
    prompt["think_prefill"] = g.prompt.thinkPrefill;
    root["prompt"] = prompt;
    YAML::Node teacher(YAML::NodeType::Map);
    teacher["type"] = std::string(teacherKindName(g.teacher));
    if (g.teacher == TeacherKind::Toy) {
        teacher["error_rate"] = yamlNumber(g.toyTeacher.errorRate);
        teacher["self_check_rate"] = yamlNumber(g.toyTeacher.selfCheckRate);
        teacher["verbosity"] = std::string(toy::toyVerbosityName(g.toyTeacher.verbosity));
        teacher["terse_rate"] = yamlNumber(g.toyTeacher.terseRate);
        teacher["seed"] = g.toyTeacher.seed;
        teacher["delay_ms"] = g.toyDelayMs;
    } else {
        for (const auto& [key, value] : (g.teacher == TeacherKind::Local ? g.local : g.openai).items())
            teacher[key] = jsonToYaml(value);
    }
    root["teacher"] = teacher;
    root["batch_size"] = g.batchSize;
    root["verify"] = g.verify;
    root["reject_incorrect"] = g.rejectIncorrect;
    if (!g.filters.is_null())
        root["filters"] = jsonToYaml(g.filters);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace distill::run
