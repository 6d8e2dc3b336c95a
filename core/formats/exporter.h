// Export of a frozen dataset to training files: OpenAI messages JSONL (TRL, LLaMA-Factory),
// ShareGPT JSONL, and prompt/completion JSONL in the DeepSeek-R1 template.
#pragma once

#include "core/store/records.h"
#include "core/util/progress.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>

namespace distill::store {
class Workspace;
}

namespace distill::formats {

enum class ExportFormat {
    OpenAi,    // {"messages": [..., {"role": "assistant", "content": "<think>\n…\n</think>\n\n…"}]}
    ShareGpt,  // {"conversations": [{"from": "human"|"gpt"|..., "value": …}]}
    R1,        // {"prompt": question or messages, "completion": "<think>\n…\n</think>\n\n…"}
};
std::string_view exportFormatName(ExportFormat format);  // "openai", "sharegpt", "r1"
ExportFormat parseExportFormat(std::string_view text);

// "<think>\n" + thinking + "\n</think>\n\n" + answer
std::string r1Text(std::string_view thinking, std::string_view answer);

// One output record for a sample of the given problem.
nlohmann::json exportRecord(const store::Problem& problem, const store::Sample& sample, ExportFormat format);

// Writes the dataset's samples, one JSON object per line, to a temporary file in the folder of
// `outPath` that replaces it once complete: a failed or cancelled export leaves `outPath` as it
// was. Refuses (InvalidArgument) to write to the workspace's own files. Returns the records written.
std::uint64_t exportDataset(const store::Workspace& workspace, const std::string& datasetName,
                            ExportFormat format, const std::string& outPath, const ProgressFn& progress = {});

}  // namespace distill::formats
