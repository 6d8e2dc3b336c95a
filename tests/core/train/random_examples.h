// Random tokenized examples for the SFT tests: each a run of random ids with its last two thirds
// trained.
#pragma once

#include "core/train/sft_data.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace distill::test {

inline std::vector<train::TokenizedExample> randomExamples(const std::vector<int>& lengths, std::int64_t vocab,
                                                           std::uint64_t seed)
{
    torch::manual_seed(seed);
    std::vector<train::TokenizedExample> out;
    for (const int n : lengths) {
        train::TokenizedExample ex;
        const auto ids = torch::randint(3, vocab, {n}, torch::kLong);
        for (int t = 0; t < n; ++t) {
            ex.ids.push_back(ids[t].item<std::int64_t>());
            ex.trained.push_back(t >= n / 3 ? 1 : 0);
        }
        out.push_back(ex);
    }
    return out;
}

}  // namespace distill::test
