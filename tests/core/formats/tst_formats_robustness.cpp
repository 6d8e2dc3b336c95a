// Robustness of core/formats: the rows an import writes stay those of the importer before simdjson
// (digests of every field), records over the nesting and size limits and bad fields are per-line
// errors, and an export never truncates its output or the workspace before it succeeds.
// Plain string literals throughout: Qt 6.4's moc finds no class in this file when it has raw strings.
#include "core/formats/exporter.h"
#include "core/formats/importer.h"
#include "core/formats/record_json.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

using namespace distill;
using namespace distill::formats;
using nlohmann::json;

namespace {

const std::string kSourceDir = DISTILLERY_SOURCE_DIR;

std::string writeFile(const QTemporaryDir& dir, const std::string& name, const std::string& content)
{
    const std::string path = dir.filePath(QString::fromStdString(name)).toStdString();
    std::ofstream(path, std::ios::binary) << content;
    return path;
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
}

store::Workspace emptyWorkspace(const QTemporaryDir& dir)
{
    store::CreateOptions options;
    options.loadBenchmarks = false;
    return store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), options);
}

// {"question": question, "response": "r", "x": <`depth` arrays nested>}: the record object is one level more.
std::string nestedRecord(const std::string& question, int depth)
{
    return "{\"question\":\"" + question + "\",\"response\":\"r\",\"x\":" + std::string(std::size_t(depth), '[')
           + std::string(std::size_t(depth), ']') + "}";
}

QString q(const std::string& s)
{
    return QString::fromStdString(s);
}

// FNV-1a 64 over a field's values, each followed by a separator byte.
class Digest {
public:
    void add(std::string_view text)
    {
        for (const unsigned char c : text)
            step(c);
        step(0xff);
    }
    std::string hex() const
    {
        char out[17];
        std::snprintf(out, sizeof out, "%016llx", static_cast<unsigned long long>(m_hash));
        return out;
    }

private:
    void step(unsigned char c)
    {
        m_hash ^= c;
        m_hash *= 0x100000001b3ULL;
    }
    std::uint64_t m_hash = 0xcbf29ce484222325ULL;
};

std::string number(std::optional<double> value)
{
    if (!value)
        return "null";
    char out[32];
    std::snprintf(out, sizeof out, "%.17g", *value);
    return out;
}

// "<file> <field> <rows> <digest>" for every field of the problems and samples of one source, in
// id order, plus the import report's counts and error lines.
std::vector<std::string> digestLines(const store::Workspace& ws, const std::string& file, const ImportReport& report)
{
    const std::string source = std::filesystem::path(file).stem().string();
    std::map<std::string, Digest> fields;
    const auto problems = ws.listProblems(source, 0, 1 << 30);
    for (const store::Problem& p : problems) {
        fields["problem.id"].add(std::to_string(p.id));
        fields["problem.external_id"].add(p.externalId);
        fields["problem.domain"].add(p.domain);
        fields["problem.question"].add(p.question);
        fields["problem.reference_answer"].add(p.referenceAnswer);
        fields["problem.reference_solution"].add(p.referenceSolution);
        fields["problem.difficulty"].add(number(p.difficulty));
        fields["problem.tags"].add(json(p.tags).dump());
    }
    store::SampleQuery query;
    query.source = source;
    const auto ids = ws.sampleIds(query);
    for (const std::int64_t id : ids) {
        const store::Sample s = *ws.sample(id);
        fields["sample.problem_id"].add(std::to_string(s.problemId));
        fields["sample.origin"].add(std::string(store::originName(s.origin)));
        fields["sample.origin_detail"].add(s.originDetail);
        fields["sample.messages_json"].add(s.messagesJson);
        fields["sample.thinking"].add(s.thinking);
        fields["sample.answer"].add(s.answer);
        fields["sample.raw_text"].add(s.rawText);
        fields["sample.extras_json"].add(s.extrasJson);
        fields["sample.thinking_tokens"].add(std::to_string(s.thinkingTokens));
        fields["sample.answer_tokens"].add(std::to_string(s.answerTokens));
        fields["sample.verdict"].add(std::string(store::verdictName(s.verdict)));
        fields["sample.status"].add(std::string(store::statusName(s.status)));
        fields["sample.reject_reason"].add(s.rejectReason);
        fields["sample.flags_json"].add(s.flagsJson);
    }
    std::vector<std::string> lines;
    const std::string name = std::filesystem::path(file).filename().string();
    for (const auto& [field, digest] : fields) {
        const std::size_t rows = field.rfind("problem.", 0) == 0 ? problems.size() : ids.size();
        std::ostringstream line;
        line << name << ' ' << field << ' ' << rows << ' ' << digest.hex();
        lines.push_back(line.str());
    }
    std::ostringstream line;
    line << name << " report " << report.imported << '/' << report.skipped << '/' << report.problems << '/'
         << report.samples << " errors at";
    for (const ImportError& e : report.errors)
        line << ' ' << e.line;
    lines.push_back(line.str());
    return lines;
}


}  // namespace

class TestFormatsRobustness : public QObject {
    Q_OBJECT
private slots:
    // The digests in import_digests.txt were written by the importer before simdjson (the hand-written
    // JSON reader of commit 7d9f661); every trace file and the edge records must give the same rows.
    void importsTheSameRowsAsBefore()
    {
        QTemporaryDir dir;
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), create);
        std::vector<std::string> files;
        for (const char* name : {"star1-r1-safety.json", "marco-o1-cot-demo.json", "s1k-gemini-first5.jsonl",
                                 "llamafactory-reason-tool-use-50.jsonl"})
            files.push_back(kSourceDir + "/tests/fixtures/traces/" + name);
        // Every kind of JSON value the reader has to turn into the same stored text: numbers of each
        // type and range, escapes, surrogate pairs, raw UTF-8, duplicate and unsorted keys, nested
        // extras, tool calls given as JSON text; malformed and unusable lines in between.
        files.push_back(kSourceDir + "/tests/core/formats/edge-records.jsonl");
        std::vector<std::string> actual;
        for (const std::string& file : files) {
            const ImportReport report = importFile(ws, file);
            for (std::string& line : digestLines(ws, file, report))
                actual.push_back(std::move(line));
        }
        std::ifstream golden(kSourceDir + "/tests/core/formats/import_digests.txt");
        std::vector<std::string> expected;
        for (std::string line; std::getline(golden, line);)
            if (!line.empty() && line[0] != '#')
                expected.push_back(line);
        std::ostringstream all;
        for (const std::string& line : actual)
            all << line << "\n";
        if (actual != expected)
            qWarning("digests of this build:\n%s", all.str().c_str());
        QCOMPARE(actual.size(), expected.size());
        for (std::size_t i = 0; i < actual.size(); ++i)
            QCOMPARE(QString::fromStdString(actual[i]), QString::fromStdString(expected[i]));
    }

    // Nesting beyond the limit is a per-line error; before, 70,000 nested arrays overflowed the stack
    // and the whole import was lost.
    void deepRecordsArePerLineErrors()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        std::string deepToolCall = "{\"messages\":[{\"role\":\"user\",\"content\":\"u\"},{\"role\":\"assistant\",\"content\":\"a\",\"tool_calls\":[\"";
        for (int i = 0; i < 5000; ++i)
            deepToolCall += "[";
        deepToolCall += "\"]}]}";
        const std::string path = writeFile(dir, "deep.jsonl",
                                           nestedRecord("ok 1", 1) + "\n" + nestedRecord("very deep", 70000) + "\n"
                                               + nestedRecord("at the limit", kMaxRecordDepth - 1) + "\n"
                                               + nestedRecord("one over", kMaxRecordDepth) + "\n"
                                               + nestedRecord("ok 2", 3) + "\n");
        const ImportReport report = importFile(ws, path);
        QCOMPARE(report.imported, 3u);
        QCOMPARE(report.skipped, 2u);
        QCOMPARE(int(report.errors.size()), 2);
        QCOMPARE(report.errors[0].line, 2u);
        QCOMPARE(report.errors[1].line, 4u);
        for (const ImportError& e : report.errors) {
            QCOMPARE(q(e.file), QStringLiteral("deep.jsonl"));
            QVERIFY2(e.reason.find("deeper than 1024 levels") != std::string::npos, e.reason.c_str());
        }
        QCOMPARE(ws.countSamples({}), 3);

        // The same in a JSON array, and in JSON text inside a field (a tool call).
        const std::string arr = writeFile(dir, "deep.json", "[" + nestedRecord("a", 2) + ",\n" + nestedRecord("b", 70000)
                                                                + ",\n" + nestedRecord("c", 2) + "]");
        const ImportReport r2 = importFile(ws, arr);
        QCOMPARE(r2.imported, 2u);
        QCOMPARE(int(r2.errors.size()), 1);
        QCOMPARE(r2.errors[0].line, 2u);
        const std::string calls = writeFile(dir, "calls.jsonl", deepToolCall + "\n");
        const ImportReport r3 = importFile(ws, calls);
        QCOMPARE(r3.imported, 0u);
        QCOMPARE(int(r3.errors.size()), 1);
        QVERIFY2(r3.errors[0].reason.find("tool call is not valid JSON") != std::string::npos, r3.errors[0].reason.c_str());
    }

    // A record over the size limit is skipped without being read into memory, as a per-line error.
    void longRecordsArePerLineErrors()
    {
        QCOMPARE(ImportOptions{}.maxRecordBytes, std::size_t(64) << 20);
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const std::string longRecord = "{\"question\":\"long\",\"response\":\"" + std::string(5000, 'x') + "\"}";
        const std::string path = writeFile(dir, "long.jsonl", "{\"question\":\"a\",\"response\":\"r\"}" "\n" + longRecord
                                                                  + "\n" "{\"question\":\"b\",\"response\":\"r\"}" "\n"
                                                                  + longRecord);
        ImportOptions options;
        options.maxRecordBytes = 1000;
        const ImportReport report = importFile(ws, path, options);
        QCOMPARE(report.imported, 2u);
        QCOMPARE(int(report.errors.size()), 2);
        QCOMPARE(report.errors[0].line, 2u);
        QCOMPARE(report.errors[1].line, 4u);
        QCOMPARE(q(report.errors[0].file), QStringLiteral("long.jsonl"));
        QVERIFY2(report.errors[0].reason.find("longer than 1000 bytes") != std::string::npos,
                 report.errors[0].reason.c_str());
        const std::string arr = writeFile(dir, "long.json", "[" + longRecord + ",\n" "{\"question\":\"c\",\"response\":\"r\"}" "]");
        const ImportReport r2 = importFile(ws, arr, options);
        QCOMPARE(r2.imported, 1u);
        QCOMPARE(int(r2.errors.size()), 1);
        QCOMPARE(r2.errors[0].line, 1u);
    }

    // An untrusted field never aborts the import: before, a "level" of 400 digits made std::stod
    // throw through the loop ("internal: stod", no file, no line, nothing imported).
    void badFieldsArePerLineErrors()
    {
        QTemporaryDir dir;
        auto ws = emptyWorkspace(dir);
        const std::string path = writeFile(
            dir, "fields.jsonl",
            "{\"problem\":\"p1\",\"answer\":\"1\",\"level\":\"Level 2\"}" "\n"
            "{\"problem\":\"p2\",\"answer\":\"1\",\"level\":\"Level " + std::string(400, '9') + "\"}" "\n"
            "{\"problem\":\"p3\",\"answer\":\"1\",\"level\":\"Level 0." + std::string(400, '0') + "1\"}" "\n"
            "{\"problem\":\"p4\",\"answer\":\"1\",\"level\":\"Level 1.2.3\"}" "\n"
            "{\"problem\":\"p5\",\"answer\":\"1\",\"difficulty\":1e400}" "\n");
        const ImportReport report = importFile(ws, path);
        QCOMPARE(report.imported, 2u);
        QCOMPARE(int(report.errors.size()), 3);
        QCOMPARE(report.errors[0].line, 2u);
        QCOMPARE(report.errors[1].line, 3u);
        QCOMPARE(report.errors[2].line, 5u);
        QVERIFY2(report.errors[0].reason.find("field 'level'") != std::string::npos, report.errors[0].reason.c_str());
        QVERIFY2(report.errors[2].reason.find("invalid JSON") != std::string::npos, report.errors[2].reason.c_str());
        const auto problems = ws.listProblems("fields", 0, 10);
        QCOMPARE(*problems.at(0).difficulty, 2.0);
        QCOMPARE(*problems.at(1).difficulty, 1.2);  // the longest decimal prefix, as before

        // A content part whose "type" is not a string (a type error of the JSON library).
        const std::string parts = writeFile(dir, "parts.jsonl",
                                            "{\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":5,\"text\":\"x\"}]},{\"role\":\"assistant\",\"content\":\"a\"}]}" "\n"
                                            "{\"messages\":[{\"role\":\"user\",\"content\":\"fine\"},{\"role\":\"assistant\",\"content\":\"a\"}]}" "\n");
        const ImportReport r2 = importFile(ws, parts);
        QCOMPARE(r2.imported, 1u);
        QCOMPARE(int(r2.errors.size()), 1);
        QCOMPARE(r2.errors[0].line, 1u);
    }

    // Before, an export opened OUT with truncation first: OUT = the workspace left a 0-byte
    // workspace, and a failed ShareGPT export wiped OUT's old contents.
    void exportNeverTruncatesBeforeItSucceeds()
    {
        QTemporaryDir dir;
        const std::string wsPath = dir.filePath("ws.sqlite").toStdString();
        {
            auto ws = emptyWorkspace(dir);
            const std::string path = writeFile(
                dir, "in.jsonl",
                "{\"messages\":[{\"role\":\"user\",\"content\":\"q1\"},{\"role\":\"assistant\",\"content\":\"<think>t</think>a\"}]}" "\n"
                "{\"messages\":[{\"role\":\"developer\",\"content\":\"d\"},{\"role\":\"user\",\"content\":\"q2\"},{\"role\":\"assistant\",\"content\":\"b\"}]}" "\n");
            QCOMPARE(importFile(ws, path).imported, 2u);
            std::string many;
            for (int i = 0; i < 300; ++i)
                many += "{\"question\":\"q" + std::to_string(i) + "\",\"response\":\"r\"}" "\n";
            QCOMPARE(importFile(ws, writeFile(dir, "many.jsonl", many)).imported, 300u);
            store::SampleQuery in;
            in.source = "in";
            ws.freezeDataset("in", in);
            store::SampleQuery all;
            ws.freezeDataset("all", all);
        }
        const auto ws = store::Workspace::open(wsPath, store::OpenMode::ReadOnly);
        const std::uintmax_t wsSize = std::filesystem::file_size(wsPath);
        for (const std::string& target : store::workspaceFiles(wsPath)) {
            try {
                exportDataset(ws, "in", ExportFormat::OpenAi, target);
                QFAIL(("exported into " + target).c_str());
            } catch (const Error& e) {
                QCOMPARE(e.code(), ErrorCode::InvalidArgument);
                QVERIFY2(e.detail().find("open workspace") != std::string::npos, e.detail().c_str());
            }
        }
        QCOMPARE(std::filesystem::file_size(wsPath), wsSize);
        QCOMPARE(ws.countSamples({}), 302);

        // ShareGPT has no speaker for "developer": the export fails after the first record.
        const std::string out = writeFile(dir, "out.jsonl", "old contents\n");
        try {
            exportDataset(ws, "in", ExportFormat::ShareGpt, out);
            QFAIL("the ShareGPT export should fail");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Unsupported);
        }
        QCOMPARE(q(readFile(out)), QStringLiteral("old contents\n"));
        // A cancelled export (after 256 records) leaves it too.
        try {
            exportDataset(ws, "all", ExportFormat::OpenAi, out, [](std::uint64_t, std::uint64_t) { return false; });
            QFAIL("the export should be cancelled");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Cancelled);
        }
        QCOMPARE(q(readFile(out)), QStringLiteral("old contents\n"));
        // A complete export replaces it; no temporary file is left in the folder.
        QCOMPARE(exportDataset(ws, "all", ExportFormat::OpenAi, out), std::uint64_t(302));
        const std::string written = readFile(out);
        QCOMPARE(int(std::count(written.begin(), written.end(), '\n')), 302);
        for (const auto& entry : std::filesystem::directory_iterator(dir.path().toStdString()))
            QVERIFY2(entry.path().filename().string().find(".partial-") == std::string::npos,
                     entry.path().string().c_str());
    }

    // The CLI refuses an export into the workspace, and checks an import's options before it
    // creates the workspace.
    void cliChecksBeforeItWrites()
    {
        const QByteArray cli = qgetenv("DISTILLERY_CLI");
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        QTemporaryDir dir;
        const std::string data = writeFile(dir, "in.jsonl", "{\"question\":\"a\",\"response\":\"b\"}" "\n");
        const QString ws = dir.filePath("ws.sqlite");
        QProcess p;
        const QString fresh = dir.filePath("fresh.sqlite");
        for (const QStringList& bad : {QStringList{"--format", "nope"}, QStringList{"--as", "nope"},
                                       QStringList{"--think-tags", "x"}}) {
            p.start(QString::fromLocal8Bit(cli), QStringList{"import", "--workspace", fresh, q(data)} + bad);
            QVERIFY(p.waitForFinished(30000));
            QVERIFY(p.exitCode() != 0);
            QVERIFY(!QFile::exists(fresh));
        }
        p.start(QString::fromLocal8Bit(cli), {"import", "--workspace", fresh, dir.filePath("missing.jsonl")});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(!QFile::exists(fresh));

        p.start(QString::fromLocal8Bit(cli), {"import", "--workspace", ws, q(data)});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        p.start(QString::fromLocal8Bit(cli), {"freeze", "--workspace", ws, "--name", "d"});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitCode(), 0);
        const std::uintmax_t size = std::filesystem::file_size(ws.toStdString());
        p.start(QString::fromLocal8Bit(cli), {"info", "--workspace", ws});
        QVERIFY(p.waitForFinished(30000));
        const int samples = json::parse(p.readAllStandardOutput().trimmed().toStdString())["samples"].get<int>();
        QVERIFY(samples >= 1);  // the imported one, and the bundled benchmarks' reference samples
        p.start(QString::fromLocal8Bit(cli), {"export", "--workspace", ws, "--dataset", "d", ws});
        QVERIFY(p.waitForFinished(30000));
        QVERIFY(p.exitCode() != 0);
        QVERIFY(p.readAllStandardError().contains("open workspace"));
        QCOMPARE(std::filesystem::file_size(ws.toStdString()), size);
        p.start(QString::fromLocal8Bit(cli), {"info", "--workspace", ws});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(json::parse(p.readAllStandardOutput().trimmed().toStdString())["samples"].get<int>(), samples);
    }
};

QTEST_GUILESS_MAIN(TestFormatsRobustness)
#include "tst_formats_robustness.moc"
