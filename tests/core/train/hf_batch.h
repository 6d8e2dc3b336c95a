// A batch in Hugging Face's convention (labels aligned with the inputs, -100 where not trained) as a
// TrainBatch of next-token targets: how the golden SFT curve's batches are fed to the trainer.
#pragma once

#include "core/train/sft_data.h"

#include <torch/torch.h>

namespace distill::test {

inline train::TrainBatch hfBatch(const at::Tensor& inputIds, const at::Tensor& labels)
{
    const auto B = inputIds.size(0), T = inputIds.size(1);
    train::TrainBatch batch;
    batch.inputIds = inputIds.to(torch::kLong);
    batch.targets = torch::cat({labels.narrow(1, 1, T - 1), torch::full({B, 1}, -100, torch::kLong)}, 1).to(torch::kLong);
    batch.positions = torch::arange(T, torch::kLong).unsqueeze(0).expand({B, T}).contiguous();
    batch.sequenceIds = torch::zeros({B, T}, torch::kLong);
    batch.targetTokens = (batch.targets != -100).sum().item<std::int64_t>();
    batch.tokens = B * T;
    return batch;
}

}  // namespace distill::test
