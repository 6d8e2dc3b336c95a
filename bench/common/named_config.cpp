#include "bench/common/model_shapes.h"

#include "core/util/error.h"

#include <cstdio>
#include <filesystem>

namespace distill::bench {

std::string namedConfigList()
{
    return "qwen2.5-0.5b, qwen2.5-1.5b, tiny-10m, toy, or a path to a config.json";
}

model::ModelConfig namedConfig(const std::string& nameOrPath)
{
    if (nameOrPath == "toy")
        return model::ModelConfig::fromFile(std::filesystem::path(DISTILLERY_SOURCE_DIR) / "resources/toy/student_config.json");
    // Shapes of public checkpoints (config.json of the hub repositories) and a ~10M-parameter model.
    nlohmann::json c = {{"model_type", "qwen2"}, {"hidden_act", "silu"}, {"rms_norm_eps", 1e-6},
                        {"max_position_embeddings", 32768}, {"rope_theta", 1000000.0}};
    if (nameOrPath == "qwen2.5-0.5b") {
        c.update({{"vocab_size", 151936}, {"hidden_size", 896}, {"intermediate_size", 4864}, {"num_hidden_layers", 24},
                  {"num_attention_heads", 14}, {"num_key_value_heads", 2}, {"tie_word_embeddings", true}});
    } else if (nameOrPath == "qwen2.5-1.5b") {
        c.update({{"vocab_size", 151936}, {"hidden_size", 1536}, {"intermediate_size", 8960}, {"num_hidden_layers", 28},
                  {"num_attention_heads", 12}, {"num_key_value_heads", 2}, {"tie_word_embeddings", true}});
    } else if (nameOrPath == "tiny-10m") {
        c.update({{"vocab_size", 8192}, {"hidden_size", 256}, {"intermediate_size", 768}, {"num_hidden_layers", 8},
                  {"num_attention_heads", 4}, {"num_key_value_heads", 2}, {"tie_word_embeddings", false}});
    } else if (nameOrPath.ends_with(".json") && std::filesystem::is_regular_file(nameOrPath)) {
        return model::ModelConfig::fromFile(nameOrPath);
    } else {
        throw Error(ErrorCode::InvalidArgument, "unknown model shape " + nameOrPath, namedConfigList());
    }
    return model::ModelConfig::fromJson(c);
}

std::string parameterLabel(std::int64_t parameters)
{
    char text[32];
    if (parameters >= 1000000000)
        std::snprintf(text, sizeof text, "%.3gB", double(parameters) / 1e9);
    else
        std::snprintf(text, sizeof text, "%.3gM", double(parameters) / 1e6);
    return text;
}

}  // namespace distill::bench
