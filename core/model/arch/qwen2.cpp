// Qwen2 / Qwen2.5: bias on q_proj, k_proj and v_proj (not on o_proj), no qk-norm.
#include "core/model/arch.h"
#include "core/model/model_config.h"

namespace distill::model {

void configureQwen2(const nlohmann::json&, ModelConfig& out)
{
    out.qkvBias = true;
    out.outputBias = false;
    out.mlpBias = false;
    out.qkNorm = false;
}

void writeQwen2(const ModelConfig&, nlohmann::json& cfg)
{
    cfg["use_sliding_window"] = false;
}

}  // namespace distill::model
