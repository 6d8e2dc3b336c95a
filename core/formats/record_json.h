// parseRecordJson: reads the JSON text of one import record (a JSONL line, an array element, a
// tool call given as JSON text) with simdjson's On-Demand parser, one parser per thread, into the
// nlohmann::json value the record layouts work on, refusing records nested too deep.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace distill::formats {

// Arrays and objects nested deeper than this are refused (a record's top-level object is depth 1).
inline constexpr int kMaxRecordDepth = 1024;

// The value nlohmann::json::parse(text) returns for the same text: the same values and number
// types (non-negative integers unsigned, negative ones signed, integers beyond 64 bits doubles),
// object keys sorted, a repeated key's last value kept, a leading byte order mark skipped. Throws Error(Parse) for text that is not
// one JSON value in valid UTF-8 ("invalid JSON at byte N: ...") and for nesting deeper than
// kMaxRecordDepth.
nlohmann::json parseRecordJson(std::string_view text);

}  // namespace distill::formats
