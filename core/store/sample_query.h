// SampleQuery: the filter and sort of the sample browser, also the recipe of a frozen dataset.
// It serialises to/from JSON so a dataset remembers how it was selected.
#pragma once

#include "core/store/records.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <string>

namespace distill::store {

// Browser columns a query can sort by. The last three are readability scores stored in the
// flags JSON under "filters" (see text::FilterScores); samples without the score sort first.
enum class SampleColumn {
    Id, Problem, Verdict, Status, ThinkingTokens, AnswerTokens, Origin, Flags, RejectReason,
    LanguageMix, ParagraphWords, Repetition
};
std::string_view sampleColumnName(SampleColumn column);  // "id", "problem", "verdict", ...
SampleColumn parseSampleColumn(std::string_view text);
// The flags-JSON key of a score column ("language_mix", "longest_paragraph_words",
// "repeated_ngram_share"); empty for the other columns.
std::string_view sampleColumnScore(SampleColumn column);
// Whether `name` can name a score: lower-case letters, digits and '_' (it becomes a JSON path).
bool isScoreName(std::string_view name);

// A range on one readability score of the flags JSON ("filters"."<name>"); samples without that
// score never match. The name is a score key such as "language_mix" (lower case and '_').
struct ScoreRange {
    std::string name;
    std::optional<double> min;
    std::optional<double> max;
    bool operator==(const ScoreRange&) const = default;
};

struct SampleQuery {
    // Full-text search over question, thinking and answer (SQLite FTS5, unicode61 tokens): every
    // whitespace-separated word must occur; a trailing '*' matches a prefix ("modul*"). Words are
    // quoted, so FTS5 operators typed by a user are searched literally.
    std::string search;
    std::optional<Verdict> verdict;
    std::optional<SampleStatus> status;
    std::optional<Origin> origin;
    std::string originDetail;                 // exact origin detail (the teacher's name); empty = any
    std::string source;                       // problem source; empty = all
    std::optional<std::int64_t> problemId;
    std::optional<std::int64_t> minThinkingTokens;
    std::optional<std::int64_t> maxThinkingTokens;
    // Exact reject reason ("incorrect", "language_mix,loop", ...); an empty string selects the
    // samples without a reason.
    std::optional<std::string> rejectReason;
    std::optional<ScoreRange> score;
    SampleColumn sortBy = SampleColumn::Id;
    bool descending = false;

    bool operator==(const SampleQuery&) const = default;

    nlohmann::json toJson() const;
    static SampleQuery fromJson(const nlohmann::json& json);  // unknown keys: InvalidArgument
};

}  // namespace distill::store
