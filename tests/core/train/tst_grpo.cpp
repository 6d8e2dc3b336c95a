// Tests of GRPO: advantages, clipping, the k3 estimator, rewards on adversarial completions, the loss
// and gradients of the trainer against the formula evaluated independently here, the golden curve
// of a fixed policy and fixed rollouts (computed in plain PyTorch), optimizer resume, and a short run
// on a tiny model in which the mean reward rises.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/grpo_loss.h"
#include "core/train/grpo_trainer.h"
#include "core/train/reward_functions.h"
#include "core/util/error.h"
#include "tests/support/tensor_checks.h"

#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace distill;
using namespace distill::train;
namespace fs = std::filesystem;
using distill::test::gradsOf;
using distill::test::zeroGrads;

namespace {

fs::path sourcePath(const char* relative)
{
    return fs::path(DISTILLERY_SOURCE_DIR) / relative;
}

model::CausalLM tinyQwen()
{
    return model::loadModel(sourcePath("tests/fixtures/models/tiny-qwen2")).model;
}

// The same model with every weight moved a little (a different but close policy).
model::CausalLM perturbed(std::uint64_t seed, double scale)
{
    auto m = tinyQwen();
    torch::manual_seed(seed);
    const torch::NoGradGuard noGrad;
    for (auto& p : m->parameters())
        p.add_(torch::randn_like(p) * scale);
    return m;
}

// log p(ids[t+1] | ids[<=t]) written out directly: full forward, log-softmax, gather, one row at a time.
at::Tensor directLogProbs(model::CausalLMImpl& m, const std::vector<std::vector<std::int64_t>>& rows, std::int64_t T,
                          double temperature = 1.0)
{
    std::vector<at::Tensor> out;
    for (const auto& row : rows) {
        const auto ids = torch::tensor(row, torch::kLong).unsqueeze(0);  // [1, n]
        const auto logits = m.forward(ids)[0] / temperature;            // [n, V]
        const auto logProbs = logits - logits.logsumexp(-1, true);
        std::vector<at::Tensor> lp;
        for (std::size_t t = 0; t + 1 < row.size(); ++t)
            lp.push_back(logProbs[std::int64_t(t)][row[t + 1]]);
        auto v = torch::stack(lp);
        if (v.size(0) < T)
            v = torch::cat({v, torch::zeros({T - v.size(0)})});
        out.push_back(v);
    }
    return torch::stack(out);  // [N, T]
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b)
{
    return (a - b).abs().max().item<double>();
}

// Right-padded ids and attention mask of rows.
std::pair<at::Tensor, at::Tensor> padded(const std::vector<std::vector<std::int64_t>>& rows, std::int64_t L)
{
    auto ids = torch::zeros({std::int64_t(rows.size()), L}, torch::kLong);
    auto att = torch::zeros({std::int64_t(rows.size()), L}, torch::kLong);
    for (std::size_t r = 0; r < rows.size(); ++r)
        for (std::size_t t = 0; t < rows[r].size(); ++t) {
            ids[std::int64_t(r)][std::int64_t(t)] = rows[r][t];
            att[std::int64_t(r)][std::int64_t(t)] = 1;
        }
    return {ids, att};
}

}  // namespace

class TestGrpo : public QObject {
    Q_OBJECT

private slots:
    void advantagesWithStd()
    {
        const auto rewards = torch::tensor({1.0, 0.0, 0.0, 0.0, 2.0, 2.0, 2.0, 2.0}, torch::kDouble);
        const auto a = groupAdvantages(rewards, 4, true, 1e-4);
        // group 1: mean 0.25, unbiased std 0.5
        QCOMPARE(a.size(0), 8);
        QVERIFY(std::abs(a[0].item<double>() - 0.75 / (0.5 + 1e-4)) < 1e-5);
        QVERIFY(std::abs(a[1].item<double>() + 0.25 / (0.5 + 1e-4)) < 1e-5);
        // group 2: all the same -> no signal
        for (int i = 4; i < 8; ++i)
            QCOMPARE(a[i].item<double>(), 0.0);
        QVERIFY(std::abs(a.narrow(0, 0, 4).sum().item<double>()) < 1e-5);
    }

    void advantagesWithoutStd()
    {
        const auto rewards = torch::tensor({3.0, 1.0, 1.0, 1.0}, torch::kDouble);
        const auto a = groupAdvantages(rewards, 4, false);
        QVERIFY(std::abs(a[0].item<double>() - 1.5) < 1e-6);
        QVERIFY(std::abs(a[3].item<double>() + 0.5) < 1e-6);
        QVERIFY_THROWS_EXCEPTION(Error, groupAdvantages(rewards, 3, true));
    }

    void k3Estimator()
    {
        torch::manual_seed(1);
        const auto logp = torch::randn({200}).log_softmax(0);
        const auto ref = torch::randn({200}).log_softmax(0);
        const auto k = k3Divergence(logp, ref);
        QVERIFY(k.min().item<double>() >= 0.0);
        QVERIFY(k.max().item<double>() > 0.0);
        QCOMPARE(k3Divergence(logp, logp).abs().max().item<double>(), 0.0);
        // the formula at one point: d = ref - logp = 0.5 -> e^0.5 - 0.5 - 1
        const auto one = k3Divergence(torch::tensor({-1.0}), torch::tensor({-0.5}));
        QVERIFY(std::abs(one[0].item<double>() - (std::exp(0.5) - 1.5)) < 1e-6);
    }

    void clippingZeroesGradient()
    {
        // 4 tokens of one completion; ratios 1.5 (A>0: clipped), 0.5 (A>0: not clipped, min picks r A),
        // and for a second completion with A<0: 0.5 (clipped), 1.5 (not clipped).
        const auto old = torch::zeros({2, 2});
        auto logp = torch::log(torch::tensor({{1.5, 0.5}, {0.5, 1.5}})).requires_grad_(true);
        const auto adv = torch::tensor({1.0, -1.0});
        const auto mask = torch::ones({2, 2});
        GrpoLossOptions options;
        options.epsilonLow = 0.2;
        options.epsilonHigh = 0.28;
        const auto parts = grpoLoss(logp, old, {}, adv, mask, options, 4.0);
        parts.loss.backward();
        const auto g = logp.grad();
        QCOMPARE(g[0][0].item<double>(), 0.0);  // r = 1.5 > 1.28 with A > 0
        QCOMPARE(g[1][0].item<double>(), 0.0);  // r = 0.5 < 0.8 with A < 0
        QVERIFY(std::abs(g[0][1].item<double>() - (-0.5 / 4.0)) < 1e-6);  // d(-r A)/dlogp = -r A / N
        QVERIFY(std::abs(g[1][1].item<double>() - (1.5 / 4.0)) < 1e-6);
        QCOMPARE(parts.clippedTokens, std::int64_t(2));
        QCOMPARE(parts.tokens, std::int64_t(4));
        // inside [1 - εl, 1 + εh] nothing is clipped: ratio 1.25 < 1.28 keeps its gradient
        auto inside = torch::log(torch::tensor({{1.25}})).requires_grad_(true);
        const auto p2 = grpoLoss(inside, torch::zeros({1, 1}), {}, torch::tensor({1.0}), torch::ones({1, 1}), options, 1.0);
        p2.loss.backward();
        QVERIFY(std::abs(inside.grad()[0][0].item<double>() + 1.25) < 1e-6);
        QCOMPARE(p2.clippedTokens, std::int64_t(0));
    }

    // Rollouts drawn at temperature T are scored under the tempered policy softmax(logits / T), so
    // that the ratio and the gradient are on-policy for what the engine sampled.
    void logProbsAtSamplingTemperature()
    {
        auto policy = tinyQwen();
        const std::vector<std::vector<std::int64_t>> rows = {{5, 17, 300, 41, 9, 77}, {8, 2, 513, 1000}};
        const std::int64_t L = 6, T = L - 1;
        const auto [ids, att] = padded(rows, L);
        const torch::NoGradGuard noGrad;
        const auto tempered = tokenLogProbs(*policy, ids, att, 0.6).logp;
        const auto plain = tokenLogProbs(*policy, ids, att).logp;
        const auto expected = directLogProbs(*policy, rows, T, 0.6);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            const auto n = std::int64_t(rows[r].size()) - 1;
            const auto row = std::int64_t(r);
            QVERIFY(maxAbsDiff(tempered[row].narrow(0, 0, n), expected[row].narrow(0, 0, n)) < 1e-5);
            QVERIFY(maxAbsDiff(tempered[row].narrow(0, 0, n), plain[row].narrow(0, 0, n)) > 1e-2);
        }
        QVERIFY_EXCEPTION_THROWN(tokenLogProbs(*policy, ids, att, 0.0), Error);
    }

    // House rule 8: the loss and gradients of the GRPO objective on a fixed tiny model and fixed
    // rollouts equal the formula evaluated here independently (per-row forward, log-softmax gather,
    // ratio, clip, k3, aggregation), for both aggregations.
    void lossAndGradientsMatchFormula_data()
    {
        QTest::addColumn<bool>("sequenceLevel");
        QTest::newRow("token") << false;
        QTest::newRow("sequence") << true;
    }
    void lossAndGradientsMatchFormula()
    {
        QFETCH(bool, sequenceLevel);
        auto policy = tinyQwen();
        auto old = perturbed(11, 0.05);
        auto ref = perturbed(12, 0.05);
        const std::vector<std::vector<std::int64_t>> rows = {{5, 17, 300, 41, 9, 77}, {8, 2, 513, 1000}, {99, 98, 97, 96, 95}};
        const std::vector<std::int64_t> promptLen = {2, 1, 3};
        const std::vector<double> adv = {1.2, -0.7, 0.4};
        const std::int64_t L = 6, T = L - 1;
        const auto [ids, att] = padded(rows, L);
        auto mask = torch::zeros({3, T});
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::int64_t t = promptLen[r] - 1; t < std::int64_t(rows[r].size()) - 1; ++t)
                mask[std::int64_t(r)][t] = 1.0;
        GrpoLossOptions options;
        options.epsilonLow = 0.02;  // small, so that some tokens are clipped
        options.epsilonHigh = 0.03;
        options.beta = 0.1;
        options.aggregation = sequenceLevel ? LossAggregation::Sequence : LossAggregation::Token;

        at::Tensor oldLogp, refLogp;
        {
            const torch::NoGradGuard noGrad;
            oldLogp = directLogProbs(*old, rows, T);
            refLogp = directLogProbs(*ref, rows, T);
        }
        // Trainer code path.
        const double tokens = mask.sum().item<double>();
        const double normaliser = sequenceLevel ? 3.0 : tokens;
        const auto current = tokenLogProbs(*policy, ids, att);
        const auto parts = grpoLoss(current.logp, oldLogp, refLogp, torch::tensor({1.2F, -0.7F, 0.4F}), mask, options, normaliser);
        parts.loss.backward();
        const auto trainerGrads = gradsOf(*policy);
        zeroGrads(*policy);

        // The formula, token by token.
        const auto lp = directLogProbs(*policy, rows, T);
        at::Tensor total = torch::zeros({}, torch::kFloat);
        int clipped = 0;
        for (std::int64_t r = 0; r < 3; ++r) {
            at::Tensor rowSum = torch::zeros({}, torch::kFloat);
            int n = 0;
            for (std::int64_t t = 0; t < T; ++t) {
                if (mask[r][t].item<double>() == 0.0)
                    continue;
                const auto ratio = torch::exp(lp[r][t] - oldLogp[r][t]);
                const double a = adv[std::size_t(r)];
                const double rv = ratio.item<double>();
                const auto clippedRatio = torch::clamp(ratio, 1 - 0.02, 1 + 0.03);
                const auto surrogate = (ratio * a).item<double>() <= (clippedRatio * a).item<double>() ? ratio * a : clippedRatio * a;
                if ((rv > 1.03 && a > 0) || (rv < 0.98 && a < 0))
                    ++clipped;
                const auto d = refLogp[r][t] - lp[r][t];
                const auto k3 = torch::exp(d) - d - 1;
                rowSum = rowSum + (-surrogate + 0.1 * k3);
                ++n;
            }
            total = total + (sequenceLevel ? rowSum / double(n) : rowSum);
        }
        const auto formulaLoss = total / normaliser;
        formulaLoss.backward();
        const auto formulaGrads = gradsOf(*policy);

        QVERIFY2(std::abs(parts.loss.item<double>() - formulaLoss.item<double>()) < 1e-5,
                 qPrintable(QString("loss %1 vs %2").arg(parts.loss.item<double>()).arg(formulaLoss.item<double>())));
        QCOMPARE(parts.clippedTokens, std::int64_t(clipped));
        QVERIFY(clipped > 0);                     // the example exercises the clip
        QVERIFY(parts.clippedTokens < parts.tokens);  // ... and the unclipped path
        QCOMPARE(parts.tokens, std::int64_t(tokens));
        double largest = 0.0;
        for (std::size_t i = 0; i < formulaGrads.size(); ++i) {
            largest = std::max(largest, formulaGrads[i].abs().max().item<double>());
            QVERIFY2(maxAbsDiff(trainerGrads[i], formulaGrads[i]) < 1e-5 + 1e-3 * formulaGrads[i].abs().max().item<double>(),
                     qPrintable(QString("parameter %1 differs by %2").arg(i).arg(maxAbsDiff(trainerGrads[i], formulaGrads[i]))));
        }
        QVERIFY(largest > 1e-4);
    }

    // The trainer's update (batch building, masks, normaliser, reference) moves each weight as one
    // AdamW step on the formula's gradient does: Δθ = -lr g / (|g| + eps) on the first step.
    void trainerUpdateFollowsFormulaGradient()
    {
        auto formulaModel = tinyQwen();
        auto ref = perturbed(21, 0.05);
        const std::vector<GrpoPrompt> prompts = {{{5, 17, 300}, "p0", ""}, {{8, 2}, "p1", ""}};
        std::vector<GrpoRollout> rollouts(4);
        const std::vector<std::vector<std::int64_t>> completions = {{41, 9, 77}, {12}, {513, 1000, 3, 4}, {6, 7}};
        const std::vector<double> adv = {0.9, -0.9, 0.5, -0.5};
        for (std::size_t i = 0; i < 4; ++i) {
            rollouts[i].prompt = i / 2;
            rollouts[i].ids = completions[i];
            rollouts[i].advantage = adv[i];
            rollouts[i].scores = {adv[i]};
            rollouts[i].reward = adv[i];
        }
        // Formula gradient: token aggregation over the completion tokens, beta 0.05, ratio 1 (μ = 1).
        const double beta = 0.05;
        at::Tensor total = torch::zeros({}, torch::kFloat);
        int tokens = 0;
        for (std::size_t i = 0; i < 4; ++i) {
            std::vector<std::int64_t> row = prompts[rollouts[i].prompt].ids;
            row.insert(row.end(), completions[i].begin(), completions[i].end());
            const auto T = std::int64_t(row.size()) - 1;
            const auto lp = directLogProbs(*formulaModel, {row}, T)[0];
            at::Tensor rlp;
            {
                const torch::NoGradGuard noGrad;
                rlp = directLogProbs(*ref, {row}, T)[0];
            }
            for (std::int64_t t = std::int64_t(prompts[rollouts[i].prompt].ids.size()) - 1; t < T; ++t) {
                const auto ratio = torch::exp(lp[t] - lp[t].detach());
                const auto d = rlp[t] - lp[t];
                total = total + (-(ratio * adv[i]) + beta * (torch::exp(d) - d - 1));
                ++tokens;
            }
        }
        (total / double(tokens)).backward();
        const auto g = gradsOf(*formulaModel);

        GrpoOptions options;
        options.groupSize = 2;
        options.microBatchSize = 3;  // two micro-batches of different lengths
        options.loss.beta = beta;
        options.optimizer.schedule = {ScheduleKind::Constant, 1e-3, 0, 10};
        options.optimizer.weightDecay = 0.0;
        options.optimizer.maxGradNorm = 0.0;
        options.optimizer.eps = 1e-12;
        auto policy = tinyQwen();
        std::vector<at::Tensor> before;
        for (const auto& p : policy->parameters())
            before.push_back(p.detach().clone());
        GrpoTrainer trainer(policy, RewardSet(std::vector<RewardTerm>{}), options, {});
        trainer.setReference(ref);
        const auto stats = trainer.update(prompts, rollouts);
        QCOMPARE(trainer.stepsDone(), std::int64_t(1));
        QVERIFY(stats.kl >= 0.0);
        QVERIFY(stats.gradNorm > 0.0);
        int checked = 0;
        const auto params = policy->parameters();
        for (std::size_t i = 0; i < params.size(); ++i) {
            const auto delta = params[i].detach() - before[i];
            const auto significant = g[i].abs() > 1e-6;  // elements where the sign is well defined
            if (significant.sum().item<std::int64_t>() == 0)
                continue;
            const auto expected = -1e-3 * torch::sign(g[i]);
            QVERIFY2(maxAbsDiff(delta.masked_select(significant), expected.masked_select(significant)) < 2e-5,
                     qPrintable(QString("parameter %1").arg(i)));
            ++checked;
        }
        QVERIFY(checked > 5);
    }

    void rewardsOnAdversarialOutputs()
    {
        const std::string good = "<think>\n7 + 5 = 12\n</think>\nThe answer is \\boxed{12}.";
        QCOMPARE(accuracyReward(good, "12"), 1.0);
        QCOMPARE(accuracyReward(good, "13"), 0.0);
        QCOMPARE(formatReward(good), 1.0);
        QCOMPARE(formatReward("7 + 5 = 12\n</think>\n\\boxed{12}"), 1.0);  // <think> was in the prompt
        QCOMPARE(languageReward(good, "en"), 1.0);
        // no </think>: cut off while thinking
        const std::string open = "<think>\nso the answer is \\boxed{12}";
        QCOMPARE(accuracyReward(open, "12"), 0.0);
        QCOMPARE(formatReward(open), 0.0);
        QCOMPARE(languageReward(open, "en"), 0.0);
        // empty box, unbalanced braces, nested braces
        QCOMPARE(formatReward("<think>x</think>\\boxed{}"), 0.0);
        QCOMPARE(accuracyReward("<think>x</think>\\boxed{}", "0"), 0.0);
        QCOMPARE(formatReward("<think>x</think>\\boxed{\\frac{1}{2}"), 0.0);
        QCOMPARE(formatReward("<think>x</think>\\boxed{\\frac{1}{2}}"), 1.0);
        QCOMPARE(accuracyReward("<think>x</think>\\boxed{12", "12"), 0.0);
        // empty thinking, two closing tags, text before <think>
        QCOMPARE(formatReward("<think></think>\\boxed{1}"), 0.0);
        QCOMPARE(formatReward("<think>a</think>b</think>\\boxed{1}"), 0.0);
        QCOMPARE(formatReward("hi <think>a</think>\\boxed{1}"), 0.0);
        // mixed scripts in the thinking lower the language reward
        const double mixed = languageReward("<think>First 计算 这个 then add</think>\\boxed{1}", "en");
        QVERIFY(mixed > 0.0 && mixed < 0.9);
        QCOMPARE(languageReward("<think>计算这个</think>\\boxed{1}", "zh"), 1.0);
        // huge output and broken UTF-8: no crash, a number in range
        std::string huge = "<think>" + std::string(2'000'000, '{') + "\xF0\x9F" + "</think>\\boxed{" + std::string(100000, '(');
        RewardSet set({{RewardKind::Accuracy, "", 1.0, "en", 0, 0, ""},
                       {RewardKind::Format, "", 0.5, "en", 0, 0, ""},
                       {RewardKind::Language, "", 0.1, "en", 0, 0, ""},
                       {RewardKind::Regex, "boxed", 1.0, "en", 0, 0, "\\\\boxed\\{[0-9]+\\}"}});
        const auto scores = set.score({huge, "12", 300000, false});
        QCOMPARE(scores.size(), std::size_t(4));
        QCOMPARE(scores[0], 0.0);
        QCOMPARE(scores[1], 0.0);
        QCOMPARE(scores[3], 0.0);
        QCOMPARE(set.terms()[0].name, std::string("accuracy"));
        const auto goodScores = set.score({good, "12", 10, false});
        QCOMPARE(goodScores, (std::vector<double>{1.0, 1.0, 1.0, 1.0}));
        QCOMPARE(set.total(goodScores), 2.6);
        // a truncated completion gets no accuracy even with a correct box
        QCOMPARE(set.score({good, "12", 10, true})[0], 0.0);
        QVERIFY_THROWS_EXCEPTION(Error, RewardSet(std::vector<RewardTerm>{{RewardKind::Regex, "", 1.0, "en", 0, 0, "(unclosed"}}));
        QVERIFY_THROWS_EXCEPTION(Error, parseRewardKind("length"));
    }

    void overlongShaping()
    {
        QCOMPARE(overlongReward(50, false, 100, 20), 0.0);
        QCOMPARE(overlongReward(80, false, 100, 20), 0.0);
        QCOMPARE(overlongReward(90, false, 100, 20), -0.5);
        QCOMPARE(overlongReward(99, false, 100, 20), -19.0 / 20.0);
        QCOMPARE(overlongReward(100, false, 100, 20), -1.0);
        QCOMPARE(overlongReward(30, true, 100, 20), -1.0);
        QCOMPARE(overlongReward(1000, false, 0, 0), 0.0);
    }

    void optimizerResume()
    {
        const auto dir = fs::temp_directory_path() / "tst_grpo_resume";
        fs::remove_all(dir);
        fs::create_directories(dir);
        GrpoOptions options;
        options.groupSize = 2;
        options.optimizer.schedule = {ScheduleKind::Constant, 1e-3, 0, 10};
        const std::vector<GrpoPrompt> prompts = {{{5, 17, 300}, "p", ""}};
        std::vector<GrpoRollout> rollouts(2);
        rollouts[0].ids = {4, 5};
        rollouts[0].advantage = 1.0;
        rollouts[1].ids = {6};
        rollouts[1].advantage = -1.0;
        for (auto& r : rollouts)
            r.scores = {r.advantage};
        // Two steps in one go...
        auto straight = tinyQwen();
        GrpoTrainer a(straight, RewardSet(std::vector<RewardTerm>{}), options, {});
        a.update(prompts, rollouts);
        a.update(prompts, rollouts);
        // ... equal one step, a save, a fresh trainer restored from it, and the second step.
        auto first = tinyQwen();
        {
            GrpoTrainer b(first, RewardSet(std::vector<RewardTerm>{}), options, {});
            b.update(prompts, rollouts);
            b.saveOptimizer(dir / "optimizer.pt");
            model::saveModel(*first, dir / "model");
        }
        auto resumed = tinyQwen();
        model::loadWeights(*resumed, dir / "model");
        GrpoTrainer c(resumed, RewardSet(std::vector<RewardTerm>{}), options, {});
        c.restore(1, dir / "optimizer.pt");
        QCOMPARE(c.stepsDone(), std::int64_t(1));
        c.update(prompts, rollouts);
        QCOMPARE(c.stepsDone(), std::int64_t(2));
        const auto pa = straight->parameters(), pc = resumed->parameters();
        for (std::size_t i = 0; i < pa.size(); ++i)
            QVERIFY(maxAbsDiff(pa[i].detach(), pc[i].detach()) < 1e-6);
        fs::remove_all(dir);
    }

    // tests/fixtures/models/golden-grpo-tiny-qwen2: six GRPO steps of tiny-qwen2 on fixed rollouts and
    // rewards (μ = 2, three micro-batches, temperature 0.7, clip-higher, β = 0.04 against the frozen
    // start, AdamW with decay groups, grad clipping), each step's loss, KL, entropy, clip fraction and
    // grad norm as make_golden.py computed them in plain PyTorch from its own Qwen2 and TRL's formula.
    void goldenCurve()
    {
        std::ifstream in(sourcePath("tests/fixtures/models/golden-grpo-tiny-qwen2/golden.json"));
        const auto golden = nlohmann::json::parse(in);
        const auto& run = golden.at("run");
        const auto G = run.at("group_size").get<std::int64_t>();
        std::vector<GrpoPrompt> prompts;
        for (const auto& ids : run.at("prompts"))
            prompts.push_back({ids.get<std::vector<std::int64_t>>(), "", ""});
        const auto rewards = run.at("rewards").get<std::vector<double>>();
        const auto advantages = groupAdvantages(torch::tensor(rewards, torch::kDouble), G, true,
                                                run.at("advantage_eps").get<double>());
        std::vector<GrpoRollout> rollouts;
        for (std::size_t i = 0; i < rewards.size(); ++i) {
            GrpoRollout r;
            r.prompt = i / std::size_t(G);
            r.ids = run.at("completions").at(i).get<std::vector<std::int64_t>>();
            r.scores = {rewards[i]};
            r.reward = rewards[i];
            r.advantage = advantages[std::int64_t(i)].item<double>();
            QVERIFY(std::abs(r.advantage - golden.at("advantages").at(i).get<double>()) < 1e-6);
            rollouts.push_back(std::move(r));
        }
        GrpoOptions options;
        options.groupSize = G;
        options.updatesPerBatch = run.at("updates_per_batch").get<std::int64_t>();
        options.microBatchSize = run.at("micro_batch_size").get<std::int64_t>();
        options.sampling.temperature = run.at("temperature").get<double>();
        options.loss.epsilonLow = run.at("epsilon_low").get<double>();
        options.loss.epsilonHigh = run.at("epsilon_high").get<double>();
        options.loss.beta = run.at("beta").get<double>();
        options.loss.aggregation = LossAggregation::Token;
        const auto steps = run.at("steps").get<std::int64_t>();
        options.optimizer.schedule = {ScheduleKind::Constant, run.at("lr").get<double>(), 0, steps};
        options.optimizer.beta1 = run.at("betas").at(0).get<double>();
        options.optimizer.beta2 = run.at("betas").at(1).get<double>();
        options.optimizer.eps = run.at("eps").get<double>();
        options.optimizer.weightDecay = run.at("weight_decay").get<double>();
        options.optimizer.maxGradNorm = run.at("max_grad_norm").get<double>();
        GrpoTrainer trainer(tinyQwen(), RewardSet(std::vector<RewardTerm>{{RewardKind::Accuracy, "accuracy", 1.0, "en", 0, 0, ""}}),
                            options, {});
        trainer.setReference(tinyQwen());

        // The first step's objective from the formula alone: its first update has ratio 1 and no KL
        // (the policy is still the reference), so it is -Σ_i A_i |c_i| / Σ_i |c_i| over completions c_i.
        double weighted = 0.0, completionTokens = 0.0;
        for (const auto& r : rollouts) {
            weighted -= r.advantage * double(r.ids.size());
            completionTokens += double(r.ids.size());
        }
        const auto& want = golden.at("steps");
        QCOMPARE(std::int64_t(want.size()), steps);
        for (std::int64_t s = 0; s < steps; ++s) {
            const auto stats = trainer.update(prompts, rollouts);
            const auto& w = want.at(std::size_t(s));
            if (s == 0)
                QVERIFY2(std::abs(stats.loss - weighted / completionTokens) < 1e-6,
                         qPrintable(QString("first loss %1 vs the formula's %2").arg(stats.loss).arg(weighted / completionTokens)));
            const auto close = [&](const char* key, double got, double relative) {
                const double expected = w.at(key).get<double>();
                QVERIFY2(std::abs(got - expected) <= 1e-5 + relative * std::abs(expected),
                         qPrintable(QString("step %1 %2: %3 vs %4").arg(s).arg(key).arg(got).arg(expected)));
            };
            close("loss", stats.loss, 1e-3);
            close("policy_loss", stats.policyLoss, 1e-4);
            close("kl", stats.kl, 1e-3);
            close("entropy", stats.entropy, 1e-4);
            close("grad_norm", stats.gradNorm, 1e-3);
            close("clip_fraction", stats.clipFraction, 0.0);  // counts of tokens: exact
        }
    }

    // A from-scratch tiny model over the toy byte-level vocabulary learns, from a regex reward, to
    // put a digit into its short completions: the mean reward of the last steps beats the first.
    void toyRunRaisesMeanReward()
    {
        const auto tokenizer = tokenizer::Tokenizer::fromDirectory(sourcePath("resources/toy"));
        auto config = nlohmann::json::parse(R"({"architectures": ["Qwen2ForCausalLM"], "model_type": "qwen2",
            "vocab_size": 261, "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 128,
            "rms_norm_eps": 1e-6, "rope_parameters": {"rope_theta": 10000.0, "rope_type": "default"},
            "tie_word_embeddings": true, "eos_token_id": 258, "pad_token_id": 256, "hidden_act": "silu"})");
        auto policy = model::buildModel(model::ModelConfig::fromJson(config), {}, 3);
        {
            const torch::NoGradGuard noGrad;
            torch::manual_seed(3);
            for (auto& item : policy->named_parameters())
                if (item.value().dim() >= 2)
                    item.value().normal_(0.0, 0.02);
        }
        GrpoOptions options;
        options.groupSize = 8;
        options.maxNewTokens = 6;
        options.sampling.seed = 7;
        options.stopTokenIds = {258};
        options.updatesPerBatch = 2;
        options.loss.epsilonHigh = 0.28;
        options.optimizer.schedule = {ScheduleKind::Constant, 3e-3, 0, 100};
        options.optimizer.weightDecay = 0.0;
        auto detok = [&](const std::vector<std::int64_t>& ids) {
            return tokenizer->decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
        };
        GrpoTrainer trainer(policy, RewardSet(std::vector<RewardTerm>{{RewardKind::Regex, "digit", 1.0, "en", 0, 0, "[0-9]"}}), options, detok);
        std::vector<GrpoPrompt> prompts;
        for (const char* q : {"Compute 12 + 30.", "Compute 45 - 19.", "Compute 77 + 11.", "Compute 60 - 25."}) {
            GrpoPrompt p;
            for (const auto id : tokenizer->encode(q))
                p.ids.push_back(id);
            p.text = q;
            prompts.push_back(p);
        }
        std::vector<double> means;
        std::vector<GrpoRollout> rollouts;
        for (int step = 0; step < 16; ++step) {
            const auto stats = trainer.step(prompts, &rollouts);
            QCOMPARE(rollouts.size(), std::size_t(32));
            QVERIFY(stats.lengthMax <= 6);
            QVERIFY(stats.entropy > 0.0);
            QVERIFY(stats.clipFraction >= 0.0 && stats.clipFraction <= 1.0);
            means.push_back(stats.rewardMean[0]);
        }
        const double first = (means[0] + means[1] + means[2]) / 3.0;
        const double last = (means[13] + means[14] + means[15]) / 3.0;
        QVERIFY2(last > first + 0.2, qPrintable(QString("mean reward %1 -> %2").arg(first).arg(last)));
    }
};

QTEST_APPLESS_MAIN(TestGrpo)
#include "tst_grpo.moc"
