// Vectorised token sampling over a batch of rows, each with its own parameters and random stream:
// repetition penalty, temperature (0 = greedy), top-k, top-p, min-p, then one inverse-CDF draw.
#pragma once

#include "core/infer/sampling_params.h"

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <random>
#include <vector>

namespace distill::infer {

// A sequence's own random stream, so its samples do not depend on what else is in the batch.
class SequenceRng {
public:
    SequenceRng(std::uint64_t seed, std::uint64_t stream);
    double uniform();  // in [0, 1)

private:
    std::mt19937_64 m_engine;
};

struct SampleRow {
    const SamplingParams* params = nullptr;
    const std::vector<std::int64_t>* seen = nullptr;  // tokens the repetition penalty applies to
    SequenceRng* rng = nullptr;                       // unused for greedy rows
};

// Probabilities [A, V] (float32) each row samples from after all filters; greedy rows are one-hot.
at::Tensor samplingDistribution(const at::Tensor& logits, const std::vector<SampleRow>& rows);
// One token per row of logits [A, V].
std::vector<std::int64_t> sampleTokens(const at::Tensor& logits, const std::vector<SampleRow>& rows);

}  // namespace distill::infer
