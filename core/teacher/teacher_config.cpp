#include "core/teacher/teacher_config.h"

#include "core/text/json_fields.h"
#include "core/util/error.h"
#include "core/util/loopback.h"

#include <algorithm>
#include <cstdlib>

namespace distill::teacher {

const std::vector<TeacherPreset>& teacherPresets()
{
    static const std::vector<TeacherPreset> presets = {
        // name, base_url, n, reasoning field, stream usage, default model, key env
        {"deepseek", "https://api.deepseek.com/v1", false, "reasoning_content", true,
         "deepseek-reasoner", "DEEPSEEK_API_KEY"},
        {"vllm", "http://127.0.0.1:8000/v1", true, "reasoning_content", true, "", ""},
        {"sglang", "http://127.0.0.1:30000/v1", true, "reasoning_content", true, "", ""},
        {"ollama", "http://127.0.0.1:11434/v1", false, "reasoning", true, "", ""},
        {"llamacpp", "http://127.0.0.1:8080/v1", false, "reasoning_content", false, "", ""},
        {"distillery", "http://127.0.0.1:8000/v1", true, "reasoning_content", true, "", ""},
        {"openai-compatible", "", true, "reasoning_content", true, "", "OPENAI_API_KEY"},
    };
    return presets;
}

const TeacherPreset& findPreset(std::string_view name)
{
    std::string known;
    for (const auto& preset : teacherPresets()) {
        if (preset.name == name)
            return preset;
        known += (known.empty() ? "" : ", ") + preset.name;
    }
    throw Error(ErrorCode::InvalidArgument, "unknown teacher preset '" + std::string(name) + "'",
                "known presets: " + known);
}

namespace {

using text::detail::fieldsFromJson;
using text::detail::fieldsToJson;

// Each visit names a struct's members once; toJson and teacherConfigFromJson follow it.
constexpr auto visitSampling = [](auto& s, auto&& field) {
    field("n", s.n);
    field("temperature", s.temperature);
    field("top_p", s.topP);
    field("max_tokens", s.maxTokens);
    field("stop", s.stop);
    field("seed", s.seed);
};
constexpr auto visitRetry = [](auto& r, auto&& field) {
    field("max_attempts", r.maxAttempts);
    field("backoff_base_s", r.backoffBaseSeconds);
    field("backoff_max_s", r.backoffMaxSeconds);
    field("max_retry_after_s", r.maxRetryAfterSeconds);
};
constexpr auto visitTimeouts = [](auto& t, auto&& field) {
    field("connect_s", t.connectSeconds);
    field("idle_s", t.idleSeconds);
    field("total_s", t.totalSeconds);
};
constexpr auto visitPrices = [](auto& p, auto&& field) {
    field("prompt", p.prompt);
    field("prompt_cache_hit", p.promptCacheHit);
    field("completion", p.completion);
};
// No key field: a key only ever comes from the environment or the caller.
constexpr auto visitConfig = [](auto& c, auto&& field) {
    field("preset", c.preset);
    field("base_url", c.baseUrl);
    field("model", c.model);
    field("api_key_env", c.apiKeyEnv);
    field("stream", c.stream);
    field("concurrency", c.concurrency);
    field("sampling", c.sampling);
    field("retry", c.retry);
    field("timeouts", c.timeouts);
    field("prices", c.prices);
    field("extra_body", c.extraBody);
};

}  // namespace

void to_json(nlohmann::json& j, const SamplingParams& s) { j = fieldsToJson(s, visitSampling); }
void from_json(const nlohmann::json& j, SamplingParams& s)
{
    fieldsFromJson(j, s, visitSampling, "sampling");
}
void to_json(nlohmann::json& j, const RetryPolicy& r) { j = fieldsToJson(r, visitRetry); }
void from_json(const nlohmann::json& j, RetryPolicy& r) { fieldsFromJson(j, r, visitRetry, "retry"); }
void to_json(nlohmann::json& j, const Timeouts& t) { j = fieldsToJson(t, visitTimeouts); }
void from_json(const nlohmann::json& j, Timeouts& t)
{
    fieldsFromJson(j, t, visitTimeouts, "timeouts");
}
void to_json(nlohmann::json& j, const Prices& p) { j = fieldsToJson(p, visitPrices); }
void from_json(const nlohmann::json& j, Prices& p) { fieldsFromJson(j, p, visitPrices, "prices"); }

nlohmann::json toJson(const TeacherConfig& config)
{
    return fieldsToJson(config, visitConfig);
}

TeacherConfig teacherConfigFromJson(const nlohmann::json& json)
{
    TeacherConfig config;
    fieldsFromJson(json, config, visitConfig, "teacher");
    return config;
}

ResolvedTeacher resolveTeacher(const TeacherConfig& config)
{
    ResolvedTeacher r{findPreset(config.preset), {}, {}};
    std::string base = config.baseUrl.empty() ? r.preset.baseUrl : config.baseUrl;
    if (base.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "preset '" + r.preset.name + "' needs a base_url",
                    "for example http://127.0.0.1:8000/v1");
    if (base.rfind("http://", 0) != 0 && base.rfind("https://", 0) != 0)
        throw Error(ErrorCode::InvalidArgument, "base_url must start with http:// or https://");
    while (!base.empty() && base.back() == '/')
        base.pop_back();
    r.chatUrl = base + "/chat/completions";
    r.model = config.model.empty() ? r.preset.defaultModel : config.model;
    if (r.model.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "preset '" + r.preset.name + "' has no default model: set `model`");
    if (config.concurrency < 1)
        throw Error(ErrorCode::InvalidArgument, "concurrency must be at least 1");
    if (config.sampling.n < 1)
        throw Error(ErrorCode::InvalidArgument, "sampling.n must be at least 1");
    if (config.retry.maxAttempts < 1)
        throw Error(ErrorCode::InvalidArgument, "retry.max_attempts must be at least 1");
    if (!config.extraBody.is_object())
        throw Error(ErrorCode::InvalidArgument, "extra_body must be an object");
    return r;
}

namespace {

// A job spec picks the variable: only one named like a key may be read and sent (not HOME, PATH…).
bool isKeyVariableName(std::string_view name)
{
    const auto endsWith = [&](std::string_view suffix) {
        return name.size() > suffix.size() && name.substr(name.size() - suffix.size()) == suffix;
    };
    return std::all_of(name.begin(), name.end(),
                       [](char c) { return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'; })
        && (endsWith("_KEY") || endsWith("_TOKEN"));
}

}  // namespace

std::string resolveApiKey(const TeacherConfig& config, const ResolvedTeacher& resolved,
                          const std::string& explicitKey)
{
    if (!config.apiKeyEnv.empty() && !isKeyVariableName(config.apiKeyEnv))
        throw Error(ErrorCode::InvalidArgument,
                    "api_key_env '" + config.apiKeyEnv + "' does not name an API key variable",
                    "the variable's name must be upper case and end in _KEY or _TOKEN, "
                    "for example DEEPSEEK_API_KEY");
    std::string key = explicitKey;
    if (key.empty()) {
        const std::string& env = config.apiKeyEnv.empty() ? resolved.preset.apiKeyEnv : config.apiKeyEnv;
        const char* value = env.empty() ? nullptr : std::getenv(env.c_str());
        key = value ? std::string(value) : std::string();
    }
    if (!key.empty() && resolved.chatUrl.rfind("http://", 0) == 0 && !util::isLoopbackHost(util::urlHost(resolved.chatUrl)))
        throw Error(ErrorCode::InvalidArgument,
                    "refusing to send the API key in clear text to " + util::urlHost(resolved.chatUrl),
                    "use an https:// base_url, or a server on this machine (127.0.0.1, ::1, localhost)");
    return key;
}

}  // namespace distill::teacher
