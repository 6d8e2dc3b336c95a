// Optimizer: the one optimizer of SFT and GRPO. AdamW with PyTorch's semantics over the trainable
// parameters, in two groups (weight decay on tensors of 2 or more dimensions only), the learning rate
// of each step from a schedule, global grad-norm clipping, and its state saved to and restored from
// a checkpoint file.
#pragma once

#include "core/train/lr_schedule.h"

#include <ATen/core/Tensor.h>
#include <c10/core/Device.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

namespace torch::optim {
class AdamW;
}

namespace distill::train {

struct OptimizerOptions {
    LrSchedule schedule;
    double beta1 = 0.9;
    double beta2 = 0.95;
    double eps = 1e-8;
    double weightDecay = 0.1;  // on parameters of 2 or more dimensions only
    double maxGradNorm = 1.0;  // <= 0: no clipping (the norm is still reported)
};

class Optimizer {
public:
    // `parameters`: every parameter of the model; those that do not require grad are left out.
    Optimizer(const std::vector<at::Tensor>& parameters, const OptimizerOptions& options);
    ~Optimizer();
    Optimizer(const Optimizer&) = delete;
    Optimizer& operator=(const Optimizer&) = delete;

    // Sets the learning rate of optimizer step `step` (0-based) from the schedule and returns it.
    double setStep(std::int64_t step);
    // Clips the accumulated gradients to the global norm maxGradNorm, takes the AdamW step and zeroes
    // the gradients. Returns the norm before clipping.
    double clipAndStep();

    // The trainable parameters, in the model's order.
    const std::vector<at::Tensor>& parameters() const { return m_parameters; }
    const OptimizerOptions& options() const { return m_options; }

    // The moments and step counts to/from a file (tensors restored onto `device`).
    void save(const std::filesystem::path& file) const;
    void load(const std::filesystem::path& file, c10::Device device);

private:
    OptimizerOptions m_options;
    std::vector<at::Tensor> m_parameters;
    std::unique_ptr<torch::optim::AdamW> m_adamw;
};

}  // namespace distill::train
