// distillery-cli serve: an OpenAI-compatible API over a local model folder (chat and text
// completions, streaming, n, reasoning_content, usage), until SIGINT or SIGTERM.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/serve/openai_server.h"
#include "core/serve/served_model.h"
#include "core/util/error.h"
#include "core/util/loopback.h"
#include "core/util/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <iostream>
#include <thread>

using namespace distill;

namespace {

const char* const kUsage =
    "Usage: distillery-cli serve --model DIR [--port P] [--host 127.0.0.1]\n"
    "         [--api-key-env VAR | --api-key-file FILE | --api-key KEY]\n"
    "         [--device cpu|cuda|cuda:N] [--dtype auto|float32|bf16] [--max-batch N] [--queue N]\n"
    "\n"
    "Serves DIR (a Hugging Face folder with tokenizer.json) on http://HOST:PORT/v1: /chat/completions,\n"
    "/completions (both streaming or not) and /models. The model's id is the folder name. --port defaults\n"
    "to 8000 (0: any free port; the chosen one is printed). With a key, requests need 'Authorization:\n"
    "Bearer KEY'; give it in an environment variable or a file (its first line): --api-key puts it in the\n"
    "process list, where other users of the machine can read it. A --host other than this machine's\n"
    "loopback without a key is warned about. --max-batch: sequences decoded together (default 64);\n"
    "--queue: requests admitted at once, waiting or generating (default 64), more are answered 429.\n"
    "Budget forcing: max_thinking_tokens, min_thinking_tokens, num_waits in the request body.\n"
    "SIGINT/SIGTERM stop it gracefully: no new requests (503), every admitted one is answered, then it\n"
    "exits 0; a second signal exits at once.\n";

// SIGINT/SIGTERM: the handler only writes the signal's number to a pipe, which a watcher thread
// reads. It works on whichever thread the kernel picks, libraries' threads included.
int g_signalPipe[2] = {-1, -1};

extern "C" void onServeStopSignal(int signal)
{
    const unsigned char byte = static_cast<unsigned char>(signal);
    if (::write(g_signalPipe[1], &byte, 1) < 0) {
        // Nothing to do: a full pipe already holds a stop request.
    }
}

// The next signal number from the pipe; 0 when released by the main thread.
int nextSignal()
{
    unsigned char byte = 0;
    while (::read(g_signalPipe[0], &byte, 1) < 0 && errno == EINTR) {
    }
    return byte;
}

std::string keyFromFile(const std::string& path)
{
    std::string text = util::readTextFile(path);
    text = text.substr(0, text.find_first_of("\r\n"));
    if (text.empty())
        throw Error(ErrorCode::InvalidArgument, "--api-key-file: the first line of " + path + " is empty");
    return text;
}

int run(const std::vector<std::string>& argv)
{
    const cli::Args args(argv,
                         {"model", "port", "host", "api-key", "api-key-env", "api-key-file", "device", "dtype",
                          "max-batch", "queue"},
                         {});
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
    if (int(args.value("api-key").has_value()) + int(args.value("api-key-env").has_value())
            + int(args.value("api-key-file").has_value())
        > 1)
        throw Error(ErrorCode::InvalidArgument, "give at most one of --api-key, --api-key-env and --api-key-file");
    if (const auto key = args.value("api-key")) {
        std::cerr << "serve: --api-key shows the key to every user of this machine (ps); prefer --api-key-env "
                     "or --api-key-file\n";
        options.apiKey = *key;
    } else if (const auto var = args.value("api-key-env")) {
        const char* value = std::getenv(var->c_str());
        if (!value || !*value)
            throw Error(ErrorCode::InvalidArgument, "--api-key-env: the variable " + *var + " is not set");
        options.apiKey = value;
    } else if (const auto file = args.value("api-key-file")) {
        options.apiKey = keyFromFile(*file);
    }
    if (options.apiKey.empty() && !util::isLoopbackHost(options.host))
        std::cerr << "serve: warning: listening on " << options.host
                  << " without an API key: whoever reaches this port can use the model (give --api-key-env or "
                     "--api-key-file)\n";

    serve::ServedModel model(modelOptions);  // a signal while loading ends the process at once
    serve::OpenAiServer server(model, options);
    server.bind();
    if (::pipe2(g_signalPipe, O_CLOEXEC) != 0)
        throw Error(ErrorCode::Internal, "serve: cannot create the signal pipe");
    struct sigaction action {};
    action.sa_handler = &onServeStopSignal;
    sigemptyset(&action.sa_mask);
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
    std::thread watcher([&server] {
        const int first = nextSignal();
        if (first == 0)
            return;
        std::cerr << "serve: stopping (signal " << first << "): answering the requests in flight" << std::endl;
        server.stop();
        const int second = nextSignal();
        if (second != 0) {
            std::cerr << "serve: second signal " << second << ": exiting now" << std::endl;
            std::_Exit(128 + second);
        }
    });
    std::cout << "serving " << model.id() << " on http://" << options.host << ":" << server.port() << "/v1" << std::endl;
    server.listen();
    const unsigned char release = 0;  // ends the watcher, whichever read it waits in
    if (::write(g_signalPipe[1], &release, 1) < 0)
        throw Error(ErrorCode::Internal, "serve: cannot release the signal watcher");
    watcher.join();
    const serve::BatchStats stats = server.stats();
    std::cerr << "serve: " << stats.requests << " requests in " << stats.rounds << " engine batches\n";
    return 0;
}

const cli::CommandRegistrar kRegistrar({"serve", "serve a model folder over an OpenAI-compatible API", kUsage, run});

}  // namespace
