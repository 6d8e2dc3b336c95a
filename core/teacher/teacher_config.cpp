#include "core/teacher/teacher_config.h"

#include "core/util/error.h"

#include <cstdlib>
#include <initializer_list>

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

// Fails on keys outside `allowed` so a typo in a config never goes unnoticed.
void checkKeys(const nlohmann::json& object, const char* where,
               std::initializer_list<const char*> allowed)
{
    if (!object.is_object())
        throw Error(ErrorCode::InvalidArgument, std::string(where) + " must be an object");
    for (const auto& item : object.items()) {
        bool ok = false;
        for (const char* key : allowed)
            ok = ok || item.key() == key;
        if (!ok)
            throw Error(ErrorCode::InvalidArgument,
                        "unknown key '" + item.key() + "' in " + where);
    }
}

template <typename T>
void read(const nlohmann::json& object, const char* key, T& out)
{
    const auto it = object.find(key);
    if (it == object.end())
        return;
    try {
        out = it->get<T>();
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::InvalidArgument, std::string("bad value for '") + key + "'",
                    e.what());
    }
}

template <typename T>
void readOptional(const nlohmann::json& object, const char* key, std::optional<T>& out)
{
    const auto it = object.find(key);
    if (it == object.end() || it->is_null())
        return;
    T value{};
    read(object, key, value);
    out = value;
}

template <typename T>
void putOptional(nlohmann::json& object, const char* key, const std::optional<T>& value)
{
    if (value)
        object[key] = *value;
}

}  // namespace

nlohmann::json toJson(const TeacherConfig& c)
{
    nlohmann::json sampling = {{"n", c.sampling.n}, {"stop", c.sampling.stop}};
    putOptional(sampling, "temperature", c.sampling.temperature);
    putOptional(sampling, "top_p", c.sampling.topP);
    putOptional(sampling, "max_tokens", c.sampling.maxTokens);
    putOptional(sampling, "seed", c.sampling.seed);
    return {
        {"preset", c.preset},
        {"base_url", c.baseUrl},
        {"model", c.model},
        {"api_key_env", c.apiKeyEnv},
        {"stream", c.stream},
        {"concurrency", c.concurrency},
        {"sampling", sampling},
        {"retry",
         {{"max_attempts", c.retry.maxAttempts},
          {"backoff_base_s", c.retry.backoffBaseSeconds},
          {"backoff_max_s", c.retry.backoffMaxSeconds},
          {"max_retry_after_s", c.retry.maxRetryAfterSeconds}}},
        {"timeouts",
         {{"connect_s", c.timeouts.connectSeconds},
          {"idle_s", c.timeouts.idleSeconds},
          {"total_s", c.timeouts.totalSeconds}}},
        {"prices",
         {{"prompt", c.prices.prompt},
          {"prompt_cache_hit", c.prices.promptCacheHit},
          {"completion", c.prices.completion}}},
        {"extra_body", c.extraBody},
    };
}

TeacherConfig teacherConfigFromJson(const nlohmann::json& j)
{
    checkKeys(j, "teacher config",
              {"preset", "base_url", "model", "api_key_env", "stream", "concurrency", "sampling",
               "retry", "timeouts", "prices", "extra_body"});
    TeacherConfig c;
    read(j, "preset", c.preset);
    read(j, "base_url", c.baseUrl);
    read(j, "model", c.model);
    read(j, "api_key_env", c.apiKeyEnv);
    read(j, "stream", c.stream);
    read(j, "concurrency", c.concurrency);
    read(j, "extra_body", c.extraBody);
    if (const auto it = j.find("sampling"); it != j.end()) {
        checkKeys(*it, "sampling", {"n", "temperature", "top_p", "max_tokens", "stop", "seed"});
        read(*it, "n", c.sampling.n);
        readOptional(*it, "temperature", c.sampling.temperature);
        readOptional(*it, "top_p", c.sampling.topP);
        readOptional(*it, "max_tokens", c.sampling.maxTokens);
        read(*it, "stop", c.sampling.stop);
        readOptional(*it, "seed", c.sampling.seed);
    }
    if (const auto it = j.find("retry"); it != j.end()) {
        checkKeys(*it, "retry",
                  {"max_attempts", "backoff_base_s", "backoff_max_s", "max_retry_after_s"});
        read(*it, "max_attempts", c.retry.maxAttempts);
        read(*it, "backoff_base_s", c.retry.backoffBaseSeconds);
        read(*it, "backoff_max_s", c.retry.backoffMaxSeconds);
        read(*it, "max_retry_after_s", c.retry.maxRetryAfterSeconds);
    }
    if (const auto it = j.find("timeouts"); it != j.end()) {
        checkKeys(*it, "timeouts", {"connect_s", "idle_s", "total_s"});
        read(*it, "connect_s", c.timeouts.connectSeconds);
        read(*it, "idle_s", c.timeouts.idleSeconds);
        read(*it, "total_s", c.timeouts.totalSeconds);
    }
    if (const auto it = j.find("prices"); it != j.end()) {
        checkKeys(*it, "prices", {"prompt", "prompt_cache_hit", "completion"});
        read(*it, "prompt", c.prices.prompt);
        read(*it, "prompt_cache_hit", c.prices.promptCacheHit);
        read(*it, "completion", c.prices.completion);
    }
    return c;
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

std::string resolveApiKey(const TeacherConfig& config, const std::string& explicitKey)
{
    if (!explicitKey.empty())
        return explicitKey;
    const std::string env = config.apiKeyEnv.empty() ? findPreset(config.preset).apiKeyEnv
                                                     : config.apiKeyEnv;
    if (env.empty())
        return {};
    const char* value = std::getenv(env.c_str());
    return value ? std::string(value) : std::string();
}

}  // namespace distill::teacher
