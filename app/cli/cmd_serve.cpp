// distillery-cli serve: an OpenAI-compatible API over a local model folder (chat and text
// completions, streaming, n, reasoning_content, usage), until SIGINT or SIGTERM.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/serve/openai_server.h"
#include "core/serve/served_model.h"
#include "core/util/error.h"

#include <atomic>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <pthread.h>
#include <thread>

using namespace distill;

namespace {

const char* const kUsage =
    "Usage: distillery-cli serve --model DIR [--port P] [--host 127.0.0.1] [--api-key KEY | --api-key-env VAR]\n"
    "         [--device cpu|cuda|cuda:N] [--dtype auto|float32|bf16] [--max-batch N] [--queue N]\n"
    "\n"
    "Serves DIR (a Hugging Face folder with tokenizer.json) on http://HOST:PORT/v1: /chat/completions,\n"
    "/completions (both streaming or not) and /models. The model's id is the folder name. --port defaults\n"
    "to 8000 (0: any free port; the chosen one is printed). With a key, requests need 'Authorization:\n"
    "Bearer KEY'. --max-batch: sequences decoded together (default 64); --queue: requests admitted at once,\n"
    "waiting or generating (default 64), more are answered 429. Budget forcing: max_thinking_tokens,\n"
    "min_thinking_tokens, num_waits in the request body. Stops gracefully on SIGINT/SIGTERM.\n";

int run(const std::vector<std::string>& argv)
{
    const cli::Args args(argv, {"model", "port", "host", "api-key", "api-key-env", "device", "dtype", "max-batch", "queue"}, {});
    serve::ServedModelOptions modelOptions;
    modelOptions.folder = args.required("model");
    modelOptions.device = args.valueOr("device", "cpu");
    modelOptions.dtype = args.valueOr("dtype", "auto");
    modelOptions.maxBatch = args.intOr("max-batch", 64);
    if (modelOptions.maxBatch < 1)
        throw Error(ErrorCode::InvalidArgument, "--max-batch must be at least 1");

    serve::ServerOptions options;
    options.host = args.valueOr("host", "127.0.0.1");
    const long long port = args.intOr("port", 8000);
    if (port < 0 || port > 65535)
        throw Error(ErrorCode::InvalidArgument, "--port must be between 0 and 65535");
    options.port = int(port);
    const long long queue = args.intOr("queue", 64);
    if (queue < 1)
        throw Error(ErrorCode::InvalidArgument, "--queue must be at least 1");
    options.queue = std::size_t(queue);
    if (args.value("api-key") && args.value("api-key-env"))
        throw Error(ErrorCode::InvalidArgument, "give at most one of --api-key and --api-key-env");
    if (const auto key = args.value("api-key")) {
        options.apiKey = *key;
    } else if (const auto var = args.value("api-key-env")) {
        const char* value = std::getenv(var->c_str());
        if (!value || !*value)
            throw Error(ErrorCode::InvalidArgument, "--api-key-env: the variable " + *var + " is not set");
        options.apiKey = value;
    }

    // SIGINT/SIGTERM are taken by a thread of their own (blocked everywhere else before any thread starts).
    sigset_t signals;
    sigemptyset(&signals);
    sigaddset(&signals, SIGINT);
    sigaddset(&signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &signals, nullptr);

    serve::ServedModel model(modelOptions);
    serve::OpenAiServer server(model, options);
    server.bind();
    std::atomic<bool> signalled{false};
    std::thread waiter([&server, &signalled, signals] {
        int received = 0;
        sigwait(&signals, &received);
        signalled = true;
        std::cerr << "serve: stopping (signal " << received << ")\n";
        server.stop();
    });
    std::cout << "serving " << model.id() << " on http://" << options.host << ":" << server.port() << "/v1" << std::endl;
    server.listen();
    // listen() also returns when the server stops for another reason: release the signal thread.
    if (!signalled)
        pthread_kill(waiter.native_handle(), SIGTERM);
    waiter.join();
    const serve::BatchStats stats = server.stats();
    std::cerr << "serve: " << stats.requests << " requests in " << stats.rounds << " engine batches\n";
    return 0;
}

const cli::CommandRegistrar kRegistrar({"serve", "serve a model folder over an OpenAI-compatible API", kUsage, run});

}  // namespace
