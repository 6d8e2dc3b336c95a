// ModelConfig: the hyper-parameters of a decoder checkpoint, read from a Hugging Face config.json
// (transformers 4 keys `rope_theta`/`rope_scaling`/`torch_dtype` or transformers 5
// `rope_parameters`/`dtype`) and written back in the transformers 5 layout.
#pragma once

#include "core/model/arch.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::model {

// Rotary embedding parameters; `ropeType` is "default", "linear" or "llama3".
struct RopeParameters {
    std::string ropeType = "default";
    double theta = 10000.0;
    double factor = 1.0;
    double lowFreqFactor = 1.0;
    double highFreqFactor = 4.0;
    std::int64_t originalMaxPositionEmbeddings = 8192;
};

// The largest dimensions config.json may give, far beyond any published checkpoint; a larger one
// is a Parse error naming the key (the vocabulary's limit is tokenizer::kMaxVocabSize).
constexpr std::int64_t kMaxHiddenSize = 65536;
constexpr std::int64_t kMaxIntermediateSize = 1 << 20;
constexpr std::int64_t kMaxLayers = 1024;
constexpr std::int64_t kMaxHeads = 1024;  // attention and key-value heads
constexpr std::int64_t kMaxHeadDim = 1024;
constexpr std::int64_t kMaxPositions = 1 << 24;  // max_position_embeddings
constexpr std::int64_t kMaxParameters = std::int64_t(1) << 40;

struct ModelConfig {
    Arch arch = Arch::Qwen2;
    std::int64_t vocabSize = 0;
    std::int64_t hiddenSize = 0;
    std::int64_t intermediateSize = 0;
    std::int64_t numLayers = 0;
    std::int64_t numHeads = 0;
    std::int64_t numKvHeads = 0;
    std::int64_t headDim = 0;  // hidden/heads unless the config names it (Qwen3, Llama)
    std::int64_t maxPositionEmbeddings = 0;
    double rmsNormEps = 1e-6;
    RopeParameters rope;
    bool tieWordEmbeddings = false;
    // Layer switches set by the architecture hook.
    bool qkvBias = false;     // bias on q_proj/k_proj/v_proj
    bool outputBias = false;  // bias on o_proj
    bool mlpBias = false;     // bias on gate/up/down_proj
    bool qkNorm = false;      // per-head RMSNorm on q and k (Qwen3)
    std::string dtype = "float32";  // stored weight dtype ("float32", "bfloat16", "float16")
    std::vector<std::int64_t> eosTokenIds;
    std::optional<std::int64_t> bosTokenId;
    nlohmann::json raw;  // the file as read; unknown keys are written back unchanged

    // Throws distill::Error (Parse, Unsupported) naming the key at fault.
    static ModelConfig fromJson(const nlohmann::json& cfg);
    // As fromJson, from the file's text (nesting checked first); errors start with `fileName`.
    static ModelConfig fromJsonText(std::string_view text, const std::string& fileName);
    static ModelConfig fromFile(const std::filesystem::path& configJson);
    nlohmann::json toJson() const;
    std::int64_t parameterCount() const;
};

}  // namespace distill::model
