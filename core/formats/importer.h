// Import of chat/reasoning datasets (JSONL or JSON arrays) into a workspace: OpenAI messages,
// ShareGPT, Alpaca, records with separate reasoning fields, plain problem sets. Streams the file.
#pragma once

#include "core/formats/json_stream.h"
#include "core/store/records.h"
#include "core/util/progress.h"

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::formats {

// Record layouts. Auto detects from the first record.
enum class RecordFormat {
    Auto,
    OpenAi,     // {"messages": [{"role", "content"}]}, content a string or typed parts
    ShareGpt,   // {"conversations": [{"from", "value"}]}
    Alpaca,     // {"instruction", "input", "output" | "response"}
    Reasoning,  // question-like field + reasoning and/or response fields (R1, s1K, open-r1 style)
    Problems,   // {"problem" | "question", "answer", "solution"?}: problem sets without responses
};
std::string_view recordFormatName(RecordFormat format);  // "auto", "openai", "sharegpt", ...
RecordFormat parseRecordFormat(std::string_view text);   // InvalidArgument on unknown names
std::vector<RecordFormat> concreteRecordFormats();       // all but Auto

// What to create from each record.
enum class ImportTarget {
    Auto,      // samples when the format carries responses, problems otherwise
    Problems,  // problems only (+ reference samples for records with a solution)
    Samples,   // problems + one sample per response
};
std::string_view importTargetName(ImportTarget target);
ImportTarget parseImportTarget(std::string_view text);

// A pair of tags that wraps reasoning (or answer) inside response text.
struct TagPair {
    std::string open;
    std::string close;
};

// Estimates a token count from text when no tokenizer is given (about 4 bytes per token).
std::int64_t estimateTokens(std::string_view text);

struct ImportOptions {
    RecordFormat format = RecordFormat::Auto;
    ImportTarget target = ImportTarget::Auto;
    std::string source;  // problem source name; empty = the file name without extension
    // Tags wrapping reasoning in response text (first pair found wins) and the answer.
    std::vector<TagPair> thinkTags = {{"<think>", "</think>"}, {"<Thought>", "</Thought>"}};
    std::vector<TagPair> answerTags = {{"<Output>", "</Output>"}};
    store::Origin origin = store::Origin::Import;
    std::string originDetail;       // empty = the file name
    bool referenceSamples = true;   // a record's reference solution becomes a "reference" sample
    ProgressFn progress;            // (bytes done, bytes total); returning false cancels
    std::function<std::int64_t(std::string_view)> countTokens;  // empty = estimateTokens
    std::size_t maxReportedErrors = 100;
    // A record (line, or element of a JSON array) longer than this is reported and skipped without
    // being read into memory. Nesting is limited too (kMaxRecordDepth, record_json.h).
    std::size_t maxRecordBytes = kMaxRecordBytes;
};

struct ImportError {
    std::string file;
    std::uint64_t line = 0;  // 1-based line of the record (JSON arrays: line where the element starts)
    std::string reason;
};

struct ImportReport {
    RecordFormat format = RecordFormat::Auto;  // the format used
    std::uint64_t imported = 0;  // records imported
    std::uint64_t skipped = 0;   // records not imported (malformed or unusable)
    std::uint64_t problems = 0;  // problems created
    std::uint64_t samples = 0;   // samples created
    std::vector<ImportError> errors;  // at most maxReportedErrors entries
    bool cancelled = false;      // the progress callback stopped it; nothing was written
    std::uint64_t bytes = 0;     // bytes read
};

// Imports the file in one transaction. Malformed records are reported and skipped.
// Throws distill::Error only when the file cannot be read at all (Io/NotFound).
ImportReport importFile(store::Workspace& workspace, const std::string& path,
                        const ImportOptions& options = {});

// Detects the format from the first parseable record of the file (Auto when none).
RecordFormat detectFileFormat(const std::string& path);

}  // namespace distill::formats
