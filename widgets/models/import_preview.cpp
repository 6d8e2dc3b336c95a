// Import preview implementation: first records → scratch JSONL → scratch workspace → rows.
#include "widgets/models/import_preview.h"

#include "core/formats/json_stream.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <QFileInfo>
#include <QTemporaryDir>

#include <nlohmann/json.hpp>

#include <fstream>

namespace distill::widgets {

ImportPreview previewImport(const std::string& path, formats::ImportOptions options, int maxRecords)
{
    ImportPreview preview;
    preview.detected = formats::detectFileFormat(path);

    QTemporaryDir scratch;
    if (!scratch.isValid())
        throw Error(ErrorCode::Io, "cannot create a temporary folder for the import preview");
    const std::string recordsPath = scratch.filePath(QStringLiteral("preview.jsonl")).toStdString();

    // Copy the first records, one per line, remembering where each started in the original.
    std::vector<std::uint64_t> lines;
    {
        formats::RecordReader reader(path);
        std::ofstream out(recordsPath, std::ios::binary);
        std::string text;
        std::uint64_t line = 0;
        while (int(lines.size()) < maxRecords && reader.next(text, line)) {
            const auto json = nlohmann::json::parse(text, nullptr, false);
            out << (json.is_discarded() ? text.substr(0, text.find('\n')) : json.dump()) << '\n';
            lines.push_back(line);
        }
    }

    if (options.source.empty())
        options.source = QFileInfo(QString::fromStdString(path)).completeBaseName().toStdString();
    if (options.originDetail.empty())
        options.originDetail = QFileInfo(QString::fromStdString(path)).fileName().toStdString();
    options.progress = {};
    options.referenceSamples = false;

    store::CreateOptions create;
    create.loadBenchmarks = false;
    auto workspace = store::Workspace::create(scratch.filePath(QStringLiteral("preview.sqlite")).toStdString(), create);
    const formats::ImportReport report = formats::importFile(workspace, recordsPath, options);
    preview.used = report.format;
    for (formats::ImportError error : report.errors) {
        if (error.line >= 1 && error.line <= lines.size())
            error.line = lines[error.line - 1];
        error.file = path;
        preview.errors.push_back(std::move(error));
    }

    store::SampleQuery all;
    const auto samples = workspace.listSamples(all, 0, maxRecords);
    if (!samples.empty()) {
        for (const store::SampleRow& row : samples) {
            const auto sample = workspace.sample(row.id);
            const auto problem = workspace.problem(row.problemId);
            ImportPreviewRow r;
            r.question = problem ? problem->question : row.questionPreview;
            r.thinking = sample ? sample->thinking : std::string();
            r.answer = sample ? sample->answer : std::string();
            preview.rows.push_back(std::move(r));
        }
    } else {
        for (const store::Problem& problem : workspace.listProblems({}, 0, maxRecords))
            preview.rows.push_back({0, problem.question, {}, problem.referenceAnswer});
    }
    // Rows come back in record order; attach the original line numbers of the records that
    // imported (records that failed are listed in `errors` instead).
    std::size_t next = 0;
    for (ImportPreviewRow& row : preview.rows) {
        while (next < lines.size() && std::any_of(preview.errors.begin(), preview.errors.end(), [&](const auto& e) {
                   return e.line == lines[next];
               }))
            ++next;
        if (next < lines.size())
            row.line = lines[next++];
    }
    return preview;
}

}  // namespace distill::widgets
