#include "core/verify/answer_fallback.h"

#include "core/verify/text_scan.h"

namespace distill::verify {

namespace {

using namespace text;

// Words of two or more letters (and CJK ideographs) outside braces and command names: in "\\text{...}"
// they are labels, in "\\begin{pmatrix}" and "\\frac{ab}{c}" they are maths.
std::size_t plainWords(std::string_view s)
{
    std::size_t words = 0;
    int braces = 0;
    for (std::size_t i = 0; i < s.size();) {
        const char c = s[i];
        if (c == '\\') {
            std::size_t j = i + 1;
            while (j < s.size() && isAlpha(s[j]))
                ++j;
            i = j > i + 1 ? j : i + 2;
            continue;
        }
        if (c == '{') {
            ++braces;
        } else if (c == '}') {
            braces = braces > 0 ? braces - 1 : 0;
        } else if (isAlpha(c)) {
            std::size_t j = i;
            while (j < s.size() && isAlpha(s[j]))
                ++j;
            words += (j - i >= 2 && braces == 0) ? 1 : 0;
            i = j;
            continue;
        } else if (static_cast<unsigned char>(c) >= 0xE4 && static_cast<unsigned char>(c) <= 0xE9 && i + 2 < s.size()) {
            words += braces == 0 ? 1 : 0;  // a CJK ideograph is a word of its own
            i += 3;
            continue;
        }
        ++i;
    }
    return words;
}

bool amountBefore(std::string_view text, std::size_t open)
{
    return (open > 0 && isDigit(text[open - 1])) || (open > 1 && text[open - 1] == ' ' && isDigit(text[open - 2]));
}

// A "$" before a number is a currency sign rather than maths when what it would enclose reads as prose
// ("$15 a box, then $20"), ends in a space ("$10 x 40 = $400") or runs into a number ("$6 + $8").
bool isCurrencySign(std::string_view text, std::size_t open, std::size_t close)
{
    if (amountBefore(text, open))
        return true;  // "20$", "20 $": a sign written after the amount
    const bool number = open + 1 < text.size()
        && (isDigit(text[open + 1]) || (text[open + 1] == '.' && open + 2 < text.size() && isDigit(text[open + 2])));
    if (!number)
        return false;
    const std::string_view content = text.substr(open + 1, close - open - 1);
    return plainWords(content) >= 2 || isSpace(content.back()) || (close + 1 < text.size() && isDigit(text[close + 1]));
}

bool isUnicodeMinus(std::string_view s, std::size_t end)
{
    return end >= 3 && s.substr(end - 3, 3) == "\xE2\x88\x92";
}

// Digits of a \frac argument "{12}" / "{-3}" at `pos`; returns the end or npos.
std::size_t integerGroup(std::string_view s, std::size_t pos, std::string& out)
{
    if (pos >= s.size() || s[pos] != '{')
        return std::string_view::npos;
    std::size_t j = pos + 1;
    if (j < s.size() && s[j] == '-')
        ++j;
    const std::size_t digits = j;
    while (j < s.size() && isDigit(s[j]))
        ++j;
    if (j == digits || j >= s.size() || s[j] != '}')
        return std::string_view::npos;
    out.append(s.substr(pos, j + 1 - pos));
    return j + 1;
}

// Calls onSpan(begin, content, end) for each closed maths span, left to right; stops at an unclosed one
// and returns its offset (npos when every span closed).
template <typename OnSpan>
std::size_t scanMathSpans(std::string_view text, OnSpan onSpan)
{
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        std::size_t skip = 0;
        std::size_t close = std::string_view::npos;
        if (c == '\\' && i + 1 < text.size()) {
            const char n = text[i + 1];
            if (n == '(' || n == '[') {
                skip = 2;
                close = text.find(n == '(' ? "\\)" : "\\]", i + 2);
            } else {
                std::size_t j = i + 1;
                while (j < text.size() && isAlpha(text[j]))
                    ++j;
                i = j > i + 1 ? j - 1 : i + 1;  // skips command names and "\$", which is no delimiter
                continue;
            }
        } else if (c == '$') {
            if (i + 1 < text.size() && text[i + 1] == '$') {
                skip = 2;
                close = text.find("$$", i + 2);
            } else {
                skip = 1;
                close = i + 1;
                while (close < text.size() && (text[close] != '$' || text[close - 1] == '\\'))
                    ++close;
                if (close == text.size())
                    close = std::string_view::npos;
                const bool blankLine = close != std::string_view::npos
                    && text.substr(i, close - i).find("\n\n") != std::string_view::npos;
                if (close != std::string_view::npos && (blankLine || isCurrencySign(text, i, close)))
                    continue;  // a stray or currency "$": the next "$" may open a span
            }
        }
        if (skip == 0)
            continue;
        if (close == std::string_view::npos)
            return i;
        onSpan(i, text.substr(i + skip, close - i - skip), close + skip);
        i = close + skip - 1;
    }
    return std::string_view::npos;
}

// Length of a thousands separator at `pos` followed by exactly three digits: ",", " ", "{,}", "\,".
std::size_t groupSeparator(std::string_view t, std::size_t pos)
{
    std::size_t len = 0;
    if (t.compare(pos, 3, "{,}") == 0)
        len = 3;
    else if (t.compare(pos, 2, "\\,") == 0)
        len = 2;
    else if (pos < t.size() && (t[pos] == ',' || t[pos] == ' '))
        len = 1;
    const std::size_t d = pos + len;
    if (len == 0 || d + 3 > t.size() || !isDigit(t[d]) || !isDigit(t[d + 1]) || !isDigit(t[d + 2])
        || (d + 3 < t.size() && isDigit(t[d + 3])))
        return 0;
    return len;
}

// Length of a time of day "7:30", "7:30 pm", "7:30 a.m." starting at `begin` (digits end at `hours`),
// or 0.
std::size_t timeLength(std::string_view t, std::size_t begin, std::size_t hours)
{
    if (hours - begin > 2 || hours + 3 > t.size() || t[hours] != ':' || !isDigit(t[hours + 1]) || !isDigit(t[hours + 2])
        || (hours + 3 < t.size() && isDigit(t[hours + 3])))
        return 0;
    std::size_t j = hours + 3;
    std::size_t k = j;
    while (k < t.size() && t[k] == ' ')
        ++k;
    for (std::string_view suffix : {"a.m.", "p.m.", "am", "pm", "AM", "PM", "A.M.", "P.M."}) {
        if (t.compare(k, suffix.size(), suffix) == 0 && (k + suffix.size() == t.size() || !isAlpha(t[k + suffix.size()]))) {
            j = k + suffix.size();
            break;
        }
    }
    return j - begin;
}

}  // namespace

std::vector<MathSpan> mathSpans(std::string_view text)
{
    std::vector<MathSpan> spans;
    scanMathSpans(text, [&](std::size_t begin, std::string_view content, std::size_t end) {
        spans.push_back({begin, content, end});
    });
    return spans;
}

bool hasUnclosedMath(std::string_view text)
{
    std::size_t open = scanMathSpans(text, [](std::size_t, std::string_view, std::size_t) {});
    if (open == std::string_view::npos)
        return false;
    if (text[open] != '$')
        return true;
    if (text.compare(open, 2, "$$") == 0)
        ++open;  // "$$43.00": a doubled currency sign
    const bool amountAfter = open + 1 < text.size()
        && (isDigit(text[open + 1]) || (text[open + 1] == '.' && open + 2 < text.size() && isDigit(text[open + 2])));
    return !amountAfter && !amountBefore(text, open);
}

std::optional<MathSpan> lastMathSpan(std::string_view text)
{
    std::optional<MathSpan> last;
    scanMathSpans(text, [&](std::size_t begin, std::string_view content, std::size_t end) {
        last = MathSpan{begin, content, end};
    });
    return last;
}

std::string withoutCalculatorNotes(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (std::size_t p; (p = text.find("<<", from)) != std::string_view::npos;) {
        const std::size_t e = text.find(">>", p + 2);
        if (e == std::string_view::npos)
            break;
        out.append(text.substr(from, p - from));
        from = e + 2;
    }
    out.append(text.substr(from));
    return out;
}

std::optional<std::string> lastNumber(std::string_view t)
{
    std::optional<std::string> last;
    std::size_t i = 0;
    while (i < t.size()) {
        const char c = t[i];
        if (c == '\\') {
            std::size_t j = i + 1;
            while (j < t.size() && isAlpha(t[j]))
                ++j;
            const std::string_view name = t.substr(i + 1, j - i - 1);
            if (name == "frac" || name == "dfrac" || name == "tfrac") {
                std::string frac = "\\frac";
                const std::size_t mid = integerGroup(t, j, frac);
                const std::size_t end = mid == std::string_view::npos ? mid : integerGroup(t, mid, frac);
                if (end != std::string_view::npos) {
                    const bool negative = (i >= 1 && t[i - 1] == '-') || isUnicodeMinus(t, i);
                    last = (negative ? "-" : "") + frac;
                    i = end;
                    continue;
                }
            }
            i = j > i + 1 ? j : i + 2;
            continue;
        }
        const bool startsNumber = isDigit(c) || (c == '.' && i + 1 < t.size() && isDigit(t[i + 1]));
        if (!startsNumber) {
            ++i;
            continue;
        }
        const char prev = i > 0 ? t[i - 1] : ' ';
        const bool inName = isAlpha(prev) || prev == '_' || prev == '^'
            || (prev == '{' && i >= 2 && (t[i - 2] == '^' || t[i - 2] == '_'));
        std::size_t j = i;
        while (j < t.size() && isDigit(t[j]))
            ++j;
        if (j > i && j - i <= 3) {  // thousands groups, all with one separator: "1,000", "118 000", "14{,}916"
            const std::size_t sep = groupSeparator(t, j);
            const char kind = sep > 0 ? t[j] : '\0';
            while (sep > 0 && groupSeparator(t, j) == sep && t[j] == kind)
                j += sep + 3;
        }
        const std::size_t clock = timeLength(t, i, j);
        if (clock > 0) {
            j = i + clock;
        } else if (j + 1 < t.size() && t[j] == '.' && isDigit(t[j + 1])) {
            ++j;
            while (j < t.size() && isDigit(t[j]))
                ++j;
        } else if (j + 1 < t.size() && t[j] == '/' && isDigit(t[j + 1])) {
            ++j;
            while (j < t.size() && isDigit(t[j]))
                ++j;
        }
        if (!inName) {
            const char before = i >= 2 ? t[i - 2] : ' ';
            const bool negative = (prev == '-' && !(isAlpha(before) || isDigit(before) || before == ')' || before == '}'))
                || isUnicodeMinus(t, i);
            std::string number = std::string(negative ? "-" : "") + std::string(t.substr(i, j - i));
            if (j < t.size() && t[j] == '%')
                number += "\\%";
            else if (t.compare(j, 2, "\\%") == 0)
                number += "\\%";
            last = std::move(number);
        }
        i = j;
    }
    return last;
}

std::size_t wordsOutsideMath(std::string_view text)
{
    std::size_t words = 0;
    std::size_t from = 0;
    scanMathSpans(text, [&](std::size_t begin, std::string_view, std::size_t end) {
        words += plainWords(text.substr(from, begin - from));
        from = end;
    });
    return words + plainWords(text.substr(from));
}

}  // namespace distill::verify
