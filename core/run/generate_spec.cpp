#include "core/run/generate_spec.h"

#include "core/run/local_teacher.h"
#include "core/run/spec_keys.h"
#include "core/teacher/teacher_config.h"
#include "core/text/readability_filter.h"
#include "core/util/error.h"

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

namespace {

constexpr double kMaxCount = 100'000'000;

std::vector<KeyDoc> openAiKeys()
{
    const std::vector<KeyNote> notes = {
        {"preset", "the kind of server: its default base URL, model, key variable and what it supports", {}, {},
         [] {
             std::vector<std::string> names;
             for (const auto& p : teacher::teacherPresets())
                 names.push_back(p.name);
             return names;
         }()},
        {"base_url", "the endpoint, e.g. http://127.0.0.1:8000/v1; empty: the preset's"},
        {"model", "the model the server serves; empty: the preset's default"},
        {"api_key_env", "environment variable holding the API key; empty: the preset's (the key is never stored)"},
        {"stream", "stream responses (server-sent events)", {}, {}, {}, {}, true},
        {"concurrency", "requests in flight at once", 1.0, 1024.0},
        {"sampling.n", "samples per request (emulated with n requests where the server lacks n)", 1.0, 1024.0},
        {"sampling.temperature", "sampling temperature; empty: the server's (R1: 0.6)", 0.0, 2.0, {}, {}, false, KeyType::Number},
        {"sampling.top_p", "nucleus sampling; empty: the server's (R1: 0.95)", 0.0, 1.0, {}, {}, false, KeyType::Number},
        {"sampling.max_tokens", "longest response; empty: the server's", 1.0, 1e9, {}, "tokens", false, KeyType::Integer},
        {"sampling.stop", "stop strings", {}, {}, {}, {}, true},
        {"sampling.seed", "sampling seed, where the server honours one", 0.0, 9.2e18, {}, {}, true, KeyType::Integer},
        {"retry.max_attempts", "attempts per request, the first included", 1.0, 100.0, {}, {}, true},
        {"retry.backoff_base_s", "first back-off", 0.0, 3600.0, {}, "s", true},
        {"retry.backoff_max_s", "longest back-off", 0.0, 3600.0, {}, "s", true},
        {"retry.max_retry_after_s", "longest Retry-After honoured", 0.0, 86400.0, {}, "s", true},
        {"timeouts.connect_s", "connection timeout", 0.0, 3600.0, {}, "s", true},
        {"timeouts.idle_s", "retry a stream that sent nothing for this long", 0.0, 86400.0, {}, "s", true},
        {"timeouts.total_s", "whole-attempt timeout; 0: none", 0.0, 86400.0, {}, "s", true},
        {"prices.prompt", "price of prompt tokens, for the cost metric", 0.0, 1e6, {}, "per million tokens", true},
        {"prices.prompt_cache_hit", "price of cached prompt tokens", 0.0, 1e6, {}, "per million tokens", true},
        {"prices.completion", "price of completion tokens", 0.0, 1e6, {}, "per million tokens", true},
        {"extra_body", "fields merged into every request body (e.g. chat_template_kwargs)", {}, {}, {}, {}, true},
    };
    return keysFromDefaults(teacher::toJson(teacher::TeacherConfig{}), notes);
}

std::vector<KeyDoc> localKeys()
{
    const std::vector<KeyNote> notes = {
        {"model", "the teacher model: a Hugging Face folder (a local model or a trained checkpoint)"},
        {"device", "where it runs: cpu, cuda or cuda:N"},
        {"dtype", "weights: auto (bf16 on CUDA, float32 on the CPU), float32 or bf16", {}, {}, {"auto", "float32", "bf16"}},
        {"max_batch", "sequences decoded together", 1.0, 4096.0},
        {"sampling.temperature", "sampling temperature (R1: 0.6)", 0.0, 2.0},
        {"sampling.top_p", "nucleus sampling (R1: 0.95)", 1e-9, 1.0},
        {"sampling.top_k", "top-k; 0: off", 0.0, 2147483647.0, {}, {}, true},
        {"sampling.min_p", "min-p; 0: off", 0.0, 1.0, {}, {}, true},
        {"sampling.repetition_penalty", "repetition penalty; 1: off", 1e-6, 100.0, {}, {}, true},
        {"sampling.max_tokens", "longest response", 1.0, 1e9, {}, "tokens"},
        {"sampling.seed", "sampling seed", 0.0, 9.2e18, {}, {}, true},
        {"sampling.stop", "stop strings", {}, {}, {}, {}, true},
        {"sampling.max_thinking_tokens", "budget forcing: end the thinking after this many tokens; -1: off", -1.0, 1e9, {}, "tokens", true},
        {"sampling.min_thinking_tokens", "budget forcing: append Wait until the thinking has this many tokens", 0.0, 1e9, {}, "tokens", true},
        {"sampling.num_waits", "budget forcing: most Waits appended", 0.0, 1000.0, {}, {}, true},
    };
    return keysFromDefaults(localTeacherDefaults(), notes);
}

}  // namespace

std::vector<KeyDoc> teacherSectionKeys(bool withToy)
{
    std::vector<KeyDoc> keys;
    if (withToy) {
        keys = {
            key::choice("type", "toy", {"toy", "openai", "local"},
                        "toy: the arithmetic teacher; openai: an OpenAI-compatible endpoint; local: a model folder run "
                        "by the engine in-process"),
            key::only({"toy"}, key::number("error_rate", 0.0, 0.0, 1.0, "share of traces with one wrong digit")),
            key::only({"toy"}, key::number("self_check_rate", 0.0, 0.0, 1.0, "share of steps followed by a self-check")),
            key::only({"toy"}, key::choice("verbosity", "digits", {"terse", "digits", "worked"}, "how much working a trace shows")),
            key::only({"toy"}, key::number("terse_rate", 0.0, 0.0, 1.0, "share of traces written terse whatever the verbosity")),
            key::only({"toy"}, key::integer("seed", 0, 0, 9.2e18, "seed of the toy teacher's choices")),
            key::only({"toy"}, key::advanced(key::integer("delay_ms", 0, 0, 60000, "delay per sample (to watch progress)", "ms"))),
        };
    } else {
        keys = {key::choice("type", "openai", {"openai", "local"},
                            "openai: an OpenAI-compatible endpoint; local: a model folder run by the engine in-process")};
    }
    keys.front().required = true;
    for (auto [variant, more] : {std::pair{"openai", openAiKeys()}, std::pair{"local", localKeys()}})
        for (KeyDoc k : more)
            keys.push_back(key::only({variant}, std::move(k)));
    return keys;
}

TeacherChoice readTeacherChoice(const nlohmann::ordered_json& t)
{
    TeacherChoice c;
    const std::string type = t.at("type").get<std::string>();
    nlohmann::json config = nlohmann::json::parse(t.dump());
    config.erase("type");
    if (type == "toy") {
        c.kind = TeacherKind::Toy;
        c.toy.errorRate = t.at("error_rate").get<double>();
        c.toy.selfCheckRate = t.at("self_check_rate").get<double>();
        c.toy.verbosity = toy::parseToyVerbosity(t.at("verbosity").get<std::string>());
        c.toy.terseRate = t.at("terse_rate").get<double>();
        c.toy.seed = t.at("seed").get<std::uint64_t>();
        c.toyDelayMs = t.at("delay_ms").get<int>();
    } else if (type == "openai") {
        c.kind = TeacherKind::OpenAi;
        c.openai = teacher::toJson(teacher::teacherConfigFromJson(config));
    } else {
        c.kind = TeacherKind::Local;
        c.local = resolveLocalTeacherConfig(config);
    }
    return c;
}

const SpecSchema& generateSchema()
{
    static const SpecSchema schema("generate",
        "Teacher samples for workspace problems (or toy problems), verified and filtered as they arrive; a "
        "rerun does only what is missing.",
        {
            key::optionalSection("problems", "Problems",
                                 {key::text("source", "", "problem source (a benchmark or an import); empty: every source"),
                                  key::text("tag", "", "only problems with this tag; empty: any"),
                                  key::integer("limit", 0, 0, kMaxCount, "most problems; 0: all that match")},
                                 "problems already in the workspace (give this or toy)"),
            key::optionalSection("toy", "Problems",
                                 {key::integer("count", toy::ToyProblemSet{}.count, 1, 10'000'000, "toy problems"),
                                  key::integer("seed", 0, 0, double(toy::kHeldOutSeedBase) - 1, "first problem seed"),
                                  key::integer("difficulty", 0, 0, toy::kMaxDifficulty, "operands - 1; 0: mixed levels"),
                                  key::choice("split", "train", {"train", "heldout"}, "train or held-out problems")},
                                 "toy arithmetic problems created in the workspace (give this or problems)"),
            [] {
                KeyDoc k = key::integer("samples_per_problem", 1, 1, 1024, "teacher samples per problem");
                k.group = "Problems";
                return k;
            }(),
            key::section("prompt", "Prompt",
                         {key::text("system", "", "system message; empty: none"),
                          key::text("user", PromptSpec{}.user, "user message; {question} is replaced by the problem"),
                          key::flag("think_prefill", false, "continue an assistant turn opened with <think>")}),
            [] {
                KeyDoc k = key::section("teacher", "Teacher", teacherSectionKeys(true), "who writes the samples");
                k.required = true;
                k.discriminator = "type";
                return k;
            }(),
            [] {
                KeyDoc k = key::advanced(key::integer("batch_size", 0, 0, 4096, "requests per teacher call; 0: the teacher's"));
                k.group = "Teacher";
                return k;
            }(),
            [] {
                KeyDoc k = key::flag("verify", true, "grade each answer against the problem's reference answer");
                k.group = "Verification";
                return k;
            }(),
            [] {
                KeyDoc k = key::flag("reject_incorrect", true, "mark wrong or ungradable samples rejected");
                k.group = "Verification";
                return k;
            }(),
            key::optionalSection("filters", "Verification", filterKeys(), "readability filters applied as samples arrive"),
        });
    return schema;
}

GenerateSpec readGenerateSpec(const ResolvedSpec& spec, const std::string& name)
{
    const auto& v = spec.values;
    GenerateSpec g;
    g.name = name;
    if (v.contains("problems") == v.contains("toy"))
        failAt(spec, "", "a generate job needs exactly one of 'problems' and 'toy'",
               "problems: {source, tag, limit} selects workspace problems; toy: {count, seed, difficulty, split} creates toy ones");
    if (v.contains("problems")) {
        const auto& p = v.at("problems");
        g.problems = {p.at("source").get<std::string>(), p.at("tag").get<std::string>(), p.at("limit").get<long long>()};
    } else {
        const auto& t = v.at("toy");
        toy::ToyProblemSet set;
        set.count = t.at("count").get<int>();
        set.firstSeed = t.at("seed").get<std::uint64_t>();
        set.difficulty = t.at("difficulty").get<int>();
        set.split = toy::parseToySplit(t.at("split").get<std::string>());
        g.toy = set;
    }
    g.samplesPerProblem = v.at("samples_per_problem").get<int>();
    const auto& prompt = v.at("prompt");
    g.prompt = {prompt.at("system").get<std::string>(), prompt.at("user").get<std::string>(),
                prompt.at("think_prefill").get<bool>()};
    if (g.prompt.user.find("{question}") == std::string::npos)
        failAt(spec, "prompt.user", "'user' in prompt must contain {question}");
    try {
        g.teacher = readTeacherChoice(v.at("teacher"));
    } catch (const Error& e) {
        failAt(spec, "teacher", "teacher: " + e.detail(), e.hint());
    }
    g.batchSize = v.at("batch_size").get<int>();
    g.verify = v.at("verify").get<bool>();
    g.rejectIncorrect = v.at("reject_incorrect").get<bool>();
    if (v.contains("filters")) {
        try {
            g.filters = text::toJson(text::filterConfigFromJson(nlohmann::json::parse(v.at("filters").dump())));
        } catch (const Error& e) {
            failAt(spec, "filters", "filters: " + e.detail(), e.hint());
        }
    }
    return g;
}

}  // namespace distill::run
