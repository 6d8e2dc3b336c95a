// The shared pieces of a decoder block: RMSNorm, rotary position embedding, linear projections that
// can carry a LoRA adapter, grouped-query attention (optional q/k/v/o bias, optional per-head q/k
// RMSNorm), SwiGLU MLP, and the pre-norm block itself.
// Architectures (arch/*.cpp) only switch these options; submodule names follow the HF checkpoints.
#pragma once

#include <torch/arg.h>
#include <torch/nn/cloneable.h>
#include <torch/nn/module.h>
#include <ATen/core/Generator.h>
#include <torch/nn/modules/linear.h>
#include <torch/nn/pimpl.h>

#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

namespace distill::model {

// Keys and values of every layer for `slotIds` sequences of up to `maxLength` tokens each.
// Slot s holds the sequence's tokens at positions 0..length-1 contiguously.
struct KvCache {
    std::vector<at::Tensor> keys;    // per layer [S, Hkv, Tmax, D]
    std::vector<at::Tensor> values;  // per layer [S, Hkv, Tmax, D]
    std::int64_t slotCount() const { return keys.empty() ? 0 : keys.front().size(0); }
    std::int64_t maxLength() const { return keys.empty() ? 0 : keys.front().size(2); }
    // Copies the first `length` positions of slot `from` into slot `to` (n samples share a prefill).
    void copySlot(std::int64_t from, std::int64_t to, std::int64_t length);
};

// Packed rows (training): where each sample of each row lies, for attention within samples without
// a dense [T, T] mask (libtorch 2: fused kernels; 1.13 uses the mask).
struct PackedSamples {
    std::vector<std::vector<std::pair<std::int64_t, std::int64_t>>> rows;  // per row: (start, length) of each sample
    at::Tensor tokens;       // [N] int64: flat indices (b * T + t) of the samples' tokens, row by row
    at::Tensor cuSeqlens;    // [samples + 1] int32 on the device: cumulative sample lengths over `tokens`
    std::int64_t maxLength = 0;
};

// Everything a layer needs besides the hidden states, computed once per forward.
struct LayerContext {
    at::Tensor cos, sin;  // [B, T, D] rotary tables at the query positions
    at::Tensor mask;      // [B, 1, T, Tk] bool: true where a query may attend to a key (undefined: `packed` decides)
    // Packed rows attended sample by sample (libtorch 2); shared: a layer recomputed in backward
    // (gradient checkpointing) reads it after the forward returned.
    std::shared_ptr<const PackedSamples> packed;
    // With a cache: new keys/values go to (slotIds[b], positions[b, t]); attention reads the first
    // Tk positions of each row's slot. Without one, attention runs over the T new tokens (Tk = T).
    KvCache* cache = nullptr;
    at::Tensor slotIds;      // [B] int64
    at::Tensor positions;  // [B, T] int64
    std::int64_t keyLength = 0;
    bool slotsAreRange = false;  // slotIds == 0..B-1: read the cache without a gather
    // Gradient checkpointing (training forwards without a cache, gradients on): each layer keeps only
    // its input and runs again in backward. Needs a deterministic layer (no dropout), which holds here.
    bool recompute = false;
};

struct RMSNormOptions {
    explicit RMSNormOptions(std::int64_t size) : size_(size) {}
    TORCH_ARG(std::int64_t, size);
    TORCH_ARG(double, eps) = 1e-6;
};

// y = weight * x / sqrt(mean(x^2) + eps), computed in float32 as HF does.
class RMSNormImpl : public torch::nn::Cloneable<RMSNormImpl> {
public:
    explicit RMSNormImpl(const RMSNormOptions& options);
    void reset() override;
    at::Tensor forward(const at::Tensor& x);

    RMSNormOptions options;
    at::Tensor weight;
};
TORCH_MODULE(RMSNorm);

// y = W x + b (weight [out, in], optional bias [out], initialised as torch::nn::Linear), plus, with a
// LoRA adapter attached (core/model/lora.h), (alpha / r) * B(A(x)) with `lora_A` [r, in] and `lora_B`
// [out, r], the names PEFT gives them.
class ProjectionImpl : public torch::nn::Cloneable<ProjectionImpl> {
public:
    explicit ProjectionImpl(const torch::nn::LinearOptions& options);
    void reset() override;
    at::Tensor forward(const at::Tensor& x);

    // Attaches an adapter of rank `rank` on the weight's device and dtype: A uniform in
    // ±1/sqrt(in) drawn from `generator` (PEFT's kaiming_uniform with a = sqrt(5)), B zero, so the
    // output is unchanged until B is trained.
    void addAdapter(std::int64_t rank, double scaling, at::Generator& generator);
    bool hasAdapter() const { return !lora_A.is_empty(); }
    // W + scaling * B A [out, in], detached; W itself without an adapter.
    at::Tensor mergedWeight() const;

    torch::nn::LinearOptions options;
    at::Tensor weight, bias;  // bias undefined without one
    torch::nn::Linear lora_A{nullptr}, lora_B{nullptr};  // null without an adapter
    double scaling = 0.0;  // alpha / r

private:
    // Registers lora_A and lora_B for `rank` on the weight's device and dtype (values unset).
    void registerAdapter(std::int64_t rank);
};
TORCH_MODULE(Projection);

struct AttentionOptions {
    AttentionOptions(std::int64_t hidden, std::int64_t heads, std::int64_t kvHeads, std::int64_t headDim)
        : hidden_(hidden), heads_(heads), kv_heads_(kvHeads), head_dim_(headDim) {}
    TORCH_ARG(std::int64_t, hidden);
    TORCH_ARG(std::int64_t, heads);
    TORCH_ARG(std::int64_t, kv_heads);
    TORCH_ARG(std::int64_t, head_dim);
    TORCH_ARG(bool, qkv_bias) = false;
    TORCH_ARG(bool, output_bias) = false;
    TORCH_ARG(bool, qk_norm) = false;
    TORCH_ARG(double, eps) = 1e-6;
    TORCH_ARG(std::int64_t, layer_index) = 0;  // which KvCache layer this attention uses
};

class AttentionImpl : public torch::nn::Cloneable<AttentionImpl> {
public:
    explicit AttentionImpl(const AttentionOptions& options);
    void reset() override;
    at::Tensor forward(const at::Tensor& x, const LayerContext& ctx);

    AttentionOptions options;
    Projection q_proj{nullptr}, k_proj{nullptr}, v_proj{nullptr}, o_proj{nullptr};
    RMSNorm q_norm{nullptr}, k_norm{nullptr};
};
TORCH_MODULE(Attention);

struct MLPOptions {
    MLPOptions(std::int64_t hidden, std::int64_t intermediate) : hidden_(hidden), intermediate_(intermediate) {}
    TORCH_ARG(std::int64_t, hidden);
    TORCH_ARG(std::int64_t, intermediate);
    TORCH_ARG(bool, bias) = false;
};

// SwiGLU: down_proj(silu(gate_proj(x)) * up_proj(x)).
class MLPImpl : public torch::nn::Cloneable<MLPImpl> {
public:
    explicit MLPImpl(const MLPOptions& options);
    void reset() override;
    at::Tensor forward(const at::Tensor& x);

    MLPOptions options;
    Projection gate_proj{nullptr}, up_proj{nullptr}, down_proj{nullptr};
};
TORCH_MODULE(MLP);

struct DecoderLayerOptions {
    DecoderLayerOptions(AttentionOptions attention, MLPOptions mlp) : attention_(attention), mlp_(mlp) {}
    TORCH_ARG(AttentionOptions, attention);
    TORCH_ARG(MLPOptions, mlp);
    TORCH_ARG(double, eps) = 1e-6;
};

// Pre-norm block: x + attn(norm(x)), then + mlp(norm(.)).
class DecoderLayerImpl : public torch::nn::Cloneable<DecoderLayerImpl> {
public:
    explicit DecoderLayerImpl(const DecoderLayerOptions& options);
    void reset() override;
    at::Tensor forward(const at::Tensor& x, const LayerContext& ctx);

    DecoderLayerOptions options;
    Attention self_attn{nullptr};
    MLP mlp{nullptr};
    RMSNorm input_layernorm{nullptr}, post_attention_layernorm{nullptr};
};
TORCH_MODULE(DecoderLayer);

}  // namespace distill::model
