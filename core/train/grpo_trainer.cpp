#include "core/train/grpo_trainer.h"

#include "core/infer/engine.h"
#include "core/train/autocast.h"
#include "core/train/distributed.h"
#include "core/util/error.h"
#include "core/util/split_mix64.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>

namespace distill::train {

namespace {

double secondsSince(std::chrono::steady_clock::time_point start)
{
    return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

// Completions [begin, end) as right-padded prompt + completion rows with the mask of the completion
// tokens in the shifted (next-token) frame.
struct RolloutBatch {
    at::Tensor ids, attention, mask, advantages;  // [n, L], [n, L], [n, L-1], [n]
};

RolloutBatch makeRolloutBatch(const std::vector<GrpoPrompt>& prompts, const std::vector<GrpoRollout>& rollouts,
                              std::size_t begin, std::size_t end, bool maskTruncated)
{
    std::int64_t L = 2;
    for (std::size_t i = begin; i < end; ++i)
        L = std::max<std::int64_t>(L, std::int64_t(prompts[rollouts[i].prompt].ids.size() + rollouts[i].ids.size()));
    const auto n = std::int64_t(end - begin);
    RolloutBatch batch;
    batch.ids = torch::zeros({n, L}, torch::kLong);
    batch.attention = torch::zeros({n, L}, torch::kLong);
    batch.mask = torch::zeros({n, L - 1}, torch::kFloat);
    batch.advantages = torch::zeros({n}, torch::kFloat);
    auto ids = batch.ids.accessor<std::int64_t, 2>();
    auto attention = batch.attention.accessor<std::int64_t, 2>();
    auto mask = batch.mask.accessor<float, 2>();
    for (std::int64_t r = 0; r < n; ++r) {
        const GrpoRollout& rollout = rollouts[begin + std::size_t(r)];
        const auto& prompt = prompts[rollout.prompt].ids;
        const auto P = std::int64_t(prompt.size()), C = std::int64_t(rollout.ids.size());
        for (std::int64_t t = 0; t < P; ++t)
            ids[r][t] = prompt[std::size_t(t)];
        for (std::int64_t t = 0; t < C; ++t)
            ids[r][P + t] = rollout.ids[std::size_t(t)];
        for (std::int64_t t = 0; t < P + C; ++t)
            attention[r][t] = 1;
        if (!(maskTruncated && rollout.truncated))
            for (std::int64_t t = P - 1; t < P + C - 1; ++t)  // position t predicts token t + 1
                mask[r][t] = 1.0F;
        batch.advantages[r] = rollout.advantage;
    }
    return batch;
}

}  // namespace

GrpoTrainer::GrpoTrainer(model::CausalLM policy, RewardSet rewards, GrpoOptions options, Detokenizer detokenize)
    : m_policy(std::move(policy)), m_rewards(std::move(rewards)), m_options(std::move(options)),
      m_detokenize(std::move(detokenize)), m_optimizer(m_policy->parameters(), m_options.optimizer)
{
    if (m_options.groupSize < 2)
        throw Error(ErrorCode::InvalidArgument, "GRPO needs at least 2 samples per prompt", "set num_generations >= 2");
    if (m_options.updatesPerBatch < 1 || m_options.microBatchSize < 1)
        throw Error(ErrorCode::InvalidArgument, "updates per batch and micro-batch size must be positive");
}

GrpoTrainer::~GrpoTrainer() = default;

void GrpoTrainer::setReference(model::CausalLM reference)
{
    if (reference->config().vocabSize != m_policy->config().vocabSize)
        throw Error(ErrorCode::InvalidArgument, "the reference model's vocabulary differs from the policy's");
    reference->eval();
    for (auto& p : reference->parameters())
        p.set_requires_grad(false);
    m_reference = std::move(reference);
}

void GrpoTrainer::setDataParallel(DataParallel& parallel)
{
    if (parallel.worldSize() == 1)
        return;  // one process steps as without
    parallel.broadcastFromMain(m_policy->parameters());
    m_parallel = &parallel;
}

void GrpoTrainer::restore(std::int64_t stepsDone, const std::filesystem::path& optimizerFile)
{
    m_optimizer.load(optimizerFile, m_policy->device());
    m_step = stepsDone;
}

std::vector<GrpoRollout> GrpoTrainer::rollout(const std::vector<GrpoPrompt>& prompts, std::size_t firstPrompt)
{
    const auto start = std::chrono::steady_clock::now();
    std::vector<infer::GenerationRequest> requests;
    util::SplitMix64 seeds(m_options.sampling.seed ^ (0x6A09E667F3BCC909ULL * std::uint64_t(m_step + 1)));
    for (std::size_t i = 0; i < firstPrompt; ++i)
        seeds.next();  // the seeds of the prompts before this rank's slice
    for (const auto& prompt : prompts) {
        infer::GenerationRequest request;
        request.prompt = prompt.ids;
        request.sampling = m_options.sampling;
        request.sampling.seed = seeds.next();
        request.n = int(m_options.groupSize);
        request.maxNewTokens = m_options.maxNewTokens;
        request.stopTokenIds = m_options.stopTokenIds;
        requests.push_back(std::move(request));
    }
    std::vector<infer::Completion> completions;
    {
        const torch::NoGradGuard noGrad;
        const AutocastScope autocast(m_options.bf16);
        infer::EngineOptions engineOptions;
        engineOptions.maxBatch = m_options.engineSlots;
        engineOptions.detokenize = m_detokenize;
        infer::Engine engine(m_policy.ptr(), engineOptions);  // the live policy weights, no copy
        completions = engine.generate(requests);
    }
    std::vector<GrpoRollout> rollouts;
    std::vector<double> totals;
    for (auto& completion : completions) {
        GrpoRollout r;
        r.prompt = completion.request;
        r.ids = std::move(completion.ids);
        r.text = m_detokenize ? m_detokenize(r.ids) : completion.text;
        r.truncated = completion.finish == infer::FinishReason::Length;
        const RewardInput input{r.text, prompts[r.prompt].gold, std::int64_t(r.ids.size()), r.truncated};
        r.scores = m_rewards.score(input);
        r.reward = m_rewards.total(r.scores);
        totals.push_back(r.reward);
        rollouts.push_back(std::move(r));
    }
    const auto advantages = groupAdvantages(torch::tensor(totals, torch::kDouble), m_options.groupSize,
                                            m_options.scaleRewards);
    for (std::size_t i = 0; i < rollouts.size(); ++i)
        rollouts[i].advantage = advantages[std::int64_t(i)].item<double>();
    m_rolloutSeconds = secondsSince(start);
    return rollouts;
}

GrpoStepStats rolloutStatistics(const std::vector<GrpoRollout>& rollouts, std::size_t rewardTerms,
                                std::int64_t groupSize, DataParallel* parallel)
{
    // Sums (of every rank), then the statistics: [n, Σr, Σr², Σlength, truncated, groups, flat groups,
    // then Σ and Σ² of each reward term].
    std::vector<double> sums(7 + 2 * rewardTerms, 0.0);
    double lengthMax = 0.0;
    for (const auto& r : rollouts) {
        sums[0] += 1.0;
        sums[1] += r.reward;
        sums[2] += r.reward * r.reward;
        sums[3] += double(r.ids.size());
        sums[4] += r.truncated ? 1.0 : 0.0;
        lengthMax = std::max(lengthMax, double(r.ids.size()));
        for (std::size_t k = 0; k < rewardTerms; ++k) {
            sums[7 + 2 * k] += r.scores[k];
            sums[8 + 2 * k] += r.scores[k] * r.scores[k];
        }
    }
    const auto G = std::size_t(groupSize);
    for (std::size_t g = 0; g + G <= rollouts.size(); g += G) {
        const auto [lo, hi] = std::minmax_element(rollouts.begin() + std::ptrdiff_t(g), rollouts.begin() + std::ptrdiff_t(g + G),
                                                  [](const GrpoRollout& a, const GrpoRollout& b) { return a.reward < b.reward; });
        sums[5] += 1.0;
        sums[6] += lo->reward == hi->reward ? 1.0 : 0.0;
    }
    if (parallel) {
        sums = parallel->sum(sums);
        lengthMax = parallel->max({lengthMax}).front();
    }
    const double n = std::max(1.0, sums[0]);
    // The unbiased standard deviation (as torch.std) from a sum and a sum of squares.
    const auto stdOf = [&](double sum, double squares) {
        return sums[0] > 1.0 ? std::sqrt(std::max(0.0, (squares - sum * sum / n) / (n - 1.0))) : 0.0;
    };
    GrpoStepStats stats;
    stats.totalRewardMean = sums[1] / n;
    stats.totalRewardStd = stdOf(sums[1], sums[2]);
    stats.lengthMean = sums[3] / n;
    stats.lengthMax = std::int64_t(lengthMax);
    stats.truncatedShare = sums[4] / n;
    stats.noSignalShare = sums[5] > 0.0 ? sums[6] / sums[5] : 0.0;
    for (std::size_t k = 0; k < rewardTerms; ++k) {
        stats.rewardMean.push_back(sums[7 + 2 * k] / n);
        stats.rewardStd.push_back(stdOf(sums[7 + 2 * k], sums[8 + 2 * k]));
    }
    return stats;
}

struct GrpoTrainer::Batch {
    RolloutBatch rows;
    at::Tensor oldLogp, refLogp;  // undefined when μ = 1 (the old policy is the current one) / β = 0
};

std::vector<GrpoTrainer::Batch> GrpoTrainer::prepareBatches(const std::vector<GrpoPrompt>& prompts,
                                                            const std::vector<GrpoRollout>& rollouts)
{
    const torch::NoGradGuard noGrad;
    const AutocastScope autocast(m_options.bf16);
    const double temperature = samplingTemperature();
    std::vector<Batch> batches;
    for (std::size_t b = 0; b < rollouts.size(); b += std::size_t(m_options.microBatchSize)) {
        Batch batch;
        batch.rows = makeRolloutBatch(prompts, rollouts, b, std::min(rollouts.size(), b + std::size_t(m_options.microBatchSize)),
                                      m_options.maskTruncated);
        if (m_options.updatesPerBatch > 1)
            batch.oldLogp = tokenLogProbs(*m_policy, batch.rows.ids, batch.rows.attention, temperature).logp;
        if (m_options.loss.beta != 0.0)
            batch.refLogp = tokenLogProbs(**m_reference, batch.rows.ids, batch.rows.attention, temperature).logp;
        batches.push_back(std::move(batch));
    }
    return batches;
}

void GrpoTrainer::updateOnce(const std::vector<Batch>& batches, double normaliser, bool first, GrpoStepStats& stats,
                             double& clipped, double& counted)
{
    // [Σloss, Σentropy, Σpolicy term, ΣKL, tokens] of this update, over every rank when data-parallel.
    std::vector<double> sums(5, 0.0);
    for (const Batch& batch : batches) {
        const AutocastScope autocast(m_options.bf16);
        const auto current = tokenLogProbs(*m_policy, batch.rows.ids, batch.rows.attention, samplingTemperature());
        // With one update the old policy is the current one: ratio 1, gradient of the plain surrogate.
        const auto old = batch.oldLogp.defined() ? batch.oldLogp : current.logp.detach();
        const auto parts = grpoLoss(current.logp, old, batch.refLogp, batch.rows.advantages, batch.rows.mask,
                                    m_options.loss, normaliser);
        parts.loss.backward();
        sums[0] += parts.loss.item<double>();
        sums[1] += (current.entropy * batch.rows.mask.to(current.entropy.device())).sum().item<double>();
        sums[2] += parts.policyLossSum;
        sums[3] += parts.klSum;
        sums[4] += double(parts.tokens);
        clipped += double(parts.clippedTokens);
        counted += double(parts.tokens);
    }
    if (m_parallel) {  // the whole step's gradient on every rank
        std::vector<at::Tensor> gradients;
        for (const auto& p : m_optimizer.parameters()) {
            if (!p.grad().defined())
                p.mutable_grad() = torch::zeros_like(p);  // a rank without completions
            gradients.push_back(p.grad());
        }
        m_parallel->sumInPlace(gradients);
        if (first)
            sums = m_parallel->sum(sums);
    }
    if (first) {
        const double denom = std::max(1.0, sums[4]);
        stats.loss = sums[0];
        stats.entropy = sums[1] / denom;
        stats.policyLoss = sums[2] / denom;
        stats.kl = sums[3] / denom;
    }
    stats.gradNorm = m_optimizer.clipAndStep();
}

GrpoStepStats GrpoTrainer::update(const std::vector<GrpoPrompt>& prompts, const std::vector<GrpoRollout>& rollouts)
{
    const auto start = std::chrono::steady_clock::now();
    if (rollouts.empty() && !m_parallel)
        throw Error(ErrorCode::InvalidArgument, "no rollouts to learn from");
    if (m_options.loss.beta != 0.0 && !m_reference)
        throw Error(ErrorCode::InvalidArgument, "a KL weight (beta) needs a reference model");
    GrpoStepStats stats = rolloutStatistics(rollouts, m_rewards.terms().size(), m_options.groupSize, m_parallel);
    stats.step = m_step;
    stats.rolloutSeconds = m_rolloutSeconds;
    const std::vector<Batch> batches = prepareBatches(prompts, rollouts);
    // The loss of the whole step is divided by its masked tokens (token aggregation) or completions.
    double maskedTokens = 0.0;
    for (const Batch& batch : batches)
        maskedTokens += batch.rows.mask.sum().item<double>();
    std::vector<double> counts = {maskedTokens, double(rollouts.size())};
    if (m_parallel)
        counts = m_parallel->sum(counts);
    const double normaliser = m_options.loss.aggregation == LossAggregation::Token ? std::max(1.0, counts[0]) : counts[1];
    stats.lr = m_optimizer.setStep(m_step);
    m_policy->train();
    double clipped = 0.0, counted = 0.0;
    for (std::int64_t update = 0; update < m_options.updatesPerBatch; ++update)
        updateOnce(batches, normaliser, update == 0, stats, clipped, counted);
    if (m_parallel) {
        const auto totals = m_parallel->sum({clipped, counted});
        clipped = totals[0];
        counted = totals[1];
    }
    stats.clipFraction = counted > 0.0 ? clipped / counted : 0.0;
    ++m_step;
    stats.trainSeconds = secondsSince(start);
    return stats;
}

GrpoStepStats GrpoTrainer::step(const std::vector<GrpoPrompt>& prompts, std::vector<GrpoRollout>* rollouts,
                                std::size_t firstPrompt)
{
    auto made = rollout(prompts, firstPrompt);
    const auto stats = update(prompts, made);
    if (rollouts)
        *rollouts = std::move(made);
    return stats;
}

}  // namespace distill::train
