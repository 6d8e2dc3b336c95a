#include "core/infer/sampler.h"

#include <torch/torch.h>

#include <algorithm>
#include <limits>

namespace distill::infer {

SequenceRng::SequenceRng(std::uint64_t seed, std::uint64_t stream)
{
    std::seed_seq seq{std::uint32_t(seed), std::uint32_t(seed >> 32), std::uint32_t(stream), std::uint32_t(stream >> 32)};
    m_engine.seed(seq);
}

double SequenceRng::uniform()
{
    return std::generate_canonical<double, 53>(m_engine);
}

namespace {

bool isGreedy(const SamplingParams& p)
{
    return p.temperature <= 0.0;
}

// Logits [A, V] in float32 with each row's repetition penalty applied (CTRL: divide positive
// logits, multiply negative ones, once per distinct seen token).
at::Tensor penalised(const at::Tensor& logits, const std::vector<SampleRow>& rows)
{
    at::Tensor x = logits.to(torch::kFloat);
    std::size_t width = 0;
    for (const SampleRow& r : rows)
        if (r.params->repetitionPenalty != 1.0 && r.seen)
            width = std::max(width, r.seen->size());
    if (width == 0)
        return x;
    x = x.clone();
    const auto A = std::int64_t(rows.size());
    std::vector<std::int64_t> idx(std::size_t(A) * width, 0);
    std::vector<float> penalty(std::size_t(A), 1.0f);
    for (std::int64_t a = 0; a < A; ++a) {
        const SampleRow& r = rows[std::size_t(a)];
        if (r.params->repetitionPenalty == 1.0 || !r.seen || r.seen->empty())
            continue;
        penalty[std::size_t(a)] = float(r.params->repetitionPenalty);
        for (std::size_t j = 0; j < width; ++j)  // pad by repeating: scattering a value twice is harmless
            idx[std::size_t(a) * width + j] = (*r.seen)[j % r.seen->size()];
    }
    const auto index = torch::from_blob(idx.data(), {A, std::int64_t(width)}, torch::kLong).to(x.device());
    const auto p = torch::from_blob(penalty.data(), {A, 1}, torch::kFloat).to(x.device());
    const auto g = x.gather(1, index);  // [A, W]
    x.scatter_(1, index, torch::where(g > 0, g / p, g * p));
    return x;
}

// Filtered probabilities in descending order [A, V] and the vocabulary index of each column.
std::pair<at::Tensor, at::Tensor> sortedDistribution(const at::Tensor& logits, const std::vector<SampleRow>& rows)
{
    const auto A = logits.size(0), V = logits.size(1);
    const at::Tensor x = penalised(logits, rows);
    std::vector<float> temperature, topP, minP;
    std::vector<std::int64_t> topK;
    for (const SampleRow& r : rows) {
        const SamplingParams& p = *r.params;
        temperature.push_back(isGreedy(p) ? 1.0f : float(p.temperature));
        topK.push_back(p.topK > 0 && !isGreedy(p) ? std::min(p.topK, V) : V);
        topP.push_back(p.topP < 1.0 && !isGreedy(p) ? float(p.topP) : 2.0f);
        minP.push_back(isGreedy(p) ? 0.0f : float(p.minP));
    }
    const auto dev = x.device();
    const auto col = [&](std::vector<float>& v) { return torch::from_blob(v.data(), {A, 1}, torch::kFloat).to(dev); };
    const auto kCol = torch::from_blob(topK.data(), {A, 1}, torch::kLong).to(dev);

    const auto [sorted, order] = (x / col(temperature)).sort(-1, /*descending=*/true);  // [A, V] each
    auto probs = torch::softmax(sorted, -1);
    const auto rank = torch::arange(V, torch::TensorOptions().dtype(torch::kLong).device(dev)).unsqueeze(0);  // [1, V]
    probs = probs.masked_fill(rank >= kCol, 0.0);
    probs = probs / probs.sum(-1, true);
    const auto before = probs.cumsum(-1) - probs;  // mass strictly above each token
    probs = probs.masked_fill(before >= col(topP), 0.0);
    probs = probs.masked_fill(probs < col(minP) * probs.narrow(1, 0, 1), 0.0);
    probs = probs / probs.sum(-1, true);
    // Greedy rows: all mass on the arg-max.
    std::vector<std::int64_t> greedy;
    for (std::int64_t a = 0; a < A; ++a)
        if (isGreedy(*rows[std::size_t(a)].params))
            greedy.push_back(a);
    if (!greedy.empty()) {
        const auto g = torch::tensor(greedy, torch::kLong).to(dev);
        probs.index_fill_(0, g, 0.0);
        probs.index_put_({g, torch::zeros_like(g)}, torch::ones({std::int64_t(greedy.size())}, probs.options()));
    }
    return {probs, order};
}

}  // namespace

at::Tensor samplingDistribution(const at::Tensor& logits, const std::vector<SampleRow>& rows)
{
    const auto [probs, order] = sortedDistribution(logits, rows);
    return torch::zeros_like(probs).scatter_(1, order, probs);
}

std::vector<std::int64_t> sampleTokens(const at::Tensor& logits, const std::vector<SampleRow>& rows)
{
    const auto A = logits.size(0);
    const bool allGreedy = std::all_of(rows.begin(), rows.end(), [](const SampleRow& r) { return isGreedy(*r.params); });
    at::Tensor chosen;
    if (allGreedy) {
        chosen = penalised(logits, rows).argmax(-1);
    } else {
        const auto [probs, order] = sortedDistribution(logits, rows);  // [A, V] each
        std::vector<float> u;
        for (const SampleRow& r : rows)
            u.push_back(isGreedy(*r.params) ? 0.5f : float(r.rng->uniform()));
        const auto uCol = torch::from_blob(u.data(), {A, 1}, torch::kFloat).to(probs.device());
        const auto cdf = probs.cumsum(-1);  // [A, V]
        // First index whose cumulative mass exceeds u * total, skipping zero-probability tokens.
        const auto below = (cdf < uCol * cdf.narrow(1, cdf.size(1) - 1, 1)).logical_or(probs <= 0);
        const auto column = below.logical_not().to(torch::kInt).argmax(-1, true);  // [A, 1]
        chosen = order.gather(1, column).squeeze(1);
    }
    chosen = chosen.to(torch::kCPU, torch::kLong).contiguous();
    return std::vector<std::int64_t>(chosen.data_ptr<std::int64_t>(), chosen.data_ptr<std::int64_t>() + A);
}

}  // namespace distill::infer
