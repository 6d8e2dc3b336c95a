// Robustness of core/formats: the rows an import writes stay those of the importer before simdjson
// (digests of every field), records over the nesting and size limits and bad fields are per-line
// errors, and an export never truncates its output or the workspace before it succeeds.
#include "core/formats/importer.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <QtTest>
#include <QTemporaryDir>

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
};

QTEST_GUILESS_MAIN(TestFormatsRobustness)
#include "tst_formats_robustness.moc"
