// One HTTP attempt at a chat completion with libcurl: POST the body, read the (streamed)
// response into a ChatAccumulator, and classify the outcome as done, retryable or final.
#pragma once

#include "core/teacher/chat_response.h"
#include "core/teacher/teacher_config.h"

#include <atomic>
#include <optional>
#include <string>

typedef void CURL;

namespace distill::teacher {

struct AttemptSpec {
    std::string url;
    std::string body;
    std::string apiKey;  // sent as `Authorization: Bearer …` only
    bool stream = true;
    int expectedChoices = 1;
    std::string reasoningField;
    Timeouts timeouts;
    const std::atomic<bool>* abort = nullptr;  // set: the transfer is cut at once
};

// Most bytes one response may have, streamed or not: a larger one fails the attempt (Fatal).
constexpr std::size_t kMaxResponseBytes = 64u << 20;

enum class AttemptStatus { Done, Retryable, Fatal, Aborted };

struct AttemptResult {
    AttemptStatus status = AttemptStatus::Fatal;
    long httpStatus = 0;
    bool requestSent = false;           // the request left for the server (not a connect failure)
    std::string message;                // why it failed (may contain server text)
    std::optional<double> retryAfter;   // seconds, from a Retry-After header
    ChatAccumulator response{"reasoning_content"};
    double seconds = 0.0;
};

// Owns one curl easy handle; reusing it across attempts keeps the connection alive.
class HttpSession {
public:
    HttpSession();
    ~HttpSession();
    HttpSession(const HttpSession&) = delete;
    HttpSession& operator=(const HttpSession&) = delete;

    AttemptResult post(const AttemptSpec& spec);

private:
    CURL* m_curl;
};

}  // namespace distill::teacher
