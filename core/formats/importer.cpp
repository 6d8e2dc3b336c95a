#include "core/formats/importer.h"

#include "core/formats/json_stream.h"
#include "core/formats/record_json.h"
#include "core/formats/record_parser.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <array>
#include <condition_variable>
#include <deque>
#include <exception>
#include <filesystem>
#include <mutex>
#include <optional>
#include <thread>

namespace distill::formats {

using nlohmann::json;

namespace {
constexpr std::array<std::string_view, 6> kFormats = {"auto", "openai", "sharegpt", "alpaca", "reasoning", "problems"};
constexpr std::array<std::string_view, 3> kTargets = {"auto", "problems", "samples"};
constexpr std::uint64_t kProgressEvery = 1 << 20;  // bytes between progress calls
// Samples between two BulkLoad::indexNewRows() calls: each call adds one full-text segment (smaller
// ones cost more merging later; 16 K samples of 1-3 KB fill FTS5's 16 MiB buffer), and reads rows
// that are still in the page cache.
constexpr std::uint64_t kIndexEvery = 16384;
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

// One record after parsing: the parsed record with its JSON columns serialised, or why it
// cannot be imported.
struct ParsedItem {
    std::uint64_t line = 0;
    std::uint64_t bytesRead = 0;  // file offset after this record, for progress
    RecordFormat format = RecordFormat::Auto;
    std::optional<ParsedRecord> record;
    std::string promptJson;               // record->prompt
    std::vector<std::string> extrasJson;  // per response: record->extras (+ its final turn's keys)
    std::string error;
};

// Inserts one parsed record: its problem (unless already present) and its samples.
void insertRecord(store::Workspace& ws, ParsedItem& item, ImportTarget target, const std::string& source,
                  const std::string& originDetail, const ImportOptions& options, ImportReport& report)
{
    const auto count = [&](std::string_view text) {
        return options.countTokens ? options.countTokens(text) : estimateTokens(text);
    };
    ParsedRecord& record = *item.record;
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
    if (newProblem && options.referenceSamples && !record.problem.referenceSolution.empty()) {
        store::Sample ref;
        ref.problemId = problemId;
        ref.origin = store::Origin::Reference;
        ref.originDetail = source;
        ref.messagesJson = item.promptJson;
        ref.answer = record.problem.referenceSolution;
        ref.answerTokens = count(ref.answer);
        ws.insertSample(ref);
        ++report.samples;
    }
    if (target != ImportTarget::Samples)
        return;
    for (std::size_t i = 0; i < record.responses.size(); ++i) {
        ParsedResponse& r = record.responses[i];
        store::Sample s;
        s.problemId = problemId;
        s.origin = options.origin;
        s.originDetail = r.model.empty() ? originDetail : r.model;
        s.messagesJson = std::move(item.promptJson);
        s.thinkingTokens = count(r.thinking);
        s.answerTokens = count(r.answer);
        s.thinking = std::move(r.thinking);
        s.answer = std::move(r.answer);
        s.rawText = std::move(r.raw);
        s.extrasJson = std::move(item.extrasJson[i]);
        ws.insertSample(s);
        ++report.samples;
        // Back to the item, which the parsing thread frees (see ParsePipeline::next).
        item.promptJson = std::move(s.messagesJson);
        r.thinking = std::move(s.thinking);
        r.answer = std::move(s.answer);
        r.raw = std::move(s.rawText);
        item.extrasJson[i] = std::move(s.extrasJson);
    }
}

// Reads and parses records on a thread of its own while the caller writes the previous ones;
// a queue of small batches, bounded in record bytes, keeps memory flat whatever the file size.
class ParsePipeline {
public:
    ParsePipeline(const std::string& path, const ImportOptions& options)
        : m_reader(path, options.maxRecordBytes), m_options(options), m_format(options.format),
          m_thread([this] { run(); })
    {
    }

    ~ParsePipeline()
    {
        {
            std::lock_guard lock(m_mutex);
            m_stop = true;
        }
        m_cv.notify_all();
        m_thread.join();
    }

    // The next batch; false when the file is done. Rethrows a read error of the thread. The batch
    // passed in, done with, goes back to the thread to be freed.
    bool next(std::vector<ParsedItem>& batch)
    {
        std::unique_lock lock(m_mutex);
        if (!batch.empty())
            m_spent.push_back(std::move(batch));
        m_cv.wait(lock, [&] { return !m_queue.empty() || m_done; });
        if (m_queue.empty()) {
            if (m_error)
                std::rethrow_exception(m_error);
            return false;
        }
        batch = std::move(m_queue.front().items);
        m_queuedBytes -= m_queue.front().bytes;
        m_queue.pop_front();
        lock.unlock();
        m_cv.notify_all();
        return true;
    }

    std::uint64_t totalBytes() const { return m_reader.totalBytes(); }

private:
    static constexpr std::size_t kBatch = 64;
    // Record text parsed ahead of the writer: about what it indexes in one indexNewRows() call,
    // so that parsing goes on meanwhile.
    static constexpr std::size_t kMaxQueuedBytes = 32 << 20;

    struct Batch {
        std::vector<ParsedItem> items;
        std::size_t bytes = 0;  // record text of the items
    };

    // The record's text to a ParsedItem; whatever is wrong with the record (its JSON, its layout,
    // one of its fields) becomes the item's error, never an exception.
    ParsedItem parse(const std::string& text, std::uint64_t line)
    {
        ParsedItem item;
        item.line = line;
        item.bytesRead = m_reader.bytesRead();
        if (m_reader.tooLong()) {
            item.error = "record longer than " + std::to_string(m_reader.maxRecordBytes())
                         + " bytes (the import's limit on one record)";
            return item;
        }
        try {
            json record = parseRecordJson(text);
            if (m_format == RecordFormat::Auto) {
                m_format = detectRecordFormat(record);
                if (m_format == RecordFormat::Auto) {
                    item.error = record.is_object() ? "no recognisable fields (expected messages, conversations, "
                                                      "instruction, problem or question)"
                                                    : "record is not a JSON object";
                    return item;
                }
            }
            item.format = m_format;
            ParsedRecord parsed = parseRecord(std::move(record), m_format, m_options);
            // Serialised here, off the writing thread.
            item.promptJson = parsed.prompt.dump();
            for (ParsedResponse& r : parsed.responses) {
                if (r.assistantExtra.empty()) {
                    item.extrasJson.push_back(parsed.extras.dump());
                } else {
                    json extras = parsed.extras;
                    extras["assistant"] = std::move(r.assistantExtra);
                    item.extrasJson.push_back(extras.dump());
                }
            }
            item.record = std::move(parsed);
        } catch (const Error& e) {
            item.error = e.detail();
        } catch (const std::exception& e) {  // nlohmann type errors of odd field values, allocation
            item.error = e.what();
        }
        return item;
    }

    void run()
    {
        try {
            std::string text;
            std::uint64_t line = 0;
            Batch batch;
            bool more = true;
            while (more) {
                more = m_reader.next(text, line);
                if (more) {
                    batch.items.push_back(parse(text, line));
                    batch.bytes += text.size();
                }
                if (batch.items.size() == kBatch || (!more && !batch.items.empty())) {
                    std::unique_lock lock(m_mutex);
                    m_cv.wait(lock, [&] { return m_queuedBytes < kMaxQueuedBytes || m_stop; });
                    if (m_stop)
                        return;
                    m_queuedBytes += batch.bytes;
                    m_queue.push_back(std::move(batch));
                    batch = {};
                    std::vector<std::vector<ParsedItem>> spent = std::move(m_spent);
                    m_spent.clear();
                    lock.unlock();
                    m_cv.notify_all();
                    spent.clear();
                }
            }
        } catch (...) {
            std::lock_guard lock(m_mutex);
            m_error = std::current_exception();
        }
        {
            std::lock_guard lock(m_mutex);
            m_done = true;
        }
        m_cv.notify_all();
    }

    RecordReader m_reader;
    const ImportOptions& m_options;
    RecordFormat m_format;  // used by the thread only
    std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<Batch> m_queue;
    // Batches the writer is done with, freed on this thread where they were allocated: glibc's free
    // of another thread's memory takes that thread's arena lock, and the writer paid 3 µs a record.
    std::vector<std::vector<ParsedItem>> m_spent;
    std::size_t m_queuedBytes = 0;
    bool m_done = false;
    bool m_stop = false;
    std::exception_ptr m_error;
    std::thread m_thread;  // last: starts after the members above exist
};

}  // namespace

ImportReport importFile(store::Workspace& workspace, const std::string& path, const ImportOptions& options)
{
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
    ParsePipeline pipeline(path, options);
    // Records are 1-3 KB in typical reasoning datasets: the estimate only decides whether the
    // browser indexes are rebuilt after the import instead of updated row by row.
    constexpr std::uint64_t kBytesPerSampleEstimate = 2048;
    store::Workspace::BulkLoad bulkLoad(workspace,
                                        std::int64_t(pipeline.totalBytes() / kBytesPerSampleEstimate));
    // Cancelling rolls the whole import back: the report then says nothing was written.
    auto cancel = [&] {
        tx.rollback();
        ImportReport cancelled;
        cancelled.format = report.format;
        cancelled.cancelled = true;
        cancelled.bytes = report.bytes;
        return cancelled;
    };
    std::uint64_t lastProgress = 0;
    std::uint64_t indexed = 0;  // samples handed to bulkLoad.indexNewRows()
    std::vector<ParsedItem> batch;
    while (pipeline.next(batch)) {
        for (ParsedItem& item : batch) {
            report.bytes = item.bytesRead;
            if (item.format != RecordFormat::Auto)
                report.format = item.format;
            if (!item.record) {
                addError(item.line, std::move(item.error));
            } else {
                ImportTarget target = options.target;
                if (target == ImportTarget::Auto)
                    target = item.format == RecordFormat::Problems ? ImportTarget::Problems : ImportTarget::Samples;
                insertRecord(workspace, item, target, source, originDetail, options, report);
                ++report.imported;
                if (report.samples - indexed >= kIndexEvery) {
                    bulkLoad.indexNewRows();
                    indexed = report.samples;
                }
            }
            if (options.progress && report.bytes - lastProgress >= kProgressEvery) {
                lastProgress = report.bytes;
                if (!options.progress(lastProgress, pipeline.totalBytes()))
                    return cancel();
            }
        }
    }
    report.bytes = pipeline.totalBytes();
    if (options.progress && !options.progress(report.bytes, pipeline.totalBytes()))
        return cancel();
    bulkLoad.finish();
    tx.commit();
    return report;
}

RecordFormat detectFileFormat(const std::string& path)
{
    RecordReader reader(path);
    std::string text;
    std::uint64_t line = 0;
    for (int i = 0; i < 20 && reader.next(text, line); ++i) {
        if (reader.tooLong())
            continue;
        try {
            const RecordFormat f = detectRecordFormat(parseRecordJson(text));
            if (f != RecordFormat::Auto)
                return f;
        } catch (const Error&) {
            // Not a JSON record: try the next one.
        }
    }
    return RecordFormat::Auto;
}

}  // namespace distill::formats
