#include "core/train/sft_spec.h"

#include "core/model/precision.h"
#include "core/run/spec_keys.h"
#include "core/util/error.h"

namespace distill::train {

using run::KeyDoc;

const run::SpecSchema& sftSchema()
{
    static const run::SpecSchema schema = [] {
        using namespace run::key;
        const SftSpec d;
        const ExampleFormat f;
        KeyDoc dataset = sectionList("datasets",
                                     {required("name", "a frozen dataset of the workspace"),
                                      number("weight", 1.0, 0.0, 1000.0, "mixing weight: its share is weight / sum of weights")},
                                     nlohmann::ordered_json::array(), "workspace datasets to train on (give this or jsonl)");
        std::vector<KeyDoc> model = {required("path", "the student: a Hugging Face folder, or a config.json for a "
                                                      "from-scratch model"),
                                     text("tokenizer", "", "folder of tokenizer.json; empty: the model's folder")};
        for (auto& k : run::placementKeys("Model"))
            model.push_back(std::move(k));
        std::vector<KeyDoc> train = {
            integer("epochs", d.epochs, 1, 100000, "passes over the data (when max_steps is 0)"),
            integer("max_steps", d.maxSteps, 0, kMaxSpecSteps, "optimizer steps; 0: the epochs decide", "steps"),
            integer("micro_batch_size", d.microBatchSize, 1, 65536, "rows per forward/backward"),
            integer("grad_accumulation", d.gradAccumulation, 1, 65536, "micro-batches per optimizer step"),
        };
        for (auto& k : optimizerKeys(d.optimizer))
            train.push_back(std::move(k));
        train.push_back(advanced(integer("loss_chunk_tokens", d.lossChunkTokens, 1, 1 << 24,
                                         "tokens per chunk of the lm_head and loss (memory)", "tokens")));
        train.push_back(flag("gradient_checkpointing", d.gradientCheckpointing,
                             "recompute each layer in backward: less memory, about a third more compute"));
        std::vector<KeyDoc> checkpoints = {
            integer("eval_every", d.evalEvery, 0, kMaxSpecSteps, "held-out loss every N steps; 0: at the end only", "steps")};
        for (auto& k : checkpointKeys())
            checkpoints.push_back(std::move(k));
        return run::SpecSchema(
            "sft", "Supervised fine-tuning of a student on curated chain-of-thought samples (response-only loss, "
                   "packing), optionally distilling a teacher's logits; checkpoints resume exactly.",
            {
                section("data", "Data",
                        {dataset, text("jsonl", "", "a JSONL file of {\"messages\": [...]} records (give this or datasets)"),
                         integer("max_seq_len", f.maxSeqLen, 8, 1 << 20, "longest sample (packed row length)", "tokens"),
                         choice("truncation", std::string(truncationName(f.truncation)), {"drop", "truncate"},
                                "what happens to a longer sample"),
                         advanced(flag("train_on_prompt", f.trainOnPrompt, "also learn the prompt tokens")),
                         flag("think_prefill", f.thinkPrefill, "prompts end in <think> as inference with prefill sees them"),
                         flag("packing", d.packing, "several samples per row, attention kept within each"),
                         advanced(flag("group_by_length", d.groupByLength, "without packing: batches of similar lengths")),
                         number("eval_fraction", d.evalFraction, 0.0, 0.5, "held-out share for the eval loss")}),
                section("model", "Model", model),
                optionalSection("teacher", "Distillation",
                                {required("path", "the teacher: a Hugging Face folder with the student's vocabulary"),
                                 number("alpha", d.kdAlpha, 0.0, 1.0, "weight of the cross-entropy; 1 - alpha: the KL to the teacher"),
                                 number("temperature", d.kdTemperature, 0.05, 100.0, "distillation temperature (at the first step)"),
                                 advanced(number("temperature_end", 0.0, 0.0, 100.0,
                                                 "temperature at the last step; 0: the start's")),
                                 advanced(choice("temperature_schedule", "constant", {"constant", "linear", "cosine"},
                                                 "how the temperature moves from start to end")),
                                 integer("cache_top_k", d.kdCacheTopK, 0, 1 << 20,
                                         "> 0: cache the teacher's top-k log-probs before training (no teacher in memory)")},
                                "logit distillation from a teacher model (absent: plain SFT)"),
                loraSection(),
                section("train", "Training", train),
                section("checkpoints", "Checkpoints", checkpoints),
                eval::checkpointEvalSection(),
                earlyStoppingSection(),
            });
    }();
    return schema;
}

SftSpec readSftSpec(run::ResolvedSpec& spec, const std::string& name)
{
    auto& v = spec.values;
    SftSpec s;
    s.name = name;
    const auto& data = v.at("data");
    for (const auto& d : data.at("datasets"))
        s.datasets.push_back({d.at("name").get<std::string>(), d.at("weight").get<double>()});
    s.jsonl = data.at("jsonl").get<std::string>();
    if (s.datasets.empty() == s.jsonl.empty())
        run::failAt(spec, "data", "data needs exactly one of 'datasets' and 'jsonl'");
    s.format.maxSeqLen = data.at("max_seq_len").get<std::int64_t>();
    s.format.truncation = parseTruncation(data.at("truncation").get<std::string>());
    s.format.trainOnPrompt = data.at("train_on_prompt").get<bool>();
    s.format.thinkPrefill = data.at("think_prefill").get<bool>();
    s.packing = data.at("packing").get<bool>();
    s.groupByLength = data.at("group_by_length").get<bool>();
    s.evalFraction = data.at("eval_fraction").get<double>();

    const auto& model = v.at("model");
    s.modelPath = model.at("path").get<std::string>();
    s.tokenizerPath = model.at("tokenizer").get<std::string>();
    s.device = model.at("device").get<std::string>();
    s.dtype = model.at("dtype").get<std::string>();
    try {
        model::parseDevice(s.device);
    } catch (const Error& e) {
        run::failAt(spec, "model.device", e.detail(), e.hint());
    }

    if (v.contains("teacher")) {
        auto& t = v.at("teacher");
        s.teacherPath = t.at("path").get<std::string>();
        s.kdAlpha = t.at("alpha").get<double>();
        s.kdTemperature = t.at("temperature").get<double>();
        if (t.at("temperature_end").get<double>() == 0.0)  // a default that depends on temperature
            t["temperature_end"] = s.kdTemperature;
        s.kdTemperatureEnd = t.at("temperature_end").get<double>();
        if (s.kdTemperatureEnd < 0.05)
            run::failAt(spec, "teacher.temperature_end", "'temperature_end' in teacher must be at least 0.05");
        s.kdTemperatureSchedule = parseScheduleKind(t.at("temperature_schedule").get<std::string>());
        s.kdCacheTopK = t.at("cache_top_k").get<std::int64_t>();
        if (s.kdTemperatureSchedule == ScheduleKind::Constant && s.kdTemperatureEnd != s.kdTemperature)
            run::failAt(spec, "teacher.temperature_end", "temperature_end needs a temperature_schedule",
                        "temperature_schedule: linear or cosine");
    }
    s.lora = readLora(spec);

    const auto& train = v.at("train");
    s.epochs = train.at("epochs").get<std::int64_t>();
    s.maxSteps = train.at("max_steps").get<std::int64_t>();
    s.microBatchSize = train.at("micro_batch_size").get<std::int64_t>();
    s.gradAccumulation = train.at("grad_accumulation").get<std::int64_t>();
    s.optimizer = readOptimizer(train);
    s.lossChunkTokens = train.at("loss_chunk_tokens").get<std::int64_t>();
    s.gradientCheckpointing = train.at("gradient_checkpointing").get<bool>();
    s.evalEvery = v.at("checkpoints").at("eval_every").get<std::int64_t>();
    s.checkpoints = readCheckpoints(v.at("checkpoints"));
    s.benchmarkEval = eval::readCheckpointEval(spec);
    s.earlyStopping = readEarlyStopping(spec);
    if (s.earlyStopping && s.earlyStopping->metric == StoppingMetric::EvalLoss && s.evalFraction == 0.0)
        run::failAt(spec, "early_stopping.metric", "early stopping on eval_loss needs held-out data",
                    "data: {eval_fraction: 0.05}");
    if (s.earlyStopping && s.earlyStopping->metric == StoppingMetric::Pass1 && !s.benchmarkEval.enabled())
        run::failAt(spec, "early_stopping.metric", "early stopping on pass@1 needs a benchmark_eval section",
                    "benchmark_eval: {benchmarks: [...], every: N}");
    return s;
}

}  // namespace distill::train
