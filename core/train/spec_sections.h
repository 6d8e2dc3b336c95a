// The sections that `kind: sft` and `kind: grpo` specs share: the optimizer and schedule keys of
// `train:` and the whole `checkpoints:` block (save_every, keep_last, output_dir), each read and
// written once, and the one mapping from the optimizer keys to the Optimizer's options.
#pragma once

#include "core/run/spec_map.h"
#include "core/train/lr_schedule.h"
#include "core/train/optimizer.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <string>

namespace distill::train {

inline constexpr long long kMaxSpecSteps = 1'000'000'000;

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

void readOptimizerKeys(const run::SpecMap& train, OptimizerSpec& spec);
void writeOptimizerKeys(YAML::Node& train, const OptimizerSpec& spec);

// checkpoints: {save_every, keep_last, output_dir}
struct CheckpointSpec {
    std::int64_t saveEvery = 0;  // steps; 0: at the end only
    std::int64_t keepLast = 2;   // checkpoints kept (the final one always)
    std::string outputDir;       // run folder; default: <workspace>.runs/run-<id> (RunFolder::pathFor)
};

void readCheckpointKeys(const run::SpecMap& checkpoints, CheckpointSpec& spec);
void writeCheckpointKeys(YAML::Node& checkpoints, const CheckpointSpec& spec);

}  // namespace distill::train
