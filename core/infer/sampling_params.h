// What a caller asks of generation: sampling knobs, stop conditions, budget forcing, and what comes
// back per completion. Plain structs without torch, for the CLI, jobs and widgets.
#pragma once

#include "core/infer/budget_forcing.h"

#include <cstdint>
#include <string>
#include <vector>

namespace distill::infer {

struct SamplingParams {
    double temperature = 1.0;  // 0 = greedy (argmax)
    double topP = 1.0;         // nucleus: keep the smallest prefix of mass >= topP
    std::int64_t topK = 0;     // 0 = off
    double minP = 0.0;         // drop tokens with p < minP * p_max
    double repetitionPenalty = 1.0;  // HF/CTRL style, on prompt and generated tokens
    std::uint64_t seed = 0;    // sample j of a request draws from stream (seed, j)
};

struct GenerationRequest {
    std::vector<std::int64_t> prompt;
    SamplingParams sampling;
    int n = 1;  // samples sharing the prompt's prefill
    std::int64_t maxNewTokens = 256;
    std::vector<std::int64_t> stopTokenIds;  // finish after emitting one of these
    std::vector<std::string> stopStrings;    // needs EngineOptions::detokenize
    BudgetForcing budget;
};

enum class FinishReason { Stop, Length };

struct Completion {
    std::size_t request = 0;
    int sample = 0;
    std::vector<std::int64_t> ids;  // generated tokens (forced ones included)
    std::string text;               // when a detokenizer is set; cut before a matched stop string
    FinishReason finish = FinishReason::Length;
    std::int64_t thinkingTokens = 0;
    int waits = 0;                   // times an early end of thinking was replaced by "Wait"
    double firstTokenSeconds = 0.0;  // from the start of generate() to this sample's first token
};

}  // namespace distill::infer
