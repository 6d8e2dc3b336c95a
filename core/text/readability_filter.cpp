#include "core/text/readability_filter.h"

#include "core/text/cot_template.h"
#include "core/text/json_fields.h"
#include "core/text/language_share.h"
#include "core/text/non_prose.h"
#include "core/text/unicode_script.h"
#include "core/text/word_ngrams.h"
#include "core/util/error.h"

#include <xxhash.h>

#include <algorithm>
#include <array>
#include <map>
#include <unordered_set>

namespace distill::text {
namespace {

bool isLetterScript(Script s)
{
    return s != Script::Digit && s != Script::Space && s != Script::Symbol;
}

std::vector<std::string_view> paragraphs(std::string_view text)
{
    std::vector<std::string_view> out;
    std::size_t start = 0;
    std::size_t lineStart = 0;
    const auto push = [&](std::size_t end) {
        if (auto p = trimmed(text.substr(start, end - start)); !p.empty())
            out.push_back(p);
    };
    while (lineStart <= text.size()) {
        auto lineEnd = text.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = text.size();
        if (trimmed(text.substr(lineStart, lineEnd - lineStart)).empty()) {
            push(lineStart);
            start = lineEnd;
        }
        lineStart = lineEnd + 1;
    }
    push(text.size());
    return out;
}

bool isFence(std::string_view line)
{
    std::size_t indent = 0;
    while (indent < line.size() && indent < 3 && line[indent] == ' ')
        ++indent;
    return line.compare(indent, 3, "```") == 0;
}

bool isListItem(std::string_view line)
{
    if (line.empty())
        return false;
    if (line[0] == '-' || line[0] == '*' || line[0] == '+')
        return true;
    std::size_t i = 0;
    while (i < line.size() && line[i] >= '0' && line[i] <= '9')
        ++i;
    return i > 0 && i < line.size() && (line[i] == '.' || line[i] == ')');
}

std::size_t countCodeBlocks(std::string_view text, bool indented)
{
    std::size_t fences = 0;
    std::size_t indentedBlocks = 0;
    bool inFence = false;
    bool previousBlank = true;
    std::size_t indentedRun = 0;  // consecutive indented lines after a blank line
    for (std::size_t lineStart = 0; lineStart < text.size();) {
        auto lineEnd = text.find('\n', lineStart);
        if (lineEnd == std::string_view::npos)
            lineEnd = text.size();
        const std::string_view line = text.substr(lineStart, lineEnd - lineStart);
        lineStart = lineEnd + 1;
        if (isFence(line)) {
            ++fences;
            inFence = !inFence;
            indentedRun = 0;
            previousBlank = false;
            continue;
        }
        const bool blank = trimmed(line).empty();
        if (indented && !inFence) {
            const bool codeIndent = line.rfind("    ", 0) == 0 || line.rfind("\t", 0) == 0;
            if (codeIndent && !blank && !isListItem(trimmed(line)) && (previousBlank || indentedRun > 0)) {
                if (++indentedRun == 2)
                    ++indentedBlocks;
            } else if (!blank) {
                indentedRun = 0;
            }
        }
        previousBlank = blank;
    }
    return (fences + 1) / 2 + indentedBlocks;
}

double repeatedShare(std::string_view text, std::size_t n)
{
    const auto grams = ngramHashes(wordHashes(text), n);
    if (grams.size() < 2)
        return 0.0;
    std::unordered_set<std::uint64_t> seen;
    seen.reserve(grams.size());
    std::size_t repeated = 0;
    for (const auto g : grams)
        if (!seen.insert(g).second)
            ++repeated;
    return double(repeated) / double(grams.size());
}

// Hashes of the normalised sentences (split at . ! ? and their CJK forms, and at line breaks).
std::vector<std::uint64_t> sentenceHashes(std::string_view text)
{
    std::vector<std::uint64_t> out;
    std::size_t start = 0;
    const auto push = [&](std::size_t end) {
        const std::string norm = normalizeText(text.substr(start, end - start));
        if (!norm.empty())
            out.push_back(XXH3_64bits(norm.data(), norm.size()));
    };
    for (std::size_t pos = 0; pos < text.size();) {
        const char c = text[pos];
        if (c == '.' || c == '!' || c == '?' || c == '\n') {
            push(pos);
            start = ++pos;
            continue;
        }
        if (static_cast<unsigned char>(c) < 0x80) {
            ++pos;
            continue;
        }
        const std::size_t at = pos;
        const char32_t cp = nextCodepoint(text, pos);
        if (cp == 0x3002 || cp == 0xFF01 || cp == 0xFF1F) {  // 。！？
            push(at);
            start = pos;
        }
    }
    push(text.size());
    return out;
}

// How many times the last block of 1..4 sentences occurs back to back at the end of text.
std::size_t tailRepeatCount(std::string_view text)
{
    const auto units = sentenceHashes(text);
    if (units.empty())
        return 0;
    std::size_t best = 1;
    for (std::size_t period = 1; period <= 4 && period <= units.size(); ++period) {
        std::size_t repeats = 1;
        const std::size_t n = units.size();
        while ((repeats + 1) * period <= n) {
            bool same = true;
            for (std::size_t i = 0; i < period && same; ++i)
                same = units[n - 1 - i] == units[n - 1 - i - repeats * period];
            if (!same)
                break;
            ++repeats;
        }
        best = std::max(best, repeats);
    }
    return best;
}

template <class Self, class Field>
void visitConfig(Self& c, Field&& f)
{
    f("language", c.language);
    f("max_language_mix", c.maxLanguageMix);
    f("min_language_share", c.minLanguageShare);
    f("max_paragraph_chars", c.maxParagraphChars);
    f("max_paragraph_words", c.maxParagraphWords);
    f("max_code_blocks", c.maxCodeBlocks);
    f("detect_indented_code", c.detectIndentedCode);
    f("repetition_ngram", c.repetitionNgram);
    f("max_repeated_ngram_share", c.maxRepeatedNgramShare);
    f("max_tail_repeats", c.maxTailRepeats);
    f("reject_truncated", c.rejectTruncated);
    f("min_thinking_chars", c.minThinkingChars);
    f("max_thinking_chars", c.maxThinkingChars);
    f("min_thinking_tokens", c.minThinkingTokens);
    f("max_thinking_tokens", c.maxThinkingTokens);
    f("require_summary", c.requireSummary);
    f("max_summary_share", c.maxSummaryShare);
}

template <class Self, class Field>
void visitScores(Self& s, Field&& f)
{
    f("language_mix", s.languageMix);
    f("language_share", s.languageShare);
    f("longest_paragraph_chars", s.longestParagraphChars);
    f("longest_paragraph_words", s.longestParagraphWords);
    f("code_blocks", s.codeBlocks);
    f("repeated_ngram_share", s.repeatedNgramShare);
    f("tail_repeats", s.tailRepeats);
    f("truncated", s.truncated);
    f("summary_words", s.summaryWords);
    f("summary_share", s.summaryShare);
    f("thinking_chars", s.thinkingChars);
    f("thinking_tokens", s.thinkingTokens);
}

}  // namespace

double languageMixRatio(std::string_view text, std::string_view language)
{
    const Script target = scriptOfLanguage(language);
    std::size_t letters = 0;
    std::size_t foreign = 0;
    std::size_t latinRun = 0;  // a lone Latin letter between non-letters is a variable name
    const auto endLatinRun = [&] {
        if (latinRun > 1) {
            letters += latinRun;
            if (target != Script::Latin)
                foreign += latinRun;
        }
        latinRun = 0;
    };
    NonProseScanner scanner(text);
    for (std::size_t pos = 0; pos < text.size();) {
        if (const auto skip = scanner.skip(pos); skip != pos) {
            endLatinRun();
            pos = skip;
            continue;
        }
        const char32_t cp = nextCodepoint(text, pos);
        const Script script = scriptOf(cp);
        if (script == Script::Latin) {
            ++latinRun;
            continue;
        }
        endLatinRun();
        if (isLetterScript(script)) {
            ++letters;
            if (script != target)
                ++foreign;
        }
    }
    endLatinRun();
    return letters == 0 ? 0.0 : double(foreign) / double(letters);
}

FilterScores scoreSample(const FilterInput& input, const FilterConfig& config)
{
    FilterScores s;
    if (!config.language.empty()) {
        // one pass over both parts: a blank line between them keeps math spans from crossing over
        std::string both;
        both.reserve(input.thinking.size() + input.answer.size() + 2);
        both.append(input.thinking).append("\n\n").append(input.answer);
        s.languageMix = languageMixRatio(both, config.language);
        if (config.minLanguageShare > 0.0)
            s.languageShare = targetLanguageShare(both, config.language);
    }
    for (const std::string_view part : {input.thinking, input.answer}) {
        for (const auto p : paragraphs(part)) {
            s.longestParagraphChars = std::max(s.longestParagraphChars, codepointCount(p));
            s.longestParagraphWords = std::max(s.longestParagraphWords, wordCount(p));
        }
        s.codeBlocks += countCodeBlocks(part, config.detectIndentedCode);
        s.tailRepeats = std::max(s.tailRepeats, tailRepeatCount(part));
    }
    s.repeatedNgramShare = repeatedShare(input.thinking, std::max<std::size_t>(config.repetitionNgram, 1));
    s.truncated = !input.closed || trimmed(input.answer).empty();
    s.summaryWords = wordCount(input.answer);
    const std::size_t thinkingWords = wordCount(input.thinking);
    s.summaryShare = thinkingWords == 0 ? 0.0 : double(s.summaryWords) / double(thinkingWords);
    s.thinkingChars = codepointCount(input.thinking);
    s.thinkingTokens = input.thinkingTokens;
    return s;
}

std::optional<std::string> withSummary(std::string_view thinking, std::string_view answer)
{
    const std::vector<std::string_view> parts = paragraphs(thinking);
    if (parts.empty() || wordCount(answer) >= kMinSummaryWords)
        return std::nullopt;
    std::string_view last = parts.back();
    // A long last paragraph (over 60 words, or over a third of the reasoning): its last sentences,
    // lines or clauses, as many as fit.
    const std::size_t maxWords = std::min<std::size_t>(60, std::max<std::size_t>(kMinSummaryWords, wordCount(thinking) / 3));
    while (wordCount(last) > maxWords) {
        std::size_t stop = last.size();
        for (const std::string_view cut : {". ", "\n", ", "})
            if (const auto at = last.find(cut); at != std::string_view::npos)
                stop = std::min(stop, at + cut.size());
        if (stop >= last.size())
            break;
        last = trimmed(last.substr(stop));
    }
    std::string out = "**Summary.** ";
    out.append(last);
    if (const auto given = trimmed(answer); !given.empty())
        out.append("\n\n").append(given);
    return out;
}

FilterScores scoreResponse(std::string_view raw, const FilterConfig& config, std::string_view openTag,
                           std::string_view closeTag)
{
    const ThinkingSplit split = splitThinking(raw, openTag, closeTag);
    return scoreSample({split.thinking, split.answer, split.hasCloseTag, std::nullopt}, config);
}

namespace {
// The filter names, in the order rejectReasons() lists them.
constexpr std::array<std::string_view, 9> kFilterNames = {"truncated",        "thinking_length", "language_mix",
                                                          "language_share",   "paragraph_length", "code_block",
                                                          "repetition",       "loop",             "summary"};
enum FilterName { Truncated, ThinkingLength, LanguageMix, LanguageShare, ParagraphLength, CodeBlock, Repetition, Loop, Summary };
}  // namespace

bool isFilterName(std::string_view name)
{
    return std::find(kFilterNames.begin(), kFilterNames.end(), name) != kFilterNames.end();
}

std::vector<std::string> rejectReasons(const FilterScores& s, const FilterConfig& c)
{
    std::vector<std::string> out;
    if (c.rejectTruncated && s.truncated)
        out.emplace_back(kFilterNames[Truncated]);
    bool lengthOk = s.thinkingChars >= c.minThinkingChars
        && (c.maxThinkingChars == 0 || s.thinkingChars <= c.maxThinkingChars);
    if (s.thinkingTokens) {
        lengthOk = lengthOk && *s.thinkingTokens >= c.minThinkingTokens
            && (c.maxThinkingTokens == 0 || *s.thinkingTokens <= c.maxThinkingTokens);
    }
    if (!lengthOk)
        out.emplace_back(kFilterNames[ThinkingLength]);
    if (!c.language.empty() && s.languageMix > c.maxLanguageMix)
        out.emplace_back(kFilterNames[LanguageMix]);
    if (!c.language.empty() && s.languageShare < c.minLanguageShare)
        out.emplace_back(kFilterNames[LanguageShare]);
    if ((c.maxParagraphChars != 0 && s.longestParagraphChars > c.maxParagraphChars)
        || (c.maxParagraphWords != 0 && s.longestParagraphWords > c.maxParagraphWords))
        out.emplace_back(kFilterNames[ParagraphLength]);
    if (c.maxCodeBlocks >= 0 && s.codeBlocks > std::size_t(c.maxCodeBlocks))
        out.emplace_back(kFilterNames[CodeBlock]);
    if (s.repeatedNgramShare > c.maxRepeatedNgramShare)
        out.emplace_back(kFilterNames[Repetition]);
    if (c.maxTailRepeats != 0 && s.tailRepeats > c.maxTailRepeats)
        out.emplace_back(kFilterNames[Loop]);
    if (c.requireSummary && (s.summaryWords < kMinSummaryWords || s.summaryShare > c.maxSummaryShare))
        out.emplace_back(kFilterNames[Summary]);
    return out;
}

nlohmann::json toJson(const FilterScores& scores)
{
    return detail::fieldsToJson(scores, [](auto& s, auto&& f) { visitScores(s, f); });
}

FilterScores filterScoresFromJson(const nlohmann::json& json)
{
    FilterScores scores;
    detail::fieldsFromJson(json, scores, [](auto& s, auto&& f) { visitScores(s, f); }, "filter scores");
    return scores;
}

nlohmann::json toJson(const FilterConfig& config)
{
    return detail::fieldsToJson(config, [](auto& c, auto&& f) { visitConfig(c, f); });
}

FilterConfig filterConfigFromJson(const nlohmann::json& json)
{
    FilterConfig config;
    detail::fieldsFromJson(json, config, [](auto& c, auto&& f) { visitConfig(c, f); }, "filters");
    return config;
}

}  // namespace distill::text
