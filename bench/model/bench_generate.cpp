// bench_generate: tokens/s and time to first token of the generation engine with sampling
// (T 0.6, top-p 0.95), on the tiny fixtures or on random weights built from a named config.
//   bench_generate                                   # CPU: tiny fixtures + tiny-10m, batch 1 and 16
//   bench_generate --device cuda --config qwen2.5-0.5b --batch 64 [--prompt 128 --new 256]
//   bench_generate --model DIR --llama-cpp "$(scripts/fetch-llama-cpp.sh)"   # the same prompts through
//       llama.cpp too (node-llama-cpp's CPU build, the folder exported as f16 GGUF), same threads
#include <torch/torch.h>

#include "bench/common/named_config.h"
#include "bench/common/peak_memory.h"
#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/model/gguf_export.h"
#include "core/model/precision.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

using namespace distill;

namespace {

// `batch` prompts of random ids (seeded: the same for every model and engine).
std::vector<std::vector<std::int64_t>> randomPrompts(std::int64_t vocab, std::int64_t batch, std::int64_t promptLen)
{
    torch::manual_seed(1);
    std::vector<std::vector<std::int64_t>> prompts;
    for (std::int64_t b = 0; b < batch; ++b) {
        const auto ids = torch::randint(3, vocab, {promptLen}, torch::kLong);
        prompts.emplace_back(ids.data_ptr<std::int64_t>(), ids.data_ptr<std::int64_t>() + promptLen);
    }
    return prompts;
}

void runOne(const std::string& label, model::CausalLM& lm, c10::Device device, std::int64_t batch,
            std::int64_t promptLen, std::int64_t newTokens)
{
    std::vector<infer::GenerationRequest> requests;
    for (auto& prompt : randomPrompts(lm->config().vocabSize, batch, promptLen)) {
        infer::GenerationRequest r;
        r.prompt = std::move(prompt);
        const std::int64_t b = std::int64_t(requests.size());
        r.sampling.temperature = 0.6;
        r.sampling.topP = 0.95;
        r.sampling.seed = std::uint64_t(b);
        r.maxNewTokens = newTokens;
        requests.push_back(std::move(r));
    }
    infer::Engine engine(lm.ptr(), {batch, {}});
    if (device.is_cuda())
        bench::resetPeakMemory(device);
    const auto completions = engine.generate(requests);
    const infer::EngineStats& s = engine.lastStats();
    std::printf("%-26s device=%s batch=%-4lld prompt=%lld new=%lld  tokens/s=%9.1f  TTFT=%7.3f s  total=%7.2f s",
                label.c_str(), device.str().c_str(), (long long)batch, (long long)promptLen, (long long)newTokens,
                double(s.generatedTokens) / s.seconds, s.firstTokenSeconds, s.seconds);
    if (device.is_cuda() && bench::hasCudaMemoryStats())
        std::printf("  peak GPU mem=%.2f GiB", double(bench::peakMemory(device).bytes) / (1024.0 * 1024 * 1024));
    std::printf("\n");
    std::fflush(stdout);
}

// The same prompts through llama.cpp (node-llama-cpp in `packageDir`) on `gguf`, with as many threads.
void runLlamaCpp(const std::string& label, const std::string& packageDir, const std::filesystem::path& gguf,
                 std::int64_t vocab, std::int64_t batch, std::int64_t promptLen, std::int64_t newTokens)
{
    const std::string script = std::string(DISTILLERY_SOURCE_DIR) + "/bench/model/llama_cpp_generate.mjs";
    const std::string command = "node '" + script + "' '" + packageDir + "' '" + gguf.string() + "' "
                                + std::to_string(at::get_num_threads()) + " " + std::to_string(newTokens) + " '"
                                + nlohmann::json(randomPrompts(vocab, batch, promptLen)).dump() + "'";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (!pipe)
        throw Error(ErrorCode::Io, "cannot run node");
    std::string out;
    char buffer[4096];
    while (std::fgets(buffer, sizeof buffer, pipe))
        out += buffer;
    if (::pclose(pipe) != 0)
        throw Error(ErrorCode::Internal, "llama.cpp run failed: " + out);
    const auto r = nlohmann::json::parse(out.substr(out.rfind('{')));
    std::printf("%-26s llama.cpp  batch=%-4lld prompt=%lld new=%lld  tokens/s=%9.1f  TTFT=%7.3f s  total=%7.2f s\n",
                label.c_str(), (long long)batch, (long long)promptLen, (long long)newTokens, r.at("tokens_per_s").get<double>(),
                r.at("first_token_seconds").get<double>(), r.at("seconds").get<double>());
    std::fflush(stdout);
}

}  // namespace

int main(int argc, char** argv)
{
    std::string config, modelDir, deviceName = "cpu", llamaCpp;
    std::vector<std::int64_t> batches;
    std::int64_t promptLen = 128, newTokens = 256;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string k = argv[i], v = argv[i + 1];
        if (k == "--config") config = v;
        else if (k == "--model") modelDir = v;
        else if (k == "--device") deviceName = v;
        else if (k == "--batch") batches.push_back(std::stoll(v));
        else if (k == "--prompt") promptLen = std::stoll(v);
        else if (k == "--new") newTokens = std::stoll(v);
        else if (k == "--llama-cpp") llamaCpp = v;
        else {
            std::cerr << "unknown option " << k << "\n";
            return 2;
        }
    }
    try {
        torch::NoGradGuard noGrad;
        const c10::Device device = model::availableDevice(deviceName, "--device");
        model::LoadOptions load;
        load.device = device;
        std::printf("torch %d.%d, %d intra-op threads\n", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR, at::get_num_threads());
        if (batches.empty())
            batches = {1, 16};
        std::vector<std::pair<std::string, model::CausalLM>> models;
        if (!config.empty()) {
            const auto cfg = bench::namedConfig(config);
            models.emplace_back(config + " (" + bench::parameterLabel(cfg.parameterCount()) + ")",
                                model::buildModel(cfg, load, 0));
        } else if (!modelDir.empty()) {
            models.emplace_back(modelDir, model::loadModel(modelDir, load).model);
        } else {
            for (const char* name : {"tiny-qwen2", "tiny-qwen3", "tiny-llama3"})
                models.emplace_back(name, model::loadModel(std::string(DISTILLERY_SOURCE_DIR) + "/tests/fixtures/models/" + name, load).model);
            const auto cfg = bench::namedConfig("tiny-10m");
            models.emplace_back("tiny-10m (" + bench::parameterLabel(cfg.parameterCount()) + ")",
                                model::buildModel(cfg, load, 0));
        }
        for (auto& [label, lm] : models)
            for (std::int64_t b : batches)
                runOne(label, lm, device, b, promptLen, newTokens);
        if (!llamaCpp.empty()) {
            if (modelDir.empty())
                throw Error(ErrorCode::InvalidArgument, "--llama-cpp needs --model DIR (a folder with its tokenizer)");
            const auto gguf = std::filesystem::temp_directory_path() / "bench_generate_f16.gguf";
            model::exportGguf(modelDir, gguf, model::GgufType::F16);
            for (std::int64_t b : batches)
                runLlamaCpp(modelDir, llamaCpp, gguf, models.front().second->config().vocabSize, b, promptLen, newTokens);
            std::filesystem::remove(gguf);
        }
    } catch (const std::exception& e) {
        std::cerr << "bench_generate: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
