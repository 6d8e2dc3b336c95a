#include "core/train/sft_job.h"

#include "core/formats/importer.h"
#include "core/formats/think_split.h"
#include "core/model/checkpoint.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"
#include "core/toy/split_mix.h"
#include "core/train/benchmark_hook.h"
#include "core/train/distributed.h"
#include "core/train/sft_trainer.h"
#include "core/train/teacher_cache.h"
#include "core/util/error.h"

#include <c10/core/DeviceGuard.h>
#include <torch/torch.h>

#include <unistd.h>

#include <algorithm>
#include <fstream>
#include <sstream>

namespace distill::train {

namespace fs = std::filesystem;

namespace {

// The examples of the spec's data, and how many were dropped as too long or empty.
struct ExampleSet {
    std::vector<TokenizedExample> train, eval;
    std::int64_t dropped = 0;
};

std::vector<TokenizedExample> readDataset(const store::Workspace& ws, const std::string& name,
                                          const ExampleBuilder& builder, std::int64_t& dropped)
{
    if (!ws.dataset(name))
        throw Error(ErrorCode::NotFound, "dataset '" + name + "' is not in the workspace", "freeze it first");
    std::vector<TokenizedExample> out;
    ws.forEachDatasetSample(name, [&](const store::Sample& sample) {
        nlohmann::ordered_json messages;
        try {
            messages = nlohmann::ordered_json::parse(sample.messagesJson);
        } catch (const nlohmann::json::exception&) {
            ++dropped;  // an unreadable prompt is skipped, never fatal
            return true;
        }
        if (auto ex = builder.build(messages, sample.thinking, sample.answer))
            out.push_back(std::move(*ex));
        else
            ++dropped;
        return true;
    });
    return out;
}

// JSONL records {"messages": [...]} whose last message is the assistant's reply.
std::vector<TokenizedExample> readJsonl(const std::string& path, const ExampleBuilder& builder, std::int64_t& dropped)
{
    std::ifstream in(path);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot read " + path);
    const formats::ImportOptions tags;
    std::vector<TokenizedExample> out;
    std::string line;
    while (std::getline(in, line)) {
        if (line.find_first_not_of(" \t\r") == std::string::npos)
            continue;
        const auto record = nlohmann::ordered_json::parse(line, nullptr, false);
        if (record.is_discarded() || !record.contains("messages") || !record["messages"].is_array()
            || record["messages"].empty() || record["messages"].back().value("role", "") != "assistant"
            || !record["messages"].back().value("content", nlohmann::ordered_json()).is_string()) {
            ++dropped;
            continue;
        }
        auto messages = record["messages"];
        const std::string reply = messages.back()["content"].get<std::string>();
        messages.erase(messages.size() - 1);
        const auto split = formats::splitReasoning(reply, tags.thinkTags, tags.answerTags);
        if (auto ex = builder.build(messages, split.thinking, split.answer))
            out.push_back(std::move(*ex));
        else
            ++dropped;
    }
    return out;
}

// Takes the eval share off each source, then mixes: a weight w takes floor(w) full copies of the
// source's train examples plus a seeded (w - floor(w)) share of them.
ExampleSet loadExamples(const SftSpec& spec, const store::Workspace& ws, const ExampleBuilder& builder)
{
    ExampleSet set;
    std::vector<std::pair<std::vector<TokenizedExample>, double>> sources;
    if (!spec.jsonl.empty())
        sources.emplace_back(readJsonl(spec.jsonl, builder, set.dropped), 1.0);
    for (const auto& d : spec.datasets)
        sources.emplace_back(readDataset(ws, d.name, builder, set.dropped), d.weight);
    toy::SplitMix64 rng(spec.seed ^ 0x5F7A11ULL);
    for (auto& [examples, weight] : sources) {
        for (std::size_t i = examples.size(); i > 1; --i)
            std::swap(examples[i - 1], examples[std::size_t(rng.next() % i)]);
        const auto evalCount = std::size_t(double(examples.size()) * spec.evalFraction);
        set.eval.insert(set.eval.end(), examples.begin(), examples.begin() + std::ptrdiff_t(evalCount));
        const std::vector<TokenizedExample> train(examples.begin() + std::ptrdiff_t(evalCount), examples.end());
        for (double w = weight; w > 0.0; w -= 1.0) {
            const auto take = w >= 1.0 ? train.size() : std::size_t(double(train.size()) * w);
            set.train.insert(set.train.end(), train.begin(), train.begin() + std::ptrdiff_t(take));
        }
    }
    if (set.train.empty())
        throw Error(ErrorCode::InvalidArgument, "no training examples (" + std::to_string(set.dropped) + " dropped)",
                    "check the dataset, max_seq_len and truncation");
    return set;
}

std::vector<std::int64_t> lengthsOf(const std::vector<TokenizedExample>& examples)
{
    std::vector<std::int64_t> lengths;
    for (const auto& ex : examples)
        lengths.push_back(std::int64_t(ex.ids.size()));
    return lengths;
}

double residentMegabytes()
{
    std::ifstream statm("/proc/self/statm");
    long pages = 0, resident = 0;
    if (!(statm >> pages >> resident))
        return 0.0;
    return double(resident) * double(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

void writeText(const fs::path& file, const std::string& text)
{
    std::ofstream out(file, std::ios::binary);
    out << text;
    if (!out)
        throw Error(ErrorCode::Io, "cannot write " + file.string());
}


// A from-scratch model gets transformers' initialisation: normal(0, initializer_range) matrices and
// embeddings, zero biases, unit norms (libtorch's defaults would start tied logits far too large).
void initializeWeights(model::CausalLMImpl& model)
{
    const double std = model.config().raw.value("initializer_range", 0.02);
    const torch::NoGradGuard noGrad;
    for (auto& item : model.named_parameters()) {
        auto& p = item.value();
        if (p.dim() >= 2)
            p.normal_(0.0, std);
        else if (item.key().ends_with(".bias"))
            p.zero_();
        else
            p.fill_(1.0);
    }
}

// The run's cached top-k teacher (teacher_cache.h): a complete file is reused; otherwise rank 0 loads
// the teacher for this pass alone and computes the file (continuing a partial one), with progress
// events over the examples, while the other ranks wait. nullopt when a stop request ended the pass.
std::optional<TeacherCache> prepareTeacherCache(const SftSpec& spec, run::JobContext& ctx, DataParallel& parallel,
                                                const fs::path& file, const std::vector<TokenizedExample>& examples,
                                                const model::LoadOptions& load, std::int64_t studentVocab,
                                                std::int64_t padId)
{
    const auto header = teacherCacheHeader(studentVocab, spec.kdCacheTopK, examples);
    bool stopped = false;
    if (parallel.isMain() && !teacherCacheComplete(file, header)) {
        auto teacher = model::loadModel(spec.teacherPath, load).model;
        checkTeacherVocabulary(teacher->config().vocabSize, studentVocab);
        ctx.events.log("info", "caching the teacher's top-" + std::to_string(header.k) + " log-probs of "
                                   + std::to_string(header.offsets.back()) + " target tokens ("
                                   + std::to_string(header.offsets.back() * header.recordBytes() >> 20) + " MiB) in "
                                   + file.string());
        TeacherPassOptions pass;
        pass.rowsPerBatch = spec.microBatchSize;
        pass.maxSeqLen = spec.format.maxSeqLen;
        pass.chunkTokens = spec.lossChunkTokens;
        pass.padId = padId;
        EtaEstimator eta;
        stopped = !buildTeacherCache(file, *teacher, examples, header, pass, [&](std::uint64_t done, std::uint64_t total) {
            eta.update(done);
            ctx.events.progress(done, total, eta.secondsLeft(total), eta.rate());
            return !ctx.stop.requested();
        });
    }
    if (parallel.any(stopped))
        return std::nullopt;
    return std::make_optional<TeacherCache>(file);
}

// Where the next micro-batch comes from.
struct DataPosition {
    std::int64_t epoch = 0;
    std::int64_t microBatch = 0;
};

}  // namespace

fs::path writeCheckpoint(const fs::path& runFolder, std::int64_t step, model::CausalLMImpl& model,
                         const fs::path& tokenizerDir, const std::string& specYaml, const nlohmann::json& state,
                         const std::function<void(const fs::path&)>& saveOptimizer)
{
    const fs::path folder = runFolder / ("checkpoint-" + std::to_string(step));
    const fs::path partial = runFolder / ("partial-" + std::to_string(step));
    fs::remove_all(partial);
    model::SaveOptions saveOptions;
    saveOptions.copyFilesFrom = tokenizerDir;
    model::saveModel(model, partial, saveOptions);
    saveOptimizer(partial / kOptimizerStateFile);
    writeText(partial / "distill_spec.yaml", specYaml);
    writeText(partial / kTrainerStateFile, state.dump(1));  // written last: marks the folder complete
    fs::remove_all(folder);
    fs::rename(partial, folder);
    return folder;
}

std::int64_t checkpointStep(const fs::path& folder)
{
    const std::string name = folder.filename().string();
    if (!name.starts_with("checkpoint-") || !fs::exists(folder / kTrainerStateFile))
        return -1;
    try {
        return std::stoll(name.substr(11));
    } catch (const std::exception&) {
        return -1;
    }
}

void pruneCheckpoints(const fs::path& runFolder, std::int64_t keepLast)
{
    std::vector<std::pair<std::int64_t, fs::path>> all;
    for (const auto& entry : fs::directory_iterator(runFolder))
        if (const auto s = checkpointStep(entry.path()); s >= 0)
            all.emplace_back(s, entry.path());
    std::sort(all.begin(), all.end());
    for (std::size_t i = 0; i + std::size_t(keepLast) < all.size(); ++i)
        fs::remove_all(all[i].second);
}

std::optional<fs::path> latestCheckpoint(const fs::path& runFolder)
{
    std::optional<fs::path> best;
    std::int64_t bestStep = -1;
    if (!fs::is_directory(runFolder))
        return best;
    for (const auto& entry : fs::directory_iterator(runFolder))
        if (const auto step = checkpointStep(entry.path()); entry.is_directory() && step > bestStep) {
            bestStep = step;
            best = entry.path();
        }
    return best;
}

run::JobOutcome SftJob::run(run::JobContext& ctx)
{
    const SftSpec& spec = m_spec;
    // Under torchrun every process runs the job, one per GPU (cuda:LOCAL_RANK); rank 0 alone writes
    // to the workspace and the run folder, whose path only it knows (the other ranks record no run).
    const DistributedConfig distributed = DistributedConfig::fromEnvironment();
    c10::Device device(spec.device);
    if (device.is_cuda() && distributed.worldSize > 1)
        device = c10::Device(c10::kCUDA, c10::DeviceIndex(distributed.localRank));
    const c10::DeviceGuard onDevice(device);
    DataParallel parallel(distributed, device);
    const bool isMain = parallel.isMain();
    const fs::path runFolder = parallel.fromMain(
        (spec.outputDir.empty() ? fs::path(ctx.workspace.path() + ".runs") / ("run-" + std::to_string(ctx.runId))
                                : fs::path(spec.outputDir))
            .string());
    fs::create_directories(runFolder);
    const bool fromConfig = fs::path(spec.modelPath).extension() == ".json";
    const fs::path tokenizerDir = !spec.tokenizerPath.empty() ? fs::path(spec.tokenizerPath)
                                  : fromConfig                ? fs::path(spec.modelPath).parent_path()
                                                              : fs::path(spec.modelPath);
    const auto tokenizer = tokenizer::Tokenizer::fromDirectory(tokenizerDir);
    const ExampleBuilder builder(*tokenizer, spec.format);
    const ExampleSet examples = loadExamples(spec, ctx.workspace, builder);
    const auto lengths = lengthsOf(examples.train);
    const std::int64_t padId = tokenizer->padId().value_or(*tokenizer->eosId());

    BatchingOptions batching;
    batching.microBatchSize = spec.microBatchSize;
    batching.maxSeqLen = spec.format.maxSeqLen;
    batching.packing = spec.packing;
    batching.groupByLength = spec.groupByLength;
    const auto microPerEpoch = std::int64_t(planEpoch(lengths, batching, spec.seed, 0).size());
    const std::int64_t stepsPerEpoch = (microPerEpoch + spec.gradAccumulation - 1) / spec.gradAccumulation;
    const std::int64_t totalSteps = spec.maxSteps > 0 ? spec.maxSteps : spec.epochs * stepsPerEpoch;

    // Model: from a config (random init with the seed) or a folder; a checkpoint overrides the weights.
    model::LoadOptions load;
    load.device = device;
    load.dtype = torch::kFloat;  // master weights stay float32; bf16 is autocast
    model::CausalLM student = fromConfig ? model::buildModel(model::ModelConfig::fromFile(spec.modelPath), load, spec.seed)
                                         : model::loadModel(spec.modelPath, load).model;
    if (fromConfig)
        initializeWeights(*student);
    if (tokenizer->vocabSize() > std::size_t(student->config().vocabSize))
        throw Error(ErrorCode::InvalidArgument, "the tokenizer has more ids than the model's vocabulary");
    // LoRA: only the adapters train. The base is rebuilt from the spec (folder, or config and seed) on
    // resume, and loadWeights restores the adapters from the checkpoint and checks the merged weights.
    if (spec.lora) {
        model::LoraOptions lora = *spec.lora;
        lora.baseModel = spec.modelPath;
        student->addLora(lora, spec.seed);
    }

    TrainerOptions options;
    options.schedule = {spec.schedule, spec.lr, spec.warmupSteps, totalSteps};
    options.beta1 = spec.beta1;
    options.beta2 = spec.beta2;
    options.eps = spec.eps;
    options.weightDecay = spec.weightDecay;
    options.maxGradNorm = spec.maxGradNorm;
    options.loss.chunkTokens = spec.lossChunkTokens;
    options.loss.alpha = spec.kdAlpha;
    options.temperature = {spec.kdTemperatureSchedule, spec.kdTemperature, spec.kdTemperatureEnd, totalSteps};
    options.bf16 = spec.bf16;
    options.gradientCheckpointing = spec.gradientCheckpointing;
    SftTrainer trainer(student, options);
    std::optional<TeacherCache> teacherCache;  // with cache_top_k, the teacher model is not loaded to train
    if (!spec.teacherPath.empty() && spec.kdCacheTopK > 0) {
        teacherCache = prepareTeacherCache(spec, ctx, parallel, runFolder / kTeacherCacheFile, examples.train, load,
                                           student->config().vocabSize, padId);
        if (!teacherCache) {
            run::JobOutcome outcome;
            outcome.stopped = true;
            outcome.summary = {{"steps", 0}, {"total_steps", totalSteps}, {"teacher_cache", "partial"}};
            return outcome;
        }
    } else if (!spec.teacherPath.empty()) {
        trainer.setTeacher(model::loadModel(spec.teacherPath, load).model);
    }

    DataPosition position;
    if (const auto checkpoint = latestCheckpoint(runFolder)) {
        std::ifstream in(*checkpoint / kTrainerStateFile);
        const auto state = nlohmann::json::parse(in);
        model::loadWeights(*student, *checkpoint);
        trainer.restore(state.at("step").get<std::int64_t>(), *checkpoint / kOptimizerStateFile);
        position = {state.at("epoch").get<std::int64_t>(), state.at("micro_batch").get<std::int64_t>()};
        ctx.events.log("info", "resumed from " + checkpoint->string());
    }
    trainer.setDataParallel(parallel);
    torch::manual_seed(spec.seed + std::uint64_t(trainer.stepsDone()));

    // Eval batches: one sample per row, in order.
    std::vector<TrainBatch> evalBatches;
    for (std::size_t begin = 0; begin < examples.eval.size(); begin += std::size_t(spec.microBatchSize)) {
        MicroBatchPlan rows;
        for (std::size_t i = begin; i < std::min(examples.eval.size(), begin + std::size_t(spec.microBatchSize)); ++i)
            rows.push_back({i});
        evalBatches.push_back(makeBatch(examples.eval, rows, padId));
    }

    auto report = [&](std::int64_t step, const std::vector<std::pair<std::string, double>>& values) {
        if (!isMain)
            return;
        std::vector<store::Metric> metrics;
        for (const auto& [name, value] : values)
            metrics.push_back({ctx.runId, step, name, value, 0});
        ctx.workspace.addMetrics(metrics);
        for (const auto& m : metrics)
            ctx.events.metric(m.name, m.value, m.step);
    };
    std::optional<double> lastEval;
    auto evaluate = [&](std::int64_t step) {
        if (!isMain || evalBatches.empty())
            return;
        lastEval = trainer.evalLoss(evalBatches);
        report(step, {{"eval/loss", *lastEval}});
    };
    std::string lastCheckpoint;
    auto save = [&]() {
        if (!isMain)
            return;
        const std::int64_t step = trainer.stepsDone();
        const nlohmann::json state = {{"step", step}, {"epoch", position.epoch}, {"micro_batch", position.microBatch},
                                      {"total_steps", totalSteps}, {"seed", spec.seed}};
        lastCheckpoint = writeCheckpoint(runFolder, step, *student, tokenizerDir, resolvedYaml(), state,
                                         [&](const fs::path& file) { trainer.saveOptimizer(file); })
                             .string();
        ctx.events.checkpoint(lastCheckpoint, step);
        pruneCheckpoints(runFolder, spec.keepLast);
    };

    std::int64_t parameters = 0, trained = 0;
    for (const auto& p : student->parameters()) {
        parameters += p.numel();
        trained += p.requires_grad() ? p.numel() : 0;
    }
    ctx.events.log("info", std::to_string(examples.train.size()) + " train / " + std::to_string(examples.eval.size())
                               + " eval examples, " + std::to_string(examples.dropped) + " dropped, "
                               + std::to_string(totalSteps) + " steps, " + std::to_string(trained) + " of "
                               + std::to_string(parameters) + " parameters trained");
    if (isMain && parallel.worldSize() > 1)
        ctx.events.log(spec.gradAccumulation % parallel.worldSize() == 0 ? "info" : "warning",
                       "data parallel over " + std::to_string(parallel.worldSize()) + " processes sharing the "
                           + std::to_string(spec.gradAccumulation) + " micro-batches of a step (grad_accumulation)");
    std::vector<MicroBatchPlan> plan = planEpoch(lengths, batching, spec.seed, position.epoch);
    const eval::CheckpointEval noBenchmarks;  // the other ranks wait while rank 0 evaluates
    BenchmarkHook benchmarks(isMain ? spec.benchmarkEval : noBenchmarks, ctx);
    bool stopped = parallel.any(trainer.stepsDone() == 0 && !benchmarks.after(0, totalSteps, student, *tokenizer));
    const auto started = std::chrono::steady_clock::now();
    const std::int64_t firstStep = trainer.stepsDone();
    double lastLoss = 0.0;
    std::int64_t tokensSeen = 0;
    while (!stopped && trainer.stepsDone() < totalSteps) {
        std::vector<TrainBatch> micro;  // this rank's share: micro-batch i of the step goes to rank i % world size
        for (std::int64_t i = 0; i < spec.gradAccumulation; ++i) {
            if (position.microBatch >= std::int64_t(plan.size())) {
                position = {position.epoch + 1, 0};
                plan = planEpoch(lengths, batching, spec.seed, position.epoch);
                if (i > 0)
                    break;  // a step does not cross an epoch boundary
            }
            const MicroBatchPlan& rows = plan[std::size_t(position.microBatch++)];
            if (i % parallel.worldSize() == parallel.rank()) {
                micro.push_back(makeBatch(examples.train, rows, padId));
                if (teacherCache)
                    teacherCache->attach(micro.back(), rows);
            }
        }
        const StepStats stats = trainer.step(micro);
        lastLoss = stats.loss;
        tokensSeen += stats.tokens;
        std::vector<std::pair<std::string, double>> metrics = {
            {"train/loss", stats.loss},
            {"train/lr", stats.lr},
            {"train/grad_norm", stats.gradNorm},
            {"train/tokens_per_s", double(stats.tokens) / std::max(1e-9, stats.seconds)},
            {"train/epoch", double(position.epoch) + double(position.microBatch) / double(std::max<std::int64_t>(1, microPerEpoch))},
            {"train/memory_mb", residentMegabytes()}};
        if (!spec.teacherPath.empty())
            metrics.emplace_back("train/kd_temperature", stats.temperature);
        report(stats.step, metrics);
        const std::int64_t done = trainer.stepsDone();
        const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        const double rate = double(done - firstStep) / std::max(1e-9, elapsed);
        if (isMain)
            ctx.events.progress(std::uint64_t(done), std::uint64_t(totalSteps), double(totalSteps - done) / rate, rate);
        if (spec.evalEvery > 0 && done % spec.evalEvery == 0 && done < totalSteps)
            evaluate(done);
        const bool benchmarked = done >= totalSteps || benchmarks.after(done, totalSteps, student, *tokenizer);
        if (parallel.any(ctx.stop.requested() || !benchmarked) && done < totalSteps) {  // all ranks stop together
            save();
            stopped = true;
            break;
        }
        if (spec.saveEvery > 0 && done % spec.saveEvery == 0 && done < totalSteps)
            save();
    }
    if (!stopped && isMain) {
        evaluate(trainer.stepsDone());
        // A rerun of a finished run finds its final checkpoint on disk: no second copy is written.
        if (const auto latest = latestCheckpoint(runFolder); latest && checkpointStep(*latest) == trainer.stepsDone())
            lastCheckpoint = latest->string();
        else
            save();
        stopped = !benchmarks.after(trainer.stepsDone(), totalSteps, student, *tokenizer);
    }
    run::JobOutcome outcome;
    outcome.stopped = stopped;
    outcome.summary = {{"steps", trainer.stepsDone()},
                       {"total_steps", totalSteps},
                       {"train_loss", lastLoss},
                       {"eval_loss", lastEval ? nlohmann::json(*lastEval) : nlohmann::json()},
                       {"checkpoint", lastCheckpoint},
                       {"train_examples", examples.train.size()},
                       {"eval_examples", examples.eval.size()},
                       {"dropped", examples.dropped},
                       {"tokens", tokensSeen},
                       {"benchmarks", benchmarks.summary()}};
    return outcome;
}

void registerSftJob(run::JobRegistry& registry)
{
    registry.add("sft", [](const run::SpecMap& spec, const std::string& name) -> std::unique_ptr<run::Job> {
        return std::make_unique<SftJob>(parseSftSpec(spec, name));
    });
}

}  // namespace distill::train
