#include "core/model/model_shapes.h"

#include "core/model/checkpoint.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <torch/torch.h>

namespace distill::model {

namespace fs = std::filesystem;
using nlohmann::json;

const std::vector<ModelShape>& modelShapes()
{
    // The keys of each model's config.json on the Hugging Face hub (base models).
    static const std::vector<ModelShape> shapes = {
        {"Qwen2.5-0.5B", json{{"architectures", {"Qwen2ForCausalLM"}}, {"model_type", "qwen2"},
                              {"vocab_size", 151936}, {"hidden_size", 896}, {"intermediate_size", 4864},
                              {"num_hidden_layers", 24}, {"num_attention_heads", 14}, {"num_key_value_heads", 2},
                              {"max_position_embeddings", 32768}, {"max_window_layers", 24}, {"rms_norm_eps", 1e-6},
                              {"rope_theta", 1000000.0}, {"sliding_window", 32768}, {"use_sliding_window", false},
                              {"tie_word_embeddings", true}, {"bos_token_id", 151643}, {"eos_token_id", 151643},
                              {"hidden_act", "silu"}, {"initializer_range", 0.02}, {"attention_dropout", 0.0},
                              {"torch_dtype", "bfloat16"}, {"use_cache", true}}},
        {"Qwen2.5-1.5B", json{{"architectures", {"Qwen2ForCausalLM"}}, {"model_type", "qwen2"},
                              {"vocab_size", 151936}, {"hidden_size", 1536}, {"intermediate_size", 8960},
                              {"num_hidden_layers", 28}, {"num_attention_heads", 12}, {"num_key_value_heads", 2},
                              {"max_position_embeddings", 131072}, {"max_window_layers", 28}, {"rms_norm_eps", 1e-6},
                              {"rope_theta", 1000000.0}, {"sliding_window", 131072}, {"use_sliding_window", false},
                              {"tie_word_embeddings", true}, {"bos_token_id", 151643}, {"eos_token_id", 151643},
                              {"hidden_act", "silu"}, {"initializer_range", 0.02}, {"attention_dropout", 0.0},
                              {"torch_dtype", "bfloat16"}, {"use_cache", true}}},
        {"Qwen3-0.6B", json{{"architectures", {"Qwen3ForCausalLM"}}, {"model_type", "qwen3"},
                            {"vocab_size", 151936}, {"hidden_size", 1024}, {"intermediate_size", 3072},
                            {"num_hidden_layers", 28}, {"num_attention_heads", 16}, {"num_key_value_heads", 8},
                            {"head_dim", 128}, {"max_position_embeddings", 40960}, {"max_window_layers", 28},
                            {"rms_norm_eps", 1e-6}, {"rope_theta", 1000000.0}, {"sliding_window", nullptr},
                            {"use_sliding_window", false}, {"tie_word_embeddings", true}, {"attention_bias", false},
                            {"bos_token_id", 151643}, {"eos_token_id", 151645}, {"hidden_act", "silu"},
                            {"initializer_range", 0.02}, {"attention_dropout", 0.0}, {"torch_dtype", "bfloat16"},
                            {"use_cache", true}}},
        {"Llama-3.2-1B", json{{"architectures", {"LlamaForCausalLM"}}, {"model_type", "llama"},
                              {"vocab_size", 128256}, {"hidden_size", 2048}, {"intermediate_size", 8192},
                              {"num_hidden_layers", 16}, {"num_attention_heads", 32}, {"num_key_value_heads", 8},
                              {"head_dim", 64}, {"max_position_embeddings", 131072}, {"rms_norm_eps", 1e-5},
                              {"rope_theta", 500000.0},
                              {"rope_scaling", {{"factor", 32.0}, {"high_freq_factor", 4.0}, {"low_freq_factor", 1.0},
                                                {"original_max_position_embeddings", 8192}, {"rope_type", "llama3"}}},
                              {"tie_word_embeddings", true}, {"attention_bias", false}, {"mlp_bias", false},
                              {"bos_token_id", 128000}, {"eos_token_id", 128001}, {"hidden_act", "silu"},
                              {"initializer_range", 0.02}, {"attention_dropout", 0.0}, {"pretraining_tp", 1},
                              {"torch_dtype", "bfloat16"}, {"use_cache", true}}},
    };
    return shapes;
}

const ModelShape& modelShape(std::string_view name)
{
    std::string known;
    for (const auto& s : modelShapes()) {
        if (s.name == name)
            return s;
        known += (known.empty() ? "" : ", ") + s.name;
    }
    throw Error(ErrorCode::NotFound, "no model shape named '" + std::string(name) + "'", "known shapes: " + known);
}

void initializeWeights(CausalLMImpl& model)
{
    const double std = model.config().raw.value("initializer_range", 0.02);
    const torch::NoGradGuard noGrad;
    for (auto& item : model.named_parameters()) {
        auto& p = item.value();
        if (p.dim() >= 2)
            p.normal_(0.0, std);
        else if (item.key().ends_with(".bias"))
            p.zero_();
        else
            p.fill_(1.0);
    }
}

ModelConfig initModelFolder(const ModelShape& shape, const fs::path& out, const InitOptions& options)
{
    const ModelConfig config = ModelConfig::fromJson(shape.config);
    if (!options.tokenizerFolder.empty()) {
        const auto tokenizer = tokenizer::Tokenizer::fromDirectory(options.tokenizerFolder);
        if (tokenizer->vocabSize() > std::size_t(config.vocabSize))
            throw Error(ErrorCode::InvalidArgument,
                        "the tokenizer in " + options.tokenizerFolder.string() + " has " +
                            std::to_string(tokenizer->vocabSize()) + " ids, more than " + shape.name + "'s vocabulary of " +
                            std::to_string(config.vocabSize),
                        "give the tokenizer of the model family");
    }
    LoadOptions load;
    load.dtype = options.dtype;
    CausalLM model = buildModel(config, load, options.seed);
    initializeWeights(*model);
    SaveOptions save;
    save.maxShardBytes = options.maxShardBytes;
    save.copyFilesFrom = options.tokenizerFolder;
    saveModel(*model, out, save);
    return config;
}

}  // namespace distill::model
