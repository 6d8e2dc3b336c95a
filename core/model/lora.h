// LoRA (low-rank adaptation as PEFT implements it) of the decoder layers' projections: the options,
// and the merged weights W + (alpha / r) B A that model folders of an adapted model are written with.
// Adapters are attached by CausalLMImpl::addLora; checkpoint.h reads and writes PEFT's adapter folder.
#pragma once

#include <ATen/core/Tensor.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace distill::model {

class CausalLMImpl;

// Every projection LoRA can adapt, PEFT's "all-linear" for these models (lm_head excluded):
// q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj.
const std::vector<std::string>& loraTargetNames();

// The fields of PEFT's LoraConfig that apply here (no dropout: the adapted layers stay deterministic).
struct LoraOptions {
    std::int64_t rank = 16;   // r
    double alpha = 32.0;      // lora_alpha: the update B A is scaled by alpha / r
    std::vector<std::string> targets = loraTargetNames();  // target_modules, adapted in every layer
    std::string baseModel;    // base_model_name_or_path: the weights the adapters apply to
    double scaling() const { return alpha / double(rank); }
};

// InvalidArgument for a rank below 1, an alpha not above 0, no targets, or a target that is not in
// loraTargetNames() (named, with the valid names as the hint).
void checkLoraOptions(const LoraOptions& options);

// Whether a parameter name is an adapter's (`<projection>.lora_A.weight`, `<projection>.lora_B.weight`).
bool isLoraParameter(const std::string& name);

// Calls `visit(name, tensor)` for each tensor of an HF folder of `model`, in parameter order: every
// parameter under its HF name, adapters left out, each adapted projection's weight merged as
// W + (alpha / r) B A (one at a time, computed here; the model is unchanged). Without adapters, the
// parameters themselves (detached).
void forEachMergedParameter(CausalLMImpl& model,
                            const std::function<void(const std::string& name, const at::Tensor& tensor)>& visit);

}  // namespace distill::model
