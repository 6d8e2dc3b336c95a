// bench_real_shape: the real-scale path end to end on a published shape with random weights, on the
// CPU — init-model's folder of the shape (bf16, sharded), load in float32, SFT steps on a packed row
// with gradient checkpointing, a checkpoint saved and reloaded (weights and optimizer), greedy tokens
// identical before and after the reload, and one request to the OpenAI-compatible server on it.
// Prints the time of each stage and the peak resident memory beside what the run must hold.
//   bench_real_shape --tokenizer DIR [--like Qwen2.5-0.5B] [--seq 512] [--steps 2] [--work DIR]
// Exit status 1 when a check fails (greedy tokens differ, the server does not answer).
#include <torch/torch.h>

#include "bench/common/peak_memory.h"
#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/model/model_shapes.h"
#include "core/serve/openai_server.h"
#include "core/serve/served_model.h"
#include "core/train/sft_trainer.h"
#include "core/util/error.h"
#include "core/util/heap_tuning.h"

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>

using namespace distill;
namespace fs = std::filesystem;

namespace {

using Clock = std::chrono::steady_clock;

double since(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

double gib(double bytes)
{
    return bytes / double(1ULL << 30);
}

struct Options {
    std::string like = "Qwen2.5-0.5B";
    fs::path tokenizer, work;
    std::int64_t seq = 512, steps = 2, greedyTokens = 16;
};

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        const auto next = [&]() -> std::string {
            if (i + 1 >= argc)
                throw Error(ErrorCode::InvalidArgument, a + " needs a value");
            return argv[++i];
        };
        if (a == "--like")
            o.like = next();
        else if (a == "--tokenizer")
            o.tokenizer = next();
        else if (a == "--work")
            o.work = next();
        else if (a == "--seq")
            o.seq = std::stoll(next());
        else if (a == "--steps")
            o.steps = std::stoll(next());
        else
            throw Error(ErrorCode::InvalidArgument, "unknown option " + a,
                        "bench_real_shape --tokenizer DIR [--like NAME] [--seq N] [--steps N] [--work DIR]");
    }
    if (o.tokenizer.empty())
        throw Error(ErrorCode::InvalidArgument, "--tokenizer DIR is required (the model family's tokenizer files)");
    if (o.work.empty())
        o.work = fs::temp_directory_path() / ("bench_real_shape-" + std::to_string(::getpid()));
    return o;
}

// One packed row of `seq` random token ids, every position trained.
train::TrainBatch randomRow(std::int64_t seq, std::int64_t vocab)
{
    train::TrainBatch b;
    b.inputIds = torch::randint(0, vocab, {1, seq}, torch::kLong);
    b.targets = torch::cat({b.inputIds.narrow(1, 1, seq - 1), torch::full({1, 1}, -100, torch::kLong)}, 1);
    b.positions = torch::arange(seq, torch::kLong).unsqueeze(0);
    b.sequenceIds = torch::zeros({1, seq}, torch::kLong);
    b.targetTokens = seq - 1;
    b.tokens = seq;
    return b;
}

std::vector<std::int64_t> greedy(model::CausalLM& model, std::int64_t tokens)
{
    infer::GenerationRequest request;
    request.prompt = {9707, 11, 1879, 0, 576, 525, 220, 16, 488, 220, 16, 30};  // fixed ids, in every shape's vocabulary
    request.sampling.temperature = 0.0;
    request.maxNewTokens = tokens;
    const torch::NoGradGuard noGrad;
    return infer::Engine(model.ptr(), {1, {}}).generate({request}).at(0).ids;
}

int run(const Options& o)
{
    const auto& shape = model::modelShape(o.like);
    const fs::path folder = o.work / "init", checkpoint = o.work / "checkpoint";
    fs::remove_all(o.work);
    const c10::Device cpu(c10::kCPU);

    auto t = Clock::now();
    model::InitOptions init;
    init.tokenizerFolder = o.tokenizer;
    init.maxShardBytes = 500'000'000ULL;
    const auto config = model::initModelFolder(shape, folder, init);
    const double P = double(config.parameterCount());
    std::printf("%s: %.0fM parameters; init-model (bf16, %zu shards) %.1f s\n", shape.name.c_str(), P / 1e6,
                model::weightFiles(folder).size(), since(t));

    // Training, then its checkpoint: the trained model and its optimizer are freed before the reload,
    // so the peak is the training stage's.
    std::vector<std::int64_t> before;
    train::TrainerOptions options;
    options.schedule = {train::ScheduleKind::Constant, 1e-5, 0, o.steps};
    options.gradientCheckpointing = true;
    bench::resetPeakMemory(cpu);
    {
        t = Clock::now();
        auto student = model::loadModel(folder, {cpu, torch::kFloat}).model;
        std::printf("load in float32: %.1f s\n", since(t));
        train::SftTrainer trainer(student, options);
        torch::manual_seed(0);
        for (std::int64_t s = 0; s < o.steps; ++s) {
            const auto stats = trainer.step({randomRow(o.seq, config.vocabSize)});
            std::printf("SFT step %lld (seq %lld, gradient checkpointing): loss %.3f, %.1f s, %.0f tokens/s\n",
                        static_cast<long long>(s), static_cast<long long>(o.seq), stats.loss, stats.seconds,
                        double(stats.tokens) / stats.seconds);
        }
        before = greedy(student, o.greedyTokens);
        t = Clock::now();
        model::SaveOptions save;
        save.copyFilesFrom = folder;
        model::saveModel(*student, checkpoint, save);
        trainer.saveOptimizer(checkpoint / "optimizer.pt");
        std::printf("checkpoint save (float32 weights + optimizer) %.1f s\n", since(t));
    }
    const auto trainingPeak = bench::peakMemory(cpu);

    t = Clock::now();
    std::vector<std::int64_t> after;
    {
        auto reloaded = model::loadModel(checkpoint, {cpu, torch::kFloat}).model;
        train::SftTrainer resumed(reloaded, options);
        resumed.restore(o.steps, checkpoint / "optimizer.pt");
        after = greedy(reloaded, o.greedyTokens);
    }
    std::printf("reload (weights + optimizer) %.1f s; greedy %zu tokens %s after the reload\n", since(t), after.size(),
                before == after ? "identical" : "DIFFER");

    t = Clock::now();
    serve::ServedModel served({checkpoint, "cpu", 1});
    serve::ServerOptions serverOptions;
    serverOptions.port = 0;
    serve::OpenAiServer server(served, serverOptions);
    server.start();
    httplib::Client client("127.0.0.1", server.port());
    client.set_read_timeout(600);
    const nlohmann::json body = {{"model", served.id()}, {"prompt", "1 + 1 ="}, {"max_tokens", 4}, {"temperature", 0}};
    const auto reply = client.Post("/v1/completions", body.dump(), "application/json");
    const bool served200 = reply && reply->status == 200;
    std::printf("serve: one /v1/completions request of 4 tokens: %s in %.1f s\n",
                served200 ? "200" : (reply ? std::to_string(reply->status).c_str() : "no answer"), since(t));
    server.stop();

    // What training must hold at its peak: float32 weights, gradients and AdamW's two moments (4 bytes
    // each per parameter), each layer's input kept for the recomputation, one layer's activations
    // (attention scores included), and a chunk of logits with its gradient.
    const double activations = double(config.numLayers) * double(o.seq) * double(config.hiddenSize) * 4.0 +
                               double(o.seq) * (4.0 * double(config.hiddenSize) + 3.0 * double(config.intermediateSize)) * 4.0 * 4.0 +
                               double(config.numHeads) * double(o.seq) * double(o.seq) * 4.0 * 2.0 +
                               std::min(double(o.seq), 1024.0) * double(config.vocabSize) * 4.0 * 3.0;
    const double expected = P * 4.0 * 4.0 + activations;
    std::printf("peak resident memory while training %.2f GiB (%s); expected %.2f GiB: weights %.2f + gradients %.2f + "
                "AdamW %.2f + activations %.2f\n",
                gib(double(trainingPeak.bytes)), trainingPeak.source.c_str(), gib(expected), gib(P * 4.0), gib(P * 4.0),
                gib(P * 8.0), gib(activations));
    fs::remove_all(o.work);
    return before == after && served200 ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv)
{
    std::setvbuf(stdout, nullptr, _IOLBF, 0);  // each stage's line as it finishes
    util::keepLargeBlocksInHeap();
    try {
        return run(parse(argc, argv));
    } catch (const std::exception& e) {
        std::cerr << "bench_real_shape: " << e.what() << "\n";
        return 2;
    }
}
