#include "core/model/lora.h"

#include "core/model/causal_lm.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <map>

namespace distill::model {

const std::vector<std::string>& loraTargetNames()
{
    static const std::vector<std::string> names = {"q_proj", "k_proj", "v_proj", "o_proj",
                                                   "gate_proj", "up_proj", "down_proj"};
    return names;
}

void checkLoraOptions(const LoraOptions& options)
{
    if (options.rank < 1)
        throw Error(ErrorCode::InvalidArgument, "LoRA rank must be at least 1, not " + std::to_string(options.rank));
    if (!(options.alpha > 0.0))
        throw Error(ErrorCode::InvalidArgument, "LoRA alpha must be above 0");
    if (options.targets.empty())
        throw Error(ErrorCode::InvalidArgument, "LoRA needs at least one target projection");
    const auto& names = loraTargetNames();
    for (const auto& target : options.targets)
        if (std::find(names.begin(), names.end(), target) == names.end()) {
            std::string valid;
            for (const auto& name : names)
                valid += (valid.empty() ? "" : ", ") + name;
            throw Error(ErrorCode::InvalidArgument, "unknown LoRA target '" + target + "'", "targets are among " + valid);
        }
}

bool isLoraParameter(const std::string& name)
{
    return name.ends_with(".lora_A.weight") || name.ends_with(".lora_B.weight");
}

void forEachMergedParameter(CausalLMImpl& model,
                            const std::function<void(const std::string& name, const at::Tensor& tensor)>& visit)
{
    const torch::NoGradGuard noGrad;
    std::map<std::string, const ProjectionImpl*> adapted;  // "<projection>.weight" -> the projection
    for (const auto& item : model.named_modules())
        if (const auto* projection = item.value()->as<ProjectionImpl>(); projection && projection->hasAdapter())
            adapted[item.key() + ".weight"] = projection;
    for (const auto& item : model.named_parameters()) {
        if (isLoraParameter(item.key()))
            continue;
        const auto it = adapted.find(item.key());
        visit(item.key(), it == adapted.end() ? item.value().detach() : it->second->mergedWeight());
    }
}

}  // namespace distill::model
