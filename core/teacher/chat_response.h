// Reading OpenAI-compatible chat completions: server-sent events, streamed deltas or a whole
// response accumulated per choice, and server error messages.
// Everything here takes untrusted text and never throws on it.
#pragma once

#include "core/teacher/usage_counter.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::teacher {

// Longest line, and longest event data, of a stream: beyond it the stream is cut as malformed.
constexpr std::size_t kMaxSseLineBytes = 16u << 20;

// Incremental text/event-stream decoder: feed bytes as they arrive, get each event's data.
class SseDecoder {
public:
    std::vector<std::string> feed(std::string_view bytes);
    // Events still pending when the stream ends (a last event without its blank line).
    std::vector<std::string> finish();
    // A line or an event's data grew past kMaxSseLineBytes; what followed was dropped.
    bool overflowed() const { return m_overflowed; }

private:
    void takeLine(std::string_view line, std::vector<std::string>& out);

    std::string m_line;
    std::string m_data;
    bool m_hasData = false;
    bool m_overflowed = false;
};

struct ChoiceText {
    std::string content;
    std::string reasoning;     // from the reasoning field (reasoning_content / reasoning)
    std::string finishReason;  // empty until the server gives one
};

// Collects the choices of one response, streamed (applyEvent per `data:` payload) or whole
// (applyResponse).
class ChatAccumulator {
public:
    // `reasoningField` is read first; the other common name ("reasoning_content"/"reasoning")
    // is the fallback. `secret` (the API key) is redacted from server text before it is quoted.
    explicit ChatAccumulator(std::string reasoningField, std::string secret = {});

    void applyEvent(std::string_view data);
    void applyResponse(std::string_view body);

    bool sawDone() const { return m_done; }
    // True when the choices are exactly those with index 0 … expected - 1.
    bool hasChoices(int expected) const;
    // hasChoices(expected), and each choice has a finish_reason.
    bool allFinished(int expected) const;
    // A malformed event, a non-JSON body or an error object sent by the server.
    const std::optional<std::string>& error() const { return m_error; }
    const std::map<int, ChoiceText>& choices() const { return m_choices; }
    const Usage& usage() const { return m_usage; }
    const std::string& model() const { return m_model; }

private:
    void applyChoice(const nlohmann::json& choice, const char* textKey);
    void appendReasoning(ChoiceText& choice, const nlohmann::json& fields);
    void applyCommon(const nlohmann::json& object);

    std::string m_reasoningField;
    std::string m_fallbackField;
    std::string m_secret;
    std::map<int, ChoiceText> m_choices;
    Usage m_usage;
    std::string m_model;
    std::optional<std::string> m_error;
    bool m_done = false;
};

// The human-readable message in an error body (`{"error":{"message":…}}`, `{"error":"…"}`,
// `{"message":…}`, `{"detail":…}`), else the start of the body; `secret` is redacted from the
// whole body before anything is cut from it.
std::string serverErrorMessage(std::string_view body, std::string_view secret = {});

// `text` with every occurrence of `secret` replaced by "[redacted]" (unchanged for an empty secret).
std::string redacted(std::string text, std::string_view secret);

}  // namespace distill::teacher
