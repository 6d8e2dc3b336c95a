#include "tests/support/fault_server.h"

#include <httplib.h>

#include <csignal>
#include <stdexcept>

namespace distill::testing {

namespace {

std::string lastUserMessage(const nlohmann::json& request)
{
    std::string text;
    if (request.is_object() && request.contains("messages") && request["messages"].is_array())
        for (const auto& m : request["messages"])
            if (m.value("role", "") == "user" && m.contains("content") && m["content"].is_string())
                text = m["content"].get<std::string>();
    return text;
}

// Splits text into up to `parts` pieces at UTF-8 character boundaries.
std::vector<std::string> pieces(const std::string& text, std::size_t parts)
{
    std::vector<std::string> out;
    const std::size_t step = std::max<std::size_t>(1, text.size() / parts);
    std::size_t begin = 0;
    while (begin < text.size()) {
        std::size_t end = std::min(text.size(), begin + step);
        while (end < text.size() && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80)
            ++end;
        out.push_back(text.substr(begin, end - begin));
        begin = end;
    }
    return out;
}

nlohmann::json errorBody(const std::string& message, const char* type)
{
    return {{"error", {{"message", message}, {"type", type}, {"code", nullptr}}}};
}

std::string sse(const nlohmann::json& event)
{
    return "data: " + event.dump() + "\n\n";
}

}  // namespace

FaultServer::FaultServer()
    : m_server(std::make_unique<httplib::Server>())
    , m_reply([](const nlohmann::json& request, int index) {
        const std::string prompt = lastUserMessage(request);
        return ReplyText{"Thinking about " + prompt + ".",
                         "Answer to " + prompt + " #" + std::to_string(index), "stop"};
    })
    , m_usage({{"prompt_tokens", 10}, {"completion_tokens", 20}, {"total_tokens", 30}})
{
    std::signal(SIGPIPE, SIG_IGN);  // a client that gave up must not kill the test
    m_server->new_task_queue = [] { return new httplib::ThreadPool(64); };
    m_server->set_keep_alive_timeout(1);
    m_server->Post("/v1/chat/completions", [this](const httplib::Request& req,
                                                  httplib::Response& res) {
        const auto body = nlohmann::json::parse(req.body, nullptr, false);
        const nlohmann::json request = body.is_discarded() ? nlohmann::json() : body;
        Behaviour behaviour;
        ReplyFn reply;
        nlohmann::json usage;
        {
            std::lock_guard lock(m_mutex);
            const int number = int(m_requests.size());
            behaviour = nextBehaviour(request, number);
            m_requests.push_back({request, req.get_header_value("Authorization"),
                                  std::chrono::steady_clock::now(), behaviour.kind});
            reply = m_reply;
            usage = m_usage;
        }
        switch (behaviour.kind) {
        case FaultKind::RateLimited:
            res.status = 429;
            if (!behaviour.retryAfter.empty())
                res.set_header("Retry-After", behaviour.retryAfter);
            res.set_content(errorBody("rate limit reached", "rate_limit_error").dump(),
                            "application/json");
            return;
        case FaultKind::ServerError:
            res.status = 500;
            res.set_content(errorBody(behaviour.errorMessage, "server_error").dump(),
                            "application/json");
            return;
        case FaultKind::ClientError:
            res.status = behaviour.status;
            res.set_content(errorBody(behaviour.errorMessage, "invalid_request_error").dump(),
                            "application/json");
            return;
        case FaultKind::EchoAuth:
            res.status = 401;
            res.set_content(errorBody("Incorrect API key provided: "
                                          + req.get_header_value("Authorization"),
                                      "authentication_error")
                                .dump(),
                            "application/json");
            return;
        case FaultKind::MalformedJson:
            res.status = 200;
            res.set_content(R"({"choices": [{"message": {"content": "cut)", "application/json");
            return;
        case FaultKind::Slow:
            if (!sleepFor(behaviour.delayMs))
                return;
            break;
        case FaultKind::Ok:
        case FaultKind::StreamCut:
            break;
        }

        const int n = request.is_object() ? request.value("n", 1) : 1;
        const std::string model = request.is_object() ? request.value("model", "") : "";
        std::vector<ReplyText> choices;
        for (int i = 0; i < n; ++i)
            choices.push_back(reply(request, i));
        const bool stream = request.is_object() && request.value("stream", false);
        if (!stream) {
            nlohmann::json out = {{"id", "cmpl-test"}, {"object", "chat.completion"},
                                  {"model", model}, {"choices", nlohmann::json::array()},
                                  {"usage", usage}};
            for (int i = 0; i < n; ++i) {
                nlohmann::json message = {{"role", "assistant"}, {"content", choices[i].content}};
                if (!choices[i].reasoning.empty())
                    message["reasoning_content"] = choices[i].reasoning;
                out["choices"].push_back(
                    {{"index", i}, {"message", message}, {"finish_reason", choices[i].finishReason}});
            }
            res.set_content(out.dump(), "application/json");
            return;
        }

        auto events = std::make_shared<std::vector<std::string>>();
        auto chunk = [&](int index, nlohmann::json delta, nlohmann::json finish) {
            return sse({{"id", "cmpl-test"}, {"object", "chat.completion.chunk"}, {"model", model},
                        {"choices",
                         {{{"index", index}, {"delta", delta}, {"finish_reason", finish}}}}});
        };
        for (int i = 0; i < n; ++i) {
            events->push_back(chunk(i, {{"role", "assistant"}, {"content", ""}}, nullptr));
            for (const auto& piece : pieces(choices[i].reasoning, 3))
                events->push_back(chunk(i, {{"reasoning_content", piece}}, nullptr));
            for (const auto& piece : pieces(choices[i].content, 3))
                events->push_back(chunk(i, {{"content", piece}}, nullptr));
            events->push_back(chunk(i, nlohmann::json::object(), choices[i].finishReason));
        }
        const auto options = request.value("stream_options", nlohmann::json::object());
        if (options.is_object() && options.value("include_usage", false))
            events->push_back(sse({{"id", "cmpl-test"}, {"object", "chat.completion.chunk"},
                                   {"model", model}, {"choices", nlohmann::json::array()},
                                   {"usage", usage}}));
        events->push_back("data: [DONE]\n\n");
        const std::size_t cutAfter = behaviour.kind == FaultKind::StreamCut
            ? std::size_t(std::max(0, behaviour.eventsBeforeCut))
            : events->size();
        const int pauseMs = behaviour.kind == FaultKind::Ok ? behaviour.delayMs : 0;
        res.set_chunked_content_provider(
            "text/event-stream", [this, events, cutAfter, pauseMs](std::size_t, httplib::DataSink& sink) {
                for (std::size_t i = 0; i < events->size(); ++i) {
                    if (i == cutAfter)
                        return false;  // drop the connection mid-stream
                    if (i > 0 && pauseMs > 0 && !sleepFor(pauseMs))
                        return false;
                    if (!sink.write((*events)[i].data(), (*events)[i].size()))
                        return false;
                }
                sink.done();
                return true;
            });
    });
    m_port = m_server->bind_to_any_port("127.0.0.1");
    if (m_port <= 0)
        throw std::runtime_error("FaultServer: cannot bind a port on 127.0.0.1");
    m_thread = std::thread([this] {
        m_server->listen_after_bind();
        m_listenEnded = true;
    });
    // stop() is a no-op until the listen loop runs, so a server destroyed at once would hang.
    while (!m_server->is_running() && !m_listenEnded)
        std::this_thread::sleep_for(std::chrono::milliseconds(1));
}

FaultServer::~FaultServer()
{
    {
        std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_stopped.notify_all();
    m_server->stop();
    m_thread.join();
}

std::string FaultServer::baseUrl() const
{
    return "http://127.0.0.1:" + std::to_string(m_port) + "/v1";
}

void FaultServer::script(std::vector<Behaviour> behaviours)
{
    std::lock_guard lock(m_mutex);
    m_script.assign(behaviours.begin(), behaviours.end());
}

void FaultServer::setChooser(ChooserFn chooser)
{
    std::lock_guard lock(m_mutex);
    m_chooser = std::move(chooser);
}

void FaultServer::setDefault(Behaviour behaviour)
{
    std::lock_guard lock(m_mutex);
    m_default = std::move(behaviour);
}

void FaultServer::setReply(ReplyFn reply)
{
    std::lock_guard lock(m_mutex);
    m_reply = std::move(reply);
}

void FaultServer::setUsage(nlohmann::json usage)
{
    std::lock_guard lock(m_mutex);
    m_usage = std::move(usage);
}

std::vector<RecordedRequest> FaultServer::requests() const
{
    std::lock_guard lock(m_mutex);
    return m_requests;
}

Behaviour FaultServer::nextBehaviour(const nlohmann::json& body, int requestNumber)
{
    if (!m_script.empty()) {
        Behaviour b = m_script.front();
        m_script.pop_front();
        return b;
    }
    return m_chooser ? m_chooser(body, requestNumber) : m_default;
}

bool FaultServer::sleepFor(int ms)
{
    std::unique_lock lock(m_mutex);
    return !m_stopped.wait_for(lock, std::chrono::milliseconds(ms), [this] { return m_stopping; });
}

}  // namespace distill::testing
