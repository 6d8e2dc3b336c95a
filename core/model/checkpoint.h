// Hugging Face model folders: load (config.json + model.safetensors or sharded with
// model.safetensors.index.json, memory-mapped, converted to the target dtype/device) and save
// (config, sharded safetensors with index when large, generation config, tokenizer files). A model
// with LoRA adapters is saved merged, with the adapter in PEFT's format in the `adapter/` subfolder.
#pragma once

#include "core/model/causal_lm.h"

#include <c10/core/Device.h>
#include <c10/core/ScalarType.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <vector>

namespace distill::model {

struct LoadOptions {
    c10::Device device = c10::Device(c10::kCPU);
    // Parameter dtype; default float32 on CPU, bfloat16 on CUDA.
    std::optional<c10::ScalarType> dtype;
};

struct LoadedModel {
    ModelConfig config;
    CausalLM model{nullptr};
};

// The dtype LoadOptions resolve to.
c10::ScalarType resolveDtype(const LoadOptions& options);

// Throws distill::Error: NotFound (folder, config, weights, a missing tensor with its expected
// shape), Parse (shape mismatch with both shapes, unexpected tensor), Io (truncated file),
// Unsupported (unknown model_type).
LoadedModel loadModel(const std::filesystem::path& folder, const LoadOptions& options = {});

// A model with freshly initialised (random) weights, for benchmarks and from-scratch runs.
CausalLM buildModel(const ModelConfig& config, const LoadOptions& options = {}, std::uint64_t seed = 0);

// Copies every parameter from the folder's safetensors into `model` (dtype/device converted).
// With LoRA adapters attached, the folder must be one saveModel wrote of this adapted model: the
// adapters are read from its `adapter/` subfolder, the base weights stay, and the merged weights must
// equal the folder's (InvalidArgument otherwise: the adapter was trained over another base model).
void loadWeights(CausalLMImpl& model, const std::filesystem::path& folder);

struct SaveOptions {
    std::optional<c10::ScalarType> dtype;           // stored dtype; default: the model's
    std::uint64_t maxShardBytes = 5'000'000'000ULL;  // above this, weights go to several shards + index
    // Folder whose tokenizer files (tokenizer.json, tokenizer_config.json, ...) and
    // generation_config.json are copied along; empty = none.
    std::filesystem::path copyFilesFrom;
};

// Writes an HF folder that transformers and vLLM load as a plain model. With LoRA adapters attached,
// its weights are the merged W + (alpha / r) B A (the model itself is unchanged) and the adapter is
// also written to `folder/adapter` (saveLoraAdapter, always in the adapters' own dtype).
void saveModel(CausalLMImpl& model, const std::filesystem::path& folder, const SaveOptions& options = {});

// The subfolder of a saved adapted model that holds its adapter.
inline constexpr const char* kLoraAdapterFolder = "adapter";
// Writes the model's LoRA adapters as a PEFT adapter folder: adapter_model.safetensors (keys
// `base_model.model.<HF name>.lora_A.weight`, `...lora_B.weight`) and adapter_config.json (r,
// lora_alpha, target_modules, base_model_name_or_path). InvalidArgument without adapters.
void saveLoraAdapter(CausalLMImpl& model, const std::filesystem::path& folder);
// Reads a PEFT adapter folder into the model's adapters, whose rank, alpha and targets it must have
// (else InvalidArgument); NotFound for a missing file or tensor, Parse for a shape or an extra tensor.
void loadLoraAdapter(CausalLMImpl& model, const std::filesystem::path& folder);

// The token ids that end a generation, as transformers' generate and vLLM use them: config.json's
// eos_token_id, the folder's generation_config.json eos_token_id (an empty folder: none) and the
// tokenizer's eos token, each once, sorted.
std::vector<std::int64_t> stopTokenIds(const ModelConfig& config, const std::filesystem::path& folder,
                                       std::optional<std::int64_t> tokenizerEos);

// The safetensors files holding a folder's weights, opening none of them: the shards that
// model.safetensors.index.json names (each once, sorted), else model.safetensors. Throws NotFound, Parse.
std::vector<std::filesystem::path> weightFiles(const std::filesystem::path& folder);

}  // namespace distill::model
