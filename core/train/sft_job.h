// The SFT job (`kind: sft`): builds the examples of its datasets, trains with SftTrainer, reports
// metrics (loss, lr, grad norm, tokens/s, memory, eval loss) and checkpoints (HF folder + optimizer,
// schedule and data position), keeps the last K, resumes exactly from the latest, stops gracefully.
#pragma once

#include "core/run/job_registry.h"
#include "core/train/sft_spec.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <optional>

namespace distill::model {
class CausalLMImpl;
}

namespace distill::train {

// Adds `kind: sft` to the registry.
void registerSftJob(run::JobRegistry& registry);

inline constexpr const char* kTrainerStateFile = "trainer_state.json";  // step, data position, seed
inline constexpr const char* kOptimizerStateFile = "optimizer.pt";      // AdamW moments and step counts

// Writes `checkpoint-<step>` of a run folder: the model as an HF folder (with the tokenizer files of
// `tokenizerDir`), the optimizer state through `saveOptimizer`, the resolved spec and the trainer
// state, written last. It is built as `partial-<step>` and renamed when complete, so a kill during a
// save leaves the previous checkpoint intact. Returns the folder.
std::filesystem::path writeCheckpoint(const std::filesystem::path& runFolder, std::int64_t step,
                                      model::CausalLMImpl& model, const std::filesystem::path& tokenizerDir,
                                      const std::string& specYaml, const nlohmann::json& state,
                                      const std::function<void(const std::filesystem::path&)>& saveOptimizer);
// The newest complete checkpoint-N folder under a run folder (nullopt when none).
std::optional<std::filesystem::path> latestCheckpoint(const std::filesystem::path& runFolder);
// N of a complete `checkpoint-N` folder (one holding its trainer state), else -1.
std::int64_t checkpointStep(const std::filesystem::path& folder);
// Removes all but the newest `keepLast` complete checkpoints of a run folder.
void pruneCheckpoints(const std::filesystem::path& runFolder, std::int64_t keepLast);

class SftJob : public run::Job {
public:
    explicit SftJob(SftSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "sft"; }
    std::string name() const override { return m_spec.name; }
    std::string resolvedYaml() const override { return sftSpecYaml(m_spec); }
    bool multiProcess() const override { return true; }  // data-parallel under torchrun
    // Summary: steps, final train loss, eval loss, the final checkpoint folder, examples, dropped.
    run::JobOutcome run(run::JobContext& context) override;

    const SftSpec& spec() const { return m_spec; }

private:
    SftSpec m_spec;
};

}  // namespace distill::train
