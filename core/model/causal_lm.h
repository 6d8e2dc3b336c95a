// CausalLM: a decoder-only language model (`model.embed_tokens`, `model.layers.N.*`, `model.norm`,
// `lm_head`) configured from a ModelConfig; named_parameters() keys equal the safetensors keys (plus
// the `*.lora_A.weight` / `*.lora_B.weight` of LoRA adapters when attached).
// Offers the full-sequence forward (training, scoring) and the KV-cached forward the engine uses.
#pragma once

#include "core/model/decoder_layer.h"
#include "core/model/lora.h"
#include "core/model/model_config.h"

#include <torch/nn/modules/container/modulelist.h>
#include <torch/nn/modules/embedding.h>

#include <optional>

namespace distill::model {

class DecoderModelImpl : public torch::nn::Cloneable<DecoderModelImpl> {
public:
    explicit DecoderModelImpl(const ModelConfig& config);
    void reset() override;
    // Hidden states [B, T, hidden] after the final norm.
    at::Tensor forward(const at::Tensor& inputIds, LayerContext& ctx);

    ModelConfig config;
    torch::nn::Embedding embed_tokens{nullptr};
    torch::nn::ModuleList layers{nullptr};
    RMSNorm norm{nullptr};
    // [D/2] rotary inverse frequencies, float32 on the model's device; deliberately not a buffer so
    // a dtype change of the module never rounds it.
    at::Tensor inv_freq;
};
TORCH_MODULE(DecoderModel);

class CausalLMImpl : public torch::nn::Cloneable<CausalLMImpl> {
public:
    explicit CausalLMImpl(const ModelConfig& config);
    void reset() override;

    // Logits [B, T, vocab] for whole sequences. `attentionMask` [B, T] (1 token, 0 padding, left or
    // right) is optional; positions then count real tokens only, as `generate` does in transformers.
    at::Tensor forward(const at::Tensor& inputIds, const at::Tensor& attentionMask = {});

    // Hidden states [B, T, hidden] of packed rows (training): `positionIds` [B, T] restart at 0 for
    // each sample and `sequenceIds` [B, T] number the samples of a row, so a token attends only to
    // earlier tokens of its own sample (block-diagonal causal mask). lm_head is not applied.
    at::Tensor forwardPacked(const at::Tensor& inputIds, const at::Tensor& positionIds, const at::Tensor& sequenceIds);

    // Hidden states [B, T, hidden] of new tokens at `positions` [B, T] of cache `slotIds` [B]; their
    // keys/values are stored in the cache. Row b attends to its slot's positions <= its own.
    at::Tensor forwardCached(const at::Tensor& inputIds, const at::Tensor& positions, KvCache& cache,
                             const at::Tensor& slotIds, bool slotsAreRange);
    // lm_head (or the tied input embedding) applied to hidden states [..., hidden] -> [..., vocab].
    at::Tensor logits(const at::Tensor& hidden);
    // An empty cache for `slotIds` sequences of up to `maxLength` tokens, on the model's device/dtype.
    KvCache makeCache(std::int64_t slotIds, std::int64_t maxLength) const;

    // Gradient checkpointing of forwardPacked when gradients are on: every decoder layer keeps only
    // its input hidden states and is recomputed in backward (activation memory of one layer instead
    // of all of them, for about one more forward of compute). Off by default; results are unchanged.
    void setGradientCheckpointing(bool on) { m_gradientCheckpointing = on; }
    bool gradientCheckpointing() const { return m_gradientCheckpointing; }

    // LoRA: attaches an adapter to each `options.targets` projection of every layer (A drawn from
    // `seed`, B zero: the outputs are unchanged) and freezes every other parameter, so training
    // updates the adapters only. Every forward applies them; saveModel writes the merged weights
    // plus the adapter (checkpoint.h). InvalidArgument for bad options or a second call.
    void addLora(const LoraOptions& options, std::uint64_t seed);
    const std::optional<LoraOptions>& lora() const { return m_lora; }

    const ModelConfig& config() const { return m_config; }
    at::Device device() const;
    c10::ScalarType dtype() const;

    DecoderModel model{nullptr};
    torch::nn::Linear lm_head{nullptr};  // null when tie_word_embeddings

private:
    // cos/sin [B, T, D] for positions [B, T].
    void rotaryTables(const at::Tensor& positions, LayerContext& ctx);
    ModelConfig m_config;
    bool m_gradientCheckpointing = false;
    std::optional<LoraOptions> m_lora;
};
TORCH_MODULE(CausalLM);

// Mean cross-entropy over labels != -100, logits[:, :-1] predicting labels[:, 1:] (HF convention).
at::Tensor causalLmLoss(const at::Tensor& logits, const at::Tensor& labels);

// Inverse rotary frequencies [D/2] for the config's rope type (default, linear, llama3), float32.
at::Tensor ropeInverseFrequencies(const ModelConfig& config);

}  // namespace distill::model
