#include "core/verify/answer_extractor.h"

#include "core/verify/answer_fallback.h"
#include "core/verify/latex_cleaner.h"
#include "core/verify/text_scan.h"
#include <algorithm>
#include <array>
#include <cctype>
#include <optional>
#include <vector>

namespace distill::verify {

std::string_view extractRuleName(ExtractRule rule)
{
    switch (rule) {
    case ExtractRule::None: return "none";
    case ExtractRule::AnswerTag: return "answer_tag";
    case ExtractRule::Boxed: return "boxed";
    case ExtractRule::Marker: return "marker";
    case ExtractRule::Gsm8k: return "gsm8k";
    case ExtractRule::MathSpan: return "math_span";
    case ExtractRule::LastNumber: return "last_number";
    case ExtractRule::Bare: return "bare";
    }
    return "none";
}

namespace {

using namespace text;

// Content of the brace group opening at `open` (which must be '{'); escaped braces do not count.
// Returns nullopt when the group never closes.
std::optional<std::pair<std::string_view, std::size_t>> bracedGroup(std::string_view text, std::size_t open)
{
    int depth = 0;
    for (std::size_t i = open; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        if (c == '{') {
            ++depth;
        } else if (c == '}') {
            if (--depth == 0)
                return std::make_pair(text.substr(open + 1, i - open - 1), i + 1);
        }
    }
    return std::nullopt;
}

struct Box {
    std::size_t begin;
    std::size_t end;
    std::string_view content;
};

std::vector<Box> findBoxes(std::string_view text)
{
    std::vector<Box> boxes;
    std::size_t pos = 0;
    while (pos < text.size()) {
        const std::size_t b = text.find("\\boxed", pos);
        const std::size_t f = text.find("\\fbox", pos);
        const std::size_t at = std::min(b, f);
        if (at == std::string_view::npos)
            break;
        std::size_t i = at + (at == b ? 6 : 5);
        if (i < text.size() && std::isalpha(static_cast<unsigned char>(text[i]))) {  // e.g. \boxedfoo
            pos = i;
            continue;
        }
        while (i < text.size() && isSpace(text[i]))
            ++i;
        if (i < text.size() && text[i] == '{') {
            if (auto group = bracedGroup(text, i)) {
                boxes.push_back({at, group->second, group->first});
                pos = group->second;
            } else {
                pos = i + 1;  // unbalanced: this box has no answer
            }
        } else if (i > at + 5 && i < text.size() && text[i] != '$') {  // "\boxed 5"
            std::size_t j = i;
            while (j < text.size() && !isSpace(text[j]) && text[j] != '$')
                ++j;
            boxes.push_back({at, j, text.substr(i, j - i)});
            pos = j;
        } else {
            pos = i;
        }
    }
    return boxes;
}

// True when only list glue lies between two boxes: spaces, commas, '$', "and", "or", \quad, and the name
// of the next value ("$a = \boxed{2}$ and $b = \boxed{3}$").
bool isListGlue(std::string_view gap)
{
    if (gap.size() > 80)
        return false;  // glue is short; a long gap is text
    std::string g = toLower(gap);
    std::size_t end = g.size();
    while (end > 0 && (isSpace(g[end - 1]) || g[end - 1] == '$'))
        --end;
    if (end > 0 && g[end - 1] == '=') {
        std::size_t name = end - 1;
        while (name > 0 && isSpace(g[name - 1]))
            --name;
        const std::size_t nameEnd = name;
        while (name > 0 && nameEnd - name < 8
               && (isAlpha(g[name - 1]) || isDigit(g[name - 1]) || g[name - 1] == '_' || g[name - 1] == '{' || g[name - 1] == '}'))
            --name;
        if (name < nameEnd && isAlpha(g[name]))
            g.erase(name, end - name);
    }
    for (const char* word : {"\\text{and}", "\\text{ and }", "\\text{or}", "\\text{ or }", "\\quad", "\\qquad",
                             "and", "or", "\\,", "\\;"}) {
        for (std::size_t p; (p = g.find(word)) != std::string::npos;)
            g.erase(p, std::char_traits<char>::length(word));
    }
    return std::all_of(g.begin(), g.end(), [](char c) { return isSpace(c) || c == ',' || c == '$' || c == ';'; });
}

std::optional<std::string> boxedAnswer(std::string_view text)
{
    const std::vector<Box> boxes = findBoxes(text);
    if (boxes.empty())
        return std::nullopt;
    std::size_t first = boxes.size() - 1;
    while (first > 0 && isListGlue(text.substr(boxes[first - 1].end, boxes[first].begin - boxes[first - 1].end)))
        --first;
    std::string out;
    for (std::size_t k = first; k < boxes.size(); ++k) {
        if (k > first)
            out += ", ";
        out += trimAnswer(boxes[k].content);
    }
    return out;
}

// The value of the last maths span of free text (see spanValue), without the spans that only name a
// variable ("... is the value of $x$"); alike spans just before it joined by list glue make one list
// ("$x = 2$ and $x = 3$" -> "x = 2, x = 3"). nullopt when there are only names.
std::optional<std::string> lastSpanAnswer(std::string_view text, std::size_t* end = nullptr)
{
    const std::vector<MathSpan> spans = mathSpans(text);
    auto isName = [](const MathSpan& s) {  // "$x$", or words set in maths ("$\emph{do}$")
        const std::string_view c = trim(s.content);
        if (c.size() == 1 && std::isalpha(static_cast<unsigned char>(c[0])))
            return true;
        const std::size_t open = c.find('{');
        const std::string_view command = c.substr(0, open);
        const bool textCommand = command == "\\text" || command == "\\emph" || command == "\\textbf" || command == "\\textit";
        return textCommand && c.back() == '}'
            && std::all_of(c.begin() + open + 1, c.end() - 1, [](char ch) { return isAlpha(ch) || ch == ' '; });
    };
    std::size_t last = spans.size();
    while (last > 0 && isName(spans[last - 1]))
        --last;
    if (last == 0)
        return std::nullopt;  // nothing but names ("the value of $k$ is **14**")
    // Joined spans look alike: values ("$2$ and $3$") or named values ("$x = 1$, $x = 2$"), not
    // "$0$, $x = 5$" or "$k - 1 = 1$ and $k = 2$".
    auto alike = [](const MathSpan& a, const MathSpan& b) {
        const bool valueA = equalSignCount(a.content) == 0;
        const bool valueB = equalSignCount(b.content) == 0;
        return (valueA && valueB) || (namesOneValue(a.content) && namesOneValue(b.content));
    };
    std::size_t first = last - 1;
    while (first > 0 && !isName(spans[first - 1]) && alike(spans[first - 1], spans[first])
           && isListGlue(text.substr(spans[first - 1].end, spans[first].begin - spans[first - 1].end)))
        --first;
    if (end)
        *end = spans[last - 1].end;
    std::string out;
    for (std::size_t k = first; k < last; ++k) {
        const std::string item = trimAnswer(spanValue(spans[k].content));
        if (item.empty())
            continue;
        if (!out.empty())
            out += ", ";
        out += item;
    }
    if (out.empty())
        return std::nullopt;
    return out;
}

std::optional<std::string> answerTag(std::string_view text)
{
    const std::size_t close = text.rfind("</answer>");
    if (close == std::string_view::npos)
        return std::nullopt;
    const std::size_t open = text.rfind("<answer>", close);
    if (open == std::string_view::npos)
        return std::nullopt;
    const std::string_view inner = text.substr(open + 8, close - open - 8);
    if (auto boxed = boxedAnswer(inner))
        return boxed;
    return trimAnswer(inner);
}

// The sentence starting at `pos`: stops at a newline or a period followed by space, outside math.
std::string_view sentenceAt(std::string_view text, std::size_t pos)
{
    bool inDollar = false;
    int braces = 0;
    int display = 0;
    std::size_t i = pos;
    for (; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '\\' && i + 1 < text.size()) {
            const char n = text[i + 1];
            if (n == '[' || n == '(')
                ++display;
            else if ((n == ']' || n == ')') && display > 0)
                --display;
            ++i;
            continue;
        }
        if (c == '$') {
            if (i + 1 < text.size() && text[i + 1] == '$')
                ++i;  // "$$" opens or closes display maths as one delimiter
            inDollar = !inDollar;
        } else if (c == '{')
            ++braces;
        else if (c == '}' && braces > 0)
            --braces;
        const bool inMath = inDollar || braces > 0 || display > 0;
        if (inMath)
            continue;
        if (c == '\n')
            break;
        if (c == '.' && (i + 1 == text.size() || isSpace(text[i + 1])))
            break;
        if (text.compare(i, 3, "\xE3\x80\x82") == 0)  // ideographic full stop
            break;
    }
    return text.substr(pos, i - pos);
}

// The answer in a marker's sentence: the last maths span when the sentence mixes words with maths
// ("The area is $12$ square units"), the last number of a sentence of prose ("Peter gets $11.25 back"),
// else the sentence. `weak` when the sentence has neither maths nor a digit and is prose ("Answer: Let's
// work it out step by step") or lower-case words only ("so our answer is correct"; not yes/no/true/
// false/none): perhaps no answer at all, so the last maths span or number of the response wins over it.
std::string sentenceAnswer(std::string_view sentence, bool& weak)
{
    const std::optional<MathSpan> span = lastMathSpan(sentence);
    const std::size_t words = wordsOutsideMath(sentence);
    const std::string lower = normalizeWords(sentence);
    const bool verdictWord = lower == "yes" || lower == "no" || lower == "true" || lower == "false" || lower == "none";
    const bool digits = std::any_of(sentence.begin(), sentence.end(), [](char c) { return isDigit(c); });
    const bool lowerWordsOnly = std::none_of(sentence.begin(), sentence.end(), [](char c) {
        return (c >= 'A' && c <= 'Z') || c == '(' || c == '\\';
    });
    weak = !span && !digits && (words >= 3 || (lowerWordsOnly && !verdictWord));
    if (span && words >= 1) {
        if (auto answer = lastSpanAnswer(sentence))
            return *answer;
        if (auto number = lastNumber(sentence))
            return *number;
    }
    if (words >= 3)
        if (auto number = lastNumber(sentence))
            return *number;
    if (span)
        return trimAnswer(spanValue(trimAnswer(sentence)));  // "$x = 2 + 3 = 5$" -> "5"
    return trimAnswer(sentence);
}

struct MarkerAnswer {
    std::string answer;
    std::size_t end = 0;  // end of the sentence it came from
    bool weak = false;
};

// Phrases after which the answer follows (matched lower-cased; the last one in the text wins).
constexpr std::string_view kMarkers[] = {"final answer", "the answer is", "answer is", "answer:", "answer =",
                                         "correct option is", "correct choice is",
                                         "\xE7\xAD\x94\xE6\xA1\x88\xE6\x98\xAF",        // 答案是
                                         "\xE7\xAD\x94\xE6\xA1\x88\xE4\xB8\xBA",        // 答案为
                                         "\xE7\xAD\x94\xE6\xA1\x88\xEF\xBC\x9A",        // 答案：
                                         "\xE6\x95\x85\xE9\x80\x89",                    // 故选 ("therefore choose")
                                         "\xE5\xBA\x94\xE9\x80\x89"};                   // 应选 ("should choose")

// Length of a leading "Therefore," / "Thus" / "Hence" / "So" / "Finally," (with the spaces and the
// comma or colon after it) before a bare answer, or 0.
std::size_t leadInLength(std::string_view text)
{
    if (text.empty() || !isAlpha(text[0]))
        return 0;
    auto startsWith = [&](std::string_view word) {
        for (std::size_t k = 0; k < word.size(); ++k)
            if ((text[k] | 0x20) != word[k])
                return false;
        return true;
    };
    for (std::string_view word : {"therefore", "thus", "hence", "so", "finally", "consequently"}) {
        if (text.size() <= word.size() || !startsWith(word) || isAlpha(text[word.size()]))
            continue;
        std::size_t i = word.size();
        while (i < text.size() && (isSpace(text[i]) || text[i] == ',' || text[i] == ':'))
            ++i;
        return i < text.size() ? i : 0;
    }
    return 0;
}

// Whether `text` may hold a marker: every marker holds "answer" or "correct" (in any case) or is CJK.
// One pass, without allocating.
bool mayHoldMarker(std::string_view text)
{
    auto wordAt = [&](std::size_t i, std::string_view word) {
        if (text.size() - i < word.size())
            return false;
        for (std::size_t k = 0; k < word.size(); ++k)
            if ((text[i + k] | 0x20) != word[k])
                return false;
        return true;
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if ((c & 0x80) != 0)
            return true;
        if (((c | 0x20) == 'a' && wordAt(i, "answer")) || ((c | 0x20) == 'c' && wordAt(i, "correct")))
            return true;
    }
    return false;
}

std::optional<MarkerAnswer> markerAnswer(std::string_view text)
{
    const std::string lower = toLower(text);
    std::size_t best = std::string::npos;
    std::size_t bestEnd = 0;
    static const std::array<bool, 256> kStarts = [] {  // the first bytes of the markers
        std::array<bool, 256> starts{};
        for (std::string_view marker : kMarkers)
            starts[static_cast<unsigned char>(marker[0])] = true;
        return starts;
    }();
    for (std::size_t p = lower.size(); p-- > 0 && best == std::string::npos;) {  // one backward pass
        if (!kStarts[static_cast<unsigned char>(lower[p])])
            continue;
        for (std::string_view marker : kMarkers) {
            if (lower[p] == marker[0] && lower.compare(p, marker.size(), marker) == 0) {
                best = p;
                bestEnd = p + marker.size();
                break;
            }
        }
    }
    if (best == std::string::npos)
        return std::nullopt;
    // Groups the marker's line opened before it and did not close ("\text{The answer is } 42"): their
    // closing braces after the marker are glue too.
    const std::size_t lineEnd = text.rfind('\n', best);
    const std::size_t lineStart = lineEnd == std::string_view::npos ? 0 : lineEnd + 1;
    int openGroups = 0;
    for (std::size_t k = lineStart; k < best; ++k) {
        if (text[k] == '\\')
            ++k;
        else if (text[k] == '{')
            ++openGroups;
        else if (text[k] == '}' && openGroups > 0)
            --openGroups;
    }
    std::size_t i = bestEnd;
    auto skipGlue = [&] {
        for (bool moved = true; moved;) {
            moved = false;
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '*' || text[i] == ':'
                                       || text[i] == '#' || text[i] == '=' || (text[i] == '}' && openGroups > 0))) {
                if (text[i] == '}')
                    --openGroups;
                ++i;
                moved = true;
            }
            if (lower.compare(i, 3, "is ") == 0 || lower.compare(i, 3, "is:") == 0) {
                i += 2;
                moved = true;
            }
            if (text.compare(i, 3, "\xEF\xBC\x9A") == 0) {  // a full-width colon "："
                i += 3;
                moved = true;
            }
        }
    };
    skipGlue();
    while (i < text.size()) {  // marker ends its line: the answer is on the next non-empty line
        const std::size_t eol = text.find('\n', i);
        const std::string_view line = text.substr(i, eol == std::string_view::npos ? text.npos : eol - i);
        if (!trim(line).empty())
            break;
        if (eol == std::string_view::npos)
            return std::nullopt;
        i = eol + 1;
        skipGlue();
    }
    const std::string_view sentence = sentenceAt(text, i);
    MarkerAnswer found;
    found.answer = sentenceAnswer(sentence, found.weak);
    found.end = i + sentence.size();
    if (found.answer.empty())
        return std::nullopt;
    return found;
}

std::optional<std::string> gsm8kAnswer(std::string_view text)
{
    const std::size_t p = text.rfind("####");
    if (p == std::string_view::npos)
        return std::nullopt;
    const std::size_t start = p + 4;
    const std::size_t eol = text.find('\n', start);
    std::string answer = trimAnswer(text.substr(start, eol == std::string_view::npos ? text.npos : eol - start));
    if (answer.empty())
        return std::nullopt;
    return answer;
}

bool stripPair(std::string_view& s, std::string_view open, std::string_view close)
{
    if (s.size() >= open.size() + close.size() && s.substr(0, open.size()) == open
        && s.substr(s.size() - close.size()) == close) {
        s = trim(s.substr(open.size(), s.size() - open.size() - close.size()));
        return true;
    }
    return false;
}

// The part of a response that holds its answer: after the thinking (<think>...</think>, or Marco-o1's
// <Thought>...</Thought>), inside its last <Output>...</Output>. nullopt when it was cut off while thinking.
std::optional<std::string_view> answerRegion(std::string_view response)
{
    std::string_view region = response;
    for (std::string_view open : {"<think>", "<Thought>"}) {
        const std::string close = std::string("</") + std::string(open.substr(1));
        const std::size_t end = response.rfind(close);
        if (end != std::string_view::npos)
            region = response.substr(end + close.size());
        else if (response.find(open) != std::string_view::npos)
            return std::nullopt;
        if (end != std::string_view::npos)
            break;
    }
    if (const std::size_t out = region.rfind("<Output>"); out != std::string_view::npos) {
        region = region.substr(out + 8);
        region = region.substr(0, region.find("</Output>"));
    }
    return region;
}

}  // namespace

std::string trimAnswer(std::string_view answer)
{
    std::string_view s = trim(answer);
    for (bool changed = true; changed && !s.empty();) {
        changed = false;
        while (!s.empty() && (s.back() == '.' || s.back() == ',' || s.back() == ';' || s.back() == '?')) {
            s.remove_suffix(1);
            s = trim(s);
            changed = true;
        }
        if (s.size() >= 3 && s.substr(s.size() - 3) == "\xE3\x80\x82") {  // ideographic full stop
            s = trim(s.substr(0, s.size() - 3));
            changed = true;
        }
        changed = stripPair(s, "**", "**") || changed;
        if (s.size() >= 2 && s.substr(s.size() - 2) == "**" && s.find("**") == s.size() - 2) {  // "(C)**"
            s = trim(s.substr(0, s.size() - 2));
            changed = true;
        }
        if (s.size() >= 2 && s.substr(0, 2) == "**" && s.find("**", 2) == std::string_view::npos) {
            s = trim(s.substr(2));
            changed = true;
        }
        changed = stripPair(s, "$$", "$$") || changed;
        changed = stripPair(s, "$", "$") || changed;
        changed = stripPair(s, "\\(", "\\)") || changed;
        changed = stripPair(s, "\\[", "\\]") || changed;
        if (s.size() >= 2 && s.front() == '$' && s.find('$', 1) == std::string_view::npos) {  // "$5" left over
            s = trim(s.substr(1));
            changed = true;
        }
        if (s.size() >= 2 && s.back() == '$' && s[s.size() - 2] != '\\' && s.find('$') == s.size() - 1) {  // "5$"
            s = trim(s.substr(0, s.size() - 1));
            changed = true;
        }
        if (s.size() >= 2 && s.back() == '\\' && s[s.size() - 2] != '\\') {  // "12\ " (a spacing command)
            s = trim(s.substr(0, s.size() - 1));
            changed = true;
        }
    }
    return std::string(s);
}

bool looksLikeResponse(std::string_view text)
{
    if (text.size() > 200 || text.find('\n') != std::string_view::npos || text.find("####") != std::string_view::npos)
        return true;
    const bool words = std::any_of(text.begin(), text.end(), [](char c) { return isAlpha(c) || (c & 0x80); });
    if (!words)
        return false;  // "12", "$-3.5$", "1/2": nothing but a bare answer
    if (leadInLength(trim(text)) > 0)
        return true;  // "Therefore, x = 5."
    if (text.find("\\boxed") != std::string_view::npos || text.find("\\fbox") != std::string_view::npos
        || text.find("</think>") != std::string_view::npos || text.find("<answer>") != std::string_view::npos
        || text.find("<Output>") != std::string_view::npos)
        return true;
    if (mayHoldMarker(text)) {
        const std::string lower = toLower(text);
        if (std::any_of(std::begin(kMarkers), std::end(kMarkers), [&](std::string_view m) { return lower.find(m) != std::string::npos; }))
            return true;
    }
    const std::size_t outside = wordsOutsideMath(text);
    return outside >= 3 || (outside >= 1 && lastMathSpan(text));  // prose, or words around maths: "So $x = 5$."
}

Extraction extractAnswer(std::string_view response)
{
    const std::optional<std::string_view> found = answerRegion(response);
    if (!found)
        return {};  // cut off while thinking
    const std::string_view region = *found;
    if (auto a = answerTag(region))
        return {*a, ExtractRule::AnswerTag};
    if (auto a = boxedAnswer(region))
        return {*a, ExtractRule::Boxed};
    const std::optional<MarkerAnswer> marker = markerAnswer(region);
    if (marker && !marker->weak)
        return {marker->answer, ExtractRule::Marker};
    if (auto a = gsm8kAnswer(region))
        return {*a, ExtractRule::Gsm8k};
    const std::string_view bare = trim(region);
    const bool brokenBox = bare.find("\\boxed") != std::string_view::npos || bare.find("\\fbox") != std::string_view::npos;
    if (brokenBox)
        return {};
    // A bare answer: one line that is not prose (long ones too: a 3x3 matrix of fractions), or a matrix
    // written over several lines with no word around it.
    const std::size_t words = wordsOutsideMath(bare);
    const bool oneLine = !bare.empty() && bare.find('\n') == std::string_view::npos && (bare.size() <= 200 || words < 3);
    const bool bareMatrix = words == 0 && bare.find("\\begin{") != std::string_view::npos && !lastMathSpan(bare);
    if ((oneLine && words < 3) || bareMatrix) {  // a bare answer, or words around maths ("So $x = 5$.")
        if (lastMathSpan(bare) && wordsOutsideMath(bare) >= 1) {
            if (auto answer = lastSpanAnswer(bare))
                return {std::move(*answer), ExtractRule::MathSpan};
            if (auto number = lastNumber(bare))
                return {std::move(*number), ExtractRule::LastNumber};
        }
        return {trimAnswer(bare.substr(leadInLength(bare))), ExtractRule::Bare};  // "Therefore, x = 5."
    }

    const std::string text = withoutNotes(region);
    if (hasUnclosedMath(text))
        return {};  // cut off inside maths, like a box that never closes
    std::size_t spanEnd = 0;
    std::size_t numberAt = 0;
    auto answer = lastSpanAnswer(text, &spanEnd);
    auto number = lastNumber(text, &numberAt);
    const std::size_t lastLine = trim(std::string_view(text)).empty() ? 0 : text.find_last_not_of(" \t\r\n");
    const bool numberOnLastLine = number && text.rfind('\n', lastLine) != std::string::npos
        && numberAt > text.rfind('\n', lastLine);
    if (answer && !(numberOnLastLine && numberAt > spanEnd && text.rfind('\n', lastLine) >= spanEnd))
        return {std::move(*answer), ExtractRule::MathSpan};  // unless a plain last line states a number
    if (number)
        return {*number, ExtractRule::LastNumber};
    if (marker)  // a weak answer phrase, with no maths or number to beat it
        return {marker->answer, ExtractRule::Marker};
    if (auto name = lastMathSpan(text))
        return {trimAnswer(name->content), ExtractRule::MathSpan};
    if (oneLine)
        return {trimAnswer(bare), ExtractRule::Bare};
    return {};
}

}  // namespace distill::verify
