// Settings of an OpenAI-compatible teacher endpoint: server presets, sampling, retries, timeouts,
// prices. The API key is held only in memory: never serialised, logged or put into an error.
#pragma once

#include "core/teacher/usage_counter.h"

#include <nlohmann/json.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::teacher {

// What a kind of server can do; the client adapts its requests to it.
struct TeacherPreset {
    std::string name;
    std::string baseUrl;         // default `base_url`; empty: the user must give one
    bool supportsN = true;       // false: `n` samples are emulated by n requests with n = 1
    std::string reasoningField;  // delta/message field that carries the thinking
    bool streamUsage = true;     // honours `stream_options: {include_usage: true}`
    std::string defaultModel;
    std::string apiKeyEnv;       // environment variable read when no key is passed in
};

// The preset table: deepseek, vllm, sglang, ollama, llamacpp, distillery, openai-compatible.
const std::vector<TeacherPreset>& teacherPresets();
// Throws InvalidArgument (listing the known names) for an unknown name.
const TeacherPreset& findPreset(std::string_view name);

struct SamplingParams {
    int n = 1;  // samples per prompt
    std::optional<double> temperature;
    std::optional<double> topP;
    std::optional<int> maxTokens;
    std::vector<std::string> stop;
    std::optional<long long> seed;  // with emulated n, sample i is asked with seed + i
};

struct RetryPolicy {
    int maxAttempts = 6;            // first try included
    double backoffBaseSeconds = 1.0;
    double backoffMaxSeconds = 60.0;
    double maxRetryAfterSeconds = 600.0;  // a longer Retry-After is clamped to this
};

struct Timeouts {
    double connectSeconds = 10.0;
    double idleSeconds = 120.0;     // streams only: retry when no byte arrived for this long
                                    // (checked about once a second)
    double totalSeconds = 1800.0;   // whole attempt; 0 = none
};

struct TeacherConfig {
    std::string preset = "openai-compatible";
    std::string baseUrl;   // empty: the preset's
    std::string model;     // empty: the preset's default model
    std::string apiKeyEnv; // empty: the preset's
    bool stream = true;
    int concurrency = 8;
    SamplingParams sampling;
    RetryPolicy retry;
    Timeouts timeouts;
    Prices prices;
    nlohmann::json extraBody = nlohmann::json::object();  // merged into every request body
};

// JSON form of a config (as stored beside a job). Unknown keys are a Parse error.
// There is no key field: a key can only come from the environment or the caller.
void to_json(nlohmann::json& j, const SamplingParams& s);
void from_json(const nlohmann::json& j, SamplingParams& s);
void to_json(nlohmann::json& j, const RetryPolicy& r);
void from_json(const nlohmann::json& j, RetryPolicy& r);
void to_json(nlohmann::json& j, const Timeouts& t);
void from_json(const nlohmann::json& j, Timeouts& t);
void to_json(nlohmann::json& j, const Prices& p);
void from_json(const nlohmann::json& j, Prices& p);
nlohmann::json toJson(const TeacherConfig& config);
TeacherConfig teacherConfigFromJson(const nlohmann::json& json);

// A config with preset defaults filled in; throws InvalidArgument on an unusable value.
struct ResolvedTeacher {
    TeacherPreset preset;
    std::string chatUrl;  // {base_url}/chat/completions
    std::string model;
};
ResolvedTeacher resolveTeacher(const TeacherConfig& config);

// The key to use: `explicitKey` when not empty, else the config's (or preset's) environment
// variable; empty when neither gives one (local servers need none). Throws InvalidArgument when
// api_key_env does not name a key variable (its name must end in _KEY or _TOKEN) or when a key
// would travel in clear text: over http:// to a host other than this machine (127.0.0.0/8, ::1,
// localhost).
std::string resolveApiKey(const TeacherConfig& config, const ResolvedTeacher& resolved,
                          const std::string& explicitKey = {});

}  // namespace distill::teacher
