// The keys that `kind: sft` and `kind: grpo` specs share: the optimizer and schedule of `train:`
// and the whole `checkpoints:` block (save_every, keep_last, output_dir), read into and written
// from either spec struct (they name these members alike).
#pragma once

#include "core/run/spec_map.h"
#include "core/run/yaml_json.h"
#include "core/train/lr_schedule.h"

#include <yaml-cpp/yaml.h>

#include <cstdint>
#include <limits>
#include <string>

namespace distill::train {

inline constexpr long long kMaxSpecSteps = 1'000'000'000;

// train: {seed, lr, schedule, warmup_steps, weight_decay, beta1, beta2, eps, max_grad_norm}
template <class Spec>
void readOptimizerKeys(const run::SpecMap& train, Spec& s)
{
    s.seed = std::uint64_t(train.integer("seed", 0, 0, std::numeric_limits<long long>::max()));
    s.lr = train.number("lr", s.lr, 0.0, 10.0);
    s.schedule = parseScheduleKind(train.text("schedule", std::string(scheduleKindName(s.schedule))));
    s.warmupSteps = train.integer("warmup_steps", s.warmupSteps, 0, kMaxSpecSteps);
    s.weightDecay = train.number("weight_decay", s.weightDecay, 0.0, 10.0);
    s.beta1 = train.number("beta1", s.beta1, 0.0, 1.0);
    s.beta2 = train.number("beta2", s.beta2, 0.0, 1.0);
    s.eps = train.number("eps", s.eps, 0.0, 1.0);
    s.maxGradNorm = train.number("max_grad_norm", s.maxGradNorm, 0.0, 1e9);
}

template <class Spec>
void writeOptimizerKeys(YAML::Node& train, const Spec& s)
{
    using run::yamlNumber;
    train["seed"] = s.seed;
    train["lr"] = yamlNumber(s.lr);
    train["schedule"] = std::string(scheduleKindName(s.schedule));
    train["warmup_steps"] = s.warmupSteps;
    train["weight_decay"] = yamlNumber(s.weightDecay);
    train["beta1"] = yamlNumber(s.beta1);
    train["beta2"] = yamlNumber(s.beta2);
    train["eps"] = yamlNumber(s.eps);
    train["max_grad_norm"] = yamlNumber(s.maxGradNorm);
}

// checkpoints: {save_every, keep_last, output_dir}
template <class Spec>
void readCheckpointKeys(const run::SpecMap& checkpoints, Spec& s)
{
    s.saveEvery = checkpoints.integer("save_every", s.saveEvery, 0, kMaxSpecSteps);
    s.keepLast = checkpoints.integer("keep_last", s.keepLast, 1, 100000);
    s.outputDir = checkpoints.text("output_dir", s.outputDir);
}

template <class Spec>
void writeCheckpointKeys(YAML::Node& checkpoints, const Spec& s)
{
    checkpoints["save_every"] = s.saveEvery;
    checkpoints["keep_last"] = s.keepLast;
    checkpoints["output_dir"] = s.outputDir;
}

}  // namespace distill::train
