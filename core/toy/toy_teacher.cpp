#include "core/toy/toy_teacher.h"

#include <array>
#include <chrono>
#include <sstream>
#include <thread>

namespace distill::toy {

std::int64_t toyTokenCount(std::string_view text)
{
    static constexpr std::array<std::string_view, 5> kSpecial = {"<|im_start|>", "<|im_end|>", "<think>",
                                                                 "</think>", "<|endoftext|>"};
    std::int64_t count = 0;
    std::size_t pos = 0;
    while (pos < text.size()) {
        std::size_t step = 1;
        for (std::string_view special : kSpecial)
            if (text.substr(pos, special.size()) == special) {
                step = special.size();
                break;
            }
        pos += step;
        ++count;
    }
    return count;
}

ToyTeacher::ToyTeacher(ToyTraceOptions options, int delayMs) : m_options(options), m_delayMs(delayMs) {}

std::string ToyTeacher::name() const
{
    std::ostringstream out;
    out << "toy(error_rate=" << m_options.errorRate << ",self_check_rate=" << m_options.selfCheckRate
        << ",verbosity=" << toyVerbosityName(m_options.verbosity);
    if (m_options.terseRate > 0.0)
        out << ",terse_rate=" << m_options.terseRate;
    out << ",seed=" << m_options.seed << ")";
    return out.str();
}

std::vector<run::SampleResult> ToyTeacher::generate(const std::vector<run::SampleRequest>& batch)
{
    std::vector<run::SampleResult> results;
    results.reserve(batch.size());
    for (const run::SampleRequest& request : batch) {
        if (m_delayMs > 0)
            std::this_thread::sleep_for(std::chrono::milliseconds(m_delayMs));
        run::SampleResult r;
        r.id = request.id;
        r.sampleIndex = request.sampleIndex;
        std::string prompt;
        if (request.messages.is_array())
            for (const auto& message : request.messages) {
                if (message.is_object() && message.value("role", "") == "user" && message.contains("content")
                    && message["content"].is_string())
                    prompt = message["content"].get<std::string>();
                if (message.is_object() && message.contains("content") && message["content"].is_string())
                    r.promptTokens += toyTokenCount(message["content"].get<std::string>());
            }
        const auto expression = parseToyQuestion(prompt);
        if (!expression) {
            r.errorCode = ErrorCode::InvalidArgument;
            r.error = "the prompt holds no toy question (\"Compute a + b - c.\")";
            results.push_back(std::move(r));
            continue;
        }
        const ToyTrace trace = writeToyTrace(*expression, m_options, std::uint64_t(request.sampleIndex));
        r.ok = true;
        r.thinking = trace.thinking;
        r.answer = trace.answer;
        r.rawText = trace.text();
        r.finishReason = "stop";
        r.completionTokens = toyTokenCount(r.rawText);
        r.thinkingTokens = toyTokenCount(trace.thinking);
        r.answerTokens = toyTokenCount(trace.answer);
        results.push_back(std::move(r));
    }
    return results;
}

}  // namespace distill::toy
