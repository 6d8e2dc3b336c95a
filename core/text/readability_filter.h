// Readability filters for teacher samples (R1-style rejection of unreadable CoT): language mixing,
// paragraph length, code blocks, repetition and loops, truncation and thinking length. Each filter
// is a score plus a threshold; scores serialise to JSON for the store's filter-scores column.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::text {

// Thresholds. A sample is rejected by a filter when its score is beyond the threshold.
struct FilterConfig {
    // Target language of the response (ISO 639-1): en, fr, de, ... (Latin script), zh, ja, ko (CJK),
    // ru, uk, ... (Cyrillic), ar, he, hi, th. Empty disables the language filter.
    std::string language = "en";
    // Largest share of letters outside the target script (math, LaTeX, code, digits and one-letter
    // variables do not count). R1 used a language-consistency measure of the same kind.
    double maxLanguageMix = 0.01;
    // Smallest share of words in the target language (R1's language consistency, by words and
    // sentences: language_share.h), so English, French and German are told apart. 0 = no check.
    double minLanguageShare = 0.0;
    // Longest paragraph (text between blank lines), in code points and in words. 0 = no limit.
    std::size_t maxParagraphChars = 3000;
    std::size_t maxParagraphWords = 600;
    // Fenced (```) code blocks allowed; negative = any number. Indented (4 spaces) code after a
    // blank line also counts when detectIndentedCode is set.
    int maxCodeBlocks = 0;
    bool detectIndentedCode = false;
    // Repetition: share of word n-grams of the thinking that already occurred earlier in it.
    std::size_t repetitionNgram = 10;
    double maxRepeatedNgramShare = 0.3;
    // Loops: how often the last sentence (or block of up to 4 sentences) repeats back to back at the
    // end of the thinking or the answer. 0 disables the check.
    std::size_t maxTailRepeats = 5;
    // Truncated: no closing think tag, or nothing after it.
    bool rejectTruncated = true;
    // Thinking length bounds in code points, and in tokens when a count is given. 0 = no bound.
    std::size_t minThinkingChars = 1;
    std::size_t maxThinkingChars = 100000;
    std::int64_t minThinkingTokens = 0;
    std::int64_t maxThinkingTokens = 0;
    // R1's cold-start format: the reasoning, then a summary that states the result. The answer after
    // the thinking must have kMinSummaryWords words or more and at most maxSummaryShare of the
    // thinking's words (a bare "\boxed{85}" is no summary; an answer as long as the reasoning is
    // the reasoning again).
    bool requireSummary = false;
    double maxSummaryShare = 0.5;
};

inline constexpr std::size_t kMinSummaryWords = 3;

// Scores of one sample (the thinking and answer after splitting off the tags).
struct FilterScores {
    double languageMix = 0.0;           // share of letters outside the target script
    double languageShare = 1.0;         // share of words in the target language
    std::size_t longestParagraphChars = 0;
    std::size_t longestParagraphWords = 0;
    std::size_t codeBlocks = 0;
    double repeatedNgramShare = 0.0;
    std::size_t tailRepeats = 0;        // 1 = the last sentence is not repeated
    bool truncated = false;
    std::size_t summaryWords = 0;       // words of the answer after the thinking
    double summaryShare = 0.0;          // summaryWords / words of the thinking (0 without thinking)
    std::size_t thinkingChars = 0;
    std::optional<std::int64_t> thinkingTokens;
};

// A sample as the filters see it.
struct FilterInput {
    std::string_view thinking;
    std::string_view answer;
    bool closed = true;  // the closing think tag was present
    std::optional<std::int64_t> thinkingTokens;
};

FilterScores scoreSample(const FilterInput& input, const FilterConfig& config);

// The cold-start transform: an answer in R1's readable pattern, a summary of the reasoning (its last
// paragraph, cut to its last sentences, lines or clauses past 60 words or a third of the reasoning)
// above the answer given. nullopt when the answer
// already has kMinSummaryWords words or more, or there is no thinking to summarise.
std::optional<std::string> withSummary(std::string_view thinking, std::string_view answer);
// Splits raw with splitThinking(raw, openTag, closeTag) and scores it.
FilterScores scoreResponse(std::string_view raw, const FilterConfig& config,
                           std::string_view openTag = "<think>", std::string_view closeTag = "</think>");

// Names of the filters the scores fail, in this order: truncated, thinking_length, language_mix,
// language_share, paragraph_length, code_block, repetition, loop, summary. Empty = the sample passes.
std::vector<std::string> rejectReasons(const FilterScores& scores, const FilterConfig& config);
// Whether `name` is one of the filter names rejectReasons() returns.
bool isFilterName(std::string_view name);

// Share of letters outside the target script of `language`; 0 for text without letters.
double languageMixRatio(std::string_view text, std::string_view language);

nlohmann::json toJson(const FilterScores& scores);
FilterScores filterScoresFromJson(const nlohmann::json& json);  // Parse error on wrong types
nlohmann::json toJson(const FilterConfig& config);
// Keys missing from json keep their defaults; unknown keys are a Parse error naming the key.
FilterConfig filterConfigFromJson(const nlohmann::json& json);

}  // namespace distill::text
