#include "core/train/spec_sections.h"

#include "core/util/error.h"

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

std::vector<run::KeyDoc> optimizerKeys(const OptimizerSpec& d)
{
    using namespace run::key;
    std::vector<run::KeyDoc> keys = {
        integer("seed", 0, 0, 9.2e18, "seed of the data order, initialisation and sampling"),
        number("lr", d.lr, 0.0, 10.0, "peak learning rate"),
        choice("schedule", std::string(scheduleKindName(d.schedule)), {"cosine", "linear", "constant"},
               "learning-rate schedule after the warmup (transformers' schedules)"),
        integer("warmup_steps", d.warmupSteps, 0, kMaxSpecSteps, "linear warmup", "steps"),
        number("weight_decay", d.weightDecay, 0.0, 10.0, "AdamW weight decay (2-D weights only)"),
        advanced(number("beta1", d.beta1, 0.0, 1.0, "AdamW beta1")),
        advanced(number("beta2", d.beta2, 0.0, 1.0, "AdamW beta2")),
        advanced(number("eps", d.eps, 0.0, 1.0, "AdamW epsilon")),
        number("max_grad_norm", d.maxGradNorm, 0.0, 1e9, "clip the global gradient norm to this; 0: no clipping"),
    };
    for (auto& k : keys)
        k.group = "Optimizer";
    return keys;
}

OptimizerSpec readOptimizer(const nlohmann::ordered_json& t)
{
    OptimizerSpec s;
    s.seed = t.at("seed").get<std::uint64_t>();
    s.lr = t.at("lr").get<double>();
    s.schedule = parseScheduleKind(t.at("schedule").get<std::string>());
    s.warmupSteps = t.at("warmup_steps").get<std::int64_t>();
    s.weightDecay = t.at("weight_decay").get<double>();
    s.beta1 = t.at("beta1").get<double>();
    s.beta2 = t.at("beta2").get<double>();
    s.eps = t.at("eps").get<double>();
    s.maxGradNorm = t.at("max_grad_norm").get<double>();
    return s;
}

std::vector<run::KeyDoc> checkpointKeys()
{
    using namespace run::key;
    const CheckpointSpec d;
    return {
        integer("save_every", d.saveEvery, 0, kMaxSpecSteps, "write a checkpoint every N steps; 0: at the end only", "steps"),
        integer("keep_last", d.keepLast, 1, 100000, "checkpoints kept (the newest)"),
        advanced(text("output_dir", d.outputDir, "the run folder; empty: <workspace>.runs/run-<id>")),
    };
}

CheckpointSpec readCheckpoints(const nlohmann::ordered_json& c)
{
    CheckpointSpec s;
    s.saveEvery = c.at("save_every").get<std::int64_t>();
    s.keepLast = c.at("keep_last").get<std::int64_t>();
    s.outputDir = c.at("output_dir").get<std::string>();
    return s;
}

run::KeyDoc loraSection()
{
    using namespace run::key;
    const model::LoraOptions d;
    return optionalSection("lora", "LoRA",
                           {integer("rank", d.rank, 1, 65536, "adapter rank r"),
                            number("alpha", d.alpha, 1e-6, 1e6, "lora_alpha: the update is scaled by alpha / r"),
                            list("targets", d.targets, "projections adapted in every layer")},
                           "train LoRA adapters only (PEFT's layout); absent: full fine-tuning");
}

std::optional<model::LoraOptions> readLora(const run::ResolvedSpec& spec)
{
    if (!spec.values.contains("lora"))
        return std::nullopt;
    const auto& v = spec.values.at("lora");
    model::LoraOptions options;
    options.rank = v.at("rank").get<std::int64_t>();
    options.alpha = v.at("alpha").get<double>();
    options.targets = v.at("targets").get<std::vector<std::string>>();
    try {
        model::checkLoraOptions(options);
    } catch (const Error& e) {
        run::failAt(spec, "lora", e.detail() + " in lora", e.hint());
    }
    return options;
}

}  // namespace distill::train
