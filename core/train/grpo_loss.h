// The GRPO objective: group-normalised advantages, per-token log-probabilities of completions, the
// clipped policy-ratio loss with ε / ε_high, the k3 KL estimator to a reference model, and token- or
// sequence-level aggregation (DeepSeekMath, DAPO, Dr. GRPO).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <string_view>

namespace distill::model {
class CausalLMImpl;
}

namespace distill::train {

// Advantages of rewards [P*G] laid out group by group (G samples per prompt): r - mean of the group,
// divided by (unbiased std of the group + eps) when scaleByStd (GRPO), not divided (Dr. GRPO).
at::Tensor groupAdvantages(const at::Tensor& rewards, std::int64_t groupSize, bool scaleByStd, double eps = 1e-4);

// The k3 estimator of KL(policy || reference) per token: exp(ref - logp) - (ref - logp) - 1 (>= 0).
at::Tensor k3Divergence(const at::Tensor& logp, const at::Tensor& refLogp);

struct TokenLogProbs {
    at::Tensor logp;     // [N, L-1]: log p(ids[:, t+1] | ids[:, <= t])
    at::Tensor entropy;  // [N, L-1]: entropy of the next-token distribution (no gradient)
};
// Log-probabilities of each next token of right-padded `ids` [N, L] (`attentionMask` [N, L], 1 for
// tokens) under the policy the engine sampled from: logits divided by `temperature` (> 0), so that
// rollouts drawn at a temperature other than 1 are on-policy. Differentiable when grad mode is on.
TokenLogProbs tokenLogProbs(model::CausalLMImpl& model, const at::Tensor& ids, const at::Tensor& attentionMask,
                            double temperature = 1.0);

// Token: every completion token weighs the same (sum over tokens / all tokens of the batch, DAPO).
// Sequence: each completion's mean over its tokens, averaged over completions (GRPO).
enum class LossAggregation { Token, Sequence };
std::string_view lossAggregationName(LossAggregation aggregation);  // "token", "sequence"
LossAggregation parseLossAggregation(std::string_view text);        // InvalidArgument on other text

struct GrpoLossOptions {
    double epsilonLow = 0.2;   // ratio clipped below at 1 - epsilonLow
    double epsilonHigh = 0.2;  // ... and above at 1 + epsilonHigh (DAPO's clip-higher when larger)
    double beta = 0.0;         // weight of the k3 KL to the reference; 0: no reference needed
    LossAggregation aggregation = LossAggregation::Token;
};

// The loss of a (micro-)batch of completions and sums for the step's metrics.
struct GrpoLossParts {
    at::Tensor loss;              // scalar, differentiable: sum of aggregated terms / normaliser
    double policyLossSum = 0.0;   // sum over masked tokens of -min(r A, clip(r) A)
    double klSum = 0.0;           // sum over masked tokens of k3 (0 when beta == 0)
    std::int64_t clippedTokens = 0;  // tokens whose clipped term is the active one (zero gradient)
    std::int64_t tokens = 0;      // masked tokens
};

// Per token: l = -min(r A, clip(r, 1 - εl, 1 + εh) A) + β k3, r = exp(logp - oldLogp).
// `logp`, `oldLogp`, `refLogp` (undefined when beta == 0), `mask` [N, T]; `advantages` [N].
// Token aggregation: loss = Σ mask·l / normaliser (normaliser = masked tokens of the whole step);
// sequence aggregation: loss = Σ_i (Σ_t mask·l / Σ_t mask) / normaliser (normaliser = completions).
GrpoLossParts grpoLoss(const at::Tensor& logp, const at::Tensor& oldLogp, const at::Tensor& refLogp,
                       const at::Tensor& advantages, const at::Tensor& mask, const GrpoLossOptions& options,
                       double normaliser);

}  // namespace distill::train
