// Tests on a CUDA device (label gpu): the tiny reference checkpoints' logits in float32 and in
// bfloat16 against transformers', greedy continuations on CUDA equal to the CPU's, the golden SFT
// curve trained on CUDA, and (given DISTILLERY_TRANSFORMERS_CHECKPOINT, as scripts/gpu-check.sh does)
// a checkpoint Distillery trained whose logits transformers computed. Without a CUDA device every
// test is skipped, never passed.
#include <torch/torch.h>

#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/model/safetensors.h"
#include "core/train/sft_trainer.h"
#include "tests/core/train/hf_batch.h"
#include "tests/support/model_fixtures.h"
#include "tests/support/tensor_checks.h"

#include <QtTest>

#include <fstream>

using namespace distill;
using distill::test::maxAbsDiff;
using distill::test::modelFixture;

class TestCuda : public QObject {
    Q_OBJECT

    static model::LoadOptions onCuda(c10::ScalarType dtype) { return {c10::Device(c10::kCUDA, 0), dtype}; }

private slots:
    void initTestCase()
    {
        if (!torch::cuda::is_available())
            QSKIP("no CUDA device: these tests need one");
    }

    void logitsMatchTransformers_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("bf16");
        QTest::addColumn<double>("tolerance");
        for (const char* n : {"tiny-qwen2", "tiny-qwen3", "tiny-llama3"}) {
            QTest::newRow((std::string(n) + " float32").c_str()) << QString(n) << false << 1e-4;
            // bf16 weights and activations: 8 bits of mantissa, logits of the tiny models within 0.1
            QTest::newRow((std::string(n) + " bfloat16").c_str()) << QString(n) << true << 0.1;
        }
    }

    void logitsMatchTransformers()
    {
        QFETCH(QString, name);
        QFETCH(bool, bf16);
        QFETCH(double, tolerance);
        const auto dir = modelFixture(name.toStdString());
        auto loaded = model::loadModel(dir, onCuda(bf16 ? torch::kBFloat16 : torch::kFloat));
        const model::SafetensorsFile ref(dir / "reference.safetensors");
        const torch::NoGradGuard noGrad;
        const auto logits = loaded.model->forward(ref.tensor("input_ids").to(c10::Device(c10::kCUDA, 0))).cpu();
        const double diff = maxAbsDiff(logits, ref.tensor("logits"));
        qInfo("%s %s: max |logit diff| %.3g", qPrintable(name), bf16 ? "bf16" : "fp32", diff);
        QVERIFY2(diff < tolerance, qPrintable(QString::number(diff)));
    }

    void greedyOnCudaEqualsCpu()
    {
        const auto dir = modelFixture("tiny-qwen2");
        std::ifstream in(dir / "reference.json");
        const auto reference = nlohmann::json::parse(in);
        auto cpu = model::loadModel(dir).model;
        auto cuda = model::loadModel(dir, onCuda(torch::kFloat)).model;
        for (const auto& g : reference.at("greedy")) {
            infer::GenerationRequest request;
            request.prompt = g.at("prompt").get<std::vector<std::int64_t>>();
            request.sampling.temperature = 0.0;
            request.maxNewTokens = std::int64_t(g.at("greedy").size());
            const auto onCpu = infer::Engine(cpu.ptr(), {4, {}}).generate({request});
            const auto onGpu = infer::Engine(cuda.ptr(), {4, {}}).generate({request});
            QCOMPARE(onGpu.at(0).ids, onCpu.at(0).ids);
            QCOMPARE(onGpu.at(0).ids, g.at("greedy").get<std::vector<std::int64_t>>());
        }
    }

    // tests/fixtures/models/golden-sft-tiny-qwen2 (transformers + PyTorch AdamW) trained on CUDA in float32.
    void goldenSftCurveOnCuda()
    {
        const auto folder = std::filesystem::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/models/golden-sft-tiny-qwen2";
        std::ifstream in(folder / "golden.json");
        const auto golden = nlohmann::json::parse(in);
        const model::SafetensorsFile batches(folder / "batches.safetensors");
        auto student = model::loadModel(modelFixture("tiny-qwen2"), onCuda(torch::kFloat)).model;
        train::TrainerOptions options;
        options.schedule = {train::ScheduleKind::Cosine, 1e-3, 3, 20};
        options.beta2 = 0.95;
        options.weightDecay = 0.1;
        options.loss.chunkTokens = 50;
        train::SftTrainer trainer(student, options);
        const auto& steps = golden.at("steps");
        for (std::size_t s = 0; s < steps.size(); ++s) {
            const auto stats = trainer.step({test::hfBatch(batches.tensor("input_ids")[std::int64_t(s)],
                                                           batches.tensor("labels")[std::int64_t(s)])});
            const double want = steps.at(s).at("loss").get<double>();
            QVERIFY2(std::abs(stats.loss - want) < 1e-3, qPrintable(QString("step %1 loss %2 vs %3").arg(s).arg(stats.loss).arg(want)));
        }
    }

    // A checkpoint Distillery saved, with transformers' float32 logits of fixed ids stored beside it
    // (reference.safetensors, written by scripts/gpu_check_parity.sh): the same logits here.
    void savedCheckpointMatchesTransformers()
    {
        const QByteArray folder = qgetenv("DISTILLERY_TRANSFORMERS_CHECKPOINT");
        if (folder.isEmpty())
            QSKIP("DISTILLERY_TRANSFORMERS_CHECKPOINT is not set (scripts/gpu-check.sh sets it)");
        const std::filesystem::path dir(folder.toStdString());
        auto loaded = model::loadModel(dir, onCuda(torch::kFloat));
        const model::SafetensorsFile ref(dir / "reference.safetensors");
        const torch::NoGradGuard noGrad;
        const auto logits = loaded.model->forward(ref.tensor("input_ids").to(c10::Device(c10::kCUDA, 0))).cpu();
        const double diff = maxAbsDiff(logits, ref.tensor("logits"));
        const double scale = ref.tensor("logits").abs().max().item<double>();
        qInfo("saved checkpoint vs transformers: max |logit diff| %.3g (largest logit %.3g)", diff, scale);
        QVERIFY2(diff < 1e-3 * std::max(1.0, scale), qPrintable(QString::number(diff)));
    }
};

QTEST_APPLESS_MAIN(TestCuda)
#include "tst_cuda.moc"
