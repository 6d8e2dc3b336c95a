// tst_model_limits: sizes read from model files are checked before anything is allocated: config.json
// dimensions and nesting, safetensors byte ranges that would wrap, shard names that leave the folder.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/model/safetensors.h"
#include "core/model/safetensors_header.h"
#include "core/tokenizer/bpe_model.h"
#include "core/util/error.h"
#include "tests/support/model_fixtures.h"

#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>

using namespace distill;
using namespace distill::model;
namespace fs = std::filesystem;
using distill::test::modelFixture;

Q_DECLARE_METATYPE(nlohmann::json)

namespace {

nlohmann::json fixtureConfig()
{
    std::ifstream in(modelFixture("tiny-qwen2") / "config.json");
    return nlohmann::json::parse(in);
}

// The error a call throws ("" and Internal when it throws none).
std::pair<ErrorCode, std::string> errorOf(const std::function<void()>& f)
{
    try {
        f();
    } catch (const Error& e) {
        return {e.code(), e.detail()};
    }
    return {ErrorCode::Internal, ""};
}

// A safetensors file of one tensor with this header entry and `dataBytes` zero bytes of data.
void writeRawSafetensors(const fs::path& path, const nlohmann::json& entry, std::size_t dataBytes)
{
    const std::string header = nlohmann::json{{"t", entry}}.dump();
    std::ofstream out(path, std::ios::binary);
    std::uint64_t n = header.size();
    for (int i = 0; i < 8; ++i, n >>= 8)
        out.put(char(n & 0xff));
    out << header << std::string(dataBytes, '\0');
}

}  // namespace

class TestModelLimits : public QObject {
    Q_OBJECT

private slots:
    void configDimensionsAreBounded_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<nlohmann::json>("value");
        QTest::newRow("hidden_size 10^12") << "hidden_size" << nlohmann::json(1'000'000'000'000LL);
        QTest::newRow("vocab_size 2^31") << "vocab_size" << nlohmann::json(2147483648LL);
        QTest::newRow("intermediate_size 2^40") << "intermediate_size" << nlohmann::json(1LL << 40);
        QTest::newRow("layers") << "num_hidden_layers" << nlohmann::json(100000);
        QTest::newRow("heads") << "num_attention_heads" << nlohmann::json(1 << 20);
        QTest::newRow("head_dim") << "head_dim" << nlohmann::json(1 << 20);
        QTest::newRow("positions") << "max_position_embeddings" << nlohmann::json(1LL << 40);
        QTest::newRow("float dimension") << "hidden_size" << nlohmann::json(1e300);
        QTest::newRow("unsigned 2^64-1") << "hidden_size" << nlohmann::json(~std::uint64_t(0));
        QTest::newRow("eos id 1e300") << "eos_token_id" << nlohmann::json(1e300);
        QTest::newRow("eos id list") << "eos_token_id" << nlohmann::json::array({2, "x"});
    }

    void configDimensionsAreBounded()
    {
        QFETCH(QString, key);
        QFETCH(nlohmann::json, value);
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "config.json";
        nlohmann::json cfg = fixtureConfig();
        cfg[key.toStdString()] = value;
        std::ofstream(file) << cfg.dump(2);
        const auto [code, detail] = errorOf([&] { ModelConfig::fromFile(file); });
        QCOMPARE(code, ErrorCode::Parse);
        QVERIFY2(detail.find(file.string()) == 0, detail.c_str());
        QVERIFY2(detail.find(key.toStdString()) != std::string::npos, detail.c_str());
    }

    void tooManyParametersInAll()
    {
        nlohmann::json cfg = fixtureConfig();
        cfg["vocab_size"] = tokenizer::kMaxVocabSize;
        cfg["hidden_size"] = kMaxHiddenSize;
        cfg["intermediate_size"] = kMaxIntermediateSize;
        cfg["num_hidden_layers"] = kMaxLayers;
        cfg["num_attention_heads"] = 64;
        cfg["num_key_value_heads"] = 64;
        const auto [code, detail] = errorOf([&] { ModelConfig::fromJsonText(cfg.dump(), "big/config.json"); });
        QCOMPARE(code, ErrorCode::Parse);
        QVERIFY2(detail.find("big/config.json: config.json describes") == 0, detail.c_str());
    }

    void deeplyNestedConfigIsRefused()
    {
        // 100,000 arrays inside each other: copying or printing that tree overflowed the stack.
        std::string text = "{\"model_type\": \"qwen2\",\n\"extra\": ";
        text.append(100000, '[').append(100000, ']').append(1, '}');
        const auto [code, detail] = errorOf([&] { ModelConfig::fromJsonText(text, "m/config.json"); });
        QCOMPARE(code, ErrorCode::Parse);
        QCOMPARE(detail, std::string("m/config.json: line 2: JSON nested deeper than 64 levels"));
    }

    void safetensorsByteRangesCannotWrap_data()
    {
        QTest::addColumn<nlohmann::json>("entry");
        QTest::addColumn<int>("dataBytes");
        QTest::addColumn<QString>("mentions");
        // 2^62 x 2 doubles are 2^66 bytes, 0 modulo 2^64: the old size check passed for 0 bytes.
        QTest::newRow("wrapping shape") << nlohmann::json{{"dtype", "F64"}, {"shape", {1ULL << 62, 2}}, {"data_offsets", {0, 0}}}
                                        << 0 << "more than 2^64 bytes";
        QTest::newRow("negative offset") << nlohmann::json{{"dtype", "F32"}, {"shape", {1}}, {"data_offsets", {-4, 0}}} << 4
                                         << "data_offsets";
        QTest::newRow("float dimension") << nlohmann::json{{"dtype", "F32"}, {"shape", {1e300}}, {"data_offsets", {0, 4}}} << 4
                                         << "dimension";
        QTest::newRow("not an object") << nlohmann::json(7) << 0 << "not an object";
    }

    void safetensorsByteRangesCannotWrap()
    {
        QFETCH(nlohmann::json, entry);
        QFETCH(int, dataBytes);
        QFETCH(QString, mentions);
        QTemporaryDir tmp;
        const fs::path file = fs::path(tmp.path().toStdString()) / "x.safetensors";
        writeRawSafetensors(file, entry, std::size_t(dataBytes));
        const auto [code, detail] = errorOf([&] { SafetensorsFile f(file); });
        QCOMPARE(code, ErrorCode::Parse);
        QVERIFY2(detail.find(mentions.toStdString()) != std::string::npos, detail.c_str());
        QVERIFY2(detail.find(file.string()) == 0, detail.c_str());
    }

    void safetensorsHeaderSizeIsBounded()
    {
        std::string bytes(16, '\0');
        bytes[0] = char(0x01);
        bytes[4] = char(0x01);  // 2^32 + 1 header bytes
        const auto [code, detail] = errorOf([&] {
            parseSafetensorsHeader(reinterpret_cast<const unsigned char*>(bytes.data()), 1ULL << 40, "big.safetensors");
        });
        QCOMPARE(code, ErrorCode::Parse);
        QVERIFY2(detail.find("more than the limit of 100000000") != std::string::npos, detail.c_str());
    }

    void elementSizesAgreeWithTorch()
    {
        for (const c10::ScalarType t : {at::kDouble, at::kFloat, at::kHalf, at::kBFloat16, at::kLong, at::kInt, at::kShort,
                                        at::kChar, at::kByte, at::kBool})
            QCOMPARE(safetensorsElementSize(safetensorsDtypeName(t)), c10::elementSize(t));
        QCOMPARE(safetensorsElementSize("F8_E4M3"), std::size_t(0));
    }

    void shardNamesStayInTheModelFolder_data()
    {
        QTest::addColumn<nlohmann::json>("shard");
        QTest::newRow("parent folder") << nlohmann::json("../outside.safetensors");
        QTest::newRow("absolute path") << nlohmann::json("/tmp/outside.safetensors");
        QTest::newRow("sub-folder") << nlohmann::json("sub/model.safetensors");
        QTest::newRow("not safetensors") << nlohmann::json("config.json");
        QTest::newRow("not a string") << nlohmann::json(5);
    }

    void shardNamesStayInTheModelFolder()
    {
        QFETCH(nlohmann::json, shard);
        QTemporaryDir tmp;
        const fs::path root(tmp.path().toStdString());
        const fs::path dir = root / "model";
        fs::create_directories(dir);
        fs::copy_file(modelFixture("tiny-qwen2") / "config.json", dir / "config.json");
        // Every tensor sits in a file outside the folder, where a crafted index pointed.
        fs::copy_file(modelFixture("tiny-qwen2") / "model.safetensors", root / "outside.safetensors");
        SafetensorsFile weights(root / "outside.safetensors");
        nlohmann::json map = nlohmann::json::object();
        for (const std::string& name : weights.names())
            map[name] = shard.is_string() && shard.get<std::string>() == "/tmp/outside.safetensors"
                            ? nlohmann::json((root / "outside.safetensors").string())
                            : shard;
        std::ofstream(dir / "model.safetensors.index.json") << nlohmann::json{{"weight_map", map}}.dump();
        const auto [code, detail] = errorOf([&] { loadModel(dir); });
        QCOMPARE(code, ErrorCode::Parse);
        QVERIFY2(detail.find("model.safetensors.index.json") != std::string::npos, detail.c_str());
        QVERIFY2(detail.find("not a .safetensors file name in the model folder") != std::string::npos, detail.c_str());
        QCOMPARE(errorOf([&] { weightFiles(dir); }).first, ErrorCode::Parse);
    }
};

QTEST_GUILESS_MAIN(TestModelLimits)
#include "tst_model_limits.moc"
