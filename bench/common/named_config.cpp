#include "bench/common/named_config.h"

#include "core/model/model_shapes.h"
#include "core/util/error.h"

#include <cctype>
#include <cstdio>
#include <filesystem>

namespace distill::bench {

namespace {

std::string lower(std::string text)
{
    for (char& c : text)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    return text;
}

}  // namespace

std::string namedConfigList()
{
    std::string names;
    for (const auto& s : model::modelShapes())
        names += lower(s.name) + ", ";
    return names + "tiny-10m, toy, or a path to a config.json";
}

model::ModelConfig namedConfig(const std::string& nameOrPath)
{
    if (nameOrPath == "toy")
        return model::ModelConfig::fromFile(std::filesystem::path(DISTILLERY_SOURCE_DIR) / "resources/toy/student_config.json");
    for (const auto& s : model::modelShapes())  // the published shapes (core/model/model_shapes.h)
        if (lower(s.name) == lower(nameOrPath))
            return model::ModelConfig::fromJson(s.config);
    if (nameOrPath == "tiny-10m")  // a ~10M-parameter model
        return model::ModelConfig::fromJson({{"model_type", "qwen2"}, {"hidden_act", "silu"}, {"rms_norm_eps", 1e-6},
                                             {"max_position_embeddings", 32768}, {"rope_theta", 1000000.0},
                                             {"vocab_size", 8192}, {"hidden_size", 256}, {"intermediate_size", 768},
                                             {"num_hidden_layers", 8}, {"num_attention_heads", 4},
                                             {"num_key_value_heads", 2}, {"tie_word_embeddings", false}});
    if (nameOrPath.ends_with(".json") && std::filesystem::is_regular_file(nameOrPath))
        return model::ModelConfig::fromFile(nameOrPath);
    throw Error(ErrorCode::InvalidArgument, "unknown model shape " + nameOrPath, namedConfigList());
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
