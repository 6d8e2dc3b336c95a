// Qwen3: per-head RMSNorm on queries and keys (q_norm, k_norm), optional attention bias,
// head_dim given explicitly (it may differ from hidden_size / num_attention_heads).
#include "core/model/arch.h"
#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

namespace distill::model {

void configureQwen3(const nlohmann::json& cfg, ModelConfig& out)
{
    const bool bias = cfg.value("attention_bias", false);
    out.qkvBias = bias;
    out.outputBias = bias;
    out.mlpBias = false;
    out.qkNorm = true;
}

void writeQwen3(const ModelConfig& config, nlohmann::json& cfg)
{
    cfg["attention_bias"] = config.qkvBias;
    cfg["use_sliding_window"] = false;
}

}  // namespace distill::model
