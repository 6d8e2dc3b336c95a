#include "core/formats/importer.h"

#include "core/formats/json_stream.h"
#include "core/formats/record_parser.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <array>
#include <filesystem>

namespace distill::formats {

using nlohmann::json;

namespace {
constexpr std::array<std::string_view, 6> kFormats = {"auto", "openai", "sharegpt", "alpaca", "reasoning", "problems"};
constexpr std::array<std::string_view, 3> kTargets = {"auto", "problems", "samples"};
constexpr std::uint64_t kProgressEvery = 1 << 20;  // bytes between progress calls
}  // namespace

std::string_view recordFormatName(RecordFormat format)
{
    return kFormats[std::size_t(format)];
}

RecordFormat parseRecordFormat(std::string_view text)
{
    for (std::size_t i = 0; i < kFormats.size(); ++i)
        if (kFormats[i] == text)
            return RecordFormat(i);
    throw Error(ErrorCode::InvalidArgument, "unknown import format '" + std::string(text) + "'",
                "expected auto, openai, sharegpt, alpaca, reasoning or problems");
}

std::vector<RecordFormat> concreteRecordFormats()
{
    return {RecordFormat::OpenAi, RecordFormat::ShareGpt, RecordFormat::Alpaca, RecordFormat::Reasoning,
            RecordFormat::Problems};
}

std::string_view importTargetName(ImportTarget target)
{
    return kTargets[std::size_t(target)];
}

ImportTarget parseImportTarget(std::string_view text)
{
    for (std::size_t i = 0; i < kTargets.size(); ++i)
        if (kTargets[i] == text)
            return ImportTarget(i);
    throw Error(ErrorCode::InvalidArgument, "unknown import target '" + std::string(text) + "'",
                "expected problems or samples");
}

std::int64_t estimateTokens(std::string_view text)
{
    return std::int64_t((text.size() + 3) / 4);
}

namespace {

// Inserts one parsed record: its problem (unless already present) and its samples.
void insertRecord(store::Workspace& ws, ParsedRecord& record, ImportTarget target, const std::string& source,
                  const std::string& originDetail, const ImportOptions& options, ImportReport& report)
{
    const auto count = [&](std::string_view text) {
        return options.countTokens ? options.countTokens(text) : estimateTokens(text);
    };
    bool newProblem = false;
    std::int64_t problemId = 0;
    if (auto existing = ws.findProblem(source, record.problem.question)) {
        problemId = *existing;
    } else {
        record.problem.source = source;
        problemId = ws.insertProblem(record.problem);
        newProblem = true;
        ++report.problems;
    }
    const std::string prompt = record.prompt.dump();
    if (newProblem && options.referenceSamples && !record.problem.referenceSolution.empty()) {
        store::Sample ref;
        ref.problemId = problemId;
        ref.origin = store::Origin::Reference;
        ref.originDetail = source;
        ref.messagesJson = prompt;
        ref.answer = record.problem.referenceSolution;
        ref.answerTokens = count(ref.answer);
        ws.insertSample(ref);
        ++report.samples;
    }
    if (target != ImportTarget::Samples)
        return;
    for (ParsedResponse& r : record.responses) {
        store::Sample s;
        s.problemId = problemId;
        s.origin = options.origin;
        s.originDetail = r.model.empty() ? originDetail : r.model;
        s.messagesJson = prompt;
        s.thinkingTokens = count(r.thinking);
        s.answerTokens = count(r.answer);
        s.thinking = std::move(r.thinking);
        s.answer = std::move(r.answer);
        s.rawText = std::move(r.raw);
        if (!r.assistantExtra.empty()) {
            json extras = record.extras;
            extras["assistant"] = std::move(r.assistantExtra);
            s.extrasJson = extras.dump();
        } else {
            s.extrasJson = record.extras.dump();
        }
        ws.insertSample(s);
        ++report.samples;
    }
}

}  // namespace

ImportReport importFile(store::Workspace& workspace, const std::string& path, const ImportOptions& options)
{
    RecordReader reader(path);
    const std::filesystem::path file(path);
    const std::string source = options.source.empty() ? file.stem().string() : options.source;
    const std::string originDetail = options.originDetail.empty() ? file.filename().string() : options.originDetail;
    const std::string fileName = file.filename().string();

    ImportReport report;
    report.format = options.format;
    auto addError = [&](std::uint64_t line, std::string reason) {
        ++report.skipped;
        if (report.errors.size() < options.maxReportedErrors)
            report.errors.push_back({fileName, line, std::move(reason)});
    };

    store::Workspace::Transaction tx(workspace);
    store::Workspace::DeferredSearchIndex deferredIndex(workspace);
    // Cancelling rolls the whole import back: the report then says nothing was written.
    auto cancel = [&] {
        tx.rollback();
        ImportReport cancelled;
        cancelled.format = report.format;
        cancelled.cancelled = true;
        cancelled.bytes = reader.bytesRead();
        return cancelled;
    };
    std::string text;
    std::uint64_t line = 0;
    std::uint64_t lastProgress = 0;
    while (reader.next(text, line)) {
        json record;
        try {
            record = json::parse(text);
        } catch (const json::parse_error& e) {
            addError(line, std::string("invalid JSON: ") + e.what());
            continue;
        }
        RecordFormat format = report.format;
        if (format == RecordFormat::Auto) {
            format = detectRecordFormat(record);
            if (format == RecordFormat::Auto) {
                addError(line, record.is_object() ? "no recognisable fields (expected messages, conversations, "
                                                    "instruction, problem or question)"
                                                  : "record is not a JSON object");
                continue;
            }
            report.format = format;
        }
        try {
            ParsedRecord parsed = parseRecord(record, format, options);
            ImportTarget target = options.target;
            if (target == ImportTarget::Auto)
                target = format == RecordFormat::Problems ? ImportTarget::Problems : ImportTarget::Samples;
            insertRecord(workspace, parsed, target, source, originDetail, options, report);
            ++report.imported;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::Parse)
                throw;  // database trouble is not the record's fault
            addError(line, e.detail());
        } catch (const json::exception& e) {
            addError(line, e.what());
        }
        if (options.progress && reader.bytesRead() - lastProgress >= kProgressEvery) {
            lastProgress = reader.bytesRead();
            if (!options.progress(lastProgress, reader.totalBytes()))
                return cancel();
        }
    }
    report.bytes = reader.bytesRead();
    if (options.progress && !options.progress(report.bytes, reader.totalBytes()))
        return cancel();
    deferredIndex.finish();
    tx.commit();
    return report;
}

RecordFormat detectFileFormat(const std::string& path)
{
    RecordReader reader(path);
    std::string text;
    std::uint64_t line = 0;
    for (int i = 0; i < 20 && reader.next(text, line); ++i) {
        const json record = json::parse(text, nullptr, false);
        if (record.is_discarded())
            continue;
        const RecordFormat f = detectRecordFormat(record);
        if (f != RecordFormat::Auto)
            return f;
    }
    return RecordFormat::Auto;
}

}  // namespace distill::formats
