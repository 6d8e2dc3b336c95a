// GrpoTrainer: one GRPO step at a time. Rollouts of G samples per prompt come from the engine running
// the current policy weights in-process; rule-based rewards give group-normalised advantages; then μ
// policy updates on the clipped objective (old and reference log-probs computed once, before any
// update) through the Optimizer SFT uses, and the step's metrics.
#pragma once

#include "core/infer/sampling_params.h"
#include "core/model/causal_lm.h"
#include "core/train/grpo_loss.h"
#include "core/train/reward_functions.h"
#include "core/train/optimizer.h"

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace distill::train {

class DataParallel;

// A prompt of a rollout batch: its token ids and the reference answer the rewards compare to.
struct GrpoPrompt {
    std::vector<std::int64_t> ids;
    std::string text;  // for the group records only
    std::string gold;
};

struct GrpoOptions {
    std::int64_t groupSize = 8;               // G: samples per prompt
    std::int64_t maxNewTokens = 256;
    infer::SamplingParams sampling;           // its seed is the run's: each step and prompt derive their own
    std::vector<std::int64_t> stopTokenIds;   // usually the end-of-turn token
    GrpoLossOptions loss;
    bool scaleRewards = true;                 // divide advantages by the group std (false: Dr. GRPO)
    bool maskTruncated = false;               // completions cut at maxNewTokens take no part in the loss
    std::int64_t updatesPerBatch = 1;         // μ: optimizer steps on one batch of rollouts
    std::int64_t microBatchSize = 8;          // completions per forward/backward
    std::int64_t engineSlots = 64;            // sequences the engine decodes together
    OptimizerOptions optimizer;               // AdamW, schedule (indexed by GRPO step), grad clipping
    bool bf16 = false;                        // bf16 autocast on CUDA (rollouts and updates); weights stay float32
};

// One completion of a group with its rewards.
struct GrpoRollout {
    std::size_t prompt = 0;            // index into the step's prompts
    std::vector<std::int64_t> ids;     // generated tokens
    std::string text;
    bool truncated = false;
    std::vector<double> scores;        // per reward term
    double reward = 0.0;               // weighted total
    double advantage = 0.0;
};

struct GrpoStepStats {
    std::int64_t step = 0;
    double lr = 0.0;
    std::vector<double> rewardMean, rewardStd;  // per reward term
    double totalRewardMean = 0.0, totalRewardStd = 0.0;
    double noSignalShare = 0.0;   // groups whose completions all got the same total reward
    double kl = 0.0;              // mean k3 per token (first update)
    double clipFraction = 0.0;    // share of tokens with an active clip, over the μ updates
    double entropy = 0.0;         // mean next-token entropy per completion token (first update)
    double lengthMean = 0.0;
    std::int64_t lengthMax = 0;
    double truncatedShare = 0.0;
    double loss = 0.0;            // the objective of the first update (surrogate + β KL, aggregated)
    double policyLoss = 0.0;      // mean clipped-surrogate term per token (first update)
    double gradNorm = 0.0;        // before clipping, last update
    double rolloutSeconds = 0.0, trainSeconds = 0.0;
};

class GrpoTrainer {
public:
    using Detokenizer = std::function<std::string(const std::vector<std::int64_t>&)>;

    GrpoTrainer(model::CausalLM policy, RewardSet rewards, GrpoOptions options, Detokenizer detokenize);
    ~GrpoTrainer();

    // The frozen reference of the KL term (required when loss.beta != 0).
    void setReference(model::CausalLM reference);
    // Makes the steps data-parallel over the ranks of `parallel`, each with its own prompts: rank 0's
    // weights are copied to every rank now; an update normalises by the whole step's tokens (or
    // completions), sums the gradients over the ranks before clipping, and the step's statistics are
    // those of all ranks' rollouts. A world of one process changes nothing.
    void setDataParallel(DataParallel& parallel);

    // G completions per prompt from the current weights, scored; advantages filled in. `firstPrompt`:
    // the index of prompts[0] in the whole step (data-parallel ranks take consecutive slices), which
    // decides each prompt's sampling seed, so the rollouts do not depend on how the step is split.
    std::vector<GrpoRollout> rollout(const std::vector<GrpoPrompt>& prompts, std::size_t firstPrompt = 0);
    // μ optimizer steps on these rollouts; advances the step counter.
    GrpoStepStats update(const std::vector<GrpoPrompt>& prompts, const std::vector<GrpoRollout>& rollouts);
    // rollout() then update(); the rollouts are handed out when asked for.
    GrpoStepStats step(const std::vector<GrpoPrompt>& prompts, std::vector<GrpoRollout>* rollouts = nullptr,
                       std::size_t firstPrompt = 0);

    std::int64_t stepsDone() const { return m_step; }
    model::CausalLMImpl& model() { return *m_policy; }
    const RewardSet& rewards() const { return m_rewards; }

    void saveOptimizer(const std::filesystem::path& file) const { m_optimizer.save(file); }
    void restore(std::int64_t stepsDone, const std::filesystem::path& optimizerFile);

private:
    // The temperature the engine sampled at, whose tempered policy the log-probs are of (1 for greedy).
    double samplingTemperature() const { return m_options.sampling.temperature > 0.0 ? m_options.sampling.temperature : 1.0; }
    struct Batch;  // a micro-batch of completions with its old and reference log-probs
    std::vector<Batch> prepareBatches(const std::vector<GrpoPrompt>& prompts, const std::vector<GrpoRollout>& rollouts);
    // One optimizer update over the batches; fills the first update's entropy, policy loss and KL.
    void updateOnce(const std::vector<Batch>& batches, double normaliser, bool first, GrpoStepStats& stats,
                    double& clipped, double& counted);

    model::CausalLM m_policy;
    std::optional<model::CausalLM> m_reference;
    RewardSet m_rewards;
    GrpoOptions m_options;
    Detokenizer m_detokenize;
    Optimizer m_optimizer;
    DataParallel* m_parallel = nullptr;
    std::int64_t m_step = 0;
    double m_rolloutSeconds = 0.0;  // of the latest rollout()
};

// The rollout half of a step's metrics: rewards per term and in total, groups without signal, lengths;
// over the rollouts of every rank when `parallel` is given.
GrpoStepStats rolloutStatistics(const std::vector<GrpoRollout>& rollouts, std::size_t rewardTerms,
                                std::int64_t groupSize, DataParallel* parallel = nullptr);

}  // namespace distill::train
