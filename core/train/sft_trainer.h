// SftTrainer: one optimizer step at a time over micro-batches of packed rows: gradient accumulation
// normalised by the step's target tokens, chunked loss, optional logit distillation from a teacher,
// bf16 autocast on CUDA over float32 master weights, then the shared Optimizer's clip-and-step.
#pragma once

#include "core/model/causal_lm.h"
#include "core/train/lr_schedule.h"
#include "core/train/optimizer.h"
#include "core/train/sft_data.h"
#include "core/train/token_loss.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace distill::train {

class DataParallel;

// The optimizer's options (optimizer.h) and what the SFT step adds to them.
struct TrainerOptions : OptimizerOptions {
    TokenLossOptions loss;     // its temperature is replaced by `temperature` at each step
    TemperatureSchedule temperature;  // the distillation temperature of each step
    bool bf16 = false;         // autocast to bfloat16 on CUDA; parameters and optimizer stay float32
    bool gradientCheckpointing = false;  // recompute each decoder layer in backward (CausalLM flag)
};

struct StepStats {
    std::int64_t step = 0;         // the step just taken (0-based)
    double loss = 0.0;             // mean loss per target token over the step's micro-batches (of all ranks)
    double gradNorm = 0.0;         // before clipping
    double lr = 0.0;
    double temperature = 1.0;      // the distillation temperature of the step
    std::int64_t tokens = 0;       // real tokens processed (by all ranks)
    std::int64_t targetTokens = 0;
    double seconds = 0.0;
};

class SftTrainer {
public:
    SftTrainer(model::CausalLM model, TrainerOptions options);

    // Logit distillation from `teacher` (same vocabulary, else InvalidArgument); alpha comes from
    // options.loss, the temperature from options.temperature. Batches carrying a cached top-k teacher
    // (TrainBatch::teacherTopIds) distil from it instead, without a teacher model.
    void setTeacher(model::CausalLM teacher);
    // Makes the steps data-parallel over the ranks of `parallel`, each passing its own micro-batches
    // to step(): rank 0's parameters are copied to every rank now; a step divides by the target tokens
    // of all ranks and sums the gradients over the ranks before clipping, so every rank takes the
    // same optimizer step. A world of one process changes nothing.
    void setDataParallel(DataParallel& parallel);

    // One optimizer step: forward/backward of every micro-batch, clip, step, zero-grad.
    StepStats step(const std::vector<TrainBatch>& microBatches);
    // Summed loss of one micro-batch (differentiable); the loss of the packed rows' targets.
    at::Tensor lossSum(const TrainBatch& batch);
    // Mean cross-entropy per target token over the batches, without gradients.
    double evalLoss(const std::vector<TrainBatch>& batches);

    std::int64_t stepsDone() const { return m_step; }
    model::CausalLMImpl& model() { return *m_model; }

    // Optimizer state (moments, step counts) to a file; restore() reads it back and sets the step counter.
    void saveOptimizer(const std::filesystem::path& file) const { m_optimizer.save(file); }
    void restore(std::int64_t stepsDone, const std::filesystem::path& optimizerFile);

private:
    model::CausalLM m_model;
    std::optional<model::CausalLM> m_teacher;
    DataParallel* m_parallel = nullptr;
    TrainerOptions m_options;
    Optimizer m_optimizer;
    std::int64_t m_step = 0;
};

// The lm_head matrix [V, H] of a model (the input embedding when tied).
at::Tensor outputWeight(model::CausalLMImpl& model);
// The model's hidden states at the batch's target positions [N, H] (row-major order) and the targets [N].
std::pair<at::Tensor, at::Tensor> targetHidden(model::CausalLMImpl& model, const TrainBatch& batch);

}  // namespace distill::train
