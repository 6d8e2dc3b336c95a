// The SFT job (`kind: sft`): builds the examples of its datasets, trains with SftTrainer, reports
// metrics (loss, lr, grad norm, tokens/s, memory, eval loss) and checkpoints (HF folder + optimizer,
// schedule and data position), keeps the last K, resumes exactly from the latest, stops gracefully.
#pragma once

#include "core/run/job_registry.h"
#include "core/train/sft_spec.h"

namespace distill::train {

// Adds `kind: sft` to the registry.
void registerSftJob(run::JobRegistry& registry);

class SftJob : public run::Job {
public:
    explicit SftJob(SftSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "sft"; }
    std::string name() const override { return m_spec.name; }
    bool multiProcess() const override { return true; }  // data-parallel under torchrun
    // Summary: steps, final train loss, eval loss, the final checkpoint folder, examples, dropped.
    run::JobOutcome run(run::JobContext& context) override;

    const SftSpec& spec() const { return m_spec; }

private:
    SftSpec m_spec;
};

}  // namespace distill::train
