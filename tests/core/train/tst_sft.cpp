// Tests of the SFT numerics: the golden loss curve of tiny-qwen2, loss masks and truncation,
// packing (a packed batch equals its samples run one by one), chunked CE against full CE, the
// distillation loss against its formula, and the learning-rate schedules.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/model/safetensors.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/lr_schedule.h"
#include "core/train/sft_data.h"
#include "core/train/sft_trainer.h"
#include "core/train/token_loss.h"
#include "core/util/error.h"

#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace distill;
using namespace distill::train;
namespace fs = std::filesystem;

namespace {

fs::path sourcePath(const char* relative)
{
    return fs::path(DISTILLERY_SOURCE_DIR) / relative;
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b)
{
    return (a.to(torch::kFloat) - b.to(torch::kFloat)).abs().max().item<double>();
}

// A batch in HF convention (labels aligned with inputs) as a TrainBatch of next-token targets.
TrainBatch hfBatch(const at::Tensor& inputIds, const at::Tensor& labels)
{
    const auto B = inputIds.size(0), T = inputIds.size(1);
    TrainBatch batch;
    batch.inputIds = inputIds.to(torch::kLong);
    batch.targets = torch::cat({labels.narrow(1, 1, T - 1), torch::full({B, 1}, -100, torch::kLong)}, 1).to(torch::kLong);
    batch.positions = torch::arange(T, torch::kLong).unsqueeze(0).expand({B, T}).contiguous();
    batch.sequenceIds = torch::zeros({B, T}, torch::kLong);
    batch.targetTokens = (batch.targets != -100).sum().item<std::int64_t>();
    batch.tokens = B * T;
    return batch;
}

// Random examples with a trained suffix of each.
std::vector<TokenizedExample> randomExamples(const std::vector<int>& lengths, std::int64_t vocab, std::uint64_t seed)
{
    torch::manual_seed(seed);
    std::vector<TokenizedExample> out;
    for (const int n : lengths) {
        TokenizedExample ex;
        const auto ids = torch::randint(3, vocab, {n}, torch::kLong);
        for (int t = 0; t < n; ++t) {
            ex.ids.push_back(ids[t].item<std::int64_t>());
            ex.trained.push_back(t >= n / 3 ? 1 : 0);
        }
        out.push_back(ex);
    }
    return out;
}

std::vector<at::Tensor> gradsOf(model::CausalLMImpl& model)
{
    std::vector<at::Tensor> grads;
    for (const auto& p : model.parameters())
        grads.push_back(p.grad().defined() ? p.grad().clone() : torch::zeros_like(p));
    return grads;
}

void zeroGrads(model::CausalLMImpl& model)
{
    for (auto& p : model.parameters())
        p.mutable_grad() = at::Tensor();
}

}  // namespace

class TestSft : public QObject {
    Q_OBJECT

private slots:
    void goldenCurve()
    {
        std::ifstream in(sourcePath("tests/fixtures/models/golden-sft-tiny-qwen2/golden.json"));
        const auto golden = nlohmann::json::parse(in);
        const model::SafetensorsFile batches(sourcePath("tests/fixtures/models/golden-sft-tiny-qwen2/batches.safetensors"));
        const auto inputIds = batches.tensor("input_ids");  // [20, 4, 32]
        const auto labels = batches.tensor("labels");
        auto loaded = model::loadModel(sourcePath("tests/fixtures/models/tiny-qwen2"));

        TrainerOptions options;
        options.schedule = {ScheduleKind::Cosine, 1e-3, 3, 20};
        options.beta1 = 0.9;
        options.beta2 = 0.95;
        options.eps = 1e-8;
        options.weightDecay = 0.1;
        options.maxGradNorm = 1.0;
        options.loss.chunkTokens = 50;  // several chunks per batch
        SftTrainer trainer(loaded.model, options);
        const auto& steps = golden.at("steps");
        QCOMPARE(std::int64_t(steps.size()), inputIds.size(0));
        for (std::int64_t s = 0; s < inputIds.size(0); ++s) {
            const auto stats = trainer.step({hfBatch(inputIds[s], labels[s])});
            const auto& want = steps.at(std::size_t(s));
            QVERIFY2(std::abs(stats.loss - want.at("loss").get<double>()) < 1e-4, qPrintable(QString("step %1 loss %2 vs %3").arg(s).arg(stats.loss).arg(want.at("loss").get<double>())));
            QVERIFY2(std::abs(stats.gradNorm - want.at("grad_norm").get<double>()) < 1e-4, qPrintable(QString("step %1 grad norm %2").arg(s).arg(stats.gradNorm)));
            QVERIFY2(std::abs(stats.lr - want.at("lr").get<double>()) < 1e-10, qPrintable(QString("step %1 lr %2").arg(s).arg(stats.lr)));
        }
    }

    void schedules()
    {
        const LrSchedule linear{ScheduleKind::Linear, 2.0, 2, 10};
        QCOMPARE(linear.at(0), 0.0);
        QCOMPARE(linear.at(1), 1.0);
        QCOMPARE(linear.at(2), 2.0);
        QCOMPARE(linear.at(6), 2.0 * 4.0 / 8.0);
        QCOMPARE(linear.at(10), 0.0);
        const LrSchedule constant{ScheduleKind::Constant, 2.0, 4, 10};
        QCOMPARE(constant.at(2), 1.0);
        QCOMPARE(constant.at(9), 2.0);
        const LrSchedule cosine{ScheduleKind::Cosine, 1.0, 0, 10};
        QCOMPARE(cosine.at(0), 1.0);
        QVERIFY(std::abs(cosine.at(5) - 0.5) < 1e-12);
        QVERIFY(std::abs(cosine.at(10)) < 1e-12);
        QVERIFY_THROWS_EXCEPTION(Error, parseScheduleKind("cosine_with_restarts"));
    }

    void chunkedLossEqualsFullCrossEntropy()
    {
        torch::manual_seed(3);
        const auto hidden = torch::randn({37, 16}, torch::requires_grad());
        const auto weight = torch::randn({50, 16}, torch::requires_grad());
        const auto targets = torch::randint(0, 50, {37}, torch::kLong);
        TokenLossOptions options;
        options.chunkTokens = 8;
        const auto chunked = tokenLossSum(hidden, weight, targets, options);
        chunked.backward();
        const auto gh = hidden.grad().clone(), gw = weight.grad().clone();
        hidden.mutable_grad() = at::Tensor();
        weight.mutable_grad() = at::Tensor();
        const auto full = torch::nn::functional::cross_entropy(
            hidden.matmul(weight.t()), targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        full.backward();
        QVERIFY(std::abs(chunked.item<double>() - full.item<double>()) < 1e-4);
        QVERIFY(maxAbsDiff(gh, hidden.grad()) < 1e-5);
        QVERIFY(maxAbsDiff(gw, weight.grad()) < 1e-5);
    }

    void distillationLossMatchesFormula()
    {
        torch::manual_seed(4);
        const auto hidden = torch::randn({21, 12}, torch::requires_grad());
        const auto weight = torch::randn({30, 12}, torch::requires_grad());
        const auto teacherHidden = torch::randn({21, 20});
        const auto teacherWeight = torch::randn({30, 20});
        const auto targets = torch::randint(0, 30, {21}, torch::kLong);
        TokenLossOptions options;
        options.chunkTokens = 5;
        options.alpha = 0.3;
        options.temperature = 2.0;
        const auto fused = tokenLossSum(hidden, weight, targets, options, teacherHidden, teacherWeight);
        fused.backward();
        const auto gh = hidden.grad().clone(), gw = weight.grad().clone();
        hidden.mutable_grad() = at::Tensor();
        weight.mutable_grad() = at::Tensor();

        const double T = options.temperature, alpha = options.alpha;
        const auto student = hidden.matmul(weight.t());
        const auto teacher = teacherHidden.matmul(teacherWeight.t());
        const auto ce = torch::nn::functional::cross_entropy(
            student, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        const auto pt = torch::softmax(teacher / T, -1);
        const auto kl = (pt * (pt.log() - torch::log_softmax(student / T, -1))).sum();
        const auto direct = alpha * ce + (1 - alpha) * T * T * kl;
        direct.backward();
        QVERIFY2(std::abs(fused.item<double>() - direct.item<double>()) < 1e-3,
                 qPrintable(QString("%1 vs %2").arg(fused.item<double>()).arg(direct.item<double>())));
        QVERIFY(maxAbsDiff(gh, hidden.grad()) < 1e-4);
        QVERIFY(maxAbsDiff(gw, weight.grad()) < 1e-4);
    }

    void packedBatchEqualsSamplesOneByOne()
    {
        auto loaded = model::loadModel(sourcePath("tests/fixtures/models/tiny-qwen2"));
        TrainerOptions options;
        options.loss.chunkTokens = 16;
        SftTrainer trainer(loaded.model, options);
        const auto examples = randomExamples({11, 7, 19}, loaded.config.vocabSize, 5);

        // One row holding all three samples.
        const auto packed = makeBatch(examples, {{0, 1, 2}}, 0);
        QCOMPARE(packed.inputIds.size(1), std::int64_t(37));
        QCOMPARE(packed.positions[0][11].item<std::int64_t>(), std::int64_t(0));
        QCOMPARE(packed.sequenceIds[0][17].item<std::int64_t>(), std::int64_t(1));
        QCOMPARE(packed.sequenceIds[0][18].item<std::int64_t>(), std::int64_t(2));
        // No target crosses a sample boundary: the last token of each sample predicts nothing.
        QCOMPARE(packed.targets[0][10].item<std::int64_t>(), std::int64_t(-100));
        QCOMPARE(packed.targets[0][17].item<std::int64_t>(), std::int64_t(-100));
        zeroGrads(trainer.model());
        const auto packedLoss = trainer.lossSum(packed);
        packedLoss.backward();
        const auto packedGrads = gradsOf(trainer.model());

        zeroGrads(trainer.model());
        double separate = 0.0;
        std::int64_t targets = 0;
        for (std::size_t i = 0; i < examples.size(); ++i) {
            const auto single = makeBatch(examples, {{i}}, 0);
            targets += single.targetTokens;
            const auto loss = trainer.lossSum(single);
            loss.backward();
            separate += loss.item<double>();
        }
        QCOMPARE(packed.targetTokens, targets);
        QVERIFY2(std::abs(packedLoss.item<double>() - separate) < 1e-3,
                 qPrintable(QString("%1 vs %2").arg(packedLoss.item<double>()).arg(separate)));
        const auto separateGrads = gradsOf(trainer.model());
        for (std::size_t i = 0; i < packedGrads.size(); ++i)
            QVERIFY(maxAbsDiff(packedGrads[i], separateGrads[i]) < 1e-4 * (1 + separateGrads[i].norm().item<double>()));

        // Padded rows (one sample each) give the same loss too.
        const auto padded = makeBatch(examples, {{0}, {1}, {2}}, 0);
        QCOMPARE(padded.inputIds.size(1), std::int64_t(19));
        QVERIFY(std::abs(trainer.lossSum(padded).item<double>() - separate) < 1e-3);
    }

    void epochPlans()
    {
        const std::vector<std::int64_t> lengths = {30, 50, 20, 70, 10, 40, 60};
        BatchingOptions options;
        options.microBatchSize = 2;
        options.maxSeqLen = 100;
        const auto plan = planEpoch(lengths, options, 7, 0);
        QVERIFY(plan == planEpoch(lengths, options, 7, 0));
        QVERIFY(plan != planEpoch(lengths, options, 7, 1));
        std::vector<int> seen(lengths.size(), 0);
        for (const auto& batch : plan) {
            QVERIFY(batch.size() <= 2);
            for (const auto& row : batch) {
                std::int64_t used = 0;
                for (const auto i : row) {
                    used += lengths[i];
                    ++seen[i];
                }
                QVERIFY(used <= 100);
            }
        }
        QVERIFY(std::all_of(seen.begin(), seen.end(), [](int n) { return n == 1; }));
        options.packing = false;
        options.groupByLength = true;
        const auto grouped = planEpoch(lengths, options, 7, 0);
        QCOMPARE(grouped.size(), std::size_t(4));
        QCOMPARE(lengths[grouped[0][0][0]], std::int64_t(70));
        QCOMPARE(lengths[grouped[0][1][0]], std::int64_t(60));
    }

    void lossMaskAndPrefill()
    {
        const auto tok = tokenizer::Tokenizer::fromDirectory(sourcePath("resources/toy"));
        const nlohmann::ordered_json messages = nlohmann::ordered_json::array({{{"role", "user"}, {"content", "Compute 1 + 2."}}});
        ExampleFormat format;
        format.maxSeqLen = 512;
        const ExampleBuilder builder(*tok, format);
        const auto ex = builder.build(messages, "1+2=3", "\\boxed{3}");
        QVERIFY(ex.has_value());
        const auto prompt = builder.promptIds(messages);
        QVERIFY(std::equal(prompt.begin(), prompt.end(), ex->ids.begin()));
        for (std::size_t t = 0; t < ex->ids.size(); ++t)
            QCOMPARE(int(ex->trained[t]), t < prompt.size() ? 0 : 1);
        QCOMPARE(ex->ids.back(), std::int64_t(*tok->eosId()));
        std::vector<std::int32_t> completion(ex->ids.begin() + std::ptrdiff_t(prompt.size()), ex->ids.end() - 1);
        QCOMPARE(tok->decode(completion), std::string("<think>\n1+2=3\n</think>\n\\boxed{3}"));

        // With the prefill, "<think>\n" belongs to the prompt and is not learnt.
        format.thinkPrefill = true;
        const ExampleBuilder prefill(*tok, format);
        const auto exP = prefill.build(messages, "1+2=3", "\\boxed{3}");
        const auto promptP = prefill.promptIds(messages);
        const auto promptText = tok->decode(std::vector<std::int32_t>(promptP.begin(), promptP.end()));
        QVERIFY(promptText.ends_with("<|im_start|>assistant\n<think>\n"));
        std::vector<std::int32_t> completionP(exP->ids.begin() + std::ptrdiff_t(promptP.size()), exP->ids.end() - 1);
        QCOMPARE(tok->decode(completionP), std::string("1+2=3\n</think>\n\\boxed{3}"));
        QCOMPARE(exP->ids.size(), ex->ids.size());

        // Training on the prompt marks every token but the first.
        format.thinkPrefill = false;
        format.trainOnPrompt = true;
        const auto exAll = ExampleBuilder(*tok, format).build(messages, "1+2=3", "\\boxed{3}");
        QCOMPARE(exAll->trainedTokens(), std::int64_t(exAll->ids.size()) - 1);

        // Truncation: drop or cut.
        format.trainOnPrompt = false;
        format.maxSeqLen = std::int64_t(prompt.size()) + 4;
        QVERIFY(!ExampleBuilder(*tok, format).build(messages, "1+2=3", "\\boxed{3}").has_value());
        format.truncation = Truncation::Truncate;
        const auto cut = ExampleBuilder(*tok, format).build(messages, "1+2=3", "\\boxed{3}");
        QCOMPARE(std::int64_t(cut->ids.size()), format.maxSeqLen);
        QCOMPARE(cut->trainedTokens(), std::int64_t(4));
    }
};

QTEST_GUILESS_MAIN(TestSft)
#include "tst_sft.moc"
