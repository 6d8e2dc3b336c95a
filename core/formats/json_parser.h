// parseJson: nlohmann::json::parse for import records, ~4x faster on long strings (chain-of-thought
// text), which it copies in runs instead of byte by byte. Text it does not take on its fast path
// (malformed input above all) goes to nlohmann::json::parse: values and errors are nlohmann's.
#pragma once

#include <nlohmann/json.hpp>

#include <string_view>

namespace distill::formats {

// The value nlohmann::json::parse(text) returns; throws its parse_error on malformed text.
nlohmann::json parseJson(std::string_view text);

}  // namespace distill::formats
