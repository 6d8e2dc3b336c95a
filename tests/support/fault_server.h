// FaultServer: an OpenAI-compatible chat-completions server on 127.0.0.1 for tests, whose every
// request gets a scripted behaviour (OK, streamed, 429, 500, cut stream, slow, malformed, 4xx).
// It records each request it receives so tests can count attempts and inspect bodies.
#pragma once

#include <nlohmann/json.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace httplib {
class Server;
}

namespace distill::testing {

enum class FaultKind {
    Ok,            // 200; streamed (SSE) when the request says `stream: true`
    RateLimited,   // 429 with an optional Retry-After header
    ServerError,   // 500 with an error JSON
    StreamCut,     // a stream whose connection is closed after a few events
    Slow,          // waits `delayMs` before answering OK (meant to exceed the client's timeout)
    MalformedJson, // 200 with a body that is not JSON
    ClientError,   // `status` (default 400) with an error JSON carrying `errorMessage`
    EchoAuth,      // 401 whose message repeats the Authorization header it got
};

struct Behaviour {
    FaultKind kind = FaultKind::Ok;
    std::string retryAfter;    // RateLimited: the header value; empty: no header
    int delayMs = 0;           // Slow: wait before answering; Ok: pause between stream events
    int status = 400;          // ClientError
    std::string errorMessage = "scripted failure";
    int eventsBeforeCut = 2;   // StreamCut
};

// The text of one choice of an OK answer.
struct ReplyText {
    std::string reasoning;  // sent as `reasoning_content` (empty: the field is left out)
    std::string content;
    std::string finishReason = "stop";
};
using ReplyFn = std::function<ReplyText(const nlohmann::json& request, int choiceIndex)>;
using ChooserFn = std::function<Behaviour(const nlohmann::json& request, int requestNumber)>;

struct RecordedRequest {
    nlohmann::json body;  // null when the body was not JSON
    std::string authorization;
    std::chrono::steady_clock::time_point at;
    FaultKind behaviour = FaultKind::Ok;
};

class FaultServer {
public:
    FaultServer();  // listening on 127.0.0.1 at a free port when the constructor returns
    ~FaultServer();
    FaultServer(const FaultServer&) = delete;
    FaultServer& operator=(const FaultServer&) = delete;

    int port() const { return m_port; }
    std::string baseUrl() const;  // http://127.0.0.1:<port>/v1

    // Behaviours played in order, one per request; after them the chooser, else the default.
    void script(std::vector<Behaviour> behaviours);
    void setChooser(ChooserFn chooser);
    void setDefault(Behaviour behaviour);
    // Default reply: reasoning "Thinking about <last user message>." and content
    // "Answer to <last user message> #<choice index>".
    void setReply(ReplyFn reply);
    // The usage object of OK answers (streamed only when stream_options.include_usage is set).
    void setUsage(nlohmann::json usage);

    std::vector<RecordedRequest> requests() const;

private:
    Behaviour nextBehaviour(const nlohmann::json& body, int requestNumber);
    bool sleepFor(int ms);  // false when the server is shutting down

    std::unique_ptr<httplib::Server> m_server;
    std::thread m_thread;
    std::atomic<bool> m_listenEnded{false};
    int m_port = 0;

    mutable std::mutex m_mutex;
    std::condition_variable m_stopped;
    bool m_stopping = false;
    std::deque<Behaviour> m_script;
    ChooserFn m_chooser;
    Behaviour m_default;
    ReplyFn m_reply;
    nlohmann::json m_usage;
    std::vector<RecordedRequest> m_requests;
};

}  // namespace distill::testing
