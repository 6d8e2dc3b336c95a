// OpenAiTeacher: the generation job's teacher over an OpenAI-compatible HTTP endpoint, through
// core/teacher's client (presets, retries, concurrency, usage and cost counting).
#pragma once

#include "core/run/teacher.h"
#include "core/teacher/usage_counter.h"

#include <memory>

namespace distill::teacher {
class TeacherClient;
}

namespace distill::run {

class EventSink;
class StopToken;

class OpenAiTeacher : public Teacher {
public:
    // config: core/teacher's TeacherConfig as JSON. The API key comes from its api_key_env. Once
    // `stop` is requested, a batch starts nothing new and retries nothing: requests in flight finish
    // their attempt, the others come back failed with Cancelled. Retries are logged to `events`.
    OpenAiTeacher(const nlohmann::json& config, const StopToken* stop = nullptr, EventSink* events = nullptr);
    ~OpenAiTeacher() override;

    std::string name() const override;  // "openai:<preset>:<model>"
    int preferredBatch() const override;  // the configured concurrency
    std::vector<SampleResult> generate(const std::vector<SampleRequest>& batch) override;

private:
    std::unique_ptr<teacher::TeacherClient> m_client;
    const StopToken* m_stop;
    teacher::Prices m_prices;
    std::string m_name;
    int m_concurrency = 1;
};

}  // namespace distill::run
