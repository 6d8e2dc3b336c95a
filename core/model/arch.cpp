#include "core/model/arch.h"

#include "core/model/model_config.h"
#include "core/util/error.h"

#include <string>

namespace distill::model {

const ArchInfo& archInfo(Arch arch)
{
    static const ArchInfo qwen2{"qwen2", "Qwen2ForCausalLM", "qwen2", false, &configureQwen2, &writeQwen2};
    static const ArchInfo qwen3{"qwen3", "Qwen3ForCausalLM", "qwen3", false, &configureQwen3, &writeQwen3};
    static const ArchInfo llama{"llama", "LlamaForCausalLM", "llama", true, &configureLlama, &writeLlama};
    switch (arch) {
    case Arch::Qwen2: return qwen2;
    case Arch::Qwen3: return qwen3;
    case Arch::Llama: return llama;
    }
    throw Error(ErrorCode::Internal, "unknown Arch value " + std::to_string(int(arch)));
}

Arch archFromModelType(std::string_view modelType)
{
    std::string known;
    for (Arch a : kAllArchs) {
        if (archInfo(a).modelType == modelType)
            return a;
        known += (known.empty() ? "" : ", ") + std::string(archInfo(a).modelType);
    }
    throw Error(ErrorCode::Unsupported, "unknown model_type '" + std::string(modelType) + "'",
                "supported model types: " + known);
}

}  // namespace distill::model
