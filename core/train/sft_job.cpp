#include "core/train/sft_job.h"

#include "core/formats/importer.h"
#include "core/formats/think_split.h"
#include "core/model/checkpoint.h"
#include "core/model/precision.h"
#include "core/store/workspace.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/benchmark_hook.h"
#include "core/train/early_stopping.h"
#include "core/train/sft_trainer.h"
#include "core/train/teacher_cache.h"
#include "core/train/training_run.h"
#include "core/util/error.h"
#include "core/util/split_mix64.h"

#include <torch/torch.h>

#include <algorithm>
#include <fstream>
#include <utility>

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
    util::SplitMix64 rng(spec.optimizer.seed ^ 0x5F7A11ULL);
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

// The run's cached top-k teacher (teacher_cache.h): a complete file is reused; otherwise rank 0 loads
// the teacher for this pass alone and computes the file (continuing a partial one), with progress
// events over the examples, while the other ranks wait. nullopt when a stop request ended the pass.
std::optional<TeacherCache> prepareTeacherCache(const SftSpec& spec, TrainingRun& session,
                                                const std::vector<TokenizedExample>& examples, std::int64_t studentVocab,
                                                std::int64_t padId)
{
    const fs::path file = session.folder().path() / kTeacherCacheFile;
    const auto header = teacherCacheHeader(studentVocab, spec.kdCacheTopK, examples);
    bool stopped = false;
    if (session.isMain() && !teacherCacheComplete(file, header)) {
        auto teacher = model::loadModel(spec.teacherPath, {session.device(), torch::kFloat}).model;
        checkTeacherVocabulary(teacher->config().vocabSize, studentVocab);
        session.log("info", "caching the teacher's top-" + std::to_string(header.k) + " log-probs of "
                                + std::to_string(header.offsets.back()) + " target tokens ("
                                + std::to_string(header.offsets.back() * header.recordBytes() >> 20) + " MiB) in "
                                + file.string());
        TeacherPassOptions pass;
        pass.rowsPerBatch = spec.microBatchSize;
        pass.maxSeqLen = spec.format.maxSeqLen;
        pass.chunkTokens = spec.lossChunkTokens;
        pass.padId = padId;
        EtaEstimator eta;
        auto& ctx = session.context();
        stopped = !buildTeacherCache(file, *teacher, examples, header, pass, [&](std::uint64_t done, std::uint64_t total) {
            eta.update(done);
            ctx.events.progress(done, total, eta.secondsLeft(total), eta.rate());
            return !ctx.stop.requested();
        });
    }
    if (session.anyStops(stopped))
        return std::nullopt;
    return std::make_optional<TeacherCache>(file);
}

// The distillation teacher of the spec: a cached top-k file (the teacher model is not kept to train),
// or the teacher model itself. False when a stop request ended the caching pass.
bool attachTeacher(const SftSpec& spec, TrainingRun& session, SftTrainer& trainer, const ExampleSet& examples,
                   std::int64_t padId, std::optional<TeacherCache>& cache)
{
    if (spec.teacherPath.empty())
        return true;
    if (spec.kdCacheTopK == 0) {
        trainer.setTeacher(model::loadModel(spec.teacherPath, {session.device(), torch::kFloat}).model);
        return true;
    }
    cache = prepareTeacherCache(spec, session, examples.train, trainer.model().config().vocabSize, padId);
    return cache.has_value();
}

// The micro-batches of the run in order: the epochs' plans, the position in them (kept in the
// checkpoints' trainer state) and this rank's share of each step.
class BatchFeed {
public:
    BatchFeed(const std::vector<TokenizedExample>& train, const SftSpec& spec, std::int64_t padId)
        : m_train(train), m_seed(spec.optimizer.seed), m_padId(padId)
    {
        for (const auto& ex : train)
            m_lengths.push_back(std::int64_t(ex.ids.size()));
        m_batching.microBatchSize = spec.microBatchSize;
        m_batching.maxSeqLen = spec.format.maxSeqLen;
        m_batching.packing = spec.packing;
        m_batching.groupByLength = spec.groupByLength;
        m_plan = planEpoch(m_lengths, m_batching, m_seed, 0);
        m_perEpoch = std::int64_t(m_plan.size());
    }

    std::int64_t microBatchesPerEpoch() const { return m_perEpoch; }
    double epochs() const { return double(m_epoch) + double(m_next) / double(std::max<std::int64_t>(1, m_perEpoch)); }
    nlohmann::json state() const { return {{"epoch", m_epoch}, {"micro_batch", m_next}}; }
    void restore(const nlohmann::json& state)
    {
        m_epoch = state.at("epoch").get<std::int64_t>();
        m_next = state.at("micro_batch").get<std::int64_t>();
        m_plan = planEpoch(m_lengths, m_batching, m_seed, m_epoch);
    }

    // The next step's micro-batches of this rank: micro-batch i of the step goes to rank i % world
    // size, and a step does not cross an epoch boundary.
    std::vector<TrainBatch> nextStep(std::int64_t gradAccumulation, DataParallel& parallel, TeacherCache* cache)
    {
        std::vector<TrainBatch> micro;
        for (std::int64_t i = 0; i < gradAccumulation; ++i) {
            if (m_next >= std::int64_t(m_plan.size())) {
                ++m_epoch;
                m_next = 0;
                m_plan = planEpoch(m_lengths, m_batching, m_seed, m_epoch);
                if (i > 0)
                    break;
            }
            const MicroBatchPlan& rows = m_plan[std::size_t(m_next++)];
            if (i % parallel.worldSize() == parallel.rank()) {
                micro.push_back(makeBatch(m_train, rows, m_padId));
                if (cache)
                    cache->attach(micro.back(), rows);
            }
        }
        return micro;
    }

private:
    const std::vector<TokenizedExample>& m_train;
    std::vector<std::int64_t> m_lengths;
    BatchingOptions m_batching;
    std::uint64_t m_seed;
    std::int64_t m_padId;
    std::vector<MicroBatchPlan> m_plan;
    std::int64_t m_perEpoch = 0;
    std::int64_t m_epoch = 0, m_next = 0;
};

// Eval batches: one sample per row, in order.
std::vector<TrainBatch> evalBatches(const std::vector<TokenizedExample>& eval, std::int64_t rowsPerBatch, std::int64_t padId)
{
    std::vector<TrainBatch> batches;
    for (std::size_t begin = 0; begin < eval.size(); begin += std::size_t(rowsPerBatch)) {
        MicroBatchPlan rows;
        for (std::size_t i = begin; i < std::min(eval.size(), begin + std::size_t(rowsPerBatch)); ++i)
            rows.push_back({i});
        batches.push_back(makeBatch(eval, rows, padId));
    }
    return batches;
}

TrainerOptions trainerOptions(const SftSpec& spec, std::int64_t totalSteps, c10::Device device)
{
    TrainerOptions options;
    options.bf16 = model::trainingAutocast(model::parsePrecision(spec.dtype), device);
    static_cast<OptimizerOptions&>(options) = spec.optimizer.options(totalSteps);
    options.loss.chunkTokens = spec.lossChunkTokens;
    options.loss.alpha = spec.kdAlpha;
    options.temperature = {spec.kdTemperatureSchedule, spec.kdTemperature, spec.kdTemperatureEnd, totalSteps};
    options.gradientCheckpointing = spec.gradientCheckpointing;
    return options;
}

MetricValues stepMetrics(const StepStats& stats, const BatchFeed& feed, bool distilling)
{
    MetricValues metrics = {{"train/loss", stats.loss},
                            {"train/lr", stats.lr},
                            {"train/grad_norm", stats.gradNorm},
                            {"train/tokens_per_s", double(stats.tokens) / std::max(1e-9, stats.seconds)},
                            {"train/epoch", feed.epochs()},
                            {"train/memory_mb", residentMegabytes()}};
    if (distilling)
        metrics.emplace_back("train/kd_temperature", stats.temperature);
    return metrics;
}

void logStart(TrainingRun& session, const ExampleSet& examples, std::int64_t totalSteps, model::CausalLMImpl& student,
              std::int64_t gradAccumulation)
{
    const auto [parameters, trained] = parameterCounts(student);
    session.log("info", std::to_string(examples.train.size()) + " train / " + std::to_string(examples.eval.size())
                            + " eval examples, " + std::to_string(examples.dropped) + " dropped, "
                            + std::to_string(totalSteps) + " steps, " + std::to_string(trained) + " of "
                            + std::to_string(parameters) + " parameters trained");
    const int world = session.parallel().worldSize();
    if (session.isMain() && world > 1)
        session.log(gradAccumulation % world == 0 ? "info" : "warning",
                    "data parallel over " + std::to_string(world) + " processes sharing the "
                        + std::to_string(gradAccumulation) + " micro-batches of a step (grad_accumulation)");
}

// Early stopping in the loop (early_stopping.h): each evaluation of the watched metric is judged on
// rank 0; a new best after training began has its step's checkpoint written and kept.
class StoppingWatch {
public:
    StoppingWatch(const std::optional<EarlyStoppingSpec>& spec, TrainingRun& session) : m_stopper(spec), m_session(session) {}

    void restore(const nlohmann::json& trainerState)
    {
        m_stopper.restore(trainerState.value("early_stopping", nlohmann::json()));
        m_session.keepCheckpoint(m_stopper.bestStep());
    }
    nlohmann::json state() const { return m_stopper.state(); }

    void judge(std::int64_t step, StoppingMetric metric, std::optional<double> value)
    {
        if (!value || !m_stopper.enabled() || m_stopper.metric() != metric || !m_stopper.record(step, *value))
            return;
        m_session.keepCheckpoint(step);
        m_improved = step > 0;
    }
    // Whether the last evaluation was a new best whose checkpoint is still to be written (then cleared).
    bool takeImproved() { return std::exchange(m_improved, false); }
    // Whether the patience ran out (all ranks agree).
    bool exhausted()
    {
        const bool out = m_stopper.enabled() && m_session.anyStops(m_stopper.exhausted());
        if (out && !m_logged)
            m_session.log("info", "early stopping: the best was step " + std::to_string(*m_stopper.bestStep()));
        m_logged = m_logged || out;
        return out;
    }
    // Adds early_stopping and best_checkpoint to a job summary (the model the run began from when
    // step 0 was the best).
    void summarize(nlohmann::json& summary, const std::string& modelPath) const
    {
        if (!m_stopper.enabled())
            return;
        summary["early_stopping"] = m_stopper.summary();
        const auto best = m_stopper.bestStep();
        summary["best_checkpoint"] = !best        ? summary.at("checkpoint")
                                     : *best == 0 ? nlohmann::json(modelPath)
                                                  : nlohmann::json((m_session.folder().path()
                                                                    / ("checkpoint-" + std::to_string(*best))).string());
    }

private:
    EarlyStopping m_stopper;
    TrainingRun& m_session;
    bool m_improved = false, m_logged = false;
};

}  // namespace

run::JobOutcome SftJob::run(run::JobContext& ctx)
{
    const SftSpec& spec = m_spec;
    TrainingRun session(ctx, spec.device, spec.checkpoints, tokenizerFolder(spec.modelPath, spec.tokenizerPath), resolvedYaml());
    const auto tokenizer = tokenizer::Tokenizer::fromDirectory(session.tokenizerFolder());
    const ExampleSet examples = loadExamples(spec, ctx.workspace, ExampleBuilder(*tokenizer, spec.format));
    const std::int64_t padId = tokenizer->padId().value_or(*tokenizer->eosId());
    BatchFeed feed(examples.train, spec, padId);
    const std::int64_t stepsPerEpoch = (feed.microBatchesPerEpoch() + spec.gradAccumulation - 1) / spec.gradAccumulation;
    const std::int64_t totalSteps = spec.maxSteps > 0 ? spec.maxSteps : spec.epochs * stepsPerEpoch;
    model::CausalLM student = loadTrainableModel(spec.modelPath, session.device(), spec.optimizer.seed, spec.lora);
    if (tokenizer->vocabSize() > std::size_t(student->config().vocabSize))
        throw Error(ErrorCode::InvalidArgument, "the tokenizer has more ids than the model's vocabulary");
    SftTrainer trainer(student, trainerOptions(spec, totalSteps, session.device()));
    std::optional<TeacherCache> teacherCache;
    if (!attachTeacher(spec, session, trainer, examples, padId, teacherCache))
        return {true, {{"steps", 0}, {"total_steps", totalSteps}, {"teacher_cache", "partial"}}};
    StoppingWatch watch(spec.earlyStopping, session);
    if (const auto state = session.resume(trainer)) {
        feed.restore(*state);
        watch.restore(*state);
    }
    trainer.setDataParallel(session.parallel());
    torch::manual_seed(spec.optimizer.seed + std::uint64_t(trainer.stepsDone()));
    const std::vector<TrainBatch> heldOut = evalBatches(examples.eval, spec.microBatchSize, padId);
    std::optional<double> lastEval;
    auto evaluate = [&](std::int64_t step) {
        if (session.isMain() && !heldOut.empty()) {
            session.report(step, {{"eval/loss", *(lastEval = trainer.evalLoss(heldOut))}});
            watch.judge(step, StoppingMetric::EvalLoss, lastEval);
        }
    };
    auto state = [&] {
        nlohmann::json s = feed.state();
        s.update({{"step", trainer.stepsDone()}, {"total_steps", totalSteps}, {"seed", spec.optimizer.seed},
                  {"early_stopping", watch.state()}});
        return s;
    };
    logStart(session, examples, totalSteps, *student, spec.gradAccumulation);
    const eval::CheckpointEval noBenchmarks;  // the other ranks wait while rank 0 evaluates
    BenchmarkHook benchmarks(session.isMain() ? spec.benchmarkEval : noBenchmarks, ctx);
    auto benchmark = [&](std::int64_t step) {
        const bool complete = benchmarks.after(step, totalSteps, student, *tokenizer);
        watch.judge(step, StoppingMetric::Pass1, benchmarks.meanPass1(step));
        return complete;
    };
    bool stopped = session.anyStops(trainer.stepsDone() == 0 && !benchmark(0));
    bool stoppedEarly = watch.exhausted();  // a rerun of a run that stopped early trains no further
    std::string lastCheckpoint;
    double lastLoss = 0.0;
    std::int64_t tokensSeen = 0;
    session.startLoop(trainer.stepsDone());
    while (!stopped && !stoppedEarly && trainer.stepsDone() < totalSteps) {
        const StepStats stats = trainer.step(feed.nextStep(spec.gradAccumulation, session.parallel(), teacherCache ? &*teacherCache : nullptr));
        lastLoss = stats.loss;
        tokensSeen += stats.tokens;
        session.report(stats.step, stepMetrics(stats, feed, !spec.teacherPath.empty()));
        const std::int64_t done = trainer.stepsDone();
        session.progress(done, totalSteps);
        if (TrainingRun::due(spec.evalEvery, done, totalSteps))
            evaluate(done);
        const bool benchmarked = done >= totalSteps || benchmark(done);
        stoppedEarly = watch.exhausted();
        if (session.anyStops(ctx.stop.requested() || !benchmarked) && done < totalSteps) {
            lastCheckpoint = session.save(trainer, state());
            stopped = true;
        } else if (watch.takeImproved() || stoppedEarly || TrainingRun::due(spec.checkpoints.saveEvery, done, totalSteps)) {
            lastCheckpoint = session.save(trainer, state());
        }
    }
    if (!stopped && session.isMain()) {
        if (!stoppedEarly)  // an early stop came right after its evaluation
            evaluate(trainer.stepsDone());
        lastCheckpoint = session.saveFinal(trainer, state());  // the newest: never pruned
        stopped = !stoppedEarly && !benchmark(trainer.stepsDone());
    }
    nlohmann::json summary = {{"steps", trainer.stepsDone()},
                              {"total_steps", totalSteps},
                              {"train_loss", lastLoss},
                              {"eval_loss", lastEval ? nlohmann::json(*lastEval) : nlohmann::json()},
                              {"checkpoint", lastCheckpoint},
                              {"train_examples", examples.train.size()},
                              {"eval_examples", examples.eval.size()},
                              {"dropped", examples.dropped},
                              {"tokens", tokensSeen},
                              {"benchmarks", benchmarks.summary()}};
    watch.summarize(summary, spec.modelPath);
    return {stopped, summary};
}

void registerSftJob(run::JobRegistry& registry)
{
    registry.add(sftSchema(), [](run::ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<run::Job> {
        return std::make_unique<SftJob>(readSftSpec(spec, name));
    });
}

}  // namespace distill::train
