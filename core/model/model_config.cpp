#include "core/model/model_config.h"

#include "core/util/error.h"

#include <fstream>

namespace distill::model {

namespace {

using nlohmann::json;

json requireKey(const json& cfg, const char* key)
{
    if (!cfg.contains(key) || cfg[key].is_null())
        throw Error(ErrorCode::Parse, std::string("config.json lacks \"") + key + "\"");
    return cfg[key];
}

std::int64_t requireInt(const json& cfg, const char* key)
{
    const json v = requireKey(cfg, key);
    if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
        throw Error(ErrorCode::Parse, std::string("config.json \"") + key + "\" must be a positive integer");
    return v.get<std::int64_t>();
}

template <typename T>
T valueOr(const json& obj, const char* key, T fallback)
{
    if (!obj.is_object() || !obj.contains(key) || obj[key].is_null())
        return fallback;
    try {
        return obj[key].get<T>();
    } catch (const json::exception&) {
        throw Error(ErrorCode::Parse, std::string("config.json \"") + key + "\" has the wrong type");
    }
}

// rope_parameters (transformers 5) or rope_theta + rope_scaling (transformers 4).
RopeParameters readRope(const json& cfg)
{
    RopeParameters rope;
    json scaling = cfg.contains("rope_parameters") && cfg["rope_parameters"].is_object() ? cfg["rope_parameters"]
                   : cfg.contains("rope_scaling") && cfg["rope_scaling"].is_object() ? cfg["rope_scaling"]
                                                                                     : json::object();
    rope.theta = valueOr<double>(scaling, "rope_theta", valueOr<double>(cfg, "rope_theta", 10000.0));
    rope.ropeType = valueOr<std::string>(scaling, "rope_type", valueOr<std::string>(scaling, "type", "default"));
    rope.factor = valueOr<double>(scaling, "factor", 1.0);
    rope.lowFreqFactor = valueOr<double>(scaling, "low_freq_factor", 1.0);
    rope.highFreqFactor = valueOr<double>(scaling, "high_freq_factor", 4.0);
    rope.originalMaxPositionEmbeddings = valueOr<std::int64_t>(
        scaling, "original_max_position_embeddings", valueOr<std::int64_t>(cfg, "max_position_embeddings", 8192));
    if (rope.ropeType != "default" && rope.ropeType != "linear" && rope.ropeType != "llama3")
        throw Error(ErrorCode::Unsupported, "rope type '" + rope.ropeType + "' is not implemented",
                    "supported: default, linear, llama3");
    if (rope.factor <= 0)
        throw Error(ErrorCode::Parse, "config.json rope factor must be positive");
    return rope;
}

json ropeToJson(const RopeParameters& rope, bool withTheta)
{
    json r = {{"rope_type", rope.ropeType}};
    if (withTheta)
        r["rope_theta"] = rope.theta;
    if (rope.ropeType != "default")
        r["factor"] = rope.factor;
    if (rope.ropeType == "llama3") {
        r["low_freq_factor"] = rope.lowFreqFactor;
        r["high_freq_factor"] = rope.highFreqFactor;
        r["original_max_position_embeddings"] = rope.originalMaxPositionEmbeddings;
    }
    return r;
}

}  // namespace

ModelConfig ModelConfig::fromJson(const json& cfg)
{
    if (!cfg.is_object())
        throw Error(ErrorCode::Parse, "config.json is not a JSON object");
    const json modelType = requireKey(cfg, "model_type");
    if (!modelType.is_string())
        throw Error(ErrorCode::Parse, "config.json \"model_type\" must be a string");
    ModelConfig c;
    c.arch = archFromModelType(modelType.get<std::string>());
    c.raw = cfg;
    c.vocabSize = requireInt(cfg, "vocab_size");
    c.hiddenSize = requireInt(cfg, "hidden_size");
    c.intermediateSize = requireInt(cfg, "intermediate_size");
    c.numLayers = requireInt(cfg, "num_hidden_layers");
    c.numHeads = requireInt(cfg, "num_attention_heads");
    c.numKvHeads = valueOr<std::int64_t>(cfg, "num_key_value_heads", c.numHeads);
    c.headDim = valueOr<std::int64_t>(cfg, "head_dim", c.hiddenSize / c.numHeads);
    c.maxPositionEmbeddings = valueOr<std::int64_t>(cfg, "max_position_embeddings", 4096);
    c.rmsNormEps = valueOr<double>(cfg, "rms_norm_eps", 1e-6);
    c.tieWordEmbeddings = valueOr<bool>(cfg, "tie_word_embeddings", false);
    c.dtype = valueOr<std::string>(cfg, "dtype", valueOr<std::string>(cfg, "torch_dtype", "float32"));
    c.rope = readRope(cfg);
    if (c.numKvHeads <= 0 || c.numHeads % c.numKvHeads != 0)
        throw Error(ErrorCode::Parse, "num_attention_heads (" + std::to_string(c.numHeads) +
                                          ") is not a multiple of num_key_value_heads (" +
                                          std::to_string(c.numKvHeads) + ")");
    if (c.headDim <= 0 || c.headDim % 2 != 0)
        throw Error(ErrorCode::Parse, "head_dim must be a positive even number");
    if (const auto act = valueOr<std::string>(cfg, "hidden_act", "silu"); act != "silu")
        throw Error(ErrorCode::Unsupported, "hidden_act '" + act + "' is not implemented", "only silu (SwiGLU)");
    if (valueOr<bool>(cfg, "use_sliding_window", false))
        throw Error(ErrorCode::Unsupported, "use_sliding_window=true is not implemented");
    if (cfg.contains("eos_token_id")) {
        const json& eos = cfg["eos_token_id"];
        if (eos.is_number_integer())
            c.eosTokenIds.push_back(eos.get<std::int64_t>());
        else if (eos.is_array())
            for (const json& e : eos)
                c.eosTokenIds.push_back(e.get<std::int64_t>());
    }
    if (cfg.contains("bos_token_id") && cfg["bos_token_id"].is_number_integer())
        c.bosTokenId = cfg["bos_token_id"].get<std::int64_t>();
    try {
        archInfo(c.arch).configure(cfg, c);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::Parse, std::string("config.json: ") + e.what());
    }
    return c;
}

ModelConfig ModelConfig::fromFile(const std::filesystem::path& configJson)
{
    std::ifstream in(configJson);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot open " + configJson.string());
    json cfg;
    try {
        cfg = json::parse(in);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::Parse, configJson.string() + ": " + e.what());
    }
    return fromJson(cfg);
}

json ModelConfig::toJson() const
{
    json cfg = raw.is_object() ? raw : json::object();
    const ArchInfo& info = archInfo(arch);
    cfg["model_type"] = info.modelType;
    cfg["architectures"] = json::array({info.className});
    cfg["vocab_size"] = vocabSize;
    cfg["hidden_size"] = hiddenSize;
    cfg["intermediate_size"] = intermediateSize;
    cfg["num_hidden_layers"] = numLayers;
    cfg["num_attention_heads"] = numHeads;
    cfg["num_key_value_heads"] = numKvHeads;
    cfg["head_dim"] = headDim;
    cfg["max_position_embeddings"] = maxPositionEmbeddings;
    cfg["rms_norm_eps"] = rmsNormEps;
    cfg["hidden_act"] = "silu";
    cfg["tie_word_embeddings"] = tieWordEmbeddings;
    // Both layouts, consistent, so transformers 4 and 5 (and vLLM) read the same model.
    cfg["dtype"] = dtype;
    cfg["torch_dtype"] = dtype;
    cfg["rope_theta"] = rope.theta;
    cfg["rope_scaling"] = rope.ropeType == "default" ? json(nullptr) : ropeToJson(rope, false);
    cfg["rope_parameters"] = ropeToJson(rope, true);
    if (eosTokenIds.size() == 1)
        cfg["eos_token_id"] = eosTokenIds.front();
    else if (!eosTokenIds.empty())
        cfg["eos_token_id"] = eosTokenIds;
    if (bosTokenId)
        cfg["bos_token_id"] = *bosTokenId;
    info.write(*this, cfg);
    return cfg;
}

std::int64_t ModelConfig::parameterCount() const
{
    const std::int64_t q = numHeads * headDim, kv = numKvHeads * headDim;
    std::int64_t attn = hiddenSize * q + 2 * hiddenSize * kv + q * hiddenSize;
    if (qkvBias)
        attn += q + 2 * kv;
    if (outputBias)
        attn += hiddenSize;
    if (qkNorm)
        attn += 2 * headDim;
    std::int64_t mlp = 3 * hiddenSize * intermediateSize;
    if (mlpBias)
        mlp += 2 * intermediateSize + hiddenSize;
    const std::int64_t layer = attn + mlp + 2 * hiddenSize;
    const std::int64_t embed = vocabSize * hiddenSize;
    return embed * (tieWordEmbeddings ? 1 : 2) + numLayers * layer + hiddenSize;
}

}  // namespace distill::model
