// bench_sft: training throughput of the SFT trainer (SftTrainer::step: forward, chunked loss,
// backward, clip, AdamW) on packed rows of random token ids, random weights of a named shape.
//   bench_sft                                        # CPU: toy student (seq 256, micro-batch 32, 20 steps)
//                                                    #      + tiny-10m (micro-batch 8, 5 steps)
//   bench_sft --device cuda                          # qwen2.5-0.5b and qwen2.5-1.5b, seq 2048, micro-batch 8, bf16
//   bench_sft --device cuda --config qwen2.5-1.5b --micro-batch 8 [--seq 2048 --steps 20 --warmup 3 --no-bf16
//             --chunk 1024 --checkpointing --lora 16]  # --chunk: lm_head/loss tokens per chunk; --checkpointing:
//                                                  # gradient checkpointing (recompute each layer in backward);
//                                                  # --lora R: train LoRA adapters of rank R (alpha 2R) only
// Prints tokens/s, seconds/step, parameters N (and trained ones), model FLOPs per token, achieved
// TFLOP/s, MFU (CUDA) and peak memory per run.
#include <torch/torch.h>
#include <torch/version.h>

#include "bench/common/named_config.h"
#include "bench/common/peak_memory.h"
#include "core/model/checkpoint.h"
#include "core/model/precision.h"
#include "core/train/sft_data.h"
#include "core/train/sft_trainer.h"
#include "core/util/error.h"
#include "core/util/heap_tuning.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>
#include <random>
#include <string>
#include <vector>

using namespace distill;

namespace {

// Dense bf16 peak of an H100 SXM (also an H200's), the denominator of MFU.
constexpr double kPeakFlops = 989e12;

// One run, every option resolved.
struct RunSpec {
    std::string config;
    std::int64_t microBatch = 8;
    std::int64_t steps = 20;
    std::int64_t warmup = 3;
    std::int64_t seq = 2048;
    bool bf16 = false;
    bool checkpointing = false;  // TrainerOptions::gradientCheckpointing
    std::int64_t loraRank = 0;   // > 0: LoRA adapters of this rank on every projection, alpha 2 * rank
};

// The command line; unset options take each run's default.
struct Options {
    std::string device = "cpu";
    std::optional<std::int64_t> seq, microBatch, steps;
    std::optional<std::int64_t> warmup;  // untimed steps first; default 2 on CPU, 3 on CUDA
    std::int64_t chunkTokens = 1024;  // lm_head/loss chunk (TokenLossOptions::chunkTokens)
    std::optional<bool> bf16;
    bool checkpointing = false;
    std::int64_t loraRank = 0;
};

// Reference figures (transformers + PyTorch on an H100, bf16, SDPA, fused AdamW, seq 2048): the
// best tokens/s per shape (torch.compile) and that run's peak memory. The target: 1.1x those tokens/s
// at no more memory, at micro-batch 8 for both shapes.
struct Anchor {
    const char* config;
    double tokensPerSecond;
    double peakGiB;
    std::int64_t microBatch;
};
constexpr Anchor kAnchors[] = {{"qwen2.5-0.5b", 107.3e3, 33.0, 8}, {"qwen2.5-1.5b", 44.0e3, 33.0, 8}};

// Model FLOPs per token (the PaLM/nanoGPT convention of the reference MFU figures; it reproduces
// them: 107.3k tokens/s x 3.23 GFLOP / 989 TFLOP/s = 0.35 for Qwen2.5-0.5B at seq 2048):
//   6·N                                    forward + backward of every weight matrix (N includes the
//                                          embedding; a tied lm_head is counted once, as N counts it)
// + 12·layers·(heads·head_dim)·seq / 2    QK^T and AV, forward + backward, halved for causal masking
// With LoRA the frozen matrices get no weight gradient: 4·N + 6·(adapter parameters) instead of 6·N.
// (heads·head_dim equals hidden_size for every shape here. The model attends over whole packed rows
// under a mask, so seq is the row length, not a sample's.)
double attentionFlopsPerToken(const model::ModelConfig& c, std::int64_t seq)
{
    return 12.0 * double(c.numLayers) * double(c.numHeads * c.headDim) * double(seq) / 2.0;
}

// Packed rows of random ids, each row exactly `seq` tokens: samples of random lengths in
// [seq/8, seq] (the last one fills the row), every token but a sample's first trained, so the
// targets are all tokens but one per sample. Batches go through makeBatch as the SFT job's do
// (positions restarting per sample, sequence ids, -100 after each sample's last token).
std::vector<train::TrainBatch> randomBatches(std::int64_t count, std::int64_t microBatch, std::int64_t seq,
                                             std::int64_t vocab, std::uint64_t seed)
{
    std::mt19937_64 rng(seed);
    const std::int64_t lo = std::max<std::int64_t>(2, seq / 8);
    std::uniform_int_distribution<std::int64_t> lengthOf(lo, std::max(lo, seq));
    std::uniform_int_distribution<std::int64_t> idOf(std::min<std::int64_t>(3, vocab - 1), vocab - 1);
    std::vector<train::TrainBatch> batches;
    for (std::int64_t b = 0; b < count; ++b) {
        std::vector<train::TokenizedExample> examples;
        train::MicroBatchPlan rows;
        for (std::int64_t r = 0; r < microBatch; ++r) {
            rows.emplace_back();
            for (std::int64_t left = seq; left > 0;) {
                std::int64_t n = lengthOf(rng);
                if (n >= left || left - n < 2)
                    n = left;
                left -= n;
                train::TokenizedExample ex;
                for (std::int64_t t = 0; t < n; ++t) {
                    ex.ids.push_back(idOf(rng));
                    ex.trained.push_back(t > 0 ? 1 : 0);
                }
                rows.back().push_back(examples.size());
                examples.push_back(std::move(ex));
            }
        }
        batches.push_back(train::makeBatch(examples, rows, 0));
    }
    return batches;
}

void synchronize(c10::Device device)
{
    if (device.is_cuda())
        torch::cuda::synchronize(device.has_index() ? device.index() : -1);
}

std::string gib(std::int64_t bytes)
{
    if (bytes < 0)
        return "n/a";
    char text[32];
    std::snprintf(text, sizeof text, "%.2f GiB", double(bytes) / (1024.0 * 1024 * 1024));
    return text;
}

// One benchmark run; returns false when it failed (the message is printed).
bool runOne(const RunSpec& run, c10::Device device, std::int64_t chunkTokens)
{
    try {
        const std::int64_t seq = run.seq;
        const model::ModelConfig config = bench::namedConfig(run.config);
        const std::int64_t params = config.parameterCount();
        const double attention = attentionFlopsPerToken(config, seq);
        const std::string lora = run.loraRank > 0 ? " LoRA r=" + std::to_string(run.loraRank) : "";
        std::printf("%s (%s parameters)  device=%s %s%s%s  seq=%lld  micro-batch=%lld  steps=%lld (+%lld warm-up)\n",
                    run.config.c_str(), bench::parameterLabel(params).c_str(), device.str().c_str(),
                    run.bf16 ? "bf16 autocast" : "fp32", run.checkpointing ? " gradient-checkpointing" : "",
                    lora.c_str(), (long long)seq, (long long)run.microBatch, (long long)run.steps, (long long)run.warmup);
        std::fflush(stdout);

        bench::resetPeakMemory(device);
        model::LoadOptions load;
        load.device = device;
        load.dtype = torch::kFloat;  // master weights stay float32; bf16 is autocast (as the SFT job does)
        train::TrainerOptions trainerOptions;
        trainerOptions.schedule = {train::ScheduleKind::Constant, 1e-4, 0, run.warmup + run.steps};
        trainerOptions.loss.chunkTokens = chunkTokens;
        trainerOptions.bf16 = run.bf16;
        trainerOptions.gradientCheckpointing = run.checkpointing;
        model::CausalLM student = model::buildModel(config, load, 0);
        if (run.loraRank > 0) {
            model::LoraOptions loraOptions;
            loraOptions.rank = run.loraRank;
            loraOptions.alpha = 2.0 * double(run.loraRank);
            student->addLora(loraOptions, 0);
        }
        std::int64_t trained = 0;
        for (const auto& p : student->parameters())
            trained += p.requires_grad() ? p.numel() : 0;
        const double flopsPerToken =
            (run.loraRank > 0 ? 4.0 * double(params) + 6.0 * double(trained) : 6.0 * double(params)) + attention;
        train::SftTrainer trainer(student, trainerOptions);

        const auto batches = randomBatches(std::min<std::int64_t>(4, run.warmup + run.steps), run.microBatch, seq,
                                           config.vocabSize, 1);
        std::size_t next = 0;
        auto step = [&] { return trainer.step({batches[next++ % batches.size()]}); };

        std::optional<double> firstLoss;
        for (std::int64_t i = 0; i < run.warmup; ++i) {
            const double loss = step().loss;
            firstLoss = firstLoss.value_or(loss);
        }
        synchronize(device);
        // Timed steps: wall time from here to the device's last kernel. Per-step times are
        // StepStats::seconds (on CUDA they end at the step's last host sync, the grad-norm read).
        std::int64_t tokens = 0, targets = 0;
        double lastLoss = 0.0, fastest = 1e300, slowest = 0.0;
        const auto start = std::chrono::steady_clock::now();
        for (std::int64_t i = 0; i < run.steps; ++i) {
            const auto stats = step();
            firstLoss = firstLoss.value_or(stats.loss);
            lastLoss = stats.loss;
            tokens += stats.tokens;
            targets += stats.targetTokens;
            fastest = std::min(fastest, stats.seconds);
            slowest = std::max(slowest, stats.seconds);
        }
        synchronize(device);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        const bench::PeakMemory peak = bench::peakMemory(device);

        const double tokensPerSecond = double(tokens) / seconds;
        const double achieved = tokensPerSecond * flopsPerToken;
        std::printf("  tokens/s %.1f   s/step %.4f (fastest %.4f, slowest %.4f)   tokens/step %lld (%lld targets)\n",
                    tokensPerSecond, seconds / double(run.steps), fastest, slowest,
                    (long long)(tokens / std::max<std::int64_t>(1, run.steps)),
                    (long long)(targets / std::max<std::int64_t>(1, run.steps)));
        std::printf("  N %lld (%lld trained)   FLOPs/token %.4g (weights %.4g + attention %.4g)   achieved %.4g TFLOP/s",
                    (long long)params, (long long)trained, flopsPerToken, flopsPerToken - attention, attention,
                    achieved / 1e12);
        if (device.is_cuda())
            std::printf("   MFU %.3f (of %.0f TFLOP/s)", achieved / kPeakFlops, kPeakFlops / 1e12);
        std::printf("\n  peak memory %s (%s)", gib(peak.bytes).c_str(), peak.source.c_str());
        if (peak.reservedBytes >= 0)
            std::printf(", peak reserved %s", gib(peak.reservedBytes).c_str());
        // buildModel's initialisation, not transformers': the loss only shows that training runs.
        std::printf("\n  loss %.4f -> %.4f (random init)\n", firstLoss.value_or(0.0), lastLoss);
        if (device.is_cuda() && seq == 2048 && run.loraRank == 0) {  // the anchors are full fine-tuning
            for (const Anchor& a : kAnchors) {
                if (run.config != a.config)
                    continue;
                const double peakGiB = double(peak.bytes) / (1024.0 * 1024 * 1024);
                const bool met = tokensPerSecond >= 1.1 * a.tokensPerSecond && peak.bytes >= 0 && peakGiB <= a.peakGiB
                                 && run.microBatch >= a.microBatch;
                std::printf("  target >= %.1fk tokens/s (1.1 x %.1fk) at <= %.0f GiB, micro-batch >= %lld: "
                            "%.2fx the anchor, %s\n",
                            1.1 * a.tokensPerSecond / 1e3, a.tokensPerSecond / 1e3, a.peakGiB, (long long)a.microBatch,
                            tokensPerSecond / a.tokensPerSecond, met ? "met" : "NOT met");
            }
        }
        std::fflush(stdout);
        return true;
    } catch (const c10::Error& e) {
        std::printf("  failed: %s\n", e.what_without_backtrace());
    } catch (const std::exception& e) {
        std::printf("  failed: %s\n", e.what());
    }
    std::fflush(stdout);
    return false;
}

int usage()
{
    std::cerr << "usage: bench_sft [--config NAME] [--device cpu|cuda[:i]] [--seq N] [--micro-batch N] [--steps N]\n"
                 "                 [--warmup N] [--chunk N] [--bf16 | --no-bf16] [--checkpointing] [--lora R]\n"
                 "  NAME: " << bench::namedConfigList() << "\n";
    return 2;
}

}  // namespace

int main(int argc, char** argv)
{
    util::keepLargeBlocksInHeap();
    Options options;
    std::string config;
    for (int i = 1; i < argc; ++i) {
        const std::string key = argv[i];
        if (key == "--bf16" || key == "--no-bf16") {
            options.bf16 = key == "--bf16";
            continue;
        }
        if (key == "--checkpointing") {
            options.checkpointing = true;
            continue;
        }
        if (i + 1 >= argc)
            return usage();
        const std::string value = argv[++i];
        try {
            if (key == "--config") config = value;
            else if (key == "--device") options.device = value;
            else if (key == "--seq") options.seq = std::stoll(value);
            else if (key == "--micro-batch") options.microBatch = std::stoll(value);
            else if (key == "--steps") options.steps = std::stoll(value);
            else if (key == "--warmup") options.warmup = std::stoll(value);
            else if (key == "--chunk") options.chunkTokens = std::stoll(value);
            else if (key == "--lora") options.loraRank = std::stoll(value);
            else return usage();
        } catch (const std::exception&) {
            return usage();
        }
    }
    if ((options.seq && *options.seq < 2) || (options.microBatch && *options.microBatch < 1)
        || (options.steps && *options.steps < 1) || (options.warmup && *options.warmup < 0) || options.chunkTokens < 1
        || options.loraRank < 0)
        return usage();

    try {
        const c10::Device device = model::availableDevice(options.device, "--device");
        std::vector<RunSpec> runs;
        if (!config.empty())
            runs.push_back({config, config == "toy" ? 32 : 8, 20});
        else if (device.is_cuda())
            runs = {{"qwen2.5-0.5b", 8, 20}, {"qwen2.5-1.5b", 8, 20}};
        else
            runs = {{"toy", 32, 20}, {"tiny-10m", 8, 5}};
        for (auto& run : runs) {
            run.microBatch = options.microBatch.value_or(run.microBatch);
            run.steps = options.steps.value_or(run.steps);
            run.warmup = options.warmup.value_or(device.is_cuda() ? 3 : 2);
            run.seq = options.seq.value_or(device.is_cuda() ? 2048 : 256);
            run.bf16 = options.bf16.value_or(device.is_cuda());
            run.checkpointing = options.checkpointing;
            run.loraRank = options.loraRank;
        }
        std::printf("bench_sft: torch %d.%d, %d intra-op threads\n", TORCH_VERSION_MAJOR, TORCH_VERSION_MINOR,
                    at::get_num_threads());
        std::printf("model FLOPs/token = 6*N + 12*layers*(heads*head_dim)*seq/2 (causal attention); "
                    "tokens/s counts every token of the timed steps\n");
        bool ok = true;
        for (const auto& run : runs)
            ok = runOne(run, device, options.chunkTokens) && ok;
        return ok ? 0 : 1;
    } catch (const std::exception& e) {
        std::cerr << "bench_sft: " << e.what() << "\n";
        return 1;
    }
}
