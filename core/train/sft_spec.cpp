#include "core/train/sft_spec.h"

#include "core/run/yaml_json.h"
#include "core/train/spec_sections.h"
#include "core/util/error.h"

namespace distill::train {

static std::string where(const run::SpecMap& map)
{
    return "line " + std::to_string(map.line()) + ": ";
}

SftSpec parseSftSpec(const run::SpecMap& spec, const std::string& name)
{
    SftSpec s;
    s.name = name;
    const auto data = spec.child("data");
    if (!data)
        throw Error(ErrorCode::InvalidArgument, where(spec) + "missing required key 'data'",
                    "data: {datasets: [{name: NAME, weight: 1}]} or data: {jsonl: FILE}");
    if (data->has("datasets")) {
        const YAML::Node list = data->node("datasets");
        if (!list.IsSequence())
            throw Error(ErrorCode::InvalidArgument, where(*data) + "'datasets' in data must be a list");
        for (const auto& item : list) {
            const run::SpecMap entry(item, "data.datasets");
            DatasetSource source;
            source.name = entry.requiredText("name");
            source.weight = entry.number("weight", 1.0, 0.0, 1000.0);
            entry.finish();
            s.datasets.push_back(source);
        }
    }
    s.jsonl = data->text("jsonl", "");
    if (s.datasets.empty() == s.jsonl.empty())
        throw Error(ErrorCode::InvalidArgument, where(*data) + "data needs exactly one of 'datasets' and 'jsonl'");
    s.format.maxSeqLen = data->integer("max_seq_len", s.format.maxSeqLen, 8, 1 << 20);
    s.format.truncation = parseTruncation(data->text("truncation", std::string(truncationName(s.format.truncation))));
    s.format.trainOnPrompt = data->boolean("train_on_prompt", s.format.trainOnPrompt);
    s.format.thinkPrefill = data->boolean("think_prefill", s.format.thinkPrefill);
    s.packing = data->boolean("packing", s.packing);
    s.groupByLength = data->boolean("group_by_length", s.groupByLength);
    s.evalFraction = data->number("eval_fraction", s.evalFraction, 0.0, 0.5);
    data->finish();

    const auto model = spec.child("model");
    if (!model)
        throw Error(ErrorCode::InvalidArgument, where(spec) + "missing required key 'model'",
                    "model: {path: HF_FOLDER or config.json, tokenizer: FOLDER}");
    s.modelPath = model->requiredText("path");
    s.tokenizerPath = model->text("tokenizer", "");
    s.device = model->text("device", s.device);
    s.bf16 = model->boolean("bf16", s.bf16);
    model->finish();

    if (const auto teacher = spec.child("teacher")) {
        s.teacherPath = teacher->requiredText("path");
        s.kdAlpha = teacher->number("alpha", s.kdAlpha, 0.0, 1.0);
        s.kdTemperature = teacher->number("temperature", s.kdTemperature, 0.05, 100.0);
        s.kdTemperatureEnd = teacher->number("temperature_end", s.kdTemperature, 0.05, 100.0);
        s.kdTemperatureSchedule = parseScheduleKind(
            teacher->text("temperature_schedule", std::string(scheduleKindName(s.kdTemperatureSchedule))));
        s.kdCacheTopK = teacher->integer("cache_top_k", s.kdCacheTopK, 0, 1 << 20);
        if (s.kdTemperatureSchedule == ScheduleKind::Constant && s.kdTemperatureEnd != s.kdTemperature)
            throw Error(ErrorCode::InvalidArgument, where(*teacher) + "temperature_end needs a temperature_schedule",
                        "temperature_schedule: linear or cosine");
        teacher->finish();
    }

    if (const auto lora = spec.child("lora")) {
        model::LoraOptions options;
        options.rank = lora->integer("rank", options.rank, 1, 65536);
        options.alpha = lora->number("alpha", options.alpha, 1e-6, 1e6);
        if (lora->has("targets"))
            options.targets = lora->textList("targets");
        lora->finish();
        try {
            model::checkLoraOptions(options);
        } catch (const Error& e) {
            throw Error(e.code(), where(*lora) + e.detail() + " in lora", e.hint());
        }
        s.lora = options;
    }

    if (const auto train = spec.child("train")) {
        readOptimizerKeys(*train, s.optimizer);
        s.epochs = train->integer("epochs", s.epochs, 1, 100000);
        s.maxSteps = train->integer("max_steps", s.maxSteps, 0, kMaxSpecSteps);
        s.microBatchSize = train->integer("micro_batch_size", s.microBatchSize, 1, 65536);
        s.gradAccumulation = train->integer("grad_accumulation", s.gradAccumulation, 1, 65536);
        s.lossChunkTokens = train->integer("loss_chunk_tokens", s.lossChunkTokens, 1, 1 << 24);
        s.gradientCheckpointing = train->boolean("gradient_checkpointing", s.gradientCheckpointing);
        train->finish();
    }
    if (const auto checkpoints = spec.child("checkpoints")) {
        s.evalEvery = checkpoints->integer("eval_every", s.evalEvery, 0, kMaxSpecSteps);
        readCheckpointKeys(*checkpoints, s.checkpoints);
        checkpoints->finish();
    }
    if (const auto benchmarkEval = spec.child("benchmark_eval"))
        s.benchmarkEval = eval::parseCheckpointEval(*benchmarkEval);
    spec.finish();
    return s;
}

std::string sftSpecYaml(const SftSpec& s)
{
    using run::yamlNumber;
    YAML::Node root(YAML::NodeType::Map);
    root["kind"] = "sft";
    root["name"] = s.name;
    YAML::Node data(YAML::NodeType::Map);
    if (!s.datasets.empty()) {
        YAML::Node list(YAML::NodeType::Sequence);
        for (const auto& d : s.datasets) {
            YAML::Node item(YAML::NodeType::Map);
            item["name"] = d.name;
            item["weight"] = yamlNumber(d.weight);
            list.push_back(item);
        }
        data["datasets"] = list;
    } else {
        data["jsonl"] = s.jsonl;
    }
    data["max_seq_len"] = s.format.maxSeqLen;
    data["truncation"] = std::string(truncationName(s.format.truncation));
    data["train_on_prompt"] = s.format.trainOnPrompt;
    data["think_prefill"] = s.format.thinkPrefill;
    data["packing"] = s.packing;
    data["group_by_length"] = s.groupByLength;
    data["eval_fraction"] = yamlNumber(s.evalFraction);
    root["data"] = data;
    YAML::Node model(YAML::NodeType::Map);
    model["path"] = s.modelPath;
    model["tokenizer"] = s.tokenizerPath;
    model["device"] = s.device;
    model["bf16"] = s.bf16;
    root["model"] = model;
    if (!s.teacherPath.empty()) {
        YAML::Node teacher(YAML::NodeType::Map);
        teacher["path"] = s.teacherPath;
        teacher["alpha"] = yamlNumber(s.kdAlpha);
        teacher["temperature"] = yamlNumber(s.kdTemperature);
        teacher["temperature_end"] = yamlNumber(s.kdTemperatureEnd);
        teacher["temperature_schedule"] = std::string(scheduleKindName(s.kdTemperatureSchedule));
        teacher["cache_top_k"] = s.kdCacheTopK;
        root["teacher"] = teacher;
    }
    if (s.lora) {
        YAML::Node lora(YAML::NodeType::Map);
        lora["rank"] = s.lora->rank;
        lora["alpha"] = yamlNumber(s.lora->alpha);
        lora["targets"] = s.lora->targets;
        lora["targets"].SetStyle(YAML::EmitterStyle::Flow);
        root["lora"] = lora;
    }
    YAML::Node train(YAML::NodeType::Map);
    train["epochs"] = s.epochs;
    train["max_steps"] = s.maxSteps;
    train["micro_batch_size"] = s.microBatchSize;
    train["grad_accumulation"] = s.gradAccumulation;
    writeOptimizerKeys(train, s.optimizer);
    train["loss_chunk_tokens"] = s.lossChunkTokens;
    train["gradient_checkpointing"] = s.gradientCheckpointing;
    root["train"] = train;
    YAML::Node checkpoints(YAML::NodeType::Map);
    checkpoints["eval_every"] = s.evalEvery;
    writeCheckpointKeys(checkpoints, s.checkpoints);
    root["checkpoints"] = checkpoints;
    if (s.benchmarkEval.enabled())
        root["benchmark_eval"] = eval::checkpointEvalYaml(s.benchmarkEval);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace distill::train
