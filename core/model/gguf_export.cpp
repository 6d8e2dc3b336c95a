#include "core/model/gguf_export.h"

#include "core/model/checkpoint.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "core/util/json_depth.h"
#include "core/util/text_file.h"

#include <torch/torch.h>

#include <cmath>
#include <map>
#include <numbers>
#include <regex>

namespace distill::model {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

// llama.cpp's token types (llama_token_type).
constexpr std::int32_t kTokenNormal = 1, kTokenUnused = 5, kTokenControl = 3, kTokenUserDefined = 4;
// llama_ftype of the file's main tensors.
std::uint32_t fileType(GgufType type)
{
    switch (type) {
    case GgufType::F16: return 1;
    case GgufType::Q8_0: return 7;
    case GgufType::BF16: return 32;
    }
    return 0;
}

// The regexes of the Split pre-tokenizers (in a Sequence or alone).
void splitPatterns(const json& node, std::vector<std::string>& out)
{
    if (!node.is_object())
        return;
    if (node.value("type", "") == "Sequence")
        for (const json& child : node.value("pretokenizers", json::array()))
            splitPatterns(child, out);
    if (node.value("type", "") == "Split" && node.contains("pattern") && node["pattern"].contains("Regex"))
        out.push_back(node["pattern"]["Regex"].get<std::string>());
}

// tokenizer.ggml.pre: which of llama.cpp's pre-tokenizer regex sets the tokenizer's pre-tokenizer is.
std::string preTokenizerType(const json& tokenizer)
{
    const json& pre = tokenizer.value("pre_tokenizer", json());
    std::vector<std::string> patterns;
    splitPatterns(pre, patterns);
    auto has = [&](std::string_view piece) {
        for (const auto& p : patterns)
            if (p.find(piece) != std::string::npos)
                return true;
        return false;
    };
    if (has("\u4e00-\u9fa5"))  // DeepSeek V3: digits, CJK runs, then the word pattern
        return "deepseek-v3";
    if (has("\\p{N}{1,3}"))  // Llama 3: digits in threes
        return "llama-bpe";
    if (has("\\p{L}+|\\p{N}|"))  // Qwen2, Qwen2.5, Qwen3: single digits
        return "qwen2";
    if (patterns.empty() && pre.value("type", "") == "ByteLevel" && pre.value("use_regex", true))
        return "gpt-2";
    throw Error(ErrorCode::Unsupported, "the tokenizer's pre-tokenizer is not one llama.cpp knows",
                "supported: the Qwen2/Qwen3, Llama 3, DeepSeek V3 and GPT-2 byte-level pre-tokenizers");
}

// Vocabulary, token types and merges as llama.cpp's "gpt2" tokenizer model reads them; ids the
// tokenizer lacks up to the model's vocabulary size are unused "[PAD<id>]" tokens.
void addTokenizer(GgufWriter& gguf, const fs::path& dir, std::int64_t vocabSize, GgufExportSummary& summary)
{
    const std::string text = util::readTextFile(dir / "tokenizer.json");
    util::checkJsonDepth(text, (dir / "tokenizer.json").string());
    const json tok = json::parse(text);
    if (tok.value("model", json::object()).value("type", "") != "BPE")
        throw Error(ErrorCode::Unsupported, (dir / "tokenizer.json").string() + ": GGUF export needs a byte-level BPE tokenizer");
    const auto tokenizer = tokenizer::Tokenizer::fromDirectory(dir);
    if (std::int64_t(tokenizer->vocabSize()) > vocabSize)
        throw Error(ErrorCode::InvalidArgument, "the tokenizer has " + std::to_string(tokenizer->vocabSize())
                                                    + " ids, more than the model's vocabulary of " + std::to_string(vocabSize));
    std::vector<std::string> tokens;
    std::vector<std::int32_t> types;
    std::map<std::int64_t, bool> added;  // id -> special
    for (const json& a : tok.value("added_tokens", json::array()))
        added[a.at("id").get<std::int64_t>()] = a.value("special", false);
    for (std::int32_t id = 0; id < vocabSize; ++id) {
        const auto token = tokenizer->idToToken(id);
        tokens.push_back(token ? *token : "[PAD" + std::to_string(id) + "]");
        const auto a = added.find(id);
        types.push_back(!token ? kTokenUnused : a == added.end() ? kTokenNormal : a->second ? kTokenControl : kTokenUserDefined);
    }
    std::vector<std::string> merges;
    for (const json& m : tok["model"].value("merges", json::array()))
        merges.push_back(m.is_string() ? m.get<std::string>() : m.at(0).get<std::string>() + " " + m.at(1).get<std::string>());
    summary.preTokenizer = preTokenizerType(tok);
    gguf.set("tokenizer.ggml.model", std::string("gpt2"));
    gguf.set("tokenizer.ggml.pre", summary.preTokenizer);
    gguf.set("tokenizer.ggml.tokens", std::move(tokens));
    gguf.set("tokenizer.ggml.token_type", std::move(types));
    gguf.set("tokenizer.ggml.merges", std::move(merges));
    if (const auto bos = tokenizer->bosId())
        gguf.set("tokenizer.ggml.bos_token_id", std::uint32_t(*bos));
    if (const auto eos = tokenizer->eosId())
        gguf.set("tokenizer.ggml.eos_token_id", std::uint32_t(*eos));
    if (const auto pad = tokenizer->padId())
        gguf.set("tokenizer.ggml.padding_token_id", std::uint32_t(*pad));
    const auto prefix = tokenizer->encode("", true);
    gguf.set("tokenizer.ggml.add_bos_token", !prefix.empty() && prefix.front() == tokenizer->bosId());
    if (!tokenizer->config().chatTemplate.empty())
        gguf.set("tokenizer.chat_template", tokenizer->config().chatTemplate);
}

// Llama 3's rope scaling as llama.cpp applies it: a factor per rotary frequency (rope_freqs.weight).
at::Tensor llama3RopeFactors(const ModelConfig& c)
{
    const auto& r = c.rope;
    const double lowWavelen = double(r.originalMaxPositionEmbeddings) / r.lowFreqFactor;
    const double highWavelen = double(r.originalMaxPositionEmbeddings) / r.highFreqFactor;
    std::vector<float> factors;
    for (std::int64_t i = 0; i < c.headDim; i += 2) {
        const double freq = 1.0 / std::pow(r.theta, double(i) / double(c.headDim));
        const double wavelen = 2.0 * std::numbers::pi / freq;
        if (wavelen < highWavelen)
            factors.push_back(1.0f);
        else if (wavelen > lowWavelen)
            factors.push_back(float(r.factor));
        else {
            const double smooth = (double(r.originalMaxPositionEmbeddings) / wavelen - r.lowFreqFactor)
                                  / (r.highFreqFactor - r.lowFreqFactor);
            factors.push_back(float(1.0 / ((1.0 - smooth) / r.factor + smooth)));
        }
    }
    return torch::tensor(factors);
}

// llama.cpp's name of a Hugging Face tensor ("" for one it does not take).
std::string ggufName(const std::string& hf)
{
    static const std::vector<std::pair<std::string, std::string>> layer = {
        {"input_layernorm.weight", "attn_norm.weight"},   {"post_attention_layernorm.weight", "ffn_norm.weight"},
        {"self_attn.q_proj.weight", "attn_q.weight"},     {"self_attn.q_proj.bias", "attn_q.bias"},
        {"self_attn.k_proj.weight", "attn_k.weight"},     {"self_attn.k_proj.bias", "attn_k.bias"},
        {"self_attn.v_proj.weight", "attn_v.weight"},     {"self_attn.v_proj.bias", "attn_v.bias"},
        {"self_attn.o_proj.weight", "attn_output.weight"}, {"self_attn.o_proj.bias", "attn_output.bias"},
        {"self_attn.q_norm.weight", "attn_q_norm.weight"}, {"self_attn.k_norm.weight", "attn_k_norm.weight"},
        {"mlp.gate_proj.weight", "ffn_gate.weight"},       {"mlp.gate_proj.bias", "ffn_gate.bias"},
        {"mlp.up_proj.weight", "ffn_up.weight"},           {"mlp.up_proj.bias", "ffn_up.bias"},
        {"mlp.down_proj.weight", "ffn_down.weight"},       {"mlp.down_proj.bias", "ffn_down.bias"},
    };
    if (hf == "model.embed_tokens.weight")
        return "token_embd.weight";
    if (hf == "model.norm.weight")
        return "output_norm.weight";
    if (hf == "lm_head.weight")
        return "output.weight";
    static const std::regex layerName(R"(model\.layers\.(\d+)\.(.+))");
    std::smatch m;
    if (std::regex_match(hf, m, layerName))
        for (const auto& [from, to] : layer)
            if (m[2] == from)
                return "blk." + m[1].str() + "." + to;
    return {};
}

// HF's q_proj/k_proj rows (heads of [first halves; second halves]) in the interleaved order of
// llama.cpp's llama rope (convert_hf_to_gguf.py's LlamaModel.permute).
at::Tensor permuteForInterleavedRope(const at::Tensor& w, std::int64_t heads)
{
    return w.reshape({heads, 2, w.size(0) / heads / 2, w.size(1)}).transpose(1, 2).reshape(w.sizes()).contiguous();
}

void appendBytes(std::string& out, const at::Tensor& t)
{
    const at::Tensor c = t.contiguous();
    out.append(static_cast<const char*>(c.data_ptr()), std::size_t(c.numel() * c.element_size()));
}

// ggml's q8_0 as its reference quantizer and gguf-py compute it: per block of 32, d = max|x| / 127
// stored as f16, q = round(x / d) half away from zero.
void appendQ8_0(std::string& out, const at::Tensor& weight)
{
    const at::Tensor blocks = weight.to(torch::kFloat).contiguous().reshape({-1, 32});
    const at::Tensor d = blocks.abs().amax(1, true) / 127.0;
    const at::Tensor inverse = torch::where(d == 0, torch::zeros_like(d), 1.0 / d);
    const at::Tensor scaled = blocks * inverse;
    const at::Tensor q = (scaled.sign() * (scaled.abs() + 0.5).floor()).to(torch::kInt8).contiguous();
    const at::Tensor dHalf = d.to(torch::kHalf).contiguous();
    const auto* qs = static_cast<const char*>(q.data_ptr());
    const auto* ds = static_cast<const char*>(dHalf.data_ptr());
    out.reserve(out.size() + std::size_t(blocks.size(0)) * 34);
    for (std::int64_t b = 0; b < blocks.size(0); ++b) {
        out.append(ds + b * 2, 2);
        out.append(qs + b * 32, 32);
    }
}

}  // namespace

GgufType parseGgufType(std::string_view name)
{
    if (name == "f16")
        return GgufType::F16;
    if (name == "bf16")
        return GgufType::BF16;
    if (name == "q8_0")
        return GgufType::Q8_0;
    throw Error(ErrorCode::InvalidArgument, "unknown GGUF type '" + std::string(name) + "'", "choose f16, bf16 or q8_0");
}

GgufExportSummary exportGguf(const fs::path& folder, const fs::path& out, GgufType type, const fs::path& tokenizerFolder)
{
    // Weights stay in their stored precision until each tensor is written (an 8B bf16 model: 16 GB).
    const std::string stored = ModelConfig::fromFile(folder / "config.json").dtype;
    LoadOptions load;
    load.dtype = stored == "bfloat16" ? torch::kBFloat16 : stored == "float16" ? torch::kHalf : torch::kFloat;
    const LoadedModel loaded = loadModel(folder, load);
    const ModelConfig& c = loaded.config;
    const ArchInfo& arch = archInfo(c.arch);
    GgufExportSummary summary;
    summary.architecture = std::string(arch.ggufArch);
    const std::string a = summary.architecture;

    GgufWriter gguf;
    gguf.set("general.architecture", a);
    gguf.set("general.name", folder.filename().empty() ? folder.parent_path().filename().string() : folder.filename().string());
    gguf.set("general.file_type", fileType(type));
    gguf.set("general.quantization_version", std::uint32_t(2));
    gguf.set(a + ".vocab_size", std::uint32_t(c.vocabSize));
    gguf.set(a + ".context_length", std::uint32_t(c.maxPositionEmbeddings));
    gguf.set(a + ".embedding_length", std::uint32_t(c.hiddenSize));
    gguf.set(a + ".feed_forward_length", std::uint32_t(c.intermediateSize));
    gguf.set(a + ".block_count", std::uint32_t(c.numLayers));
    gguf.set(a + ".attention.head_count", std::uint32_t(c.numHeads));
    gguf.set(a + ".attention.head_count_kv", std::uint32_t(c.numKvHeads));
    gguf.set(a + ".attention.key_length", std::uint32_t(c.headDim));
    gguf.set(a + ".attention.value_length", std::uint32_t(c.headDim));
    gguf.set(a + ".attention.layer_norm_rms_epsilon", float(c.rmsNormEps));
    gguf.set(a + ".rope.freq_base", float(c.rope.theta));
    gguf.set(a + ".rope.dimension_count", std::uint32_t(c.headDim));
    if (c.rope.ropeType == "linear") {
        gguf.set(a + ".rope.scaling.type", std::string("linear"));
        gguf.set(a + ".rope.scaling.factor", float(c.rope.factor));
    }
    addTokenizer(gguf, tokenizerFolder.empty() ? folder : tokenizerFolder, c.vocabSize, summary);

    const GgmlType matrices = type == GgufType::F16 ? GgmlType::F16 : type == GgufType::BF16 ? GgmlType::BF16 : GgmlType::Q8_0;
    auto add = [&](const std::string& name, const at::Tensor& weight) {
        GgmlType t = weight.dim() == 2 ? matrices : GgmlType::F32;
        if (t == GgmlType::Q8_0 && weight.size(1) % 32 != 0)
            t = GgmlType::F16;  // rows that are not whole blocks stay f16, as llama.cpp's converter does
        const std::vector<std::int64_t> shape(weight.sizes().begin(), weight.sizes().end());
        gguf.addTensor(name, shape, t, [weight, t](std::string& bytes) {
            switch (t) {
            case GgmlType::F32: appendBytes(bytes, weight.to(torch::kFloat)); break;
            case GgmlType::F16: appendBytes(bytes, weight.to(torch::kHalf)); break;
            case GgmlType::BF16: appendBytes(bytes, weight.to(torch::kBFloat16)); break;
            case GgmlType::Q8_0: appendQ8_0(bytes, weight); break;
            }
        });
        ++summary.tensors;
        summary.parameters += weight.numel();
    };
    if (c.rope.ropeType == "llama3")
        add("rope_freqs.weight", llama3RopeFactors(c));
    torch::NoGradGuard noGrad;
    for (const auto& item : loaded.model->named_parameters()) {
        const std::string& hf = item.key();
        if (c.tieWordEmbeddings && hf == "lm_head.weight")
            continue;  // llama.cpp reads the embedding when output.weight is absent
        const std::string name = ggufName(hf);
        if (name.empty())
            throw Error(ErrorCode::Unsupported, "no GGUF name for tensor " + hf);
        at::Tensor w = item.value().detach();
        if (arch.ggufPermutesQk && hf.ends_with("q_proj.weight"))
            w = permuteForInterleavedRope(w, c.numHeads);
        else if (arch.ggufPermutesQk && hf.ends_with("k_proj.weight"))
            w = permuteForInterleavedRope(w, c.numKvHeads);
        add(name, w);
    }
    gguf.write(out);
    summary.bytes = fs::file_size(out);
    return summary;
}

}  // namespace distill::model
