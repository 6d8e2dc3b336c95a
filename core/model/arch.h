// The supported decoder architectures: one Arch enum, one name table, one config hook per
// architecture (each lives in arch/<hf model_type>.cpp). Every switch over Arch covers all values.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <string_view>

namespace distill::model {

struct ModelConfig;

enum class Arch { Qwen2, Qwen3, Llama };

inline constexpr std::array<Arch, 3> kAllArchs = {Arch::Qwen2, Arch::Qwen3, Arch::Llama};

struct ArchInfo {
    std::string_view modelType;  // config.json "model_type"
    std::string_view className;  // config.json "architectures"[0]
    std::string_view ggufArch;   // llama.cpp's architecture name (general.architecture)
    // llama.cpp's llama architecture rotates interleaved pairs: q_proj/k_proj rows are permuted
    // from Hugging Face's half-split layout when exported to GGUF.
    bool ggufPermutesQk;
    // Reads the architecture's own keys of config.json (biases, qk-norm, head_dim) into `out`,
    // after the common keys are read; writes them back for saving with `write`.
    void (*configure)(const nlohmann::json& cfg, ModelConfig& out);
    void (*write)(const ModelConfig& config, nlohmann::json& cfg);
};

const ArchInfo& archInfo(Arch arch);
// Throws distill::Error(Unsupported) naming the model_type when it is not one of ours.
Arch archFromModelType(std::string_view modelType);

// Hooks defined in arch/<model_type>.cpp.
void configureQwen2(const nlohmann::json& cfg, ModelConfig& out);
void writeQwen2(const ModelConfig& config, nlohmann::json& cfg);
void configureQwen3(const nlohmann::json& cfg, ModelConfig& out);
void writeQwen3(const ModelConfig& config, nlohmann::json& cfg);
void configureLlama(const nlohmann::json& cfg, ModelConfig& out);
void writeLlama(const ModelConfig& config, nlohmann::json& cfg);

}  // namespace distill::model
