// The generation engine: token ids in, token ids out. Continuous batching over a KV cache with
// preallocated slots (a finished sequence frees its slot for the next prompt), one forward for all
// active sequences per step, n samples sharing one prefill, stop ids/strings, budget forcing, streaming.
#pragma once

#include "core/infer/sampling_params.h"

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace distill::model {
class CausalLMImpl;
}

namespace distill::infer {

struct EngineOptions {
    std::int64_t maxBatch = 64;  // KV-cache slots = sequences decoded together
    // ids -> text; needed for stop strings and Completion::text.
    std::function<std::string(const std::vector<std::int64_t>&)> detokenize;
};

struct EngineStats {
    std::int64_t promptTokens = 0;
    std::int64_t generatedTokens = 0;
    std::int64_t decodeSteps = 0;
    double seconds = 0.0;
    double firstTokenSeconds = 0.0;  // earliest first token of any sequence
};

// Called for each token once it is final (a partial end-of-thinking marker is held back).
using TokenStreamFn = std::function<void(std::size_t request, int sample, std::int64_t token)>;

class Engine {
public:
    Engine(std::shared_ptr<model::CausalLMImpl> model, EngineOptions options = {});
    ~Engine();
    Engine(const Engine&) = delete;
    Engine& operator=(const Engine&) = delete;

    // Completions ordered by (request, sample). Throws distill::Error(InvalidArgument) for an empty
    // prompt, n < 1 or a token id outside the vocabulary.
    std::vector<Completion> generate(const std::vector<GenerationRequest>& requests, const TokenStreamFn& onToken = {});
    const EngineStats& lastStats() const;

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace distill::infer
