#include "core/verify/answer_fallback.h"

#include "core/verify/text_scan.h"

#include <algorithm>

namespace distill::verify {

namespace {

using namespace text;

// Words of two or more letters, one of them lower-case, (and CJK ideographs) outside braces and command
// names: in "\text{...}" they are labels, in "\begin{pmatrix}" and "\frac{ab}{c}" maths, "ABC" a name.
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
            bool lower = false;
            for (; j < s.size() && isAlpha(s[j]); ++j)
                lower = lower || (s[j] >= 'a' && s[j] <= 'z');
            words += (j - i >= 2 && lower && braces == 0) ? 1 : 0;  // "ABC" names points, it is no word
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

// "20$", or "20 $" before a space or punctuation ("20 $ to Jack", not "50 $\emph{do}$").
bool amountBefore(std::string_view text, std::size_t open)
{
    if (open > 0 && isDigit(text[open - 1]))
        return true;
    const bool nothingAfter = open + 1 >= text.size() || isSpace(text[open + 1]) || text[open + 1] == '.'
        || text[open + 1] == ',';
    return open > 1 && text[open - 1] == ' ' && isDigit(text[open - 2]) && nothingAfter;
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
    return plainWords(content) >= 2 || (!content.empty() && isSpace(content.back()))
        || (close + 1 < text.size() && isDigit(text[close + 1]));
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

// Length of "\begin{align*}" (and the other display environments) at `pos`, or 0.
std::size_t displayEnvironment(std::string_view text, std::size_t pos)
{
    if (text.compare(pos, 7, "\\begin{") != 0)
        return 0;
    const std::size_t close = text.find('}', pos + 7);
    if (close == std::string_view::npos)
        return 0;
    const std::string_view env = text.substr(pos + 7, close - pos - 7);
    for (std::string_view d : {"align", "align*", "equation", "equation*", "eqnarray", "eqnarray*", "gather", "gather*",
                               "multline", "multline*", "displaymath"})
        if (env == d)
            return close + 1 - pos;
    return 0;
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
            const std::size_t env = displayEnvironment(text, i);
            if (n == '(' || n == '[') {
                skip = 2;
                close = text.find(n == '(' ? "\\)" : "\\]", i + 2);
            } else if (env > 0) {  // \begin{align*} ... \end{align*}
                const std::string end = "\\end{" + std::string(text.substr(i + 7, env - 8)) + "}";
                close = text.find(end, i + env);
                if (close == std::string_view::npos)
                    return i;
                onSpan(i, text.substr(i + env, close - i - env), close + end.size());
                i = close + end.size() - 1;
                continue;
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

std::string withoutNotes(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    std::size_t from = 0;
    for (;;) {
        const std::size_t note = text.find("<<", from);
        const std::size_t asy = text.find("[asy]", from);
        const std::size_t p = std::min(note, asy);
        if (p == std::string_view::npos)
            break;
        const std::string_view close = p == note ? ">>" : "[/asy]";
        const std::size_t e = text.find(close, p + 2);
        if (e == std::string_view::npos)
            break;
        out.append(text.substr(from, p - from));
        from = e + close.size();
    }
    out.append(text.substr(from));
    return out;
}

namespace {

// Splits at top-level occurrences of `sep` ("\\" between rows, "&" between cells), outside braces
// and environments.
std::vector<std::string_view> topLevelParts(std::string_view s, std::string_view sep)
{
    std::vector<std::string_view> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s.compare(i, 7, "\\begin{") == 0) {
            ++depth;
        } else if (s.compare(i, 5, "\\end{") == 0) {
            --depth;
        } else if (depth == 0 && s.compare(i, sep.size(), sep) == 0) {
            parts.push_back(s.substr(start, i - start));
            start = i + sep.size();
            i = start - 1;
            continue;
        }
        if (s[i] == '\\') {
            ++i;
            continue;
        }
        depth += s[i] == '{' ? 1 : s[i] == '}' ? -1 : 0;
    }
    parts.push_back(s.substr(start));
    return parts;
}

// Offsets of the top-level "=" signs (not "<=", ">=", "!=", "==").
std::vector<std::size_t> equalSigns(std::string_view s)
{
    std::vector<std::size_t> at;
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        depth += (c == '{' || c == '(' || c == '[') ? 1 : (c == '}' || c == ')' || c == ']') ? -1 : 0;
        const bool factorial = i > 1 && s[i - 1] == '!' && (isDigit(s[i - 2]) || s[i - 2] == ')');  // "5!=120"
        const bool part = (i > 0 && std::string_view("<>!=").find(s[i - 1]) != std::string_view::npos && !factorial)
            || (i + 1 < s.size() && s[i + 1] == '=');
        if (c == '=' && depth == 0 && !part)
            at.push_back(i);
    }
    return at;
}

// Offsets of the top-level "\equiv" signs.
std::vector<std::size_t> equivalences(std::string_view s)
{
    std::vector<std::size_t> at;
    const auto parts = topLevelParts(s, "\\equiv");
    std::size_t offset = 0;
    for (std::size_t k = 0; k + 1 < parts.size(); ++k) {
        offset += parts[k].size();
        at.push_back(offset);
        offset += 6;
    }
    return at;
}

}  // namespace

std::string spanValue(std::string_view content)
{
    std::string_view s = trim(content);
    for (std::string_view env : {"aligned", "align*", "align", "gathered", "split", "array}{rcl", "array}{rl"}) {
        const std::string open = "\\begin{" + std::string(env) + "}";
        if (s.substr(0, open.size()) == open) {
            const std::size_t end = s.rfind("\\end{");
            s = trim(s.substr(open.size(), (end == std::string_view::npos || end < open.size() ? s.size() : end) - open.size()));
            break;
        }
    }
    const auto rows = topLevelParts(s, "\\\\");
    std::string_view row;
    for (auto it = rows.rbegin(); it != rows.rend() && trim(row).empty(); ++it)
        row = *it;
    for (std::string_view arrow : {"\\Rightarrow", "\\implies", "\\Longrightarrow", "\\therefore"})
        if (const auto parts = topLevelParts(row, arrow); parts.size() > 1)
            row = parts.back();  // "\Rightarrow x = 3": what is concluded
    std::string value;
    for (std::string_view cell : topLevelParts(trim(row), "&"))
        value.append(cell);
    for (std::string_view mod : {"\\pmod", "\\bmod", "\\mod"})
        if (const std::size_t at = value.find(mod); at != std::string::npos && !equivalences(value).empty())
            value.erase(at);  // "\equiv 3 \pmod{7}": the residue
    if (const auto equiv = equivalences(value); !equiv.empty())
        value = value.substr(equiv.back() + 6);
    const std::vector<std::size_t> signs = equalSigns(value);
    if (signs.size() >= 2 || (!signs.empty() && trim(std::string_view(value).substr(0, signs.front())).empty()))
        value = value.substr(signs.back() + 1);  // "x = 2 + 3 = 5" -> "5"; "&= p - q" -> "p - q"
    return std::string(trim(value));
}

std::size_t equalSignCount(std::string_view content) { return equalSigns(content).size(); }

bool namesOneValue(std::string_view content)
{
    const std::vector<std::size_t> signs = equalSigns(content);
    if (signs.size() != 1)
        return false;
    const std::string_view left = trim(content.substr(0, signs.front()));
    return !left.empty() && std::all_of(left.begin(), left.end(), [](char c) {
        return isAlpha(c) || isDigit(c) || c == '_' || c == '{' || c == '}' || c == '\\' || c == ' ' || c == '(' || c == ')'
            || c == ',' || c == '\'';
    });
}

std::optional<std::string> lastNumber(std::string_view t, std::size_t* at)
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
                    if (at)
                        *at = i;
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
            if (at)
                *at = i;
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
