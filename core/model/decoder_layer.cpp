#include "core/model/decoder_layer.h"

#include <torch/torch.h>
#include <torch/version.h>

#include <cmath>

namespace distill::model {

using torch::indexing::Slice;

namespace {

// rotate_half of HF: [x1, x2] -> [-x2, x1] over the last dimension.
at::Tensor rotateHalf(const at::Tensor& x)
{
    const auto half = x.size(-1) / 2;
    return torch::cat({-x.narrow(-1, half, half), x.narrow(-1, 0, half)}, -1);
}

// Scaled dot-product attention with grouped-query heads.
// q [B, H, T, D], k/v [B, Hkv, Tk, D], mask [B, 1, T, Tk] -> [B, H, T, D]
at::Tensor attend(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const at::Tensor& mask)
{
    const auto B = q.size(0), H = q.size(1), D = q.size(3);
    const auto Hkv = k.size(1), Tk = k.size(2), G = H / Hkv;
#if TORCH_VERSION_MAJOR >= 2
    const auto kRep = k.unsqueeze(2).expand({B, Hkv, G, Tk, D}).reshape({B, H, Tk, D});  // [B, H, Tk, D]
    const auto vRep = v.unsqueeze(2).expand({B, Hkv, G, Tk, D}).reshape({B, H, Tk, D});  // [B, H, Tk, D]
    return at::scaled_dot_product_attention(q, kRep, vRep, mask);
#else
    const auto T = q.size(2);
    const auto qg = q.reshape({B, Hkv, G * T, D});                                    // [B, Hkv, G*T, D]
    auto scores = torch::matmul(qg, k.transpose(-1, -2)) * (1.0 / std::sqrt(double(D)));  // [B, Hkv, G*T, Tk]
    scores = scores.view({B, Hkv, G, T, Tk})                                          // [B, Hkv, G, T, Tk]
                 .masked_fill(mask.unsqueeze(1).logical_not(), -std::numeric_limits<float>::infinity());
    const auto probs = torch::softmax(scores, -1, torch::kFloat).to(q.scalar_type()).view({B, Hkv, G * T, Tk});
    return torch::matmul(probs, v).view({B, H, T, D});                                // [B, H, T, D]
#endif
}

#if TORCH_VERSION_MAJOR >= 2
// Attention within each sample of packed rows, no [T, T] mask: CUDA bf16/fp16 through the
// variable-length flash kernel over the rows' real tokens (grouped-query heads natively), otherwise a
// causal scaled_dot_product_attention per sample. Padding positions get zeros (they train nothing).
// q [B, H, T, D], k/v [B, Hkv, T, D] -> [B, H, T, D]
at::Tensor attendPacked(const at::Tensor& q, const at::Tensor& k, const at::Tensor& v, const PackedSamples& packed)
{
    const auto B = q.size(0), H = q.size(1), T = q.size(2), D = q.size(3), Hkv = k.size(1);
    if (q.is_cuda() && (q.scalar_type() == at::kBFloat16 || q.scalar_type() == at::kHalf)) {
        const auto flat = [&](const at::Tensor& x, std::int64_t heads) {
            return x.transpose(1, 2).reshape({B * T, heads, D}).index_select(0, packed.tokens);  // [N, heads, D]
        };
        const auto out = std::get<0>(at::_flash_attention_forward(flat(q, H), flat(k, Hkv).to(q.scalar_type()),
                                                                  flat(v, Hkv).to(q.scalar_type()), packed.cuSeqlens,
                                                                  packed.cuSeqlens, packed.maxLength, packed.maxLength,
                                                                  0.0, true, false));  // [N, H, D]
        return torch::zeros({B * T, H, D}, out.options())
            .index_copy(0, packed.tokens, out)  // [B*T, H, D]
            .view({B, T, H, D})
            .transpose(1, 2);  // [B, H, T, D]
    }
    const auto G = H / Hkv;
    std::vector<at::Tensor> rows;
    for (std::int64_t b = 0; b < B; ++b) {
        std::vector<at::Tensor> pieces;
        std::int64_t covered = 0;
        for (const auto& [start, length] : packed.rows[std::size_t(b)]) {
            const auto part = [&](const at::Tensor& x) {
                return x[b].narrow(1, start, length).unsqueeze(0);  // [1, heads of x, L, D]
            };
            const auto expand = [&](const at::Tensor& x) {
                return x.unsqueeze(2).expand({1, Hkv, G, length, D}).reshape({1, H, length, D});  // [1, H, L, D]
            };
            pieces.push_back(at::scaled_dot_product_attention(part(q), expand(part(k)), expand(part(v)), {},
                                                              0.0, true)[0]);  // [H, L, D]
            covered = start + length;
        }
        if (covered < T)
            pieces.push_back(torch::zeros({H, T - covered, D}, q.options()));  // padding
        rows.push_back(torch::cat(pieces, 1));  // [H, T, D]
    }
    return torch::stack(rows);  // [B, H, T, D]
}
#endif

}  // namespace

void KvCache::copySlot(std::int64_t from, std::int64_t to, std::int64_t length)
{
    torch::NoGradGuard noGrad;
    for (auto* tensors : {&keys, &values})
        for (at::Tensor& t : *tensors)
            t[to].narrow(1, 0, length).copy_(t[from].narrow(1, 0, length));  // [Hkv, length, D]
}

ProjectionImpl::ProjectionImpl(const torch::nn::LinearOptions& options_) : options(options_)
{
    reset();
}

void ProjectionImpl::reset()
{
    // The parameters and the draws of torch::nn::Linear, so seeded models keep their weights.
    weight = register_parameter("weight", torch::empty({options.out_features(), options.in_features()}));
    torch::nn::init::kaiming_uniform_(weight, std::sqrt(5.0));
    if (options.bias()) {
        bias = register_parameter("bias", torch::empty({options.out_features()}));
        const double bound = 1.0 / std::sqrt(double(options.in_features()));
        torch::nn::init::uniform_(bias, -bound, bound);
    }
    if (hasAdapter())  // a clone: the same adapter shape, its values copied by clone()
        registerAdapter(lora_A->options.out_features());
}

void ProjectionImpl::registerAdapter(std::int64_t rank)
{
    using torch::nn::LinearOptions;
    lora_A = register_module("lora_A", torch::nn::Linear(LinearOptions(options.in_features(), rank).bias(false)));
    lora_B = register_module("lora_B", torch::nn::Linear(LinearOptions(rank, options.out_features()).bias(false)));
    lora_A->to(weight.device(), weight.scalar_type());
    lora_B->to(weight.device(), weight.scalar_type());
}

void ProjectionImpl::addAdapter(std::int64_t rank, double scaling_, at::Generator& generator)
{
    const torch::NoGradGuard noGrad;
    registerAdapter(rank);
    const double bound = 1.0 / std::sqrt(double(options.in_features()));
    lora_A->weight.copy_(torch::empty({rank, options.in_features()}, torch::kFloat).uniform_(-bound, bound, generator));
    lora_B->weight.zero_();
    scaling = scaling_;
}

at::Tensor ProjectionImpl::mergedWeight() const
{
    if (!hasAdapter())
        return weight.detach();
    return (weight + torch::matmul(lora_B->weight, lora_A->weight) * scaling).detach();  // [out, in]
}

at::Tensor ProjectionImpl::forward(const at::Tensor& x)
{
    auto y = torch::nn::functional::linear(x, weight, bias);  // [..., out]
    // In place, so no second [..., out] tensor (linear's backward does not need its output).
    return hasAdapter() ? y.add_(lora_B(lora_A(x)), scaling) : y;  // A(x): [..., r]
}

RMSNormImpl::RMSNormImpl(const RMSNormOptions& options_) : options(options_)
{
    reset();
}

void RMSNormImpl::reset()
{
    weight = register_parameter("weight", torch::ones({options.size()}));
}

at::Tensor RMSNormImpl::forward(const at::Tensor& x)
{
    const auto xf = x.to(torch::kFloat);
    const auto normed = xf * torch::rsqrt(xf.pow(2).mean(-1, true) + options.eps());
    return weight * normed.to(x.scalar_type());
}

AttentionImpl::AttentionImpl(const AttentionOptions& options_) : options(options_)
{
    reset();
}

void AttentionImpl::reset()
{
    using torch::nn::LinearOptions;
    const auto& o = options;
    q_proj = register_module("q_proj", Projection(LinearOptions(o.hidden(), o.heads() * o.head_dim()).bias(o.qkv_bias())));
    k_proj = register_module("k_proj", Projection(LinearOptions(o.hidden(), o.kv_heads() * o.head_dim()).bias(o.qkv_bias())));
    v_proj = register_module("v_proj", Projection(LinearOptions(o.hidden(), o.kv_heads() * o.head_dim()).bias(o.qkv_bias())));
    o_proj = register_module("o_proj", Projection(LinearOptions(o.heads() * o.head_dim(), o.hidden()).bias(o.output_bias())));
    if (o.qk_norm()) {
        q_norm = register_module("q_norm", RMSNorm(RMSNormOptions(o.head_dim()).eps(o.eps())));
        k_norm = register_module("k_norm", RMSNorm(RMSNormOptions(o.head_dim()).eps(o.eps())));
    }
}

at::Tensor AttentionImpl::forward(const at::Tensor& x, const LayerContext& ctx)
{
    const auto B = x.size(0), T = x.size(1);
    const auto H = options.heads(), Hkv = options.kv_heads(), D = options.head_dim();
    auto q = q_proj(x).view({B, T, H, D});    // [B, T, H, D]
    auto k = k_proj(x).view({B, T, Hkv, D});  // [B, T, Hkv, D]
    auto v = v_proj(x).view({B, T, Hkv, D});  // [B, T, Hkv, D]
    if (options.qk_norm()) {
        q = q_norm(q);
        k = k_norm(k);
    }
    const auto cos = ctx.cos.unsqueeze(2), sin = ctx.sin.unsqueeze(2);  // [B, T, 1, D]
    q = (q * cos + rotateHalf(q) * sin).transpose(1, 2);  // [B, H, T, D]
    k = k * cos + rotateHalf(k) * sin;                    // [B, T, Hkv, D]

    at::Tensor keys, values;  // [B, Hkv, Tk, D]
    if (ctx.cache) {
        auto& cacheK = ctx.cache->keys[std::size_t(options.layer_index())];    // [S, Hkv, Tmax, D]
        auto& cacheV = ctx.cache->values[std::size_t(options.layer_index())];  // [S, Hkv, Tmax, D]
        const auto rows = ctx.slotIds.unsqueeze(1).expand({B, T});                  // [B, T]
        cacheK.index_put_({rows, Slice(), ctx.positions}, k.to(cacheK.scalar_type()));  // value [B, T, Hkv, D]
        cacheV.index_put_({rows, Slice(), ctx.positions}, v.to(cacheV.scalar_type()));
        const auto window = [&](const at::Tensor& c) {
            const auto head = c.narrow(2, 0, ctx.keyLength);  // [S, Hkv, Tk, D]
            return ctx.slotsAreRange ? head.narrow(0, 0, B) : head.index_select(0, ctx.slotIds);
        };
        keys = window(cacheK);
        values = window(cacheV);
    } else {
        keys = k.transpose(1, 2);    // [B, Hkv, T, D]
        values = v.transpose(1, 2);  // [B, Hkv, T, D]
    }
#if TORCH_VERSION_MAJOR >= 2
    const auto attended = ctx.packed ? attendPacked(q, keys, values, *ctx.packed) : attend(q, keys, values, ctx.mask);  // [B, H, T, D]
#else
    const auto attended = attend(q, keys, values, ctx.mask);
#endif
    const auto out = attended.transpose(1, 2)  // [B, T, H, D]
                         .reshape({B, T, H * D});  // [B, T, H*D]
    return o_proj(out);
}

MLPImpl::MLPImpl(const MLPOptions& options_) : options(options_)
{
    reset();
}

void MLPImpl::reset()
{
    using torch::nn::LinearOptions;
    gate_proj = register_module("gate_proj", Projection(LinearOptions(options.hidden(), options.intermediate()).bias(options.bias())));
    up_proj = register_module("up_proj", Projection(LinearOptions(options.hidden(), options.intermediate()).bias(options.bias())));
    down_proj = register_module("down_proj", Projection(LinearOptions(options.intermediate(), options.hidden()).bias(options.bias())));
}

at::Tensor MLPImpl::forward(const at::Tensor& x)
{
    return down_proj(torch::silu(gate_proj(x)) * up_proj(x));
}

DecoderLayerImpl::DecoderLayerImpl(const DecoderLayerOptions& options_) : options(options_)
{
    reset();
}

void DecoderLayerImpl::reset()
{
    self_attn = register_module("self_attn", Attention(options.attention()));
    mlp = register_module("mlp", MLP(options.mlp()));
    input_layernorm = register_module("input_layernorm", RMSNorm(RMSNormOptions(options.attention().hidden()).eps(options.eps())));
    post_attention_layernorm =
        register_module("post_attention_layernorm", RMSNorm(RMSNormOptions(options.attention().hidden()).eps(options.eps())));
}

at::Tensor DecoderLayerImpl::forward(const at::Tensor& x, const LayerContext& ctx)
{
    const auto h = x + self_attn(input_layernorm(x), ctx);
    return h + mlp(post_attention_layernorm(h));
}

}  // namespace distill::model
