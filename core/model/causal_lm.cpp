#include "core/model/causal_lm.h"

#include "core/util/error.h"

#include <ATen/CPUGeneratorImpl.h>
#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include <algorithm>
#include <cmath>
#include <functional>

namespace distill::model {

namespace {

using torch::autograd::AutogradContext;
using torch::autograd::variable_list;

// The autocast state of the calling thread (CUDA and CPU). Autocast is thread-local and backward may
// run on another thread, so a recomputation re-enters the state its forward ran under, as
// torch.utils.checkpoint does.
struct AutocastState {
    bool cuda = false, cpu = false;
    at::ScalarType cudaDtype = at::kHalf, cpuDtype = at::kBFloat16;

    static AutocastState current()
    {
        AutocastState s;
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        s.cuda = at::autocast::is_autocast_enabled(at::kCUDA);
        s.cpu = at::autocast::is_autocast_enabled(at::kCPU);
        s.cudaDtype = at::autocast::get_autocast_dtype(at::kCUDA);
        s.cpuDtype = at::autocast::get_autocast_dtype(at::kCPU);
#else
        s.cuda = at::autocast::is_enabled();
        s.cpu = at::autocast::is_cpu_enabled();
        s.cudaDtype = at::autocast::get_autocast_gpu_dtype();
        s.cpuDtype = at::autocast::get_autocast_cpu_dtype();
#endif
        return s;
    }

    void makeCurrent() const
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_dtype(at::kCUDA, cudaDtype);
        at::autocast::set_autocast_dtype(at::kCPU, cpuDtype);
        at::autocast::set_autocast_enabled(at::kCUDA, cuda);
        at::autocast::set_autocast_enabled(at::kCPU, cpu);
#else
        at::autocast::set_autocast_gpu_dtype(cudaDtype);
        at::autocast::set_autocast_cpu_dtype(cpuDtype);
        at::autocast::set_enabled(cuda);
        at::autocast::set_cpu_enabled(cpu);
#endif
    }
};

// Puts `state` in force for its lifetime, then restores the previous state; weight casts cached while
// it had switched autocast on are dropped.
class AutocastAs {
public:
    explicit AutocastAs(const AutocastState& state) : m_state(state), m_previous(AutocastState::current())
    {
        m_state.makeCurrent();
    }
    ~AutocastAs()
    {
        m_previous.makeCurrent();
        if ((m_state.cuda && !m_previous.cuda) || (m_state.cpu && !m_previous.cpu))
            at::autocast::clear_cache();
    }
    AutocastAs(const AutocastAs&) = delete;
    AutocastAs& operator=(const AutocastAs&) = delete;

private:
    AutocastState m_state, m_previous;
};

// A block to run again in backward: the function of its input and the autocast state of its forward.
struct Recomputation : torch::CustomClassHolder {
    std::function<at::Tensor(const at::Tensor&)> run;
    AutocastState autocast;
};

// Gradient checkpointing of one block (libtorch's C++ API has no torch.utils.checkpoint). Forward
// runs the block without recording a graph and saves only its input. Backward runs the block again,
// gradients on, from a detached copy of that input and back-propagates the incoming gradient through
// it: the block's parameter gradients accumulate as in any backward, and the input's is returned.
// Exact as long as the block is deterministic (no dropout in these models).
struct RecomputeInBackward : torch::autograd::Function<RecomputeInBackward> {
    static at::Tensor forward(AutogradContext* ctx, const at::Tensor& input, c10::intrusive_ptr<Recomputation> block)
    {
        const torch::NoGradGuard noGrad;
        ctx->save_for_backward({input});
        auto output = block->run(input);
        // A capsule is saved_data's slot for a C++ object that is not a tensor or a scalar.
        ctx->saved_data["block"] = c10::IValue::make_capsule(std::move(block));
        return output;
    }

    static variable_list backward(AutogradContext* ctx, variable_list gradOutputs)
    {
        const auto holder = ctx->saved_data["block"].toCapsule();
        ctx->saved_data.erase("block");  // backward runs once: free the block's context with it
        if (!gradOutputs[0].defined())
            return {at::Tensor(), at::Tensor()};
        const auto& block = static_cast<const Recomputation&>(*holder);
        const auto input = ctx->get_saved_variables()[0].detach().requires_grad_(true);
        at::Tensor output;
        {
            const torch::AutoGradMode gradOn(true);
            const AutocastAs autocast(block.autocast);
            output = block.run(input);
        }
        torch::autograd::backward({output}, {gradOutputs[0]});
        return {input.grad(), at::Tensor()};
    }
};

at::Tensor recomputedInBackward(std::function<at::Tensor(const at::Tensor&)> run, const at::Tensor& input)
{
    auto block = c10::make_intrusive<Recomputation>();
    block->run = std::move(run);
    block->autocast = AutocastState::current();
    return RecomputeInBackward::apply(input, std::move(block));
}

}  // namespace

at::Tensor ropeInverseFrequencies(const ModelConfig& config)
{
    const auto D = config.headDim;
    const auto exponents = torch::arange(0, D, 2, torch::kLong).to(torch::kFloat) / double(D);
    auto invFreq = 1.0 / torch::pow(torch::scalar_tensor(config.rope.theta, torch::kFloat), exponents);
    const RopeParameters& rope = config.rope;
    if (rope.ropeType == "linear") {
        invFreq = invFreq / rope.factor;
    } else if (rope.ropeType == "llama3") {
        const double oldContext = double(rope.originalMaxPositionEmbeddings);
        const double lowFreqWavelen = oldContext / rope.lowFreqFactor;
        const double highFreqWavelen = oldContext / rope.highFreqFactor;
        const auto wavelen = 2 * M_PI / invFreq;
        auto scaled = torch::where(wavelen > lowFreqWavelen, invFreq / rope.factor, invFreq);
        const auto smooth = (oldContext / wavelen - rope.lowFreqFactor) / (rope.highFreqFactor - rope.lowFreqFactor);
        const auto smoothed = (1 - smooth) * scaled / rope.factor + smooth * scaled;
        const auto isMedium = (wavelen >= highFreqWavelen).logical_and(wavelen <= lowFreqWavelen);
        invFreq = torch::where(isMedium, smoothed, scaled);
    }
    return invFreq.to(torch::kFloat);
}

DecoderModelImpl::DecoderModelImpl(const ModelConfig& config_) : config(config_)
{
    reset();
}

void DecoderModelImpl::reset()
{
    embed_tokens = register_module("embed_tokens",
                                   torch::nn::Embedding(torch::nn::EmbeddingOptions(config.vocabSize, config.hiddenSize)));
    layers = register_module("layers", torch::nn::ModuleList());
    for (std::int64_t i = 0; i < config.numLayers; ++i) {
        auto attention = AttentionOptions(config.hiddenSize, config.numHeads, config.numKvHeads, config.headDim)
                             .qkv_bias(config.qkvBias)
                             .output_bias(config.outputBias)
                             .qk_norm(config.qkNorm)
                             .eps(config.rmsNormEps)
                             .layer_index(i);
        auto mlp = MLPOptions(config.hiddenSize, config.intermediateSize).bias(config.mlpBias);
        layers->push_back(DecoderLayer(DecoderLayerOptions(attention, mlp).eps(config.rmsNormEps)));
    }
    norm = register_module("norm", RMSNorm(RMSNormOptions(config.hiddenSize).eps(config.rmsNormEps)));
    inv_freq = ropeInverseFrequencies(config);
    // transformers casts the rotary buffer along with the weights when a model is held in bf16/fp16,
    // so checkpoints stored that way were trained and evaluated with rounded frequencies.
    if (config.dtype == "bfloat16")
        inv_freq = inv_freq.to(torch::kBFloat16).to(torch::kFloat);
    else if (config.dtype == "float16")
        inv_freq = inv_freq.to(torch::kHalf).to(torch::kFloat);
}

at::Tensor DecoderModelImpl::forward(const at::Tensor& inputIds, LayerContext& ctx)
{
    auto h = embed_tokens(inputIds);  // [B, T, hidden]
    ctx.cos = ctx.cos.to(h.scalar_type());
    ctx.sin = ctx.sin.to(h.scalar_type());
    // Checkpointing only where a backward follows and never with a KV cache. An input without
    // gradient (frozen embeddings) runs plainly: the recomputation would not reach the parameters.
    const bool recompute = ctx.recompute && !ctx.cache && torch::GradMode::is_enabled();
    for (const auto& module : *layers) {
        const auto layer = std::dynamic_pointer_cast<DecoderLayerImpl>(module);  // shared: the graph may outlive the call
        if (recompute && h.requires_grad())
            h = recomputedInBackward([layer, ctx](const at::Tensor& x) { return layer->forward(x, ctx); }, h);
        else
            h = layer->forward(h, ctx);
    }
    return norm(h);
}

CausalLMImpl::CausalLMImpl(const ModelConfig& config) : m_config(config)
{
    reset();
}

void CausalLMImpl::reset()
{
    model = register_module("model", DecoderModel(m_config));
    if (!m_config.tieWordEmbeddings)
        lm_head = register_module(
            "lm_head", torch::nn::Linear(torch::nn::LinearOptions(m_config.hiddenSize, m_config.vocabSize).bias(false)));
}

void CausalLMImpl::addLora(const LoraOptions& options, std::uint64_t seed)
{
    checkLoraOptions(options);
    if (m_lora)
        throw Error(ErrorCode::InvalidArgument, "the model already has LoRA adapters");
    for (auto& p : parameters())
        p.set_requires_grad(false);
    auto generator = at::detail::createCPUGenerator(seed);
    for (const auto& item : named_modules()) {
        auto* projection = item.value()->as<ProjectionImpl>();
        const std::string name = item.key().substr(item.key().rfind('.') + 1);  // "q_proj", ...
        if (projection && std::find(options.targets.begin(), options.targets.end(), name) != options.targets.end())
            projection->addAdapter(options.rank, options.scaling(), generator);
    }
    m_lora = options;
}

at::Device CausalLMImpl::device() const
{
    return model->embed_tokens->weight.device();
}

c10::ScalarType CausalLMImpl::dtype() const
{
    return model->embed_tokens->weight.scalar_type();
}

void CausalLMImpl::rotaryTables(const at::Tensor& positions, LayerContext& ctx)
{
    if (model->inv_freq.device() != positions.device())
        model->inv_freq = model->inv_freq.to(positions.device());
    const auto freqs = positions.unsqueeze(-1).to(torch::kFloat) * model->inv_freq;  // [B, T, D/2]
    const auto emb = torch::cat({freqs, freqs}, -1);                                                         // [B, T, D]
    ctx.cos = emb.cos();
    ctx.sin = emb.sin();
}

at::Tensor CausalLMImpl::forward(const at::Tensor& inputIds, const at::Tensor& attentionMask)
{
    const auto B = inputIds.size(0), T = inputIds.size(1);
    const auto opts = torch::TensorOptions().device(inputIds.device());
    LayerContext ctx;
    const auto causal = torch::ones({T, T}, opts.dtype(torch::kBool)).tril();  // [T, T]
    if (attentionMask.defined()) {
        const auto keep = attentionMask.to(torch::kBool);                                        // [B, T]
        ctx.positions = (attentionMask.to(torch::kLong).cumsum(-1) - 1).clamp_min(0);           // [B, T]
        const auto eye = torch::eye(T, opts.dtype(torch::kBool));                                // [T, T]
        // Padding queries see themselves only, so no softmax row is empty.
        ctx.mask = (causal.unsqueeze(0).logical_and(keep.unsqueeze(1))).logical_or(eye).unsqueeze(1);  // [B, 1, T, T]
    } else {
        ctx.positions = torch::arange(T, opts.dtype(torch::kLong)).unsqueeze(0).expand({B, T});  // [B, T]
        ctx.mask = causal.view({1, 1, T, T});                                                    // [1, 1, T, T]
    }
    rotaryTables(ctx.positions, ctx);
    return logits(model->forward(inputIds, ctx));
}

#if TORCH_VERSION_MAJOR >= 2
namespace {

// The samples of packed rows from their sequence ids (-1: padding), read on the CPU.
PackedSamples packedSamples(const at::Tensor& sequenceIds, c10::Device device)
{
    const auto ids = sequenceIds.to(torch::kCPU, torch::kLong).contiguous();  // [B, T]
    const auto B = ids.size(0), T = ids.size(1);
    const auto* data = ids.data_ptr<std::int64_t>();
    PackedSamples packed;
    std::vector<std::int64_t> tokens;
    std::vector<std::int32_t> cumulative = {0};
    for (std::int64_t b = 0; b < B; ++b) {
        packed.rows.emplace_back();
        for (std::int64_t t = 0; t < T;) {
            const std::int64_t id = data[b * T + t];
            std::int64_t end = t + 1;
            while (end < T && data[b * T + end] == id)
                ++end;
            if (id >= 0) {  // -1: padding
                packed.rows.back().emplace_back(t, end - t);
                for (std::int64_t i = t; i < end; ++i)
                    tokens.push_back(b * T + i);
                cumulative.push_back(cumulative.back() + std::int32_t(end - t));
                packed.maxLength = std::max(packed.maxLength, end - t);
            }
            t = end;
        }
    }
    packed.tokens = torch::tensor(tokens, torch::kLong).to(device);
    packed.cuSeqlens = torch::tensor(cumulative, torch::kInt).to(device);
    return packed;
}

}  // namespace
#endif

at::Tensor CausalLMImpl::forwardPacked(const at::Tensor& inputIds, const at::Tensor& positionIds,
                                       const at::Tensor& sequenceIds)
{
    LayerContext ctx;
#if TORCH_VERSION_MAJOR >= 2
    ctx.packed = std::make_shared<const PackedSamples>(packedSamples(sequenceIds, inputIds.device()));
#else
    const auto T = inputIds.size(1);
    const auto causal = torch::ones({T, T}, torch::TensorOptions().device(inputIds.device()).dtype(torch::kBool)).tril();
    const auto sameSample = sequenceIds.unsqueeze(2) == sequenceIds.unsqueeze(1);      // [B, T, T]
    ctx.mask = sameSample.logical_and(causal.unsqueeze(0)).unsqueeze(1);                 // [B, 1, T, T]
#endif
    ctx.positions = positionIds;
    ctx.recompute = m_gradientCheckpointing;
    rotaryTables(positionIds, ctx);
    return model->forward(inputIds, ctx);
}

at::Tensor CausalLMImpl::forwardCached(const at::Tensor& inputIds, const at::Tensor& positions, KvCache& cache,
                                       const at::Tensor& slotIds, bool slotsAreRange)
{
    LayerContext ctx;
    ctx.cache = &cache;
    ctx.slotIds = slotIds;
    ctx.positions = positions;
    ctx.slotsAreRange = slotsAreRange;
    ctx.keyLength = positions.max().item<std::int64_t>() + 1;
    const auto keyPos = torch::arange(ctx.keyLength, positions.options());  // [Tk]
    ctx.mask = (keyPos.view({1, 1, -1}) <= positions.unsqueeze(-1)).unsqueeze(1);  // [B, 1, T, Tk]
    rotaryTables(positions, ctx);
    return model->forward(inputIds, ctx);
}

at::Tensor CausalLMImpl::logits(const at::Tensor& hidden)
{
    return lm_head ? lm_head(hidden) : torch::nn::functional::linear(hidden, model->embed_tokens->weight);
}

KvCache CausalLMImpl::makeCache(std::int64_t slotIds, std::int64_t maxLength) const
{
    KvCache cache;
    const auto opts = torch::TensorOptions().device(device()).dtype(dtype());
    for (std::int64_t i = 0; i < m_config.numLayers; ++i) {
        cache.keys.push_back(torch::zeros({slotIds, m_config.numKvHeads, maxLength, m_config.headDim}, opts));
        cache.values.push_back(torch::zeros({slotIds, m_config.numKvHeads, maxLength, m_config.headDim}, opts));
    }
    return cache;
}

at::Tensor causalLmLoss(const at::Tensor& logits, const at::Tensor& labels)
{
    const auto V = logits.size(-1);
    const auto shifted = logits.narrow(1, 0, logits.size(1) - 1).reshape({-1, V}).to(torch::kFloat);  // [B*(T-1), V]
    const auto targets = labels.narrow(1, 1, labels.size(1) - 1).reshape({-1});                      // [B*(T-1)]
    return torch::nn::functional::cross_entropy(
        shifted, targets, torch::nn::functional::CrossEntropyFuncOptions().ignore_index(-100));
}

}  // namespace distill::model
