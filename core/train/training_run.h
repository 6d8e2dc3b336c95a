// TrainingRun: what the SFT and GRPO jobs share around their loops — the device and the data-parallel
// group of this process, the run folder (recorded in the run's row), the tokenizer folder, metrics
// and progress with ETA (rank 0), checkpoint save / prune / resume, and the agreement of all ranks
// on when to stop. A job's run() reads: set up → resume → loop { step; report; maybe evaluate/save }.
#pragma once

#include "core/model/causal_lm.h"
#include "core/model/lora.h"
#include "core/run/job_registry.h"
#include "core/train/distributed.h"
#include "core/train/run_folder.h"
#include "core/train/spec_sections.h"

#include <c10/core/Device.h>
#include <c10/core/DeviceGuard.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace distill::train {

using MetricValues = std::vector<std::pair<std::string, double>>;

// The folder of a model's tokenizer files: `tokenizerPath` when given, else the model folder (or, for
// a config.json, the folder holding it).
std::filesystem::path tokenizerFolder(const std::string& modelPath, const std::string& tokenizerPath);

class TrainingRun {
public:
    // Joins the data-parallel group the environment describes (torchrun; one process otherwise): each
    // process of a multi-GPU run trains on cuda:LOCAL_RANK. Rank 0 creates the run folder and records
    // it in the run's row; the others learn its path from rank 0.
    TrainingRun(run::JobContext& context, const std::string& device, const CheckpointSpec& checkpoints,
                std::filesystem::path tokenizerFolder, std::string specYaml);
    ~TrainingRun();

    c10::Device device() const { return m_device; }
    DataParallel& parallel() { return *m_parallel; }
    bool isMain() const { return m_parallel->isMain(); }
    const RunFolder& folder() const { return m_folder; }
    const std::filesystem::path& tokenizerFolder() const { return m_tokenizerFolder; }
    run::JobContext& context() { return m_ctx; }

    // Rank 0: the values as metric rows of `step` and as metric events.
    void report(std::int64_t step, const MetricValues& values);
    void log(const std::string& level, const std::string& message);
    // Marks where the loop starts: the rate and ETA of progress() count from here.
    void startLoop(std::int64_t stepsDone);
    // Rank 0: a progress event with the rate and ETA of this process's steps so far.
    void progress(std::int64_t done, std::int64_t total);
    // Whether a periodic action (`every` steps, 0: never) falls on step `done` before the last.
    static bool due(std::int64_t every, std::int64_t done, std::int64_t total);
    // Whether any rank asks to stop (a stop request, an evaluation cut short): all ranks stop together.
    bool anyStops(bool here) { return m_parallel->any(here); }

    // The latest checkpoint: its weights are loaded into `model` and `restore(step, optimizerFile)`
    // restores the trainer; returns the checkpoint's trainer state (nullopt when there is none).
    std::optional<nlohmann::json> resume(model::CausalLMImpl& model,
                                         const std::function<void(std::int64_t, const std::filesystem::path&)>& restore);
    // Keeps the checkpoint of `step` (the run's best) when later saves prune to keep_last.
    void keepCheckpoint(std::optional<std::int64_t> step) { m_keepStep = step; }
    // Rank 0: writes checkpoint-<step> (the model with the tokenizer files, the optimizer through
    // `saveOptimizer`, the resolved spec, `state`), reports it and prunes to keep_last. Returns the
    // folder ("" on other ranks).
    std::string save(std::int64_t step, model::CausalLMImpl& model,
                     const std::function<void(const std::filesystem::path&)>& saveOptimizer, const nlohmann::json& state);
    // The final checkpoint: the one on disk when a rerun of a finished run finds it, else save().
    std::string saveFinal(std::int64_t step, model::CausalLMImpl& model,
                          const std::function<void(const std::filesystem::path&)>& saveOptimizer,
                          const nlohmann::json& state);

    // The same for a trainer with stepsDone(), model(), saveOptimizer(file) and restore(step, file).
    template <class Trainer>
    std::optional<nlohmann::json> resume(Trainer& trainer)
    {
        return resume(trainer.model(), [&](std::int64_t step, const std::filesystem::path& file) { trainer.restore(step, file); });
    }
    template <class Trainer>
    std::string save(Trainer& trainer, const nlohmann::json& state)
    {
        return save(trainer.stepsDone(), trainer.model(), [&](const std::filesystem::path& f) { trainer.saveOptimizer(f); }, state);
    }
    template <class Trainer>
    std::string saveFinal(Trainer& trainer, const nlohmann::json& state)
    {
        return saveFinal(trainer.stepsDone(), trainer.model(), [&](const std::filesystem::path& f) { trainer.saveOptimizer(f); },
                         state);
    }

private:
    run::JobContext& m_ctx;
    DistributedConfig m_distributed;
    c10::Device m_device;
    c10::DeviceGuard m_deviceGuard;  // the run's device is the current one while the run lasts
    std::unique_ptr<DataParallel> m_parallel;
    RunFolder m_folder;
    std::filesystem::path m_tokenizerFolder;
    std::string m_specYaml;
    std::int64_t m_keepLast;
    std::optional<std::int64_t> m_keepStep;
    std::chrono::steady_clock::time_point m_loopStart;
    std::int64_t m_firstStep = 0;
};

// A model to train: a Hugging Face folder, or a config.json for a from-scratch model initialised as
// transformers does (normal(0, initializer_range) matrices, zero biases, unit norms) with `seed`;
// float32 master weights on `device`. With `lora`, adapters are attached and only they train.
model::CausalLM loadTrainableModel(const std::string& path, c10::Device device, std::uint64_t seed,
                                   const std::optional<model::LoraOptions>& lora);
// Parameters of the model: all, and those that train.
std::pair<std::int64_t, std::int64_t> parameterCounts(model::CausalLMImpl& model);
// Resident memory of this process in MiB (the train/memory_mb metric).
double residentMegabytes();

}  // namespace distill::train
