// SampleQuery: the filter and sort of the sample browser, also the recipe of a frozen dataset.
// It serialises to/from JSON so a dataset remembers how it was selected.
#pragma once

#include "core/store/records.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace distill::store {

// Browser columns a query can sort by.
enum class SampleColumn { Id, Problem, Verdict, Status, ThinkingTokens, AnswerTokens, Origin, Flags };
std::string_view sampleColumnName(SampleColumn column);  // "id", "problem", "verdict", ...
SampleColumn parseSampleColumn(std::string_view text);

struct SampleQuery {
    // Full-text search over question, thinking and answer (SQLite FTS5, unicode61 tokens): every
    // whitespace-separated word must occur; a trailing '*' matches a prefix ("modul*"). Words are
    // quoted, so FTS5 operators typed by a user are searched literally.
    std::string search;
    std::optional<Verdict> verdict;
    std::optional<SampleStatus> status;
    std::optional<Origin> origin;
    std::string source;                       // problem source; empty = all
    std::optional<std::int64_t> problemId;
    std::optional<std::int64_t> minThinkingTokens;
    std::optional<std::int64_t> maxThinkingTokens;
    SampleColumn sortBy = SampleColumn::Id;
    bool descending = false;

    nlohmann::json toJson() const;
    static SampleQuery fromJson(const nlohmann::json& json);  // unknown keys: InvalidArgument
};

}  // namespace distill::store
