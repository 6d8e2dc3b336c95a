// Import preview: runs the real importer on the first few records of a file (copied into a
// scratch workspace) so the import dialog shows them exactly as they would be imported.
#pragma once

#include "core/formats/importer.h"

#include <string>
#include <vector>

namespace distill::widgets {

struct ImportPreviewRow {
    std::uint64_t line = 0;     // line of the record in the original file
    std::string question;
    std::string thinking;       // empty for problem-only records
    std::string answer;         // the response's answer, or the reference answer of a problem
};

struct ImportPreview {
    formats::RecordFormat detected = formats::RecordFormat::Auto;  // auto-detection result
    formats::RecordFormat used = formats::RecordFormat::Auto;      // the format the importer used
    std::vector<ImportPreviewRow> rows;
    std::vector<formats::ImportError> errors;  // lines refer to the original file
};

// Previews the first `maxRecords` records of `path` under `options` (progress is ignored).
// Throws distill::Error when the file cannot be read.
ImportPreview previewImport(const std::string& path, formats::ImportOptions options, int maxRecords = 5);

}  // namespace distill::widgets
