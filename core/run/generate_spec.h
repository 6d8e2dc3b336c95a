// The spec of a generation job (`kind: generate`): which problems, how many samples each, the prompt,
// the teacher, verification and filters, described once by its schema.
#pragma once

#include "core/run/spec_schema.h"
#include "core/toy/toy_problem.h"
#include "core/toy/toy_trace.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace distill::run {

// Problems already in the workspace: by source (benchmark or import name), tag and count.
struct ProblemSelection {
    std::string source;     // empty: every source
    std::string tag;        // empty: any tags
    long long limit = 0;    // 0: all that match
};

struct PromptSpec {
    std::string system;                                                  // empty: no system message
    std::string user = "{question}\nPut your final answer in \\boxed{}.";  // {question} is replaced
    bool thinkPrefill = false;  // ask the teacher to continue an assistant turn opened with "<think>\n"
};

enum class TeacherKind { Toy, OpenAi, Local };

// A `teacher:` section read: the toy teacher, an OpenAI-compatible endpoint or a local model folder.
struct TeacherChoice {
    TeacherKind kind = TeacherKind::Toy;
    toy::ToyTraceOptions toy;
    int toyDelayMs = 0;
    nlohmann::json openai = nlohmann::json::object();  // core/teacher's TeacherConfig as JSON
    nlohmann::json local = nlohmann::json::object();   // local_teacher.h's config as JSON
};

// The keys of a `teacher:` section (discriminated by `type`); withToy false: the model teachers only
// (openai, local), as a judge needs.
std::vector<KeyDoc> teacherSectionKeys(bool withToy);
// A resolved teacher section; errors of the teacher configs come back as distill::Error.
TeacherChoice readTeacherChoice(const nlohmann::ordered_json& section);

struct GenerateSpec {
    std::string name = "generate";
    // Either problems from the workspace, or toy problems created in it (source "toy").
    ProblemSelection problems;
    std::optional<toy::ToyProblemSet> toy;
    int samplesPerProblem = 1;
    PromptSpec prompt;
    TeacherChoice teacher;
    int batchSize = 0;           // requests per teacher call; 0: the teacher's preferred batch
    // Verification against the problem's reference answer; a wrong or unverifiable answer makes the
    // sample rejected when rejectIncorrect is set.
    bool verify = true;
    bool rejectIncorrect = true;
    // Readability filter thresholds (core/text FilterConfig as JSON); null: no filters.
    nlohmann::json filters = nullptr;
};

// The keys of `kind: generate`.
const SpecSchema& generateSchema();
// The spec of a resolved `kind: generate` spec (checks what spans keys; the teacher and filter
// sections are validated by their owners).
GenerateSpec readGenerateSpec(const ResolvedSpec& spec, const std::string& name);

std::string_view teacherKindName(TeacherKind kind);  // "toy", "openai", "local"

}  // namespace distill::run
