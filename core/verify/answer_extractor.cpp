#include "core/verify/answer_extractor.h"

#include "core/verify/text_scan.h"
#include <algorithm>
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

// True when only list glue lies between two boxes: spaces, commas, '$', "and", "or", \quad.
bool isListGlue(std::string_view gap)
{
    std::string g = toLower(gap);
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
        if (c == '$')
            inDollar = !inDollar;
        else if (c == '{')
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
    }
    return text.substr(pos, i - pos);
}

// In a sentence that mixes words and maths ("The area is $12$ square units"), the last $...$ or
// \(...\) span; nullopt when the sentence is all maths or has no span.
std::optional<std::string_view> lastMathSpan(std::string_view sentence)
{
    std::optional<std::string_view> last;
    std::size_t outsideLetters = 0;
    for (std::size_t i = 0; i < sentence.size(); ++i) {
        const char c = sentence[i];
        std::size_t close = std::string_view::npos;
        std::size_t skip = 0;
        if (c == '$') {
            skip = (i + 1 < sentence.size() && sentence[i + 1] == '$') ? 2 : 1;
            close = sentence.find(skip == 2 ? "$$" : "$", i + skip);
        } else if (c == '\\' && i + 1 < sentence.size() && sentence[i + 1] == '(') {
            skip = 2;
            close = sentence.find("\\)", i + 2);
        } else if (c == '\\') {
            while (i + 1 < sentence.size() && std::isalpha(static_cast<unsigned char>(sentence[i + 1])))
                ++i;  // a command name is not a word
            continue;
        } else if (std::isalpha(static_cast<unsigned char>(c))) {
            ++outsideLetters;
        }
        if (skip == 0)
            continue;
        if (close == std::string_view::npos)
            break;
        last = sentence.substr(i + skip, close - i - skip);
        i = close + skip - 1;
    }
    if (!last || outsideLetters < 3)
        return std::nullopt;
    return last;
}

std::optional<std::string> markerAnswer(std::string_view text)
{
    const std::string lower = toLower(text);
    std::size_t best = std::string::npos;
    std::size_t bestEnd = 0;
    for (const char* marker : {"final answer", "the answer is", "answer is", "answer:"}) {
        const std::size_t p = lower.rfind(marker);
        if (p != std::string::npos && (best == std::string::npos || p > best)) {
            best = p;
            bestEnd = p + std::char_traits<char>::length(marker);
        }
    }
    if (best == std::string::npos)
        return std::nullopt;
    std::size_t i = bestEnd;
    auto skipGlue = [&] {
        for (bool moved = true; moved;) {
            moved = false;
            while (i < text.size() && (text[i] == ' ' || text[i] == '\t' || text[i] == '*' || text[i] == ':'
                                       || text[i] == '#')) {
                ++i;
                moved = true;
            }
            if (lower.compare(i, 3, "is ") == 0 || lower.compare(i, 3, "is:") == 0) {
                i += 2;
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
    std::string answer = trimAnswer(lastMathSpan(sentence).value_or(sentence));
    if (answer.empty())
        return std::nullopt;
    return answer;
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
    }
    return std::string(s);
}

bool looksLikeResponse(std::string_view text)
{
    if (text.find('\n') != std::string_view::npos || text.find("\\boxed") != std::string_view::npos
        || text.find("\\fbox") != std::string_view::npos || text.find("</think>") != std::string_view::npos
        || text.find("<answer>") != std::string_view::npos || text.find("####") != std::string_view::npos)
        return true;
    const std::string lower = toLower(text);
    return lower.find("answer is") != std::string::npos || lower.find("final answer") != std::string::npos
        || lower.find("answer:") != std::string::npos || text.size() > 200;
}

Extraction extractAnswer(std::string_view response)
{
    std::string_view region = response;
    const std::size_t thinkEnd = response.rfind("</think>");
    if (thinkEnd != std::string_view::npos)
        region = response.substr(thinkEnd + 8);
    else if (response.find("<think>") != std::string_view::npos)
        return {};  // cut off while thinking
    if (auto a = answerTag(region))
        return {*a, ExtractRule::AnswerTag};
    if (auto a = boxedAnswer(region))
        return {*a, ExtractRule::Boxed};
    if (auto a = markerAnswer(region))
        return {*a, ExtractRule::Marker};
    if (auto a = gsm8kAnswer(region))
        return {*a, ExtractRule::Gsm8k};
    const std::string_view bare = trim(region);
    const bool brokenBox = bare.find("\\boxed") != std::string_view::npos || bare.find("\\fbox") != std::string_view::npos;
    if (!bare.empty() && !brokenBox && bare.size() <= 200 && bare.find('\n') == std::string_view::npos)
        return {trimAnswer(bare), ExtractRule::Bare};
    return {};
}

}  // namespace distill::verify
