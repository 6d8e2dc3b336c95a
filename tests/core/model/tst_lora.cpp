// Tests of LoRA in core/model: adapters start as the identity, only they are trainable, the merged
// HF folder gives the adapted model's logits (full and cached forwards), the PEFT adapter folder
// (names, config) round-trips exactly, and loading refuses another base model or adapter shape.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/model/safetensors.h"
#include "core/util/error.h"
#include "tests/support/tensor_checks.h"
#include "tests/support/model_fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace distill;
using namespace distill::model;
namespace fs = std::filesystem;
using distill::test::modelFixture;
using distill::test::maxAbsDiff;

namespace {

LoraOptions smallLora()
{
    LoraOptions options;
    options.rank = 4;
    options.alpha = 8.0;
    options.baseModel = modelFixture("tiny-qwen2").string();
    return options;
}

// Gives every lora_B a non-zero value, as training would, so the adapters change the outputs.
void perturbAdapters(CausalLMImpl& model, std::uint64_t seed)
{
    torch::manual_seed(seed);
    const torch::NoGradGuard noGrad;
    for (auto& item : model.named_parameters())
        if (item.key().ends_with(".lora_B.weight"))
            item.value().normal_(0.0, 0.05);
}

// Logits of the full forward and of a KV-cached forward (the engine's) on the same ids.
std::pair<at::Tensor, at::Tensor> logitsOf(CausalLMImpl& model, const at::Tensor& ids)
{
    const torch::NoGradGuard noGrad;
    const auto B = ids.size(0), T = ids.size(1);
    auto cache = model.makeCache(B, T);
    const auto positions = torch::arange(T, torch::kLong).unsqueeze(0).expand({B, T}).contiguous();  // [B, T]
    const auto cached = model.logits(model.forwardCached(ids, positions, cache, torch::arange(B, torch::kLong), true));
    return {model.forward(ids), cached};
}

template <typename F>
ErrorCode errorCodeOf(F&& f)
{
    try {
        f();
    } catch (const Error& e) {
        return e.code();
    }
    return ErrorCode::Internal;  // nothing thrown
}

}  // namespace

class TestLora : public QObject {
    Q_OBJECT
private slots:
    void adaptersStartAsIdentityAndAloneTrain()
    {
        auto loaded = loadModel(modelFixture("tiny-qwen2"));
        auto& lm = *loaded.model;
        const auto ids = torch::randint(0, loaded.config.vocabSize, {2, 9}, torch::kLong);
        const auto before = logitsOf(lm, ids).first;
        lm.addLora(smallLora(), 1);
        QVERIFY(maxAbsDiff(logitsOf(lm, ids).first, before) == 0.0);  // B = 0: unchanged

        const auto H = loaded.config.hiddenSize, I = loaded.config.intermediateSize;
        const auto q = loaded.config.numHeads * loaded.config.headDim, kv = loaded.config.numKvHeads * loaded.config.headDim;
        // r * (in + out) per adapted projection, in every layer.
        const auto perLayer = 4 * ((H + q) + 2 * (H + kv) + (q + H) + 2 * (H + I) + (I + H));
        std::int64_t trainable = 0, adapters = 0;
        for (const auto& item : lm.named_parameters()) {
            QCOMPARE(item.value().requires_grad(), isLoraParameter(item.key()));
            trainable += item.value().requires_grad() ? item.value().numel() : 0;
            adapters += isLoraParameter(item.key()) ? 1 : 0;
        }
        QCOMPARE(trainable, perLayer * loaded.config.numLayers);
        QCOMPARE(adapters, std::int64_t(2 * 7 * loaded.config.numLayers));
        const auto a = lm.named_parameters()["model.layers.1.mlp.down_proj.lora_A.weight"];
        QVERIFY(a.sizes().vec() == (std::vector<std::int64_t>{4, I}));
        QVERIFY(a.abs().max().item<double>() <= 1.0 / std::sqrt(double(I)));
        QVERIFY(a.abs().max().item<double>() > 0.5 / std::sqrt(double(I)));

        // A subset of targets; bad options; a second call.
        auto other = loadModel(modelFixture("tiny-qwen2"));
        auto options = smallLora();
        options.targets = {"q_proj", "v_proj"};
        other.model->addLora(options, 1);
        std::int64_t adapted = 0;
        for (const auto& item : other.model->named_parameters())
            adapted += item.key().ends_with("lora_A.weight") ? 1 : 0;
        QCOMPARE(adapted, 2 * loaded.config.numLayers);
        QVERIFY(other.model->named_parameters().contains("model.layers.0.self_attn.v_proj.lora_B.weight"));
        QVERIFY(!other.model->named_parameters().contains("model.layers.0.self_attn.k_proj.lora_B.weight"));
        QCOMPARE(errorCodeOf([&] { other.model->addLora(smallLora(), 1); }), ErrorCode::InvalidArgument);
        options.targets = {"lm_head"};
        QCOMPARE(errorCodeOf([&] { loadModel(modelFixture("tiny-qwen2")).model->addLora(options, 1); }), ErrorCode::InvalidArgument);
        options = smallLora();
        options.rank = 0;
        QCOMPARE(errorCodeOf([&] { loadModel(modelFixture("tiny-qwen2")).model->addLora(options, 1); }), ErrorCode::InvalidArgument);
    }

    void mergedFolderGivesTheAdaptedLogits()
    {
        QTemporaryDir dir;
        auto loaded = loadModel(modelFixture("tiny-qwen2"));
        auto& lm = *loaded.model;
        const auto baseWeight = lm.named_parameters()["model.layers.0.self_attn.q_proj.weight"].clone();
        torch::manual_seed(2);
        const auto ids = torch::randint(0, loaded.config.vocabSize, {3, 11}, torch::kLong);
        const auto base = logitsOf(lm, ids).first;
        lm.addLora(smallLora(), 1);
        perturbAdapters(lm, 3);
        const auto [adapted, adaptedCached] = logitsOf(lm, ids);
        QVERIFY(maxAbsDiff(adapted, base) > 1e-2);  // the adapters matter
        QVERIFY(maxAbsDiff(adaptedCached, adapted) < 1e-4);

        const fs::path folder = fs::path(dir.path().toStdString()) / "merged";
        saveModel(lm, folder);
        // The live model keeps its base weights and adapters.
        QVERIFY(torch::equal(lm.named_parameters()["model.layers.0.self_attn.q_proj.weight"], baseWeight));
        QVERIFY(torch::equal(logitsOf(lm, ids).first, adapted));
        // A plain HF folder: no adapter tensor among the weights, which loadModel reads as any model.
        for (const auto& name : SafetensorsFile(folder / "model.safetensors").names())
            QVERIFY2(name.find("lora") == std::string::npos, name.c_str());
        auto merged = loadModel(folder);
        QVERIFY(!merged.model->lora());
        const auto [mergedLogits, mergedCached] = logitsOf(*merged.model, ids);
        const double diff = maxAbsDiff(mergedLogits, adapted), scale = adapted.abs().max().item<double>();
        QVERIFY2(diff <= 1e-5 * scale, qPrintable(QString("merged vs adapted logits: %1 (max %2)").arg(diff).arg(scale)));
        QVERIFY(maxAbsDiff(mergedCached, adaptedCached) <= 1e-5 * scale);
        qDebug("merged vs adapted logits: max difference %g of max |logit| %g", diff, scale);
    }

    void peftAdapterFolderRoundTrips()
    {
        QTemporaryDir dir;
        auto loaded = loadModel(modelFixture("tiny-qwen2"));
        auto& lm = *loaded.model;
        lm.addLora(smallLora(), 1);
        perturbAdapters(lm, 4);
        const fs::path folder = fs::path(dir.path().toStdString()) / "checkpoint";
        saveModel(lm, folder);

        // PEFT's names and config.
        const fs::path adapter = folder / kLoraAdapterFolder;
        const SafetensorsFile file(adapter / "adapter_model.safetensors");
        QCOMPARE(file.names().size(), std::size_t(2 * 7 * loaded.config.numLayers));
        const std::string key = "base_model.model.model.layers.0.self_attn.q_proj.lora_A.weight";
        QVERIFY(file.contains(key));
        QVERIFY(file.contains("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"));
        QVERIFY(torch::equal(file.tensor(key), lm.named_parameters()["model.layers.0.self_attn.q_proj.lora_A.weight"]));
        std::ifstream in(adapter / "adapter_config.json");
        const auto config = nlohmann::json::parse(in);
        QCOMPARE(config.at("peft_type").get<std::string>(), std::string("LORA"));
        QCOMPARE(config.at("r").get<int>(), 4);
        QCOMPARE(config.at("lora_alpha").get<double>(), 8.0);
        QVERIFY(config.at("target_modules").get<std::vector<std::string>>() == loraTargetNames());
        QCOMPARE(config.at("base_model_name_or_path").get<std::string>(), modelFixture("tiny-qwen2").string());

        // The same base with fresh adapters (another seed) reads back the exact adapters.
        auto resumed = loadModel(modelFixture("tiny-qwen2"));
        resumed.model->addLora(smallLora(), 99);
        loadWeights(*resumed.model, folder);
        auto want = lm.named_parameters();
        for (const auto& item : resumed.model->named_parameters())
            QVERIFY2(torch::equal(item.value(), want[item.key()]), item.key().c_str());

        // Another base model, or adapters of another shape, are refused.
        auto otherBase = loadModel(modelFixture("tiny-qwen2"));
        {
            const torch::NoGradGuard noGrad;
            otherBase.model->named_parameters()["model.layers.1.mlp.up_proj.weight"].mul_(1.01);
        }
        otherBase.model->addLora(smallLora(), 1);
        QCOMPARE(errorCodeOf([&] { loadWeights(*otherBase.model, folder); }), ErrorCode::InvalidArgument);
        auto otherRank = loadModel(modelFixture("tiny-qwen2"));
        auto options = smallLora();
        options.rank = 2;
        otherRank.model->addLora(options, 1);
        QCOMPARE(errorCodeOf([&] { loadWeights(*otherRank.model, folder); }), ErrorCode::InvalidArgument);
        auto plain = loadModel(modelFixture("tiny-qwen2"));
        QCOMPARE(errorCodeOf([&] { loadLoraAdapter(*plain.model, adapter); }), ErrorCode::InvalidArgument);
        QCOMPARE(errorCodeOf([&] { saveLoraAdapter(*plain.model, adapter); }), ErrorCode::InvalidArgument);
    }
};

QTEST_GUILESS_MAIN(TestLora)
#include "tst_lora.moc"
