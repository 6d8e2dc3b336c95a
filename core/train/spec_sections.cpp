#include "core/train/spec_sections.h"

#include "core/run/yaml_json.h"

#include <limits>

namespace distill::train {

OptimizerOptions OptimizerSpec::options(std::int64_t totalSteps) const
{
    OptimizerOptions o;
    o.schedule = {schedule, lr, warmupSteps, totalSteps};
    o.beta1 = beta1;
    o.beta2 = beta2;
    o.eps = eps;
    o.weightDecay = weightDecay;
    o.maxGradNorm = maxGradNorm;
    return o;
}

void readOptimizerKeys(const run::SpecMap& train, OptimizerSpec& s)
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

void writeOptimizerKeys(YAML::Node& train, const OptimizerSpec& s)
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

void readCheckpointKeys(const run::SpecMap& checkpoints, CheckpointSpec& s)
{
    s.saveEvery = checkpoints.integer("save_every", s.saveEvery, 0, kMaxSpecSteps);
    s.keepLast = checkpoints.integer("keep_last", s.keepLast, 1, 100000);
    s.outputDir = checkpoints.text("output_dir", s.outputDir);
}

void writeCheckpointKeys(YAML::Node& checkpoints, const CheckpointSpec& s)
{
    checkpoints["save_every"] = s.saveEvery;
    checkpoints["keep_last"] = s.keepLast;
    checkpoints["output_dir"] = s.outputDir;
}

}  // namespace distill::train
