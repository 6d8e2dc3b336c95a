// Turns one input record (already parsed JSON) of any supported layout into a problem, the
// canonical prompt messages and zero or more responses. Canonical messages are OpenAI-style:
// {"role", "content": string | parts, "reasoning_content"?, "tool_calls"?, ...}.
#pragma once

#include "core/formats/importer.h"
#include "core/store/records.h"

#include <nlohmann/json.hpp>

#include <string>
#include <vector>

namespace distill::formats {

struct ParsedResponse {
    std::string thinking;
    std::string answer;
    std::string raw;             // the response text when tags were split out of it
    std::string model;           // e.g. "gemini" for s1K's gemini_* fields; empty when unknown
    nlohmann::json assistantExtra = nlohmann::json::object();  // other keys of the final turn (tool_calls)
};

struct ParsedRecord {
    store::Problem problem;      // source left empty
    nlohmann::json prompt = nlohmann::json::array();  // canonical messages before the final answer
    std::vector<ParsedResponse> responses;
    nlohmann::json extras = nlohmann::json::object(); // record fields with no column
};

// The layout of one record, or Auto when it has no recognisable fields.
RecordFormat detectRecordFormat(const nlohmann::json& record);

// Throws Error(Parse) with a human-readable reason when the record does not fit the layout.
// Takes the record by value: its fields move into the result (pass it with std::move).
ParsedRecord parseRecord(nlohmann::json record, RecordFormat format, const ImportOptions& options);

// One message in canonical form (OpenAI role/content; ShareGPT from/value accepted); assistant
// text with think tags is split into content + reasoning_content.
nlohmann::json canonicalMessage(const nlohmann::json& message, const ImportOptions& options);

// Concatenated text of a message's content (string, or the text parts of a part list).
std::string contentText(const nlohmann::json& content);

}  // namespace distill::formats
