#include "core/train/grpo_spec.h"

#include "core/model/precision.h"
#include "core/run/spec_keys.h"
#include "core/util/error.h"

namespace distill::train {

using run::KeyDoc;

namespace {

KeyDoc rewardsKey()
{
    using namespace run::key;
    KeyDoc kind = choice("kind", "accuracy", {"accuracy", "format", "language", "overlong", "regex"},
                         "accuracy: the grader on the reference answer; format: <think> + boxed answer; language: "
                         "consistency of the thinking's language; overlong: DAPO's soft length penalty; regex: a pattern");
    kind.required = true;
    KeyDoc pattern = only({"regex"}, text("pattern", "", "PCRE2 pattern: 1 when it matches the completion"));
    KeyDoc rewards = sectionList(
        "rewards",
        {kind, text("name", "", "metric name; empty: the kind's"),
         number("weight", 1.0, -1000.0, 1000.0, "weight in the total reward"),
         only({"language"}, text("language", "en", "target language (ISO 639-1)")),
         only({"overlong"}, integer("max_tokens", -1, -1, 1 << 20, "the generation limit; -1: max_new_tokens", "tokens")),
         only({"overlong"}, integer("buffer", -1, -1, 1 << 20, "the soft zone before the limit; -1: a quarter of it", "tokens")),
         pattern},
        nlohmann::ordered_json::array({{{"kind", "accuracy"}, {"name", ""}, {"weight", 1.0}},
                                       {{"kind", "format"}, {"name", ""}, {"weight", 0.1}}}),
        "the weighted reward terms");
    rewards.discriminator = "kind";
    rewards.group = "Rewards";
    return rewards;
}

}  // namespace

const run::SpecSchema& grpoSchema()
{
    static const run::SpecSchema schema = [] {
        using namespace run::key;
        const GrpoSpec d;
        std::vector<KeyDoc> model = {
            required("path", "the policy: a Hugging Face folder (an SFT checkpoint)"),
            text("tokenizer", "", "folder of tokenizer.json; empty: the model's folder"),
            advanced(text("reference", "", "the frozen reference of the KL term; empty: the policy's start")),
        };
        for (auto& k : run::placementKeys("Model"))
            model.push_back(std::move(k));
        std::vector<KeyDoc> train = {
            integer("max_steps", d.maxSteps, 1, kMaxSpecSteps, "GRPO steps", "steps"),
            integer("micro_batch_size", d.microBatchSize, 1, 65536, "completions per forward/backward"),
        };
        for (auto& k : optimizerKeys(d.optimizer))
            train.push_back(std::move(k));
        return run::SpecSchema(
            "grpo",
            "Group relative policy optimisation: G rollouts per prompt from the policy, rule-based rewards, "
            "group-normalised advantages and clipped policy updates; checkpoints resume exactly.",
            {
                section("problems", "Problems",
                        {text("source", "", "a problem source of the workspace (its reference answers; give one of "
                                            "source, jsonl and toy)"),
                         text("jsonl", "", "a JSONL file of problems"),
                         advanced(text("question_field", d.questionField, "JSONL: the question's field")),
                         advanced(text("answer_field", d.answerField, "JSONL: the reference answer's field")),
                         optionalSection("toy", "Problems",
                                         {integer("count", 200, 1, 10'000'000, "toy train problems"),
                                          integer("first_seed", 0, 0, 1e9, "first problem seed"),
                                          integer("difficulty", 0, 0, 3, "operands - 1; 0: mixed levels")},
                                         "toy arithmetic problems"),
                         text("system_prompt", "", "system message; empty: none"),
                         flag("think_prefill", d.thinkPrefill, "prompts end in <think>")}),
                section("model", "Model", model),
                loraSection(),
                section("rollout", "Rollouts",
                        {integer("prompts_per_step", d.promptsPerStep, 1, 1 << 20, "prompts per step"),
                         integer("num_generations", d.numGenerations, 2, 1 << 16, "completions per prompt (G)"),
                         integer("max_new_tokens", d.maxNewTokens, 1, 1 << 20, "longest completion", "tokens"),
                         number("temperature", d.temperature, 0.0, 100.0, "sampling temperature (0: greedy)"),
                         advanced(number("top_p", d.topP, 0.0, 1.0, "nucleus sampling (keep 1 for on-policy log-probs)")),
                         advanced(integer("top_k", d.topK, 0, 1 << 24, "top-k; 0: off"))}),
                rewardsKey(),
                section("objective", "Objective",
                        {number("epsilon", d.loss.epsilonLow, 0.0, 10.0, "ratio clipped below at 1 - epsilon"),
                         number("epsilon_high", -1.0, -1.0, 10.0, "ratio clipped above at 1 + epsilon_high; -1: epsilon"),
                         number("beta", d.loss.beta, 0.0, 100.0, "weight of the k3 KL to the reference; 0: no reference"),
                         choice("loss_aggregation", std::string(lossAggregationName(d.loss.aggregation)),
                                {"token", "sequence"}, "token: every token weighs the same (DAPO); sequence: GRPO"),
                         flag("scale_rewards", d.scaleRewards, "divide advantages by the group's std (false: Dr. GRPO)"),
                         advanced(flag("mask_truncated", d.maskTruncated, "completions cut at the limit take no part")),
                         advanced(integer("updates_per_batch", d.updatesPerBatch, 1, 1000, "optimizer updates per batch of rollouts (mu)"))}),
                section("train", "Training", train),
                section("checkpoints", "Checkpoints", checkpointKeys()),
                eval::checkpointEvalSection(),
            });
    }();
    return schema;
}

GrpoSpec readGrpoSpec(run::ResolvedSpec& spec, const std::string& name)
{
    auto& v = spec.values;
    GrpoSpec s;
    s.name = name;
    const auto& p = v.at("problems");
    s.source = p.at("source").get<std::string>();
    s.jsonl = p.at("jsonl").get<std::string>();
    s.questionField = p.at("question_field").get<std::string>();
    s.answerField = p.at("answer_field").get<std::string>();
    if (p.contains("toy")) {
        s.toyCount = p.at("toy").at("count").get<int>();
        s.toyFirstSeed = p.at("toy").at("first_seed").get<std::uint64_t>();
        s.toyDifficulty = p.at("toy").at("difficulty").get<int>();
    }
    if (int(!s.source.empty()) + int(!s.jsonl.empty()) + int(s.toyCount > 0) != 1)
        run::failAt(spec, "problems", "problems needs exactly one of 'source', 'jsonl' and 'toy'");
    s.systemPrompt = p.at("system_prompt").get<std::string>();
    s.thinkPrefill = p.at("think_prefill").get<bool>();

    const auto& m = v.at("model");
    s.modelPath = m.at("path").get<std::string>();
    s.tokenizerPath = m.at("tokenizer").get<std::string>();
    s.referencePath = m.at("reference").get<std::string>();
    s.device = m.at("device").get<std::string>();
    s.dtype = m.at("dtype").get<std::string>();
    try {
        model::parseDevice(s.device);
    } catch (const Error& e) {
        run::failAt(spec, "model.device", e.detail(), e.hint());
    }
    s.lora = readLora(spec);

    const auto& r = v.at("rollout");
    s.promptsPerStep = r.at("prompts_per_step").get<std::int64_t>();
    s.numGenerations = r.at("num_generations").get<std::int64_t>();
    s.maxNewTokens = r.at("max_new_tokens").get<std::int64_t>();
    s.temperature = r.at("temperature").get<double>();
    s.topP = r.at("top_p").get<double>();
    s.topK = r.at("top_k").get<std::int64_t>();

    auto& rewards = v.at("rewards");
    for (std::size_t i = 0; i < rewards.size(); ++i) {
        auto& item = rewards[i];
        RewardTerm term;
        term.kind = parseRewardKind(item.at("kind").get<std::string>());
        if (item.at("name").get<std::string>().empty())  // defaults that depend on other keys
            item["name"] = std::string(rewardKindName(term.kind));
        term.name = item.at("name").get<std::string>();
        term.weight = item.at("weight").get<double>();
        if (term.kind == RewardKind::Language)
            term.language = item.at("language").get<std::string>();
        if (term.kind == RewardKind::Overlong) {
            if (item.at("max_tokens").get<std::int64_t>() < 0)
                item["max_tokens"] = s.maxNewTokens;
            term.maxTokens = item.at("max_tokens").get<std::int64_t>();
            if (item.at("buffer").get<std::int64_t>() < 0)
                item["buffer"] = term.maxTokens / 4;
            term.overlongBuffer = item.at("buffer").get<std::int64_t>();
        }
        if (term.kind == RewardKind::Regex) {
            term.pattern = item.at("pattern").get<std::string>();
            if (term.pattern.empty())
                run::failAt(spec, "rewards[" + std::to_string(i) + "]", "a regex reward needs 'pattern'");
        }
        s.rewards.push_back(term);
    }

    auto& o = v.at("objective");
    s.loss.epsilonLow = o.at("epsilon").get<double>();
    if (o.at("epsilon_high").get<double>() < 0.0)
        o["epsilon_high"] = s.loss.epsilonLow;
    s.loss.epsilonHigh = o.at("epsilon_high").get<double>();
    s.loss.beta = o.at("beta").get<double>();
    s.loss.aggregation = parseLossAggregation(o.at("loss_aggregation").get<std::string>());
    s.scaleRewards = o.at("scale_rewards").get<bool>();
    s.maskTruncated = o.at("mask_truncated").get<bool>();
    s.updatesPerBatch = o.at("updates_per_batch").get<std::int64_t>();

    const auto& t = v.at("train");
    s.maxSteps = t.at("max_steps").get<std::int64_t>();
    s.microBatchSize = t.at("micro_batch_size").get<std::int64_t>();
    s.optimizer = readOptimizer(t);
    s.checkpoints = readCheckpoints(v.at("checkpoints"));
    s.benchmarkEval = eval::readCheckpointEval(spec);
    return s;
}

}  // namespace distill::train
