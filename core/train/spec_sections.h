// The keys that `kind: sft` and `kind: grpo` specs share, described once (spec_schema.h) and read
// once: the optimizer and schedule keys of `train:`, the `checkpoints:` block, the optional `lora:`
// section; and the one mapping from the optimizer keys to the Optimizer's options.
#pragma once

#include "core/model/lora.h"
#include "core/run/spec_schema.h"
#include "core/train/lr_schedule.h"
#include "core/train/optimizer.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distill::train {

inline constexpr double kMaxSpecSteps = 1'000'000'000;

// train: {seed, lr, schedule, warmup_steps, weight_decay, beta1, beta2, eps, max_grad_norm}; each
// job kind sets its own defaults.
struct OptimizerSpec {
    std::uint64_t seed = 0;
    double lr = 1e-3;
    ScheduleKind schedule = ScheduleKind::Cosine;
    std::int64_t warmupSteps = 0;
    double weightDecay = 0.1;
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    double maxGradNorm = 1.0;

    // The Optimizer's options for a run of `totalSteps` optimizer steps.
    OptimizerOptions options(std::int64_t totalSteps) const;
};

// The optimizer keys with `defaults` as their defaults (group "Optimizer").
std::vector<run::KeyDoc> optimizerKeys(const OptimizerSpec& defaults);
OptimizerSpec readOptimizer(const nlohmann::ordered_json& train);

// checkpoints: {save_every, keep_last, output_dir}
struct CheckpointSpec {
    std::int64_t saveEvery = 0;  // steps; 0: at the end only
    std::int64_t keepLast = 2;   // checkpoints kept (the final one always)
    std::string outputDir;       // run folder; default: <workspace>.runs/run-<id> (RunFolder::pathFor)
};

std::vector<run::KeyDoc> checkpointKeys();
CheckpointSpec readCheckpoints(const nlohmann::ordered_json& checkpoints);

// lora: {rank, alpha, targets}: present = only LoRA adapters train.
run::KeyDoc loraSection();
// nullopt without the section; InvalidArgument at the section's line for unusable options.
std::optional<model::LoraOptions> readLora(const run::ResolvedSpec& spec);

}  // namespace distill::train
