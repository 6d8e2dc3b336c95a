#include "core/run/openai_teacher.h"

#include "core/run/event_sink.h"
#include "core/run/stop_token.h"
#include "core/teacher/teacher_client.h"

#include <algorithm>
#include <chrono>
#include <mutex>

namespace distill::run {

OpenAiTeacher::OpenAiTeacher(const nlohmann::json& config, const StopToken* stop, EventSink* events) : m_stop(stop)
{
    teacher::TeacherConfig parsed = teacher::teacherConfigFromJson(config);
    m_concurrency = std::max(1, parsed.concurrency);
    m_prices = parsed.prices;
    teacher::LogFn log;
    if (events)
        log = [events](const teacher::LogEvent& e) {
            if (e.kind == teacher::LogKind::Retry)
                events->log("info", "teacher, " + e.requestId + ", attempt " + std::to_string(e.attempt) + ": " + e.message);
        };
    m_client = std::make_unique<teacher::TeacherClient>(parsed, std::string(), std::move(log));
    m_name = "openai:" + m_client->resolved().preset.name + ":" + m_client->resolved().model;
}

OpenAiTeacher::~OpenAiTeacher() = default;

std::string OpenAiTeacher::name() const
{
    return m_name;
}

int OpenAiTeacher::preferredBatch() const
{
    return m_concurrency;
}

std::vector<SampleResult> OpenAiTeacher::generate(const std::vector<SampleRequest>& batch)
{
    std::vector<SampleResult> results(batch.size());
    std::mutex mutex;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const SampleRequest& request = batch[i];
        results[i].id = request.id;
        results[i].sampleIndex = request.sampleIndex;
        teacher::TeacherRequest tr;
        tr.id = "problem " + request.id + " sample " + std::to_string(request.sampleIndex);
        if (request.messages.is_array())
            for (const auto& m : request.messages)
                tr.messages.push_back({m.value("role", "user"), m.value("content", "")});
        if (request.thinkPrefill)
            tr.messages.push_back({"assistant", "<think>\n"});
        tr.firstSample = int(request.sampleIndex);
        tr.n = 1;
        m_client->submit(
            std::move(tr),
            [&results, &mutex, i, this](const teacher::Completion& c) {
                std::lock_guard lock(mutex);
                SampleResult& r = results[i];
                r.ok = true;
                r.thinking = c.thinking;
                r.answer = c.answer;
                r.rawText = c.rawText;
                r.thinkingClosed = !c.thinkingTruncated;
                r.finishReason = c.finishReason;
                const int share = std::max(1, c.usageSharedBy);
                r.promptTokens = c.usage.promptTokens / share;
                r.completionTokens = c.usage.completionTokens / share;
                if (c.usage.reasoningTokens > 0) {
                    r.thinkingTokens = c.usage.reasoningTokens / share;
                    r.answerTokens = r.completionTokens - *r.thinkingTokens;
                }
                r.cost = teacher::costOf(c.usage, m_prices) / share;
            },
            [&results, &mutex, i](const teacher::Failure& f) {
                std::lock_guard lock(mutex);
                SampleResult& r = results[i];
                r.ok = false;
                r.errorCode = f.code;
                r.error = f.message.empty() ? "the teacher request failed" : f.message;
                if (f.httpStatus)
                    r.error += " (HTTP " + std::to_string(f.httpStatus) + ")";
                r.error += " after " + std::to_string(f.attempts) + " attempts";
            });
    }
    while (!m_client->waitFor(std::chrono::milliseconds(100)))
        if (m_stop && m_stop->requested() && !m_client->stopped())
            m_client->stop(teacher::StopMode::Graceful);
    return results;
}

}  // namespace distill::run
