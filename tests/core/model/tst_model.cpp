// Tests of core/model: logits, loss and gradients against tensors dumped from transformers for every
// architecture, padding and KV-cache consistency, save -> load, config layouts and load errors.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/model/precision.h"
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

nlohmann::json readJson(const fs::path& p)
{
    std::ifstream in(p);
    return nlohmann::json::parse(in);
}

// Copies a fixture model folder (weights and config only) into `dir`.
fs::path copyModel(const char* name, const QTemporaryDir& dir)
{
    const fs::path to = fs::path(dir.path().toStdString()) / name;
    fs::create_directories(to);
    for (const auto& e : fs::directory_iterator(modelFixture(name)))
        if (e.path().filename().string().rfind("reference", 0) != 0)
            fs::copy_file(e.path(), to / e.path().filename());
    return to;
}

template <typename F>
ErrorCode errorCodeOf(F&& f, std::string* detail = nullptr)
{
    try {
        f();
    } catch (const Error& e) {
        if (detail)
            *detail = e.detail();
        return e.code();
    }
    return ErrorCode::Internal;  // nothing thrown
}

}  // namespace

class TestModel : public QObject {
    Q_OBJECT
private slots:
    void logitsMatchTransformers_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"tiny-qwen2", "tiny-qwen3", "tiny-llama3", "tiny-qwen2.5-bf16-sharded"})
            QTest::newRow(n) << QString(n);
    }
    void logitsMatchTransformers()
    {
        QFETCH(QString, name);
        const fs::path dir = modelFixture(name.toStdString().c_str());
        LoadedModel loaded = loadModel(dir);
        SafetensorsFile ref(dir / "reference.safetensors");
        torch::NoGradGuard noGrad;
        const at::Tensor logits = loaded.model->forward(ref.tensor("input_ids"));
        QCOMPARE(logits.sizes().vec(), ref.tensor("logits").sizes().vec());
        const double diff = maxAbsDiff(logits, ref.tensor("logits"));
        qInfo("%s: max |logit diff| %.3g", qPrintable(name), diff);
        QVERIFY2(diff < 1e-4, qPrintable(QString::number(diff)));
    }

    void lossAndGradientsMatchTransformers_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"tiny-qwen2", "tiny-qwen3", "tiny-llama3"})
            QTest::newRow(n) << QString(n);
    }
    void lossAndGradientsMatchTransformers()
    {
        QFETCH(QString, name);
        const fs::path dir = modelFixture(name.toStdString().c_str());
        LoadedModel loaded = loadModel(dir);
        SafetensorsFile ref(dir / "reference.safetensors");
        const double refLoss = readJson(dir / "reference.json")["loss"].get<double>();
        loaded.model->train();
        const at::Tensor loss = causalLmLoss(loaded.model->forward(ref.tensor("input_ids")), ref.tensor("labels"));
        QVERIFY(std::abs(loss.item<double>() - refLoss) < 1e-4);
        loss.backward();
        int compared = 0;
        for (const auto& item : loaded.model->named_parameters()) {
            const std::string key = "grad." + item.key();
            QVERIFY2(ref.contains(key), key.c_str());
            const at::Tensor want = ref.tensor(key);
            const double rel = (item.value().grad() - want).norm().item<double>() / want.norm().item<double>();
            QVERIFY2(rel < 1e-4, qPrintable(QString::fromStdString(item.key()) + " " + QString::number(rel)));
            ++compared;
        }
        QCOMPARE(compared, int(ref.names().size()) - 3);  // every gradient in the file was checked
    }

    void paddedBatchMatchesSingleSequences()
    {
        LoadedModel loaded = loadModel(modelFixture("tiny-qwen3"));
        SafetensorsFile ref(modelFixture("tiny-qwen3") / "reference.safetensors");
        torch::NoGradGuard noGrad;
        const at::Tensor ids = ref.tensor("input_ids").narrow(1, 0, 12);  // [3, 12]
        const at::Tensor alone = loaded.model->forward(ids.narrow(0, 0, 1).narrow(1, 0, 7));  // [1, 7, V]
        // Row 0 holds the 7-token prefix with 5 pads on the left (row 1) or the right (row 2).
        at::Tensor batch = ids.clone();
        at::Tensor mask = torch::ones({3, 12}, torch::kLong);
        batch[1].narrow(0, 5, 7).copy_(ids[0].narrow(0, 0, 7));
        batch[1].narrow(0, 0, 5).fill_(0);
        mask[1].narrow(0, 0, 5).fill_(0);
        batch[2].narrow(0, 0, 7).copy_(ids[0].narrow(0, 0, 7));
        mask[2].narrow(0, 7, 5).fill_(0);
        const at::Tensor logits = loaded.model->forward(batch, mask);
        QVERIFY(maxAbsDiff(logits[1].narrow(0, 5, 7), alone[0]) < 1e-5);
        QVERIFY(maxAbsDiff(logits[2].narrow(0, 0, 7), alone[0]) < 1e-5);
        QVERIFY(maxAbsDiff(logits[0], loaded.model->forward(ids.narrow(0, 0, 1))[0]) < 1e-5);
        QVERIFY(torch::isfinite(logits).all().item<bool>());
    }

    // Packed rows (samples side by side, positions restarting, padding at the end) give each sample
    // the logits it has alone; with gradient checkpointing too, whose backward recomputes the layers.
    void packedRowsMatchSamplesAlone()
    {
        LoadedModel loaded = loadModel(modelFixture("tiny-qwen2"));
        const std::vector<std::vector<std::int64_t>> samples = {
            {5, 17, 300, 41, 9}, {12, 13, 14, 15, 16, 17, 18}, {600, 601, 2, 3}};
        const std::vector<std::vector<std::size_t>> rows = {{0, 1}, {2}};
        const std::int64_t T = 12;
        auto ids = torch::zeros({2, T}, torch::kLong), positions = torch::zeros({2, T}, torch::kLong);
        auto sequence = torch::full({2, T}, -1, torch::kLong);
        for (std::size_t r = 0; r < rows.size(); ++r) {
            std::int64_t t = 0;
            for (std::size_t i = 0; i < rows[r].size(); ++i)
                for (std::size_t j = 0; j < samples[rows[r][i]].size(); ++j, ++t) {
                    ids[std::int64_t(r)][t] = samples[rows[r][i]][j];
                    positions[std::int64_t(r)][t] = std::int64_t(j);
                    sequence[std::int64_t(r)][t] = std::int64_t(i);
                }
        }
        for (const bool checkpointing : {false, true}) {
            loaded.model->setGradientCheckpointing(checkpointing);
            const auto logits = loaded.model->logits(loaded.model->forwardPacked(ids, positions, sequence));  // [2, T, V]
            logits.sum().backward();  // the recomputing backward runs after the forward returned
            const torch::NoGradGuard noGrad;
            for (std::size_t r = 0; r < rows.size(); ++r) {
                std::int64_t start = 0;
                for (const std::size_t s : rows[r]) {
                    const auto n = std::int64_t(samples[s].size());
                    const auto alone = loaded.model->forward(torch::tensor(samples[s]).unsqueeze(0))[0];  // [n, V]
                    const double diff = maxAbsDiff(logits[std::int64_t(r)].narrow(0, start, n).detach(), alone);
                    QVERIFY2(diff < 1e-5, qPrintable(QString("sample %1 (checkpointing %2): %3").arg(s).arg(checkpointing).arg(diff)));
                    start += n;
                }
            }
        }
    }

    void cachedForwardMatchesFullForward()
    {
        LoadedModel loaded = loadModel(modelFixture("tiny-llama3"));
        SafetensorsFile ref(modelFixture("tiny-llama3") / "reference.safetensors");
        torch::NoGradGuard noGrad;
        const at::Tensor ids = ref.tensor("input_ids");  // [3, 40]
        const at::Tensor full = loaded.model->forward(ids);
        // Slots 2, 0 and 1 hold rows 0..2: a prefill of 30 tokens, then 10 single-token steps.
        KvCache cache = loaded.model->makeCache(3, 48);
        const at::Tensor slotIds = torch::tensor({2, 0, 1}, torch::kLong);
        const at::Tensor prefillPos = torch::arange(30, torch::kLong).unsqueeze(0).expand({3, 30});
        at::Tensor h = loaded.model->forwardCached(ids.narrow(1, 0, 30), prefillPos, cache, slotIds, false);
        QVERIFY(maxAbsDiff(loaded.model->logits(h), full.narrow(1, 0, 30)) < 1e-4);
        for (int t = 30; t < 40; ++t) {
            h = loaded.model->forwardCached(ids.narrow(1, t, 1), torch::full({3, 1}, t, torch::kLong), cache, slotIds, false);
            QVERIFY(maxAbsDiff(loaded.model->logits(h), full.narrow(1, t, 1)) < 1e-4);
        }
        // A copied slot continues like its source.
        cache.copySlot(2, 0, 40);
        const at::Tensor same = ids.narrow(0, 0, 1).narrow(1, 39, 1).expand({2, 1});  // [2, 1]
        h = loaded.model->forwardCached(same, torch::full({2, 1}, 39, torch::kLong), cache,
                                        torch::tensor({2, 0}, torch::kLong), false);
        const at::Tensor l = loaded.model->logits(h);
        QVERIFY(maxAbsDiff(l[0], l[1]) < 1e-6);
    }

    void saveThenLoadGivesIdenticalLogits()
    {
        QTemporaryDir tmp;
        LoadedModel loaded = loadModel(modelFixture("tiny-qwen2"));
        SafetensorsFile ref(modelFixture("tiny-qwen2") / "reference.safetensors");
        const fs::path out = fs::path(tmp.path().toStdString()) / "saved";
        SaveOptions options;
        options.maxShardBytes = 200'000;  // force shards + index
        options.copyFilesFrom = modelFixture("tiny-qwen2");
        saveModel(*loaded.model, out, options);
        QVERIFY(fs::exists(out / "model.safetensors.index.json"));
        QVERIFY(fs::exists(out / "generation_config.json"));
        const nlohmann::json index = readJson(out / "model.safetensors.index.json");
        QVERIFY(!index["weight_map"].contains("lm_head.weight"));  // tied: stored once, as transformers does
        QVERIFY(index["weight_map"].size() == loaded.model->named_parameters().size());
        const nlohmann::json cfg = readJson(out / "config.json");
        QCOMPARE(cfg["model_type"].get<std::string>(), std::string("qwen2"));
        QCOMPARE(cfg["rope_parameters"]["rope_theta"].get<double>(), 10000.0);
        QCOMPARE(cfg["tie_word_embeddings"].get<bool>(), true);

        LoadedModel again = loadModel(out);
        torch::NoGradGuard noGrad;
        const at::Tensor ids = ref.tensor("input_ids");
        QVERIFY(torch::equal(loaded.model->forward(ids), again.model->forward(ids)));

        // bfloat16 storage round-trips the bf16-rounded weights exactly.
        options.dtype = torch::kBFloat16;
        options.maxShardBytes = 1ULL << 40;
        saveModel(*loaded.model, out, options);
        QVERIFY(fs::exists(out / "model.safetensors"));
        QVERIFY(!fs::exists(out / "model.safetensors.index.json"));
        QCOMPARE(readJson(out / "config.json")["torch_dtype"].get<std::string>(), std::string("bfloat16"));
        LoadedModel bf16 = loadModel(out);
        const auto w = bf16.model->named_parameters()["model.layers.1.mlp.up_proj.weight"];
        const auto orig = loaded.model->named_parameters()["model.layers.1.mlp.up_proj.weight"];
        QVERIFY(torch::equal(w, orig.to(torch::kBFloat16).to(torch::kFloat)));
    }

    void configLayouts()
    {
        const ModelConfig old = ModelConfig::fromFile(modelFixture("tiny-qwen2.5-bf16-sharded") / "config.json");
        QCOMPARE(old.arch, Arch::Qwen2);
        QCOMPARE(old.rope.theta, 1000000.0);
        QCOMPARE(old.rope.ropeType, std::string("default"));
        QCOMPARE(old.dtype, std::string("bfloat16"));
        QVERIFY(old.qkvBias && !old.outputBias && !old.tieWordEmbeddings);
        QCOMPARE(old.eosTokenIds, std::vector<std::int64_t>{2});

        const ModelConfig llama = ModelConfig::fromFile(modelFixture("tiny-llama3") / "config.json");
        QCOMPARE(llama.arch, Arch::Llama);
        QCOMPARE(llama.rope.ropeType, std::string("llama3"));
        QCOMPARE(llama.rope.factor, 8.0);
        QCOMPARE(llama.rope.originalMaxPositionEmbeddings, std::int64_t(64));
        QCOMPARE(llama.numKvHeads, std::int64_t(1));
        QVERIFY(!llama.qkvBias && !llama.mlpBias);

        const ModelConfig qwen3 = ModelConfig::fromFile(modelFixture("tiny-qwen3") / "config.json");
        QCOMPARE(qwen3.headDim, std::int64_t(32));
        QVERIFY(qwen3.qkNorm);
        // The written config reads back to the same hyper-parameters.
        const ModelConfig back = ModelConfig::fromJson(llama.toJson());
        QCOMPARE(back.rope.lowFreqFactor, llama.rope.lowFreqFactor);
        QCOMPARE(back.headDim, llama.headDim);
        QCOMPARE(back.parameterCount(), llama.parameterCount());
        QCOMPARE(std::int64_t(CausalLM(llama)->parameters().size()) > 0, true);
        std::int64_t n = 0;
        for (const auto& p : CausalLM(qwen3)->parameters())
            n += p.numel();
        QCOMPARE(n, qwen3.parameterCount());
    }

    void unknownModelTypeIsNamed()
    {
        QTemporaryDir tmp;
        const fs::path dir = copyModel("tiny-qwen2", tmp);
        nlohmann::json cfg = readJson(dir / "config.json");
        cfg["model_type"] = "mamba9";
        std::ofstream(dir / "config.json") << cfg.dump();
        std::string detail;
        QCOMPARE(errorCodeOf([&] { loadModel(dir); }, &detail), ErrorCode::Unsupported);
        QVERIFY(detail.find("mamba9") != std::string::npos);
    }

    void missingTensorIsNamed()
    {
        QTemporaryDir tmp;
        const fs::path dir = copyModel("tiny-qwen3", tmp);
        SafetensorsFile in(modelFixture("tiny-qwen3") / "model.safetensors");
        std::vector<std::pair<std::string, at::Tensor>> kept;
        for (const std::string& name : in.names())
            if (name != "model.layers.1.self_attn.k_norm.weight")
                kept.emplace_back(name, in.tensor(name));
        writeSafetensors(dir / "model.safetensors", kept);
        std::string detail;
        QCOMPARE(errorCodeOf([&] { loadModel(dir); }, &detail), ErrorCode::NotFound);
        QVERIFY2(detail.find("model.layers.1.self_attn.k_norm.weight") != std::string::npos, detail.c_str());
        QVERIFY2(detail.find("[32]") != std::string::npos, detail.c_str());

        // A tensor of the wrong shape names both shapes.
        kept.emplace_back("model.layers.1.self_attn.k_norm.weight", torch::ones({16}));
        writeSafetensors(dir / "model.safetensors", kept);
        QCOMPARE(errorCodeOf([&] { loadModel(dir); }, &detail), ErrorCode::Parse);
        QVERIFY2(detail.find("[16]") != std::string::npos && detail.find("[32]") != std::string::npos, detail.c_str());
    }

    void truncatedFileIsAnIoError()
    {
        QTemporaryDir tmp;
        const fs::path dir = copyModel("tiny-llama3", tmp);
        fs::resize_file(dir / "model.safetensors", fs::file_size(dir / "model.safetensors") - 1000);
        std::string detail;
        QCOMPARE(errorCodeOf([&] { loadModel(dir); }, &detail), ErrorCode::Io);
        QVERIFY2(detail.find("truncated") != std::string::npos, detail.c_str());
        fs::resize_file(dir / "model.safetensors", 4);
        QCOMPARE(errorCodeOf([&] { loadModel(dir); }), ErrorCode::Io);
        fs::remove(dir / "model.safetensors");
        QCOMPARE(errorCodeOf([&] { loadModel(dir); }, &detail), ErrorCode::NotFound);
    }

    // Two intra-op threads beside OpenBLAS's own pool made CPU generation and training slower on
    // both libtorch builds (docs/training.md): a job on the CPU runs one, unless OMP_NUM_THREADS is set.
    void cpuDeviceRunsOneIntraOpThread()
    {
        qunsetenv("OMP_NUM_THREADS");
        at::set_num_threads(2);
        QCOMPARE(availableDevice("cpu").type(), c10::DeviceType::CPU);
        QCOMPARE(at::get_num_threads(), 1);
        at::set_num_threads(2);  // the first call decides; later ones leave a choice made since alone
        availableDevice("cpu");
        QCOMPARE(at::get_num_threads(), 2);
    }

    void safetensorsRoundTrip()
    {
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "t.safetensors";
        const at::Tensor a = torch::arange(12, torch::kFloat).view({3, 4});
        const at::Tensor b = torch::tensor({1, -2, 3}, torch::kLong);
        const at::Tensor c = torch::randn({2, 5}).to(torch::kBFloat16);
        writeSafetensors(file, {{"a", a}, {"b", b}, {"c", c}});
        SafetensorsFile f(file);
        QCOMPARE(f.names(), (std::vector<std::string>{"a", "b", "c"}));
        QVERIFY(torch::equal(f.tensor("a"), a));
        QVERIFY(torch::equal(f.tensor("b"), b));
        QVERIFY(torch::equal(f.tensor("c"), c));
        QCOMPARE(f.entry("c").dtype, torch::kBFloat16);
        QCOMPARE(f.metadata()["format"].get<std::string>(), std::string("pt"));
        QCOMPARE(errorCodeOf([&] { f.entry("nope"); }), ErrorCode::NotFound);
    }
};

QTEST_GUILESS_MAIN(TestModel)
#include "tst_model.moc"
