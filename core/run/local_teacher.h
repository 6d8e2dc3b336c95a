// LocalTeacher: the generation job's teacher running the inference engine in-process (no HTTP) on a
// model folder, a batch of requests per engine call, with reasoning split from <think>…</think>.
#pragma once

#include "core/run/teacher.h"

#include <memory>

namespace distill::serve {
class ServedModel;
}

namespace distill::run {

// The `teacher:` section of `type: local` as JSON, validated (unknown keys, types, ranges: an
// InvalidArgument error naming the key) and with defaults filled in:
// {model: DIR, device: cpu|cuda|cuda:N, dtype: auto|float32|bf16, max_batch: 16, sampling: {temperature: 0.6, top_p: 0.95, top_k: 0,
//  min_p: 0, repetition_penalty: 1, max_tokens: 1024, seed: 0, stop: [], max_thinking_tokens: -1,
//  min_thinking_tokens: 0, num_waits: 1}}
nlohmann::json resolveLocalTeacherConfig(const nlohmann::json& config);
// The defaults of that section (its keys and their types).
nlohmann::json localTeacherDefaults();

class LocalTeacher : public Teacher {
public:
    // Loads the model folder (distill::Error when it cannot be loaded).
    explicit LocalTeacher(const nlohmann::json& config);
    ~LocalTeacher() override;

    std::string name() const override;    // "local:<folder name>:<sampling digest>"
    int preferredBatch() const override;  // max_batch
    std::vector<SampleResult> generate(const std::vector<SampleRequest>& batch) override;

private:
    nlohmann::json m_config;
    std::unique_ptr<serve::ServedModel> m_model;
    std::string m_name;
};

}  // namespace distill::run
