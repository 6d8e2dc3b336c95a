// Tests of core/formats: every import layout, the real trace files (lossless import and
// import -> export -> import round trips), malformed input, cancel, detection and override.
#include "core/formats/exporter.h"
#include "core/formats/importer.h"
#include "core/formats/json_stream.h"
#include "core/formats/record_json.h"
#include "core/formats/think_split.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <random>

using namespace distill;
using namespace distill::formats;
using nlohmann::json;

namespace {

const std::string kTraces = std::string(DISTILLERY_SOURCE_DIR) + "/tests/fixtures/traces/";

store::Workspace emptyWorkspace(const QTemporaryDir& dir, const std::string& name = "ws.sqlite")
{
    store::CreateOptions options;
    options.loadBenchmarks = false;
    return store::Workspace::create(dir.filePath(QString::fromStdString(name)).toStdString(), options);
}

std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& content)
{
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

std::vector<store::Sample> allSamples(const store::Workspace& ws, store::SampleQuery q = {})
{
    std::vector<store::Sample> out;
    for (std::int64_t id : ws.sampleIds(q))
        out.push_back(*ws.sample(id));
    return out;
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

// What a round trip must preserve of a sample.
json content(const store::Workspace& ws, const store::Sample& s)
{
    const json extras = json::parse(s.extrasJson);
    return {{"question", ws.problem(s.problemId)->question},
            {"messages", json::parse(s.messagesJson)},
            {"thinking", s.thinking},
            {"answer", s.answer},
            {"assistant", extras.value("assistant", json::object())},
            {"tools", extras.value("tools", json())}};
}

// parseRecordJson(text) against nlohmann::json::parse(text): the same value with the same number
// types at every node, or both refuse the text.
void expectSameAsNlohmann(const std::string& text)
{
    bool nlohmannRefuses = false;
    bool refuses = false;
    json expected;
    json actual;
    try {
        expected = json::parse(text);
    } catch (const json::exception&) {
        nlohmannRefuses = true;
    }
    try {
        actual = parseRecordJson(text);
    } catch (const Error& e) {
        refuses = true;
        QCOMPARE(e.code(), ErrorCode::Parse);
    }
    QVERIFY2(refuses == nlohmannRefuses, text.c_str());
    const std::function<bool(const json&, const json&)> same = [&](const json& a, const json& b) {
        if (a.type() != b.type() || a != b)
            return false;
        if (a.is_object())
            for (auto it = a.begin(); it != a.end(); ++it)
                if (!same(*it, b.at(it.key())))
                    return false;
        if (a.is_array())
            for (std::size_t i = 0; i < a.size(); ++i)
                if (!same(a[i], b[i]))
                    return false;
        return true;
    };
    QVERIFY2(same(actual, expected), text.c_str());
}

const char* kTraceFiles[] = {"star1-r1-safety.json", "marco-o1-cot-demo.json", "s1k-gemini-first5.jsonl",
                             "llamafactory-reason-tool-use-50.jsonl"};

}  // namespace

class TestFormats : public QObject {
    Q_OBJECT
private slots:
    void splitsReasoningTags()
    {
        const std::vector<TagPair> think = {{"<think>", "</think>"}, {"<Thought>", "</Thought>"}};
        const std::vector<TagPair> answer = {{"<Output>", "</Output>"}};
        auto s = splitReasoning("<think>\nstep 1\nstep 2\n</think>\n\nThe answer is 4.", think, answer);
        QVERIFY(s.split);
        QCOMPARE(q(s.thinking), QStringLiteral("step 1\nstep 2"));
        QCOMPARE(q(s.answer), QStringLiteral("The answer is 4."));
        s = splitReasoning("reasoning without open tag</think>answer", think, answer);  // R1 chat template
        QCOMPARE(q(s.thinking), QStringLiteral("reasoning without open tag"));
        QCOMPARE(q(s.answer), QStringLiteral("answer"));
        s = splitReasoning("<think>\ncut off mid-way", think, answer);
        QCOMPARE(q(s.thinking), QStringLiteral("cut off mid-way"));
        QCOMPARE(q(s.answer), QString());
        s = splitReasoning("<Thought>\nhmm\n</Thought>\n<Output>\nyes\n</Output>", think, answer);
        QCOMPARE(q(s.thinking), QStringLiteral("hmm"));
        QCOMPARE(q(s.answer), QStringLiteral("yes"));
        s = splitReasoning("plain answer, no tags", think, answer);
        QVERIFY(!s.split);
        QCOMPARE(q(s.answer), QStringLiteral("plain answer, no tags"));
        s = splitReasoning("<Thought>\nhmm\n</Thought>\nrest", {{"<think>", "</think>"}}, {});  // not configured
        QVERIFY(!s.split);
        // The R1 template is the inverse of the split, including edge whitespace.
        for (const auto& [t, a] : std::vector<std::pair<std::string, std::string>>{
                 {"x", "y"}, {"", "y"}, {"\nlead", "\n\ntrail"}, {"a\n", ""}, {"multi\n\nline", "ans\n"}}) {
            const auto back = splitReasoning(r1Text(t, a), think, answer);
            QCOMPARE(q(back.thinking), q(t));
            QCOMPARE(q(back.answer), q(a));
        }
    }

    void streamsJsonArraysAndLines()
    {
        QTemporaryDir dir;
        const std::string arr = writeFile(dir, "a.json",
                                          "\xEF\xBB\xBF [\n  {\"a\": \"x]}\\\"{\", \"b\": [1, {\"c\": 2}]},\n"
                                          "  {\"a\": \"second\"}\n  ,3, \"str\"\n]\n");
        RecordReader reader(arr);
        QVERIFY(reader.isArray());
        std::string text;
        std::uint64_t line = 0;
        QVERIFY(reader.next(text, line));
        QCOMPARE(line, 2u);
        QCOMPARE(json::parse(text)["a"].get<std::string>(), std::string("x]}\"{"));
        QVERIFY(reader.next(text, line));
        QCOMPARE(line, 3u);
        QCOMPARE(json::parse(text)["a"].get<std::string>(), std::string("second"));
        QVERIFY(reader.next(text, line));
        QCOMPARE(q(text), QStringLiteral("3"));
        QVERIFY(reader.next(text, line));
        QCOMPARE(q(text), QStringLiteral("\"str\""));
        QVERIFY(!reader.next(text, line));
        QCOMPARE(reader.bytesRead(), reader.totalBytes() - 1);  // all but the final newline

        const std::string lines = writeFile(dir, "l.jsonl", "{\"a\":1}\r\n\n   \n{\"a\":2}");
        RecordReader jsonl(lines);
        QVERIFY(!jsonl.isArray());
        QVERIFY(jsonl.next(text, line));
        QCOMPARE(line, 1u);
        QCOMPARE(q(text), QStringLiteral("{\"a\":1}"));
        QVERIFY(jsonl.next(text, line));
        QCOMPARE(line, 4u);
        QVERIFY(!jsonl.next(text, line));
    }

    void readsRecordsAsNlohmann_data()
    {
        QTest::addColumn<QByteArray>("text");
        const char* const valid[] = {
            "{}", "[]", " \t\r\n{ \"a\" : [ 1 , -2 ] } \n", "\"\"", "0", "-0", "1.5", "-0.0", "2e3", "2E-3",
            "1.25e+2", "18446744073709551615", "18446744073709551616", "-9223372036854775808",
            "-9223372036854775809", "123456789012345678901234567890", "1e-400", "true", "false", "null",
            "{\"a\":1,\"a\":{\"b\":2}}", "[[], {}, [{}], \"x\"]",
            "\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u00e9 \\u4E2D \\ud83d\\ude00 \\u0000 end\"",
            "\"caf\xC3\xA9 \xE4\xB8\xAD\xE6\x96\x87 \xF0\x9F\x98\x80 \x7F\"",
            "\xEF\xBB\xBF{\"bom\": true}",
            R"({"messages":[{"role":"user","content":"2+2?"},{"role":"assistant","content":"<think>\nadd\n</think>\n\n4"}]})"};
        int row = 0;
        for (const char* text : valid)
            QTest::addRow("valid %d", row++) << QByteArray(text);
        const char* const invalid[] = {
            "", " ", "{", "}", "{\"a\"}", "{\"a\":1,}", "{\"a\" 1}", "{a:1}", "[1,]", "[1 2]", "01", "1.", ".5",
            "-", "+1", "1e", "1e+", "--1", "NaN", "Infinity", "tru", "nul", "truex", "{\"a\":1} x", "1e400",
            "-1e400", "\"abc", "\"a\x01" "b\"", "\"\\u12\"", "\"\\u12G4\"", "\"\\ud800\"", "\"\\udc00\"",
            "\"\\ud800\\u0041\"", "\"\\ud800x\"", "\"\\q\"", "\"\\\"", "\"\xC0\x80\"", "\"\xC3\"",
            "\"\xED\xA0\x80\"", "\"\xF4\x90\x80\x80\"", "\"\xE2\x82\"", "\"\xF5\x80\x80\x80\"",
            "\"\x80\"", "[\"\xE0\x9F\xBF\"]", "/* c */ 1"};
        for (const char* text : invalid)
            QTest::addRow("invalid %d", row++) << QByteArray(text);
        QTest::newRow("nested 1000 deep") << QByteArray(1000, '[') + QByteArray(1000, ']');
        QTest::newRow("nested 1000 deep, unclosed") << QByteArray(1000, '[') + QByteArray(999, ']');
    }

    void readsRecordsAsNlohmann()
    {
        QFETCH(QByteArray, text);
        expectSameAsNlohmann(text.toStdString());
    }

    // Every record of the trace files, whole and with bytes changed or cut off.
    void readsDamagedRecordsAsNlohmann()
    {
        static const char kDamage[] = "\"\\{}[],:0e-.u\x80\xC3\xED\x01 ";
        std::mt19937 rng(7);
        for (const char* name : kTraceFiles) {
            RecordReader reader(kTraces + name);
            std::string text;
            std::uint64_t line = 0;
            while (reader.next(text, line)) {
                expectSameAsNlohmann(text);
                for (int i = 0; i < 20; ++i) {
                    std::string damaged = text;
                    const std::size_t at = rng() % damaged.size();
                    if (i % 4 == 0)
                        damaged.resize(at);
                    else
                        damaged[at] = kDamage[rng() % (sizeof kDamage - 1)];
                    expectSameAsNlohmann(damaged);
                }
            }
        }
    }

    void importsEveryLayout_data()
    {
        QTest::addColumn<QString>("line");
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("question");
        QTest::addColumn<QString>("thinking");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<int>("promptMessages");
        QTest::newRow("openai inline think")
            << R"({"messages":[{"role":"system","content":"Be brief."},{"role":"user","content":"1+1?"},{"role":"assistant","content":"<think>\nadd\n</think>\n\n2"}]})"
            << "openai" << "1+1?" << "add" << "2" << 2;
        QTest::newRow("openai reasoning_content")
            << R"({"messages":[{"role":"user","content":"1+2?"},{"role":"assistant","content":"3","reasoning_content":"add them"}]})"
            << "openai" << "1+2?" << "add them" << "3" << 1;
        QTest::newRow("openai typed parts (text key)")
            << R"({"messages":[{"role":"user","content":[{"type":"text","text":"hi "},{"type":"text","text":"there"}]},{"role":"assistant","content":[{"type":"reasoning","text":"greet"},{"type":"text","text":"hello"}]}]})"
            << "openai" << "hi there" << "greet" << "hello" << 1;
        QTest::newRow("llama-factory parts (value key)")
            << R"({"messages":[{"role":"user","content":[{"type":"text","value":"2*3?"}]},{"role":"assistant","content":[{"type":"reasoning","value":"times"},{"type":"text","value":"6"}]}]})"
            << "openai" << "2*3?" << "times" << "6" << 1;
        QTest::newRow("sharegpt")
            << R"({"conversations":[{"from":"human","value":"capital of France?"},{"from":"gpt","value":"<think>\ngeography\n</think>\n\nParis"}],"system":"sys"})"
            << "sharegpt" << "capital of France?" << "geography" << "Paris" << 2;
        QTest::newRow("alpaca")
            << R"({"instruction":"Translate","input":"chat","output":"<think>\nFrench\n</think>\n\ncat","history":[["hello","bonjour"]]})"
            << "alpaca" << "Translate\nchat" << "French" << "cat" << 3;
        QTest::newRow("reasoning_content field")
            << R"({"problem":"5-3?","reasoning_content":"subtract","response":"2","answer":"2"})"
            << "reasoning" << "5-3?" << "subtract" << "2" << 1;
        QTest::newRow("reasoning field")
            << R"({"question":"q?","reasoning":"r","output":"o"})" << "reasoning" << "q?" << "r" << "o" << 1;
        QTest::newRow("thinking field")
            << R"({"question":"q?","thinking":"t","completion":"c"})" << "reasoning" << "q?" << "t" << "c" << 1;
        QTest::newRow("deepseek_reasoning field")
            << R"({"prompt":"p?","deepseek_reasoning":"d","response":"r"})" << "reasoning" << "p?" << "d" << "r" << 1;
        QTest::newRow("open-r1 generation")
            << R"({"problem":"x?","generation":"<think>\ng\n</think>\n\nanswer x","solution":"ref"})"
            << "reasoning" << "x?" << "g" << "answer x" << 1;
        QTest::newRow("s1K deepseek pair")
            << R"({"question":"s?","deepseek_thinking_trajectory":"dt","deepseek_attempt":"da","solution":"sol"})"
            << "reasoning" << "s?" << "dt" << "da" << 1;
        QTest::newRow("trl prompt/completion messages")
            << R"({"prompt":[{"role":"user","content":"m?"}],"completion":[{"role":"assistant","content":"<think>\nmt\n</think>\n\nma"}]})"
            << "reasoning" << "m?" << "mt" << "ma" << 1;
    }

    void importsEveryLayout()
    {
        QFETCH(QString, line);
        QFETCH(QString, format);
        QFETCH(QString, question);
        QFETCH(QString, thinking);
        QFETCH(QString, answer);
        QFETCH(int, promptMessages);
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const std::string path = writeFile(dir, "in.jsonl", line.toStdString() + "\n");
        QCOMPARE(q(std::string(recordFormatName(detectFileFormat(path)))), format);
        ImportOptions options;
        options.referenceSamples = false;
        const ImportReport report = importFile(ws, path, options);
        QVERIFY2(report.errors.empty(), report.errors.empty() ? "" : report.errors[0].reason.c_str());
        QCOMPARE(q(std::string(recordFormatName(report.format))), format);
        QCOMPARE(report.imported, 1u);
        QCOMPARE(report.samples, 1u);
        const auto s = allSamples(ws).at(0);
        QCOMPARE(q(ws.problem(s.problemId)->question), question);
        QCOMPARE(q(ws.problem(s.problemId)->source), QStringLiteral("in"));
        QCOMPARE(q(s.thinking), thinking);
        QCOMPARE(q(s.answer), answer);
        QCOMPARE(int(json::parse(s.messagesJson).size()), promptMessages);
        QCOMPARE(s.origin, store::Origin::Import);
        QCOMPARE(s.thinkingTokens, estimateTokens(s.thinking));
    }

    void importsProblemSetsAndManyResponses()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const std::string path = writeFile(
            dir, "set.jsonl",
            R"({"id":"p1","problem":"What is 7*6?","answer":42,"solution":"7*6=42","level":"Level 3","subject":"Algebra"})"
            "\n"
            R"({"problem":"Name a prime.","answer":"2","generations":["<think>\na\n</think>\n\n2","<think>\nb\n</think>\n\n3"]})"
            "\n");
        ImportOptions options;
        options.format = RecordFormat::Reasoning;  // override: the first line alone looks like a problem set
        const ImportReport report = importFile(ws, path, options);
        QCOMPARE(report.imported, 2u);
        QCOMPARE(report.problems, 2u);
        QCOMPARE(report.samples, 3u);  // one reference solution + two generations
        const auto p = ws.listProblems("set", 0, 10);
        QCOMPARE(q(p[0].externalId), QStringLiteral("p1"));
        QCOMPARE(q(p[0].referenceAnswer), QStringLiteral("42"));
        QCOMPARE(q(p[0].domain), QStringLiteral("Algebra"));
        QCOMPARE(*p[0].difficulty, 3.0);
        store::SampleQuery refs;
        refs.origin = store::Origin::Reference;
        const auto ref = allSamples(ws, refs);
        QCOMPARE(int(ref.size()), 1);
        QCOMPARE(q(ref[0].answer), QStringLiteral("7*6=42"));
        store::SampleQuery gen;
        gen.problemId = p[1].id;
        const auto gens = allSamples(ws, gen);
        QCOMPARE(int(gens.size()), 2);
        QCOMPARE(q(gens[1].thinking), QStringLiteral("b"));
        QCOMPARE(q(gens[1].rawText), QStringLiteral("<think>\nb\n</think>\n\n3"));

        // Auto-detection on the same file takes the first record's layout (a problem set) and
        // --as samples is then a no-op for records without responses.
        QTemporaryDir dir2;
        auto ws2 = emptyWorkspace(dir2);
        const ImportReport auto2 = importFile(ws2, path);
        QCOMPARE(auto2.format, RecordFormat::Problems);
        QCOMPARE(auto2.samples, 1u);  // only the reference solution
    }

    void overrideChangesTheReading()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const std::string path = writeFile(dir, "r.jsonl", R"({"question":"q1","response":"<think>\nt\n</think>\n\na"})" "\n");
        QCOMPARE(detectFileFormat(path), RecordFormat::Reasoning);
        ImportOptions options;
        options.format = RecordFormat::Problems;
        ImportReport report = importFile(ws, path, options);
        QCOMPARE(report.problems, 1u);
        QCOMPARE(report.samples, 0u);
        QCOMPARE(json::parse(allSamples(ws).empty() ? "{}" : "[]").is_object(), true);
        options.format = RecordFormat::ShareGpt;  // wrong layout: every record is reported
        report = importFile(ws, path, options);
        QCOMPARE(report.imported, 0u);
        QCOMPARE(report.skipped, 1u);
        QCOMPARE(q(report.errors.at(0).reason), QStringLiteral("'conversations' must be an array"));
        options.format = RecordFormat::Reasoning;
        options.target = ImportTarget::Problems;  // --as problems
        report = importFile(ws, path, options);
        QCOMPARE(report.samples, 0u);
        options.target = ImportTarget::Samples;
        options.thinkTags = {};  // tags not configured: the whole response is the answer
        report = importFile(ws, path, options);
        QCOMPARE(report.samples, 1u);
        QCOMPARE(q(allSamples(ws).at(0).answer), QStringLiteral("<think>\nt\n</think>\n\na"));
    }

    void malformedLinesAreReportedAndTheRestImported()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const std::string path = writeFile(dir, "bad.jsonl",
                                           R"({"question":"ok 1","response":"r1"})" "\n"
                                           R"({"question":"broken", "response": )" "\n"
                                           R"({"question":"ok 2","response":"r2"})" "\n"
                                           "[1, 2]\n"
                                           R"({"response":"no question here"})" "\n"
                                           R"({"question":"ok 3","response":"r3"})" "\n"
                                           R"({"question":"huge","response":"r","score":1e400})" "\n");
        const ImportReport report = importFile(ws, path);
        QCOMPARE(report.imported, 3u);
        QCOMPARE(report.skipped, 4u);
        QCOMPARE(int(report.errors.size()), 4);
        QCOMPARE(report.errors[0].line, 2u);
        QCOMPARE(report.errors[1].line, 4u);
        QCOMPARE(report.errors[2].line, 5u);
        QCOMPARE(report.errors[3].line, 7u);  // a number out of range is malformed JSON too
        QVERIFY(report.errors[3].reason.find("invalid JSON") != std::string::npos);
        for (const auto& e : report.errors) {
            QCOMPARE(q(e.file), QStringLiteral("bad.jsonl"));
            QVERIFY(!e.reason.empty());
        }
        QVERIFY(report.errors[0].reason.find("invalid JSON") != std::string::npos);
        QCOMPARE(q(report.errors[1].reason), QStringLiteral("record is not a JSON object"));
        QVERIFY(report.errors[2].reason.find("no question") != std::string::npos);
        QCOMPARE(ws.countSamples({}), 3);

        // In a JSON array the line is where the bad element starts.
        const std::string arr = writeFile(dir, "bad.json", "[\n{\"question\":\"a\",\"response\":\"b\"},\n{\"question\": ,\n\"x\":1},\n"
                                                           "{\"question\":\"c\",\"response\":\"d\"}\n]");
        const ImportReport r2 = importFile(ws, arr);
        QCOMPARE(r2.imported, 2u);
        QCOMPARE(int(r2.errors.size()), 1);
        QCOMPARE(r2.errors[0].line, 3u);
    }

    void cancelWritesNothing()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        std::string big;
        for (int i = 0; i < 3000; ++i)
        {
            json rec = {{"question", std::to_string(i)}, {"response", std::string(500, 'z')}};
            big += rec.dump();
            big += '\n';
        }
        const std::string path = writeFile(dir, "big.jsonl", big);
        ImportOptions options;
        int calls = 0;
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            ++calls;
            return done < total / 2;  // give up half way
        };
        const ImportReport report = importFile(ws, path, options);
        QVERIFY(report.cancelled);
        QVERIFY(calls >= 1);
        QCOMPARE(report.imported, 0u);
        QCOMPARE(ws.countProblems(), 0);
        QCOMPARE(ws.countSamples({}), 0);
        std::uint64_t lastDone = 0;
        options.progress = [&](std::uint64_t done, std::uint64_t total) {
            lastDone = done;
            return total == big.size();
        };
        QCOMPARE(importFile(ws, path, options).imported, 3000u);
        QCOMPARE(lastDone, std::uint64_t(big.size()));
    }

    void traceFilesImportWithoutLoss()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        struct Expect {
            const char* file;
            RecordFormat format;
            unsigned records;
            unsigned samples;
        };
        for (const Expect& e : {Expect{"star1-r1-safety.json", RecordFormat::Reasoning, 1000, 1000},
                                Expect{"marco-o1-cot-demo.json", RecordFormat::Alpaca, 125, 125},
                                Expect{"s1k-gemini-first5.jsonl", RecordFormat::Reasoning, 5, 10},
                                Expect{"llamafactory-reason-tool-use-50.jsonl", RecordFormat::OpenAi, 50, 50}}) {
            const ImportReport r = importFile(ws, kTraces + e.file);
            QVERIFY2(r.errors.empty(), e.file);
            QCOMPARE(r.format, e.format);
            QCOMPARE(r.imported, e.records);
            QCOMPARE(r.samples, e.samples);  // s1K: 5 Gemini traces + 5 reference solutions
        }
        // STAR-1: response == <think>\n thinking \n</think>\n\n answer, every record; other fields kept.
        const json star = json::parse(std::ifstream(kTraces + "star1-r1-safety.json"));
        store::SampleQuery bySource;
        bySource.source = "star1-r1-safety";
        const auto stars = allSamples(ws, bySource);
        QCOMPARE(stars.size(), star.size());
        for (std::size_t i = 0; i < stars.size(); ++i) {
            const json& rec = star[i];
            QCOMPARE(r1Text(stars[i].thinking, stars[i].answer), rec["response"].get<std::string>());
            QCOMPARE(stars[i].rawText, rec["response"].get<std::string>());
            const auto p = ws.problem(stars[i].problemId);
            QCOMPARE(p->question, rec["question"].get<std::string>());
            QCOMPARE(p->externalId, rec["id"].get<std::string>());
            QCOMPARE(json(p->tags), rec["category"]);
            const json extras = json::parse(stars[i].extrasJson);
            QCOMPARE(extras["score"], rec["score"]);
            QCOMPARE(extras["source"], rec["source"]);
        }
        // s1K: Gemini thinking and attempt verbatim; the rest of the columns kept.
        std::ifstream s1k(kTraces + "s1k-gemini-first5.jsonl");
        std::string line;
        store::SampleQuery gemini;
        gemini.source = "s1k-gemini-first5";
        gemini.origin = store::Origin::Import;
        const auto gem = allSamples(ws, gemini);
        for (std::size_t i = 0; std::getline(s1k, line); ++i) {
            const json rec = json::parse(line);
            QCOMPARE(gem.at(i).thinking, rec["gemini_thinking_trajectory"].get<std::string>());
            QCOMPARE(gem.at(i).answer, rec["gemini_attempt"].get<std::string>());
            QCOMPARE(q(gem.at(i).originDetail), QStringLiteral("gemini"));
            const auto p = ws.problem(gem.at(i).problemId);
            QCOMPARE(p->referenceSolution, rec["solution"].get<std::string>());
            QCOMPARE(p->domain, rec["cot_type"].get<std::string>());
            const json extras = json::parse(gem.at(i).extrasJson);
            QCOMPARE(extras["metadata"], rec["metadata"]);
            QCOMPARE(extras["source_type"], rec["source_type"]);
        }
        // LLaMA-Factory: all turns kept; typed parts folded without losing text, reasoning or calls.
        std::ifstream lf(kTraces + "llamafactory-reason-tool-use-50.jsonl");
        store::SampleQuery lfq;
        lfq.source = "llamafactory-reason-tool-use-50";
        const auto lfs = allSamples(ws, lfq);
        for (std::size_t i = 0; std::getline(lf, line); ++i) {
            const json rec = json::parse(line);
            const json& msgs = rec["messages"];
            const json prompt = json::parse(lfs.at(i).messagesJson);
            QCOMPARE(prompt.size() + 1, msgs.size());
            std::size_t partsIn = 0, partsOut = 0;
            auto countParts = [](const json& m) {
                std::size_t n = 0;
                n += m.value("content", json("")).get<std::string>().empty() ? 0 : 1;
                n += m.contains("reasoning_content") ? 1 : 0;
                n += m.contains("tool_calls") ? m["tool_calls"].size() : 0;
                return n;
            };
            for (std::size_t k = 0; k + 1 < msgs.size(); ++k) {
                partsIn += msgs[k]["content"].size();
                partsOut += countParts(prompt[k]);
                if (msgs[k]["content"][0]["type"] == "text")
                    QCOMPARE(prompt[k]["content"].get<std::string>().substr(0, 20),
                             msgs[k]["content"][0]["value"].get<std::string>().substr(0, 20));
            }
            QCOMPARE(partsOut, partsIn);
            const json& last = msgs.back()["content"];
            QCOMPARE(lfs.at(i).thinking, last[0]["value"].get<std::string>());
            const json extras = json::parse(lfs.at(i).extrasJson);
            QCOMPARE(extras["tools"], rec["tools"]);
            if (last[1]["type"] == "text") {
                QCOMPARE(lfs.at(i).answer, last[1]["value"].get<std::string>());
            } else {
                QCOMPARE(extras["assistant"]["tool_calls"].size(), last.size() - 1);
                const json call = json::parse(last[1]["value"].get<std::string>());
                QCOMPARE(extras["assistant"]["tool_calls"][0]["function"]["name"], call["name"]);
            }
        }
        // Marco-o1: <Thought>/<Output> split; the original response kept as raw text.
        const json marco = json::parse(std::ifstream(kTraces + "marco-o1-cot-demo.json"));
        store::SampleQuery mq;
        mq.source = "marco-o1-cot-demo";
        const auto ms = allSamples(ws, mq);
        for (std::size_t i = 0; i < ms.size(); ++i) {
            QCOMPARE(ms[i].rawText, marco[i]["response"].get<std::string>());
            QVERIFY(!ms[i].thinking.empty());
            QVERIFY(!ms[i].answer.empty());
            QVERIFY(ms[i].answer.find("<Output>") == std::string::npos);
            QVERIFY(marco[i]["response"].get<std::string>().find(ms[i].thinking) != std::string::npos);
            QVERIFY(marco[i]["response"].get<std::string>().find(ms[i].answer) != std::string::npos);
        }
    }

    void traceFilesRoundTrip_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<QString>("format");
        for (const char* f : kTraceFiles)
            for (const char* fmt : {"openai", "sharegpt", "r1"})
                QTest::newRow((std::string(f) + " " + fmt).c_str()) << f << fmt;
    }

    void traceFilesRoundTrip()
    {
        QFETCH(QString, file);
        QFETCH(QString, format);
        QTemporaryDir dir;
        auto a = emptyWorkspace(dir, "a.sqlite");
        auto b = emptyWorkspace(dir, "b.sqlite");
        ImportOptions options;
        options.referenceSamples = false;
        QVERIFY(importFile(a, kTraces + file.toStdString(), options).errors.empty());
        const auto da = a.freezeDataset("all", {});
        const std::string out = dir.filePath("export.jsonl").toStdString();
        const auto fmt = parseExportFormat(format.toStdString());
        QCOMPARE(exportDataset(a, "all", fmt, out), std::uint64_t(da.sampleIds.size()));
        const ImportReport back = importFile(b, out, options);
        QVERIFY2(back.errors.empty(), back.errors.empty() ? "" : back.errors[0].reason.c_str());
        const auto db = b.freezeDataset("all", {});
        QCOMPARE(db.sampleIds.size(), da.sampleIds.size());
        for (std::size_t i = 0; i < da.sampleIds.size(); ++i) {
            const json ca = content(a, *a.sample(da.sampleIds[i]));
            const json cb = content(b, *b.sample(db.sampleIds[i]));
            QVERIFY2(ca == cb, (ca.dump().substr(0, 300) + "\n  vs\n" + cb.dump().substr(0, 300)).c_str());
        }
        QCOMPARE(q(db.contentHash), q(da.contentHash));
        // A second export of the re-imported data is byte-identical.
        const std::string out2 = dir.filePath("export2.jsonl").toStdString();
        exportDataset(b, "all", fmt, out2);
        std::ifstream f1(out), f2(out2);
        QVERIFY(std::string(std::istreambuf_iterator<char>(f1), {}) == std::string(std::istreambuf_iterator<char>(f2), {}));
    }

    void exportsTrainingLayouts()
    {
        store::Problem p;
        p.question = "2+2?";
        store::Sample s;
        s.messagesJson = R"([{"role":"user","content":"2+2?"}])";
        s.thinking = "add";
        s.answer = "4";
        const json openai = exportRecord(p, s, ExportFormat::OpenAi);
        QCOMPARE(q(openai.dump()),
                 q(R"({"messages":[{"content":"2+2?","role":"user"},{"content":"<think>\nadd\n</think>\n\n4","role":"assistant"}]})"));
        const json share = exportRecord(p, s, ExportFormat::ShareGpt);
        QCOMPARE(q(share.dump()),
                 q(R"({"conversations":[{"from":"human","value":"2+2?"},{"from":"gpt","value":"<think>\nadd\n</think>\n\n4"}]})"));
        const json r1 = exportRecord(p, s, ExportFormat::R1);
        QCOMPARE(q(r1.dump()), q(R"({"completion":"<think>\nadd\n</think>\n\n4","prompt":"2+2?"})"));
    }

    void cliImportPrintsSummary()
    {
        const QByteArray cli = qgetenv("DISTILLERY_CLI");
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite");
        emptyWorkspace(dir);
        const std::string good = writeFile(dir, "mixed.jsonl", "{\"question\":\"a\",\"response\":\"b\"}\nnot json\n");
        QProcess p;
        p.start(QString::fromLocal8Bit(cli), {"import", "--workspace", ws, q(good)});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const json summary = json::parse(p.readAllStandardOutput().trimmed().toStdString());
        QCOMPARE(summary["imported"].get<int>(), 1);
        QCOMPARE(summary["skipped"].get<int>(), 1);
        QCOMPARE(summary["errors"][0]["line"].get<int>(), 2);
        QCOMPARE(summary["format"].get<std::string>(), std::string("reasoning"));

        const std::string bad = writeFile(dir, "bad.jsonl", "nope\n{]\n");
        p.start(QString::fromLocal8Bit(cli), {"import", "--workspace", ws, q(bad), "--format", "openai"});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);  // nothing could be read
        QCOMPARE(json::parse(p.readAllStandardOutput().trimmed().toStdString())["skipped"].get<int>(), 2);

        p.start(QString::fromLocal8Bit(cli), {"freeze", "--workspace", ws, "--name", "d", "--search", "a"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        QCOMPARE(json::parse(p.readAllStandardOutput().trimmed().toStdString())["samples"].get<int>(), 1);
        const QString out = dir.filePath("out.jsonl");
        p.start(QString::fromLocal8Bit(cli), {"export", "--workspace", ws, "--dataset", "d", "--format", "r1", out});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        std::ifstream f(out.toStdString());
        std::string line;
        std::getline(f, line);
        QCOMPARE(q(line), QStringLiteral(R"({"completion":"<think>\n\n</think>\n\nb","prompt":"a"})"));
        p.start(QString::fromLocal8Bit(cli), {"info", "--workspace", ws});
        QVERIFY(p.waitForFinished(30000));
        const json info = json::parse(p.readAllStandardOutput().trimmed().toStdString());
        QCOMPARE(info["samples"].get<int>(), 1);
        QCOMPARE(info["sources"]["mixed"]["problems"].get<int>(), 1);
        QCOMPARE(info["verdict"]["unknown"].get<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestFormats)
#include "tst_formats.moc"
