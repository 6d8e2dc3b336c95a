#include "core/train/grpo_spec.h"

#include "core/run/yaml_json.h"
#include "core/train/spec_sections.h"
#include "core/util/error.h"

namespace distill::train {

namespace {

std::string where(const run::SpecMap& map)
{
    return "line " + std::to_string(map.line()) + ": ";
}

}  // namespace

GrpoSpec parseGrpoSpec(const run::SpecMap& spec, const std::string& name)
{
    GrpoSpec s;
    s.name = name;
    const auto problems = spec.child("problems");
    if (!problems)
        throw Error(ErrorCode::InvalidArgument, where(spec) + "missing required key 'problems'",
                    "problems: {jsonl: FILE, question_field: question, answer_field: answer} or problems: {toy: {count: 200}}");
    s.jsonl = problems->text("jsonl", "");
    s.questionField = problems->text("question_field", s.questionField);
    s.answerField = problems->text("answer_field", s.answerField);
    if (const auto toy = problems->child("toy")) {
        s.toyCount = int(toy->integer("count", 200, 1, 10'000'000));
        s.toyFirstSeed = std::uint64_t(toy->integer("first_seed", 0, 0, 1'000'000'000));
        s.toyDifficulty = int(toy->integer("difficulty", 0, 0, 3));
        toy->finish();
    }
    if (s.jsonl.empty() == (s.toyCount == 0))
        throw Error(ErrorCode::InvalidArgument, where(*problems) + "problems needs exactly one of 'jsonl' and 'toy'");
    s.systemPrompt = problems->text("system_prompt", s.systemPrompt);
    s.thinkPrefill = problems->boolean("think_prefill", s.thinkPrefill);
    problems->finish();

    const auto model = spec.child("model");
    if (!model)
        throw Error(ErrorCode::InvalidArgument, where(spec) + "missing required key 'model'", "model: {path: HF_FOLDER}");
    s.modelPath = model->requiredText("path");
    s.tokenizerPath = model->text("tokenizer", "");
    s.referencePath = model->text("reference", "");
    s.device = model->text("device", s.device);
    model->finish();

    if (const auto rollout = spec.child("rollout")) {
        s.promptsPerStep = rollout->integer("prompts_per_step", s.promptsPerStep, 1, 1 << 20);
        s.numGenerations = rollout->integer("num_generations", s.numGenerations, 2, 1 << 16);
        s.maxNewTokens = rollout->integer("max_new_tokens", s.maxNewTokens, 1, 1 << 20);
        s.temperature = rollout->number("temperature", s.temperature, 0.0, 100.0);
        s.topP = rollout->number("top_p", s.topP, 0.0, 1.0);
        s.topK = rollout->integer("top_k", s.topK, 0, 1 << 24);
        rollout->finish();
    }

    if (spec.has("rewards")) {
        const YAML::Node list = spec.node("rewards");
        if (!list.IsSequence())
            throw Error(ErrorCode::InvalidArgument, where(spec) + "'rewards' must be a list");
        for (const auto& item : list) {
            const run::SpecMap entry(item, "rewards");
            RewardTerm term;
            term.kind = parseRewardKind(entry.requiredText("kind"));
            term.name = entry.text("name", std::string(rewardKindName(term.kind)));
            term.weight = entry.number("weight", 1.0, -1000.0, 1000.0);
            term.language = entry.text("language", term.language);
            term.maxTokens = entry.integer("max_tokens", s.maxNewTokens, 0, 1 << 20);
            term.overlongBuffer = entry.integer("buffer", term.maxTokens / 4, 0, 1 << 20);
            term.pattern = entry.text("pattern", "");
            if (term.kind == RewardKind::Regex && term.pattern.empty())
                throw Error(ErrorCode::InvalidArgument, where(entry) + "a regex reward needs 'pattern'");
            entry.finish();
            s.rewards.push_back(term);
        }
    } else {
        s.rewards = {{RewardKind::Accuracy, "accuracy", 1.0, "en", 0, 0, ""},
                     {RewardKind::Format, "format", 0.1, "en", 0, 0, ""}};
    }

    if (const auto objective = spec.child("objective")) {
        s.loss.epsilonLow = objective->number("epsilon", s.loss.epsilonLow, 0.0, 10.0);
        s.loss.epsilonHigh = objective->number("epsilon_high", s.loss.epsilonLow, 0.0, 10.0);
        s.loss.beta = objective->number("beta", s.loss.beta, 0.0, 100.0);
        s.loss.aggregation = parseLossAggregation(
            objective->text("loss_aggregation", std::string(lossAggregationName(s.loss.aggregation))));
        s.scaleRewards = objective->boolean("scale_rewards", s.scaleRewards);
        s.maskTruncated = objective->boolean("mask_truncated", s.maskTruncated);
        s.updatesPerBatch = objective->integer("updates_per_batch", s.updatesPerBatch, 1, 1000);
        objective->finish();
    }

    if (const auto train = spec.child("train")) {
        readOptimizerKeys(*train, s.optimizer);
        s.maxSteps = train->integer("max_steps", s.maxSteps, 1, kMaxSpecSteps);
        s.microBatchSize = train->integer("micro_batch_size", s.microBatchSize, 1, 65536);
        train->finish();
    }
    if (const auto checkpoints = spec.child("checkpoints")) {
        readCheckpointKeys(*checkpoints, s.checkpoints);
        checkpoints->finish();
    }
    if (const auto benchmarkEval = spec.child("benchmark_eval"))
        s.benchmarkEval = eval::parseCheckpointEval(*benchmarkEval);
    spec.finish();
    return s;
}

std::string grpoSpecYaml(const GrpoSpec& s)
{
    using run::yamlNumber;
    YAML::Node root(YAML::NodeType::Map);
    root["kind"] = "grpo";
    root["name"] = s.name;
    YAML::Node problems(YAML::NodeType::Map);
    if (!s.jsonl.empty()) {
        problems["jsonl"] = s.jsonl;
    } else {
        YAML::Node toy(YAML::NodeType::Map);
        toy["count"] = s.toyCount;
        toy["first_seed"] = s.toyFirstSeed;
        toy["difficulty"] = s.toyDifficulty;
        problems["toy"] = toy;
    }
    problems["question_field"] = s.questionField;
    problems["answer_field"] = s.answerField;
    problems["system_prompt"] = s.systemPrompt;
    problems["think_prefill"] = s.thinkPrefill;
    root["problems"] = problems;
    YAML::Node model(YAML::NodeType::Map);
    model["path"] = s.modelPath;
    model["tokenizer"] = s.tokenizerPath;
    model["reference"] = s.referencePath;
    model["device"] = s.device;
    root["model"] = model;
    YAML::Node rollout(YAML::NodeType::Map);
    rollout["prompts_per_step"] = s.promptsPerStep;
    rollout["num_generations"] = s.numGenerations;
    rollout["max_new_tokens"] = s.maxNewTokens;
    rollout["temperature"] = yamlNumber(s.temperature);
    rollout["top_p"] = yamlNumber(s.topP);
    rollout["top_k"] = s.topK;
    root["rollout"] = rollout;
    YAML::Node rewards(YAML::NodeType::Sequence);
    for (const auto& term : s.rewards) {
        YAML::Node item(YAML::NodeType::Map);
        item["kind"] = std::string(rewardKindName(term.kind));
        item["name"] = term.name;
        item["weight"] = yamlNumber(term.weight);
        item["language"] = term.language;
        item["max_tokens"] = term.maxTokens;
        item["buffer"] = term.overlongBuffer;
        item["pattern"] = term.pattern;
        rewards.push_back(item);
    }
    root["rewards"] = rewards;
    YAML::Node objective(YAML::NodeType::Map);
    objective["epsilon"] = yamlNumber(s.loss.epsilonLow);
    objective["epsilon_high"] = yamlNumber(s.loss.epsilonHigh);
    objective["beta"] = yamlNumber(s.loss.beta);
    objective["loss_aggregation"] = std::string(lossAggregationName(s.loss.aggregation));
    objective["scale_rewards"] = s.scaleRewards;
    objective["mask_truncated"] = s.maskTruncated;
    objective["updates_per_batch"] = s.updatesPerBatch;
    root["objective"] = objective;
    YAML::Node train(YAML::NodeType::Map);
    train["max_steps"] = s.maxSteps;
    train["micro_batch_size"] = s.microBatchSize;
    writeOptimizerKeys(train, s.optimizer);
    root["train"] = train;
    YAML::Node checkpoints(YAML::NodeType::Map);
    writeCheckpointKeys(checkpoints, s.checkpoints);
    root["checkpoints"] = checkpoints;
    if (s.benchmarkEval.enabled())
        root["benchmark_eval"] = eval::checkpointEvalYaml(s.benchmarkEval);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

}  // namespace distill::train
