#include "core/model/model_config.h"

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_depth.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <type_traits>

namespace distill::model {

namespace {

using nlohmann::json;

const json& requireKey(const json& cfg, const char* key)
{
    if (!cfg.contains(key) || cfg[key].is_null())
        throw Error(ErrorCode::Parse, std::string("config.json lacks \"") + key + "\"");
    return cfg[key];
}

// An integer in min … max. Dimensions stop at limits no real checkpoint reaches, beyond which the
// tensors they size could not be allocated.
std::int64_t checkedInteger(const json& v, const char* key, std::int64_t min, std::int64_t max)
{
    if (!v.is_number_integer() || (v.is_number_unsigned() && v.get<std::uint64_t>() > std::uint64_t(max))
        || v.get<std::int64_t>() < min || v.get<std::int64_t>() > max)
        throw Error(ErrorCode::Parse, std::string("config.json \"") + key + "\" is " + v.dump()
                                          + ": it must be an integer from " + std::to_string(min) + " to "
                                          + std::to_string(max));
    return v.get<std::int64_t>();
}

std::int64_t checkedDimension(const json& v, const char* key, std::int64_t max)
{
    return checkedInteger(v, key, 1, max);
}

std::int64_t requireDimension(const json& cfg, const char* key, std::int64_t max)
{
    return checkedDimension(requireKey(cfg, key), key, max);
}

std::int64_t dimensionOr(const json& cfg, const char* key, std::int64_t fallback, std::int64_t max)
{
    return cfg.contains(key) && !cfg[key].is_null() ? checkedDimension(cfg[key], key, max) : fallback;
}

// The value of `key` when it has T's JSON type (an integer for integers: a float would not convert).
template <typename T>
T valueOr(const json& obj, const char* key, T fallback)
{
    if (!obj.is_object() || !obj.contains(key) || obj[key].is_null())
        return fallback;
    const json& v = obj[key];
    bool fits = false;
    if constexpr (std::is_same_v<T, bool>)
        fits = v.is_boolean();
    else if constexpr (std::is_integral_v<T>)
        fits = v.is_number_integer();
    else if constexpr (std::is_floating_point_v<T>)
        fits = v.is_number();
    else
        fits = v.is_string();
    if (!fits)
        throw Error(ErrorCode::Parse, std::string("config.json \"") + key + "\" has the wrong type");
    return v.get<T>();
}

// A token id of eos_token_id / bos_token_id.
std::int64_t tokenId(const json& v, const char* key)
{
    return checkedInteger(v, key, 0, tokenizer::kMaxVocabSize - 1);
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
    rope.originalMaxPositionEmbeddings =
        dimensionOr(scaling, "original_max_position_embeddings",
                    dimensionOr(cfg, "max_position_embeddings", 8192, kMaxPositions), kMaxPositions);
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
    c.vocabSize = requireDimension(cfg, "vocab_size", tokenizer::kMaxVocabSize);
    c.hiddenSize = requireDimension(cfg, "hidden_size", kMaxHiddenSize);
    c.intermediateSize = requireDimension(cfg, "intermediate_size", kMaxIntermediateSize);
    c.numLayers = requireDimension(cfg, "num_hidden_layers", kMaxLayers);
    c.numHeads = requireDimension(cfg, "num_attention_heads", kMaxHeads);
    c.numKvHeads = dimensionOr(cfg, "num_key_value_heads", c.numHeads, kMaxHeads);
    c.headDim = dimensionOr(cfg, "head_dim", std::max<std::int64_t>(1, c.hiddenSize / c.numHeads), kMaxHeadDim);
    c.maxPositionEmbeddings = dimensionOr(cfg, "max_position_embeddings", 4096, kMaxPositions);
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
        if (eos.is_array())
            for (const json& e : eos)
                c.eosTokenIds.push_back(tokenId(e, "eos_token_id"));
        else if (!eos.is_null())  // an id, or a Parse error naming the key (1e300, "2", ...)
            c.eosTokenIds.push_back(tokenId(eos, "eos_token_id"));
    }
    if (cfg.contains("bos_token_id") && cfg["bos_token_id"].is_number_integer())
        c.bosTokenId = tokenId(cfg["bos_token_id"], "bos_token_id");
    try {
        archInfo(c.arch).configure(cfg, c);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::Parse, std::string("config.json: ") + e.what());
    }
    if (c.parameterCount() > kMaxParameters)
        throw Error(ErrorCode::Parse, "config.json describes " + std::to_string(c.parameterCount())
                                          + " parameters, more than the limit of " + std::to_string(kMaxParameters));
    return c;
}

ModelConfig ModelConfig::fromFile(const std::filesystem::path& configJson)
{
    std::ifstream in(configJson, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot open " + configJson.string());
    const std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    return fromJsonText(text, configJson.string());
}

ModelConfig ModelConfig::fromJsonText(std::string_view text, const std::string& fileName)
{
    util::checkJsonDepth(text, fileName);
    json cfg;
    try {
        cfg = json::parse(text);
    } catch (const json::exception& e) {
        throw Error(ErrorCode::Parse, fileName + ": " + e.what());
    }
    try {
        return fromJson(cfg);
    } catch (const Error& e) {  // the messages say "config.json"; name the very file
        throw Error(e.code(), fileName + ": " + e.detail(), e.hint());
    }
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
