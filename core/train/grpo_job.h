// The GRPO job (`kind: grpo`): rollouts from the policy in-process, rule-based rewards, μ clipped
// policy updates per batch; per-step metrics, the groups of each step as JSONL for the group
// inspector (groups/step_000123.jsonl), checkpoints (HF folder + optimizer + step), exact resume.
#pragma once

#include "core/run/job_registry.h"
#include "core/train/grpo_spec.h"

namespace distill::train {

// Adds `kind: grpo` to the registry.
void registerGrpoJob(run::JobRegistry& registry);

class GrpoJob : public run::Job {
public:
    explicit GrpoJob(GrpoSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "grpo"; }
    std::string name() const override { return m_spec.name; }
    bool multiProcess() const override { return true; }  // data-parallel under torchrun or run --gpus
    // Summary: steps, the last step's mean reward and accuracy, the final checkpoint folder, problems.
    run::JobOutcome run(run::JobContext& context) override;

    const GrpoSpec& spec() const { return m_spec; }

private:
    GrpoSpec m_spec;
};

}  // namespace distill::train
