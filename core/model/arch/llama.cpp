// Llama 3: no biases unless attention_bias / mlp_bias say so; usually llama3 rope scaling
// (read by the common config code) and GQA.
#include "core/model/arch.h"
#include "core/model/model_config.h"

#include <nlohmann/json.hpp>

namespace distill::model {

void configureLlama(const nlohmann::json& cfg, ModelConfig& out)
{
    const bool bias = cfg.value("attention_bias", false);
    out.qkvBias = bias;
    out.outputBias = bias;
    out.mlpBias = cfg.value("mlp_bias", false);
    out.qkNorm = false;
}

void writeLlama(const ModelConfig& config, nlohmann::json& cfg)
{
    cfg["attention_bias"] = config.qkvBias;
    cfg["mlp_bias"] = config.mlpBias;
}

}  // namespace distill::model
