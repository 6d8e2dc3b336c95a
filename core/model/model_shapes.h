// The published shapes of the students Distillery is built for — Qwen2.5-0.5B, Qwen2.5-1.5B,
// Qwen3-0.6B, Llama-3.2-1B — as their config.json files give them, and random-initialised Hugging
// Face folders of those shapes (no download): the real-scale path tested without real weights.
#pragma once

#include "core/model/causal_lm.h"

#include <c10/core/ScalarType.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

namespace distill::model {

struct ModelShape {
    std::string name;          // "Qwen2.5-0.5B"
    nlohmann::json config;     // the published config.json's keys
};

const std::vector<ModelShape>& modelShapes();
// NotFound listing the known names.
const ModelShape& modelShape(std::string_view name);

// transformers' _init_weights: normal(0, initializer_range) for matrices and embeddings, zero biases,
// unit norm weights, drawn from torch's global generator.
void initializeWeights(CausalLMImpl& model);

struct InitOptions {
    c10::ScalarType dtype = c10::kBFloat16;          // stored weights
    std::uint64_t seed = 0;
    std::uint64_t maxShardBytes = 1'000'000'000ULL;  // shards of at most this many bytes, with an index
    std::filesystem::path tokenizerFolder;           // tokenizer.json (+ tokenizer_config.json) copied in
};

// Writes `out` as transformers would save the shape with random weights: config.json, sharded
// safetensors with model.safetensors.index.json, generation_config.json and the tokenizer files.
// InvalidArgument when the tokenizer has more ids than the shape's vocabulary. Returns the config.
ModelConfig initModelFolder(const ModelShape& shape, const std::filesystem::path& out, const InitOptions& options);

}  // namespace distill::model
