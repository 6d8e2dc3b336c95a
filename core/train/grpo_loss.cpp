#include "core/train/grpo_loss.h"

#include "core/model/causal_lm.h"
#include "core/util/error.h"

#include <torch/torch.h>

namespace distill::train {

at::Tensor groupAdvantages(const at::Tensor& rewards, std::int64_t groupSize, bool scaleByStd, double eps)
{
    if (groupSize < 1 || rewards.numel() % groupSize != 0)
        throw Error(ErrorCode::InvalidArgument, "rewards do not split into groups of " + std::to_string(groupSize));
    const auto grouped = rewards.to(torch::kDouble).reshape({-1, groupSize});  // [P, G]
    auto centred = grouped - grouped.mean(1, true);
    if (scaleByStd && groupSize > 1)
        centred = centred / (grouped.std(1, /*unbiased=*/true, /*keepdim=*/true) + eps);
    return centred.reshape({-1}).to(torch::kFloat);
}

at::Tensor k3Divergence(const at::Tensor& logp, const at::Tensor& refLogp)
{
    const auto delta = refLogp - logp;
    return torch::exp(delta) - delta - 1.0;
}

TokenLogProbs tokenLogProbs(model::CausalLMImpl& model, const at::Tensor& ids, const at::Tensor& attentionMask,
                            double temperature)
{
    if (!(temperature > 0.0))
        throw Error(ErrorCode::InvalidArgument, "log-probabilities need a temperature > 0");
    const auto device = model.device();
    const auto L = ids.size(1);
    auto logits = model.forward(ids.to(device), attentionMask.to(device)).narrow(1, 0, L - 1).to(torch::kFloat);
    if (temperature != 1.0)
        logits = logits / temperature;
    const auto logSoftmax = torch::log_softmax(logits, -1);                                   // [N, L-1, V]
    const auto next = ids.to(device).narrow(1, 1, L - 1).unsqueeze(-1);                       // [N, L-1, 1]
    TokenLogProbs out;
    out.logp = logSoftmax.gather(-1, next).squeeze(-1);                                       // [N, L-1]
    {
        const torch::NoGradGuard noGrad;
        out.entropy = -(logSoftmax.exp() * logSoftmax).sum(-1);                              // [N, L-1]
    }
    return out;
}

std::string_view lossAggregationName(LossAggregation aggregation)
{
    return aggregation == LossAggregation::Token ? "token" : "sequence";
}

LossAggregation parseLossAggregation(std::string_view text)
{
    if (text == "token")
        return LossAggregation::Token;
    if (text == "sequence")
        return LossAggregation::Sequence;
    throw Error(ErrorCode::InvalidArgument, "unknown loss aggregation '" + std::string(text) + "'",
                "use token or sequence");
}

GrpoLossParts grpoLoss(const at::Tensor& logp, const at::Tensor& oldLogp, const at::Tensor& refLogp,
                       const at::Tensor& advantages, const at::Tensor& mask, const GrpoLossOptions& options,
                       double normaliser)
{
    const auto m = mask.to(logp.device(), torch::kFloat);                       // [N, T]
    const auto adv = advantages.to(logp.device(), torch::kFloat).unsqueeze(1);  // [N, 1]
    const auto ratio = torch::exp(logp - oldLogp.to(logp.device()));
    const auto unclipped = ratio * adv;
    const auto clipped = torch::clamp(ratio, 1.0 - options.epsilonLow, 1.0 + options.epsilonHigh) * adv;
    const auto policy = -torch::min(unclipped, clipped);  // [N, T]
    auto perToken = policy;
    at::Tensor kl;
    if (options.beta != 0.0) {
        kl = k3Divergence(logp, refLogp.to(logp.device()));
        perToken = perToken + options.beta * kl;
    }
    at::Tensor total;
    if (options.aggregation == LossAggregation::Token) {
        total = (perToken * m).sum();
    } else {
        const auto lengths = m.sum(1).clamp_min(1.0);  // [N]
        total = ((perToken * m).sum(1) / lengths).sum();
    }
    GrpoLossParts parts;
    parts.loss = total / normaliser;
    const torch::NoGradGuard noGrad;
    parts.policyLossSum = (policy * m).sum().item<double>();
    parts.klSum = kl.defined() ? (kl * m).sum().item<double>() : 0.0;
    // The clipped term is active (min picks it and it differs) where r < 1 - εl with A < 0, or r > 1 + εh with A > 0.
    const auto active = ((ratio < 1.0 - options.epsilonLow) & (adv < 0)) | ((ratio > 1.0 + options.epsilonHigh) & (adv > 0));
    parts.clippedTokens = std::int64_t((active.to(torch::kFloat) * m).sum().item<double>() + 0.5);
    parts.tokens = std::int64_t(m.sum().item<double>() + 0.5);
    return parts;
}

}  // namespace distill::train
