// Tests of the SFT numerics: the golden loss curve of tiny-qwen2, loss masks and truncation,
// packing (a packed batch equals its samples run one by one), gradient checkpointing (same loss and
// gradients as without), LoRA (only the adapters get gradients and change, also recomputed and under
// autocast), chunked CE against full CE, the distillation loss against its formula, the learning-rate
// schedules, and the spec's gradient_checkpointing and lora keys.
#include <ATen/autocast_mode.h>
#include <torch/torch.h>
#include <torch/version.h>

#include "core/model/checkpoint.h"
#include "core/model/safetensors.h"
#include "core/run/spec_map.h"
#include "core/tokenizer/tokenizer.h"
#include "core/train/lr_schedule.h"
#include "core/train/sft_data.h"
#include "core/train/sft_job.h"
#include "core/train/sft_spec.h"
#include "core/train/sft_trainer.h"
#include "core/train/token_loss.h"
#include "core/util/error.h"
#include "tests/core/train/hf_batch.h"
#include "tests/core/train/random_examples.h"
#include "tests/support/tensor_checks.h"

#include <QtTest>

#include <filesystem>
#include <fstream>
#include <map>
#include <optional>
#include <set>
#include <string>

using namespace distill;
using namespace distill::train;
namespace fs = std::filesystem;
using namespace distill::test;

namespace {

fs::path sourcePath(const char* relative)
{
    return fs::path(DISTILLERY_SOURCE_DIR) / relative;
}

// Nodes of the autograd graph behind `t` whose name contains `name`.
int graphNodes(const at::Tensor& t, const std::string& name)
{
    std::vector<torch::autograd::Node*> pending;
    std::set<torch::autograd::Node*> seen;
    if (t.grad_fn())
        pending.push_back(t.grad_fn().get());
    int found = 0;
    while (!pending.empty()) {
        auto* node = pending.back();
        pending.pop_back();
        if (!seen.insert(node).second)
            continue;
        found += node->name().find(name) != std::string::npos ? 1 : 0;
        for (const auto& edge : node->next_edges())
            if (edge.function)
                pending.push_back(edge.function.get());
    }
    return found;
}

// CPU bf16 autocast for its lifetime: the recomputation must re-enter the forward's autocast state,
// which a CPU test can check this way (the trainer's bf16 is CUDA only).
class CpuAutocast {
public:
    CpuAutocast()
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_dtype(at::kCPU, at::kBFloat16);
        at::autocast::set_autocast_enabled(at::kCPU, true);
#else
        at::autocast::set_autocast_cpu_dtype(at::kBFloat16);
        at::autocast::set_cpu_enabled(true);
#endif
    }
    ~CpuAutocast()
    {
#if TORCH_VERSION_MAJOR > 2 || (TORCH_VERSION_MAJOR == 2 && TORCH_VERSION_MINOR >= 4)
        at::autocast::set_autocast_enabled(at::kCPU, false);
#else
        at::autocast::set_cpu_enabled(false);
#endif
        at::autocast::clear_cache();
    }
    CpuAutocast(const CpuAutocast&) = delete;
    CpuAutocast& operator=(const CpuAutocast&) = delete;
};

// Parameter gradients of a fixed projection of forwardPacked's hidden states, the forward under CPU
// bf16 autocast when asked, the backward outside it (as the trainer does).
std::vector<at::Tensor> packedGradients(model::CausalLMImpl& model, const TrainBatch& batch, bool autocast)
{
    zeroGrads(model);
    at::Tensor hidden;
    {
        std::optional<CpuAutocast> scope;
        if (autocast)
            scope.emplace();
        hidden = model.forwardPacked(batch.inputIds, batch.positions, batch.sequenceIds);  // [B, T, H]
    }
    const auto projection = torch::linspace(-1.0, 1.0, hidden.numel(), torch::kFloat).view(hidden.sizes());
    (hidden.to(torch::kFloat) * projection).sum().backward();
    return gradsOf(model);
}

double worstRelativeDifference(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b)
{
    double worst = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        worst = std::max(worst, maxAbsDiff(a[i], b[i]) / std::max(1e-30, b[i].abs().max().item<double>()));
    return worst;
}

// A spec as the job registry reads it, with its resolved YAML.
struct ParsedSft : train::SftSpec {
    std::string yaml;
};

ParsedSft sftSpecFrom(const std::string& yaml)
{
    run::JobRegistry registry;
    train::registerSftJob(registry);
    const auto job = registry.parse(yaml);
    return {dynamic_cast<const train::SftJob&>(*job).spec(), job->resolvedYaml()};
}

std::string sftSpecYaml(const ParsedSft& spec)
{
    return spec.yaml;
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
        const auto gh = takeGrad(hidden), gw = takeGrad(weight);
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
        const auto gh = takeGrad(hidden), gw = takeGrad(weight);

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

    void gradientCheckpointingKeepsLossAndGradients()
    {
        auto loaded = model::loadModel(sourcePath("tests/fixtures/models/tiny-qwen2"));
        TrainerOptions options;
        options.loss.chunkTokens = 16;
        SftTrainer trainer(loaded.model, options);
        auto& lm = trainer.model();
        QVERIFY(!lm.gradientCheckpointing());
        // Two packed rows of two samples each (the second row padded).
        const auto examples = randomExamples({13, 21, 17, 9}, loaded.config.vocabSize, 8);
        const auto batch = makeBatch(examples, {{0, 1}, {2, 3}}, 0);
        QCOMPARE(batch.inputIds.size(0), std::int64_t(2));
        QCOMPARE(batch.sequenceIds[0][13].item<std::int64_t>(), std::int64_t(1));

        zeroGrads(lm);
        const auto plainLoss = trainer.lossSum(batch);
        plainLoss.backward();
        const auto plainGrads = gradsOf(lm);

        TrainerOptions checkpointed = options;
        checkpointed.gradientCheckpointing = true;
        SftTrainer recomputing(loaded.model, checkpointed);  // the same module: sets its flag
        QVERIFY(lm.gradientCheckpointing());
        zeroGrads(lm);
        const auto loss = recomputing.lossSum(batch);
        // One recomputed block per decoder layer in the graph.
        QCOMPARE(graphNodes(loss, "RecomputeInBackward"), int(loaded.config.numLayers));
        loss.backward();
        const auto grads = gradsOf(lm);

        const double lossDiff = std::abs(loss.item<double>() - plainLoss.item<double>());
        QVERIFY2(lossDiff <= 1e-6 * std::abs(plainLoss.item<double>()),
                 qPrintable(QString("%1 vs %2").arg(loss.item<double>(), 0, 'g', 10)
                                .arg(plainLoss.item<double>(), 0, 'g', 10)));
        const auto names = lm.named_parameters().keys();
        double worst = 0.0;
        for (std::size_t i = 0; i < grads.size(); ++i) {
            QVERIFY2(plainGrads[i].abs().max().item<double>() > 0, names[i].c_str());  // every parameter is trained
            const double relative = maxAbsDiff(grads[i], plainGrads[i]) / plainGrads[i].abs().max().item<double>();
            worst = std::max(worst, relative);
            QVERIFY2(relative <= 1e-6,
                     qPrintable(QString("%1: relative difference %2").arg(names[i].c_str()).arg(relative)));
        }
        qDebug("loss difference %g, worst relative gradient difference %g", lossDiff, worst);

        // Not without gradients, not in the unpacked or cached forwards.
        {
            const torch::NoGradGuard noGrad;
            QVERIFY(!trainer.lossSum(batch).grad_fn());
        }
        QCOMPARE(graphNodes(lm.forward(batch.inputIds), "RecomputeInBackward"), 0);
        const auto T = batch.inputIds.size(1);
        auto cache = lm.makeCache(2, T);
        const auto positions = torch::arange(T, torch::kLong).unsqueeze(0).expand({2, T}).contiguous();  // [2, T]
        const auto cached = lm.forwardCached(batch.inputIds, positions, cache, torch::arange(2, torch::kLong), true);
        QVERIFY(cached.grad_fn());
        QCOMPARE(graphNodes(cached, "RecomputeInBackward"), 0);
        zeroGrads(lm);
        lm.setGradientCheckpointing(false);
        QCOMPARE(graphNodes(trainer.lossSum(batch), "RecomputeInBackward"), 0);
    }

    void gradientCheckpointingRecomputesUnderTheForwardsAutocast()
    {
        auto loaded = model::loadModel(sourcePath("tests/fixtures/models/tiny-qwen2"));
        auto& lm = *loaded.model;
        const auto batch = makeBatch(randomExamples({13, 21, 17, 9}, loaded.config.vocabSize, 9), {{0, 1}, {2, 3}}, 0);
        const auto fp32 = packedGradients(lm, batch, false);
        const auto bf16 = packedGradients(lm, batch, true);
        lm.setGradientCheckpointing(true);
        const auto recomputed = packedGradients(lm, batch, true);
        // bf16 visibly changes the gradients, so a recomputation in float32 would not pass below.
        QVERIFY(worstRelativeDifference(bf16, fp32) > 1e-3);
        const double worst = worstRelativeDifference(recomputed, bf16);
        QVERIFY2(worst <= 1e-6, qPrintable(QString("relative difference %1").arg(worst)));
    }

    void loraTrainsOnlyTheAdapters()
    {
        auto loaded = model::loadModel(sourcePath("tests/fixtures/models/tiny-qwen2"));
        auto& lm = *loaded.model;
        model::LoraOptions lora;
        lora.rank = 4;
        lora.alpha = 8.0;
        lm.addLora(lora, 1);
        TrainerOptions options;
        options.schedule = {ScheduleKind::Constant, 1e-2, 0, 10};
        options.loss.chunkTokens = 16;
        SftTrainer trainer(loaded.model, options);
        const auto batch = makeBatch(randomExamples({13, 21, 17, 9}, loaded.config.vocabSize, 10), {{0, 1}, {2, 3}}, 0);

        // Gradients reach the adapters only (A's are zero while B is).
        zeroGrads(lm);
        trainer.lossSum(batch).backward();
        for (const auto& item : lm.named_parameters()) {
            const bool adapter = model::isLoraParameter(item.key());
            QVERIFY2(item.value().grad().defined() == adapter, item.key().c_str());
            if (item.key().ends_with("lora_B.weight"))
                QVERIFY2(item.value().grad().abs().max().item<double>() > 0, item.key().c_str());
        }
        zeroGrads(lm);

        std::map<std::string, at::Tensor> before;
        for (const auto& item : lm.named_parameters())
            before[item.key()] = item.value().clone();
        const double firstLoss = trainer.step({batch}).loss;
        double lastLoss = firstLoss;
        for (int i = 0; i < 4; ++i)
            lastLoss = trainer.step({batch}).loss;
        QVERIFY2(lastLoss < 0.9 * firstLoss, qPrintable(QString("loss %1 -> %2").arg(firstLoss).arg(lastLoss)));
        for (const auto& item : lm.named_parameters())
            QVERIFY2(torch::equal(item.value(), before[item.key()]) != model::isLoraParameter(item.key()),
                     item.key().c_str());

        // Gradient checkpointing gives the adapters the same gradients, also under autocast. The
        // frozen embeddings give the first layer an input without gradient: it runs plainly.
        const auto plain = packedGradients(lm, batch, false);
        const auto bf16 = packedGradients(lm, batch, true);
        lm.setGradientCheckpointing(true);
        {
            const auto hidden = lm.forwardPacked(batch.inputIds, batch.positions, batch.sequenceIds);
            QCOMPARE(graphNodes(hidden, "RecomputeInBackward"), int(loaded.config.numLayers) - 1);
        }
        const auto recomputed = packedGradients(lm, batch, false);
        const auto recomputedBf16 = packedGradients(lm, batch, true);
        for (const auto& item : lm.named_parameters())
            QVERIFY2(item.value().grad().defined() == model::isLoraParameter(item.key()), item.key().c_str());
        QVERIFY(worstRelativeDifference(bf16, plain) > 1e-3);
        QVERIFY2(worstRelativeDifference(recomputed, plain) <= 1e-6,
                 qPrintable(QString("relative difference %1").arg(worstRelativeDifference(recomputed, plain))));
        QVERIFY2(worstRelativeDifference(recomputedBf16, bf16) <= 1e-6,
                 qPrintable(QString("relative difference %1").arg(worstRelativeDifference(recomputedBf16, bf16))));
    }

    void loraSpecKey()
    {
        const std::string base = "kind: sft\nname: adapters\ndata: {jsonl: a.jsonl}\nmodel: {path: m}\n";
        const auto full = sftSpecFrom(base);
        QVERIFY(!full.lora);
        QVERIFY(sftSpecYaml(full).find("lora") == std::string::npos);
        const auto defaults = sftSpecFrom(base + "lora: {}\n");
        QVERIFY(defaults.lora);
        QCOMPARE(defaults.lora->rank, std::int64_t(16));
        QCOMPARE(defaults.lora->alpha, 32.0);
        QVERIFY(defaults.lora->targets == model::loraTargetNames());
        const auto on = sftSpecFrom(base + "lora: {rank: 8, alpha: 16, targets: [q_proj, v_proj]}\n");
        QCOMPARE(on.lora->rank, std::int64_t(8));
        QCOMPARE(on.lora->alpha, 16.0);
        QVERIFY(on.lora->targets == (std::vector<std::string>{"q_proj", "v_proj"}));
        const auto yaml = sftSpecYaml(on);
        QVERIFY2(yaml.find("targets: [q_proj, v_proj]") != std::string::npos, yaml.c_str());
        const auto again = sftSpecFrom(yaml);
        QCOMPARE(again.lora->rank, std::int64_t(8));
        QVERIFY(again.lora->targets == on.lora->targets);
        QCOMPARE(sftSpecYaml(again), yaml);
        for (const char* bad : {"lora: {rnk: 8}\n", "lora: {rank: 0}\n", "lora: {alpha: -1}\n",
                                "lora: {targets: [q_proj, lm_head]}\n", "lora: {targets: []}\n", "lora: 8\n"}) {
            try {
                sftSpecFrom(base + bad);
                QFAIL(bad);
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::InvalidArgument);
                QVERIFY2(e.detail().find("line") != std::string::npos, e.detail().c_str());
            }
        }
    }

    void gradientCheckpointingSpecKey()
    {
        const std::string base = "kind: sft\nname: gc\ndata: {jsonl: a.jsonl}\nmodel: {path: m}\n";
        const auto plain = sftSpecFrom(base);
        QVERIFY(!plain.gradientCheckpointing);
        QVERIFY(sftSpecYaml(plain).find("gradient_checkpointing: false") != std::string::npos);
        const auto on = sftSpecFrom(base + "train: {gradient_checkpointing: true}\n");
        QVERIFY(on.gradientCheckpointing);
        const auto yaml = sftSpecYaml(on);
        QVERIFY(yaml.find("gradient_checkpointing: true") != std::string::npos);
        QVERIFY(sftSpecFrom(yaml).gradientCheckpointing);
        QCOMPARE(sftSpecYaml(sftSpecFrom(yaml)), yaml);
        QVERIFY_THROWS_EXCEPTION(Error, sftSpecFrom(base + "train: {gradient_checkpointing: 3}\n"));
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
