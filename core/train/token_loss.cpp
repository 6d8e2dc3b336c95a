#include "core/train/token_loss.h"

#include "core/util/error.h"

#include <torch/torch.h>

#include <algorithm>

namespace distill::train {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// Forward computes the summed loss and, chunk by chunk, the gradients with respect to hidden and
// weight (not for a frozen weight, as under LoRA); backward only scales them by the incoming gradient.
// The teacher is (hidden [N, Ht], lm_head weight [V, Ht]) on the fly, or with `topK` its cached
// (token ids [N, k], log-probs at T = 1 [N, k]).
struct ChunkedTokenLoss : public torch::autograd::Function<ChunkedTokenLoss> {
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& hidden, const at::Tensor& weight,
                              const at::Tensor& targets, const at::Tensor& teacherA, const at::Tensor& teacherB,
                              bool topK, std::int64_t chunkTokens, double alpha, double temperature)
    {
        const bool distil = teacherA.numel() > 0;  // an empty tensor stands for no teacher
        const double ceWeight = distil ? alpha : 1.0;
        const double kdWeight = distil ? 1.0 - alpha : 0.0;
        const auto N = hidden.size(0);
        auto gradHidden = torch::zeros(hidden.sizes(), hidden.options().dtype(torch::kFloat));  // [N, H]
        auto gradWeight = weight.requires_grad() ? torch::zeros(weight.sizes(), weight.options().dtype(torch::kFloat))
                                                 : at::Tensor();  // [V, H]
        const auto weightF = weight.to(torch::kFloat);
        auto total = torch::zeros({}, hidden.options().dtype(torch::kFloat));
        for (std::int64_t begin = 0; begin < N; begin += chunkTokens) {
            const auto n = std::min(chunkTokens, N - begin);
            const auto h = hidden.narrow(0, begin, n).to(torch::kFloat);   // [n, H]
            const auto t = targets.narrow(0, begin, n).unsqueeze(1);       // [n, 1]
            const auto logits = h.matmul(weightF.t());                     // [n, V]
            const auto logProbs = torch::log_softmax(logits, -1);          // [n, V]
            total += -ceWeight * logProbs.gather(1, t).sum();
            auto gradLogits = (logProbs.exp() * ceWeight).scatter_add_(
                1, t, torch::full({n, 1}, -ceWeight, logits.options()));  // [n, V]
            if (distil && kdWeight != 0.0) {
                // The teacher's support in this chunk: all V tokens, or the k cached ones (ids [n, k]).
                const auto ids = topK ? teacherA.narrow(0, begin, n) : at::Tensor();
                const auto teacherLogits = topK ? teacherB.narrow(0, begin, n).to(torch::kFloat)  // [n, k]
                                                : teacherA.narrow(0, begin, n).to(torch::kFloat)
                                                      .matmul(teacherB.to(torch::kFloat).t());  // [n, V]
                const auto teacherLog = torch::log_softmax(teacherLogits / temperature, -1);  // renormalised over the support
                const auto studentLog = torch::log_softmax(logits / temperature, -1);          // [n, V]
                const auto teacherP = teacherLog.exp();
                const double scale = kdWeight * temperature * temperature;
                total += scale * (teacherP * (teacherLog - (topK ? studentLog.gather(1, ids) : studentLog))).sum();
                // d/dz of T^2 * KL(p_t || softmax(z/T)) = T * (softmax(z/T) - p_t), p_t summing to 1
                // over its support (zero elsewhere)
                gradLogits += (kdWeight * temperature) * studentLog.exp();
                if (topK)
                    gradLogits.scatter_add_(1, ids, -(kdWeight * temperature) * teacherP);
                else
                    gradLogits -= (kdWeight * temperature) * teacherP;
            }
            gradHidden.narrow(0, begin, n).copy_(gradLogits.matmul(weightF));  // [n, H]
            if (gradWeight.defined())
                gradWeight.addmm_(gradLogits.t(), h);  // [V, H]
        }
        ctx->save_for_backward({gradHidden.to(hidden.scalar_type()),
                                gradWeight.defined() ? gradWeight.to(weight.scalar_type()) : gradWeight});
        return total;
    }

    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs)
    {
        const auto saved = ctx->get_saved_variables();
        const auto& g = gradOutputs[0];
        return {saved[0] * g, saved[1].defined() ? saved[1] * g : at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(), at::Tensor(),
                at::Tensor(), at::Tensor()};
    }
};

}  // namespace

at::Tensor tokenLossSum(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                        const TokenLossOptions& options, const at::Tensor& teacherHidden,
                        const at::Tensor& teacherWeight)
{
    // autograd::Function needs defined tensors: an empty one stands for "no teacher".
    const auto none = torch::empty({0}, hidden.options());
    return ChunkedTokenLoss::apply(hidden, weight, targets, teacherHidden.defined() ? teacherHidden : none,
                                   teacherWeight.defined() ? teacherWeight : none, false,
                                   std::max<std::int64_t>(1, options.chunkTokens), options.alpha,
                                   options.temperature);
}

at::Tensor tokenLossSumTopK(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                            const TokenLossOptions& options, const at::Tensor& teacherIds,
                            const at::Tensor& teacherLogProbs)
{
    return ChunkedTokenLoss::apply(hidden, weight, targets, teacherIds.to(hidden.device(), torch::kLong),
                                   teacherLogProbs.to(hidden.device()), true,
                                   std::max<std::int64_t>(1, options.chunkTokens), options.alpha,
                                   options.temperature);
}

void checkTeacherVocabulary(std::int64_t teacherVocab, std::int64_t studentVocab)
{
    if (teacherVocab != studentVocab)
        throw Error(ErrorCode::InvalidArgument,
                    "teacher vocabulary (" + std::to_string(teacherVocab) + ") differs from the student's ("
                        + std::to_string(studentVocab) + ")",
                    "logit distillation needs a teacher sharing the student's tokenizer");
}

}  // namespace distill::train
