#include "core/serve/openai_server.h"

#include "core/serve/api_request.h"
#include "core/serve/api_response.h"
#include "core/serve/completion_stream.h"
#include "core/serve/served_model.h"
#include "core/util/error.h"

#include <httplib.h>

#include <algorithm>
#include <chrono>
#include <future>
#include <string_view>
#include <variant>

namespace distill::serve {

using nlohmann::ordered_json;

namespace {

constexpr const char* kJson = "application/json";

void sendError(httplib::Response& response, int status, const std::string& message, const std::string& type,
               const std::string& code = {})
{
    response.status = status;
    response.set_content(errorJson(message, type, code).dump(-1, ' ', false, ordered_json::error_handler_t::replace), kJson);
}

void sendJson(httplib::Response& response, const ordered_json& body)
{
    response.status = 200;
    response.set_content(body.dump(-1, ' ', false, ordered_json::error_handler_t::replace), kJson);
}

// Compares in time that depends on the lengths only, not on where the texts first differ: a client
// cannot find the key character by character from response times.
bool sameSecret(std::string_view given, std::string_view expected)
{
    unsigned char diff = given.size() == expected.size() ? 0 : 1;
    for (std::size_t i = 0; i < given.size(); ++i)
        diff |= static_cast<unsigned char>(given[i] ^ expected[i % expected.size()]);
    return diff == 0;
}

std::int64_t nowSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

}  // namespace

OpenAiServer::OpenAiServer(ServedModel& model, ServerOptions options)
    : m_model(model), m_options(std::move(options)), m_worker(model.engine(), m_options.queue),
      m_http(std::make_unique<httplib::Server>())
{
    // Enough connection threads that a full queue is answered with 429 rather than left waiting.
    const std::size_t threads = std::min<std::size_t>(m_options.queue, 128) + 4;
    m_http->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
    m_http->set_payload_max_length(64u << 20);
    route();
}

OpenAiServer::~OpenAiServer()
{
    stop();
    if (m_thread.joinable())
        m_thread.join();
}

void OpenAiServer::bind()
{
    if (m_bound)
        return;
    if (m_options.port == 0) {
        m_port = m_http->bind_to_any_port(m_options.host);
        if (m_port < 0)
            m_port = 0;
    } else if (m_http->bind_to_port(m_options.host, m_options.port)) {
        m_port = m_options.port;
    }
    if (m_port <= 0)
        throw Error(ErrorCode::Network, "cannot listen on " + m_options.host + ":" + std::to_string(m_options.port),
                    "is the port in use? choose another with --port");
    m_bound = true;
}

void OpenAiServer::listen()
{
    bind();
    if (!m_stopped)
        m_http->listen_after_bind();
}

void OpenAiServer::start()
{
    bind();
    m_thread = std::thread([this] { m_http->listen_after_bind(); });
    while (!m_http->is_running() && !m_stopped)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
}

void OpenAiServer::stop()
{
    if (m_stopped.exchange(true))
        return;
    m_worker.stop();
    // Handlers of the round in progress finish (the pool is drained) before listen() returns.
    while (m_thread.joinable() && !m_http->is_running())
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    // cpp-httplib ends a chunked response unfinished once the server stops: the admitted streams are
    // written to their end first.
    while (m_streaming.load() > 0)
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
    m_http->stop();
}

bool OpenAiServer::authorized(const httplib::Request& request, httplib::Response& response) const
{
    if (m_options.apiKey.empty())
        return true;
    const std::string header = request.get_header_value("Authorization");
    if (sameSecret(header, "Bearer " + m_options.apiKey))
        return true;
    sendError(response, 401,
              header.empty() ? "Missing API key: send the header 'Authorization: Bearer <key>'" : "Incorrect API key provided",
              "invalid_request_error", "invalid_api_key");
    return false;
}

void OpenAiServer::route()
{
    m_http->Get("/v1/models", [this](const httplib::Request& request, httplib::Response& response) {
        if (authorized(request, response))
            sendJson(response, modelList(m_model, nowSeconds()));
    });
    m_http->Post("/v1/chat/completions", [this](const httplib::Request& request, httplib::Response& response) {
        generate(request, response, Endpoint::Chat);
    });
    m_http->Post("/v1/completions", [this](const httplib::Request& request, httplib::Response& response) {
        generate(request, response, Endpoint::Completion);
    });
    m_http->set_error_handler([](const httplib::Request& request, httplib::Response& response) {
        if (!response.body.empty())
            return;
        if (response.status == 404)
            sendError(response, 404, "no route for " + request.method + " " + request.path, "invalid_request_error", "not_found");
        else
            sendError(response, response.status, "HTTP error " + std::to_string(response.status), "invalid_request_error");
    });
    m_http->set_exception_handler([](const httplib::Request&, httplib::Response& response, std::exception_ptr error) {
        std::string message = "internal error";
        try {
            std::rethrow_exception(error);
        } catch (const std::exception& e) {
            message = e.what();
        } catch (...) {
        }
        sendError(response, 500, message, "server_error");
    });
}

bool OpenAiServer::admitted(BatchWorker::Admission admission, httplib::Response& response) const
{
    switch (admission) {
    case BatchWorker::Admission::Admitted:
        return true;
    case BatchWorker::Admission::QueueFull:
        sendError(response, 429, "the request queue is full (" + std::to_string(m_options.queue) + " requests); retry later",
                  "rate_limit_error", "queue_full");
        return false;
    case BatchWorker::Admission::Stopping:
        sendError(response, 503, "the server is shutting down", "server_error", "shutting_down");
        return false;
    }
    return false;
}

void OpenAiServer::generate(const httplib::Request& request, httplib::Response& response, Endpoint endpoint)
{
    if (!authorized(request, response))
        return;
    ApiRequest api;
    try {
        api = parseApiRequest(request.body, endpoint, m_model);
    } catch (const Error& e) {
        if (e.code() == ErrorCode::NotFound)
            sendError(response, 404, e.detail(), "invalid_request_error", "model_not_found");
        else
            sendError(response, 400, e.detail(), "invalid_request_error");
        return;
    }
    const ResponseHead head = makeResponseHead(endpoint, m_model.id());
    auto item = std::make_shared<WorkItem>();
    item->request = api.generation;

    if (api.stream) {
        auto stream = std::make_shared<CompletionStream>(m_model, api, head);
        item->onToken = [stream](int sample, std::int64_t token) { stream->onToken(sample, token); };
        item->onDone = [stream](std::vector<infer::Completion> completions) { stream->onDone(completions); };
        item->onError = [stream](const std::string& message) { stream->onError(message); };
        if (!admitted(m_worker.submit(item), response))
            return;
        response.set_header("Cache-Control", "no-cache");
        ++m_streaming;
        response.set_chunked_content_provider("text/event-stream", [stream](std::size_t, httplib::DataSink& sink) {
            for (;;) {
                const std::optional<std::string> events = stream->take(std::chrono::milliseconds(200));
                if (!events) {
                    sink.done();
                    return true;
                }
                if (!sink.is_writable())
                    return false;  // the client went away; the generation finishes unread
                if (!events->empty())
                    return sink.write(events->data(), events->size());
            }
        }, [this](bool) { --m_streaming; });
        return;
    }

    using Outcome = std::variant<std::vector<infer::Completion>, std::string>;
    auto promise = std::make_shared<std::promise<Outcome>>();
    item->onDone = [promise](std::vector<infer::Completion> completions) { promise->set_value(std::move(completions)); };
    item->onError = [promise](const std::string& message) { promise->set_value(message); };
    std::future<Outcome> outcome = promise->get_future();
    if (!admitted(m_worker.submit(item), response))
        return;
    const Outcome result = outcome.get();
    if (const auto* message = std::get_if<std::string>(&result))
        sendError(response, 503, *message, "server_error");
    else
        sendJson(response, completionResponse(head, api, std::get<std::vector<infer::Completion>>(result), m_model));
}

}  // namespace distill::serve
