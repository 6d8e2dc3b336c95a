// The training loss over selected tokens without materialising full float32 logits for the batch:
// hidden states go through lm_head one chunk of tokens at a time, and each chunk's gradient is
// formed at once (cross-entropy, optionally mixed with a teacher's temperature-softened KL, from the
// teacher's full logits or from its cached top-k).
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>

namespace distill::train {

struct TokenLossOptions {
    std::int64_t chunkTokens = 1024;  // tokens per lm_head chunk
    // Logit distillation: loss = alpha * CE(labels) + (1 - alpha) * T^2 * KL(teacher_T || student_T).
    // Without teacher inputs alpha is ignored and the loss is plain CE.
    double alpha = 1.0;
    double temperature = 1.0;
};

// Summed (not averaged) loss over tokens. `hidden` [N, H] (any float dtype), `weight` [V, H] the
// lm_head (or tied embedding) matrix, `targets` [N] int64 in [0, V). Differentiable with respect to
// hidden and weight. Teacher logits for the same N tokens come from
// `teacherHidden` [N, Ht] and `teacherWeight` [V, Ht] (no gradient), chunk by chunk as well.
at::Tensor tokenLossSum(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                        const TokenLossOptions& options, const at::Tensor& teacherHidden = {},
                        const at::Tensor& teacherWeight = {});

// The same loss against a cached sparse teacher: `teacherIds` [N, k] (integer), the teacher's top-k
// tokens of each target, and `teacherLogProbs` [N, k] their log-probs at temperature 1. The teacher's
// distribution at T is the softmax of teacherLogProbs / T over those k tokens (renormalised: the mass
// outside the top-k is dropped) and the KL is summed over them, against the student's full softmax at T.
at::Tensor tokenLossSumTopK(const at::Tensor& hidden, const at::Tensor& weight, const at::Tensor& targets,
                            const TokenLossOptions& options, const at::Tensor& teacherIds,
                            const at::Tensor& teacherLogProbs);

// InvalidArgument unless the teacher's vocabulary size equals the student's.
void checkTeacherVocabulary(std::int64_t teacherVocab, std::int64_t studentVocab);

}  // namespace distill::train
