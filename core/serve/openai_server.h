// OpenAiServer: an OpenAI-compatible HTTP API (/v1/chat/completions, /v1/completions, /v1/models)
// over a ServedModel, with optional bearer-key auth, a bounded request queue and one engine thread
// that batches concurrent requests together.
#pragma once

#include "core/serve/batch_worker.h"

#include <atomic>
#include <memory>
#include <string>
#include <thread>

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace distill::serve {

class ServedModel;
enum class Endpoint;

struct ServerOptions {
    std::string host = "127.0.0.1";
    int port = 8000;               // 0: any free port (see OpenAiServer::port())
    std::string apiKey;            // empty: no authentication
    std::size_t queue = 64;        // requests admitted at once (waiting or generating); more get 429
};

class OpenAiServer {
public:
    OpenAiServer(ServedModel& model, ServerOptions options);
    ~OpenAiServer();  // stop(), then joins
    OpenAiServer(const OpenAiServer&) = delete;
    OpenAiServer& operator=(const OpenAiServer&) = delete;

    // Binds the socket; throws distill::Error(Network) when the address cannot be bound.
    void bind();
    // Serves until stop() (binds first if needed).
    void listen();
    // bind(), then listen() on a thread of its own; returns once the server accepts connections.
    void start();
    // Graceful: new requests get 503, every request already admitted (waiting or generating) is
    // still answered, then the listener closes and listen() returns. Safe from any thread, more
    // than once.
    void stop();

    int port() const { return m_port; }
    BatchStats stats() const { return m_worker.stats(); }

private:
    void route();
    bool authorized(const httplib::Request& request, httplib::Response& response) const;
    // True when admitted; else answers 429 (queue full) or 503 (stopping).
    bool admitted(BatchWorker::Admission admission, httplib::Response& response) const;
    void generate(const httplib::Request& request, httplib::Response& response, Endpoint endpoint);

    ServedModel& m_model;
    ServerOptions m_options;
    BatchWorker m_worker;
    std::unique_ptr<httplib::Server> m_http;
    std::thread m_thread;
    std::atomic<bool> m_stopped{false};
    std::atomic<int> m_streaming{0};  // streamed responses admitted and not yet written to their end
    bool m_bound = false;
    int m_port = 0;
};

}  // namespace distill::serve
