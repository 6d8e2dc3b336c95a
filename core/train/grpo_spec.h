// The spec of a GRPO job (`kind: grpo`): the problems (a workspace source, a JSONL file with
// configurable question and reference-answer fields, or toy problems), the policy (and reference)
// model with its device and precision, optional LoRA, the rollout settings, the weighted reward terms,
// the objective's knobs and the optimisation recipe, described once by its schema.
#pragma once

#include "core/eval/eval_job.h"
#include "core/model/lora.h"
#include "core/run/spec_schema.h"
#include "core/train/grpo_loss.h"
#include "core/train/lr_schedule.h"
#include "core/train/reward_functions.h"
#include "core/train/spec_sections.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distill::train {

struct GrpoSpec {
    std::string name = "grpo";
    // problems: exactly one of source, jsonl and toy
    std::string source;                   // a problem source of the workspace (its reference answers)
    std::string jsonl;                    // JSONL file of problems
    std::string questionField = "question";
    std::string answerField = "answer";   // the reference answer the accuracy reward compares to
    int toyCount = 0;                     // > 0 (instead of jsonl): toy train problems
    std::uint64_t toyFirstSeed = 0;
    int toyDifficulty = 0;
    std::string systemPrompt;
    bool thinkPrefill = true;             // prompts end in "<think>\n"
    // model
    std::string modelPath;                // HF folder (an SFT checkpoint)
    std::string tokenizerPath;            // default: modelPath
    std::string referencePath;            // default: modelPath; loaded only when beta > 0
    std::string device = "cpu";
    std::string dtype = "auto";           // auto: bf16 autocast on CUDA (float32 master weights), float32 on the CPU
    // LoRA adapters on the policy, the only parameters trained (absent: full fine-tuning)
    std::optional<model::LoraOptions> lora;
    // rollouts
    std::int64_t promptsPerStep = 4;
    std::int64_t numGenerations = 8;      // G
    std::int64_t maxNewTokens = 256;
    double temperature = 1.0;
    double topP = 1.0;
    std::int64_t topK = 0;
    // rewards
    std::vector<RewardTerm> rewards;      // default: accuracy 1, format 0.1
    // objective
    GrpoLossOptions loss;
    bool scaleRewards = true;
    bool maskTruncated = false;
    std::int64_t updatesPerBatch = 1;     // μ
    std::int64_t microBatchSize = 8;
    // optimisation
    std::int64_t maxSteps = 100;
    OptimizerSpec optimizer{.lr = 1e-6, .schedule = ScheduleKind::Constant, .weightDecay = 0.0, .beta2 = 0.99};
    CheckpointSpec checkpoints;
    // benchmark pass@1 of the policy at step 0, every N steps and at the end
    eval::CheckpointEval benchmarkEval;
};

// The keys of `kind: grpo`.
const run::SpecSchema& grpoSchema();
// The spec of a resolved `kind: grpo` spec (checks what spans keys; fills in reward names, the
// overlong reward's limits and epsilon_high).
GrpoSpec readGrpoSpec(run::ResolvedSpec& spec, const std::string& name);

}  // namespace distill::train
