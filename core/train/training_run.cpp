#include "core/train/training_run.h"

#include "core/model/checkpoint.h"
#include "core/model/model_shapes.h"
#include "core/model/precision.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <c10/core/DeviceGuard.h>
#include <torch/torch.h>

#include <unistd.h>

#include <fstream>

namespace distill::train {

namespace fs = std::filesystem;

fs::path tokenizerFolder(const std::string& modelPath, const std::string& tokenizerPath)
{
    if (!tokenizerPath.empty())
        return tokenizerPath;
    const fs::path model(modelPath);
    return model.extension() == ".json" ? model.parent_path() : model;
}

namespace {

// cuda:LOCAL_RANK for each process of a multi-GPU run; the spec's device otherwise.
c10::Device processDevice(const std::string& device, const DistributedConfig& distributed)
{
    const c10::Device d = model::parseDevice(device, "model.device");
    if (d.is_cuda() && distributed.worldSize > 1)
        return model::availableDevice("cuda:" + std::to_string(distributed.localRank), "LOCAL_RANK's device");
    return model::availableDevice(device, "model.device");
}

}  // namespace

TrainingRun::TrainingRun(run::JobContext& context, const std::string& device, const CheckpointSpec& checkpoints,
                         fs::path tokenizerFolder, std::string specYaml)
    : m_ctx(context), m_distributed(DistributedConfig::fromEnvironment()),
      m_device(processDevice(device, m_distributed)), m_deviceGuard(m_device),
      m_parallel(std::make_unique<DataParallel>(m_distributed, m_device)), m_folder(fs::path()),
      m_tokenizerFolder(std::move(tokenizerFolder)), m_specYaml(std::move(specYaml)), m_keepLast(checkpoints.keepLast)
{
    // Rank 0 alone writes to the workspace and the run folder, whose path only it knows (the other
    // ranks record no run).
    m_folder = RunFolder(m_parallel->fromMain(
        RunFolder::pathFor(m_ctx.workspace.path(), m_ctx.runId, checkpoints.outputDir).string()));
    m_folder.create();
    if (isMain()) {
        if (!checkpoints.outputDir.empty())  // the default folder is the run's own by its name
            m_folder.claim(m_ctx.workspace.path(), m_ctx.runId);
        m_ctx.workspace.setRunFolder(m_ctx.runId, m_folder.path().string());
    }
}

TrainingRun::~TrainingRun() = default;

void TrainingRun::report(std::int64_t step, const MetricValues& values)
{
    if (!isMain())
        return;
    std::vector<store::Metric> metrics;
    for (const auto& [name, value] : values)
        metrics.push_back({m_ctx.runId, step, name, value, 0});
    m_ctx.workspace.addMetrics(metrics);
    for (const auto& m : metrics)
        m_ctx.events.metric(m.name, m.value, m.step);
}

void TrainingRun::log(const std::string& level, const std::string& message)
{
    m_ctx.events.log(level, message);
}

void TrainingRun::startLoop(std::int64_t stepsDone)
{
    m_loopStart = std::chrono::steady_clock::now();
    m_firstStep = stepsDone;
}

void TrainingRun::progress(std::int64_t done, std::int64_t total)
{
    if (!isMain())
        return;
    const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - m_loopStart).count();
    const double rate = double(done - m_firstStep) / std::max(1e-9, elapsed);
    m_ctx.events.progress(std::uint64_t(done), std::uint64_t(total), double(total - done) / rate, rate);
}

bool TrainingRun::due(std::int64_t every, std::int64_t done, std::int64_t total)
{
    return every > 0 && done % every == 0 && done < total;
}

std::optional<nlohmann::json> TrainingRun::resume(model::CausalLMImpl& model,
                                                  const std::function<void(std::int64_t, const fs::path&)>& restore)
{
    const auto point = m_folder.resumePoint();
    if (!point)
        return std::nullopt;
    model::loadWeights(model, point->checkpoint.folder);
    const auto step = point->state.at("step").get<std::int64_t>();
    restore(step, point->checkpoint.folder / kOptimizerStateFile);
    // The steps after the checkpoint run again and record their metrics again; the evaluations at
    // its step (held-out loss, benchmarks) came before it was written and stay.
    if (isMain())
        m_ctx.workspace.deleteMetricsAfter(m_ctx.runId, step, "eval/");
    m_ctx.events.log("info", "resumed from " + point->checkpoint.folder.string());
    return point->state;
}

std::string TrainingRun::save(std::int64_t step, model::CausalLMImpl& model,
                              const std::function<void(const fs::path&)>& saveOptimizer, const nlohmann::json& state)
{
    if (!isMain())
        return {};
    const fs::path folder = m_folder.writeCheckpoint(
        step,
        [&](const fs::path& partial) {
            model::SaveOptions options;
            options.copyFilesFrom = m_tokenizerFolder;
            model::saveModel(model, partial, options);
            saveOptimizer(partial / kOptimizerStateFile);
        },
        m_specYaml, state);
    m_ctx.events.checkpoint(folder.string(), step);
    m_folder.prune(m_keepLast, m_keepStep);
    return folder.string();
}

std::string TrainingRun::saveFinal(std::int64_t step, model::CausalLMImpl& model,
                                   const std::function<void(const fs::path&)>& saveOptimizer, const nlohmann::json& state)
{
    if (const auto latest = m_folder.latest(); latest && latest->step == step)
        return isMain() ? latest->folder.string() : std::string();
    return save(step, model, saveOptimizer, state);
}

model::CausalLM loadTrainableModel(const std::string& path, c10::Device device, std::uint64_t seed,
                                   const std::optional<model::LoraOptions>& lora)
{
    model::LoadOptions load;
    load.device = device;
    load.dtype = torch::kFloat;  // master weights stay float32; bf16 is autocast
    const bool fromConfig = fs::path(path).extension() == ".json";
    model::CausalLM model = fromConfig ? model::buildModel(model::ModelConfig::fromFile(path), load, seed)
                                       : model::loadModel(path, load).model;
    if (fromConfig)
        model::initializeWeights(*model);
    // The base is rebuilt from the spec (folder, or config and seed) on resume, and loadWeights
    // restores the adapters from the checkpoint and checks the merged weights.
    if (lora) {
        model::LoraOptions options = *lora;
        options.baseModel = path;
        model->addLora(options, seed);
    }
    return model;
}

std::pair<std::int64_t, std::int64_t> parameterCounts(model::CausalLMImpl& model)
{
    std::int64_t all = 0, trained = 0;
    for (const auto& p : model.parameters()) {
        all += p.numel();
        trained += p.requires_grad() ? p.numel() : 0;
    }
    return {all, trained};
}

double residentMegabytes()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    if (!(statm >> pages >> resident))
        return 0.0;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

}  // namespace distill::train
