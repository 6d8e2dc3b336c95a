#include "core/verify/latex_cleaner.h"

#include "core/verify/answer_extractor.h"
#include "core/verify/answer_rewrites.h"
#include "core/verify/text_scan.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace distill::verify {

namespace {

using namespace text;

// Unit words dropped when they trail a quantity ("5 cm", "12 square units").
bool isUnitWord(std::string_view w)
{
    static constexpr std::array<std::string_view, 62> kUnits = {
        "cm", "mm", "km", "m", "meter", "meters", "metre", "metres", "inch", "inches", "in", "ft", "foot",
        "feet", "yard", "yards", "yd", "mile", "miles", "unit", "units", "square", "sq", "cubic", "cent",
        "cents", "dollar", "dollars", "hour", "hours", "hr", "hrs", "minute", "minutes", "min", "mins",
        "second", "seconds", "sec", "s", "day", "days", "week", "weeks", "year", "years", "mph", "kg",
        "pounds", "lbs", "liters", "ml", "h", "g", "l", "lb", "oz", "gram", "grams", "liter", "litre", "litres"};
    const std::string l = toLower(w);
    return std::find(kUnits.begin(), kUnits.end(), l) != kUnits.end();
}

// Words that are maths when written without a backslash ("sin x", "sqrt 2").
bool isMathWord(std::string_view w)
{
    static constexpr std::array<std::string_view, 17> kWords = {
        "sin", "cos", "tan", "cot", "sec", "csc", "log", "exp", "sqrt", "arcsin", "arccos", "arctan",
        "sinh", "cosh", "tanh", "ln", "pi"};
    const std::string l = toLower(w);
    return std::find(kWords.begin(), kWords.end(), l) != kWords.end();
}

// "12", "1.5": a bare number (a one-letter word after it is a unit: "12 m^2").
bool isPlainNumber(std::string_view s)
{
    return !s.empty() && isDigit(s.back())
        && std::all_of(s.begin(), s.end(), [](char c) { return isDigit(c) || c == '.' || c == ','; });
}

// "10 000", "-1 234 567.5": a number grouped by spaces (from "10\,000" or "10~000").
bool isSpaceGrouped(std::string_view t)
{
    std::size_t i = (!t.empty() && (t[0] == '-' || t[0] == '+')) ? 1 : 0;
    const std::size_t start = i;
    while (i < t.size() && isDigit(t[i]))
        ++i;
    if (i == start || i - start > 3)
        return false;
    std::size_t groups = 0;
    while (i + 4 <= t.size() && t[i] == ' ' && isDigit(t[i + 1]) && isDigit(t[i + 2]) && isDigit(t[i + 3])) {
        i += 4;
        ++groups;
    }
    if (groups == 0 || (i < t.size() && isDigit(t[i])))
        return false;
    if (i < t.size() && t[i] == '.') {
        ++i;
        while (i < t.size() && isDigit(t[i]))
            ++i;
    }
    return i == t.size();
}

bool isDegreeWord(std::string_view w)
{
    const std::string l = toLower(trim(w));
    return l == "degrees" || l == "degree" || l == "deg";
}

bool isUnitText(std::string_view t)
{
    if (t.empty())
        return false;
    return std::all_of(t.begin(), t.end(), [](char c) {
        return isAlpha(c) || isSpace(c) || c == '.' || c == '/' || c == '^' || isDigit(c) || c == '-';
    }) && std::any_of(t.begin(), t.end(), isAlpha);
}

// Length of a trailing exponent like "^2", "^{2}" at `pos`, or 0.
std::size_t unitExponentLength(std::string_view s, std::size_t pos)
{
    if (pos < s.size() && s[pos] == '^') {
        if (pos + 1 < s.size() && isDigit(s[pos + 1]))
            return 2;
        if (pos + 3 < s.size() && s[pos + 1] == '{' && isDigit(s[pos + 2]) && s[pos + 3] == '}')
            return 4;
    }
    return 0;
}

struct Unicode {
    std::string_view from;
    std::string_view to;
};
constexpr std::array<Unicode, 39> kUnicode = {{{"\xE2\x88\x88", "\\in "},
                                               {"\xC2\xBD", "\\frac{1}{2}"},
                                               {"\xC2\xBC", "\\frac{1}{4}"},
                                               {"\xC2\xBE", "\\frac{3}{4}"},
                                               {"\xE2\x85\x93", "\\frac{1}{3}"},
                                               {"\xE2\x85\x94", "\\frac{2}{3}"},
                                               {"\xE2\x89\x88", "\\approx "},
                                               {"\xE2\xA9\xBD", "\\le "},  // slanted <=
                                               {"\xE2\xA9\xBE", "\\ge "},  // slanted >=
                                               {"\xE2\x89\xA6", "\\le "},  // <= over equals
                                               {"\xE2\x89\xA7", "\\ge "},  // >= over equals
                                               {"&lt;", "<"},
                                               {"&gt;", ">"},
                                               {"&le;", "\\le "},
                                               {"&ge;", "\\ge "},
                                               {"\xC2\xB2", "^2 "},
                                               {"\xC2\xB3", "^3 "},
                                               {"\xE2\x82\xAC", ""},       // euro sign
                                               {"\xC2\xA3", ""},            // pound sign
                                               {"\xC2\xA5", ""},            // yen sign
                                               {"\xE2\x82\xB9", ""},       // rupee sign
                                               {"\xC3\xB7", "\\div "},
                                               {"\xE2\x8B\x85", "\\cdot "},
                                               {"\xE2\x88\x85", "\\emptyset "},
                                               {"\xE2\x88\xA9", "\\cap "},
                                               {"\xE2\x88\x93", "\\mp "},
                                               {"\xEF\xBC\x8C", ","},       // fullwidth comma
                                               {"\xC2\xB0", "^\\circ "},
                                               {"\xE2\x88\x92", "-"},
                                               {"\xC3\x97", "\\times "},
                                               {"\xC2\xB7", "\\cdot "},
                                               {"\xCF\x80", "\\pi "},
                                               {"\xE2\x88\x9E", "\\infty "},
                                               {"\xE2\x89\xA4", "\\le "},
                                               {"\xE2\x89\xA5", "\\ge "},
                                               {"\xE2\x89\xA0", "\\ne "},
                                               {"\xE2\x88\x9A", "\\sqrt "},
                                               {"\xC2\xB1", "\\pm "},
                                               {"\xE2\x88\xAA", "\\cup "}}};

void replaceAll(std::string& s, std::string_view from, std::string_view to)
{
    if (s.find(from) == std::string::npos)
        return;
    std::string out;
    std::size_t start = 0;
    for (std::size_t p; (p = s.find(from, start)) != std::string::npos; start = p + from.size()) {
        out.append(s, start, p - start);
        out.append(to);
    }
    out.append(s, start);
    s = std::move(out);
}

// s without the spacing around it: white space, '~', and the spacing commands \, \; \: \! \  \quad
// \qquad ("\mathrm{~m}", "\text{\,cm}").
std::string_view trimSpacing(std::string_view s)
{
    for (bool moved = true; moved;) {
        moved = false;
        s = trim(s);
        while (!s.empty() && s.front() == '~') {
            s.remove_prefix(1);
            moved = true;
        }
        while (!s.empty() && s.back() == '~') {
            s.remove_suffix(1);
            moved = true;
        }
        for (std::string_view command : {"\\qquad", "\\quad", "\\,", "\\;", "\\:", "\\!", "\\ "}) {
            if (s.substr(0, command.size()) == command) {
                s.remove_prefix(command.size());
                moved = true;
            }
            if (s.size() >= command.size() && s.substr(s.size() - command.size()) == command) {
                s.remove_suffix(command.size());
                moved = true;
            }
        }
    }
    return s;
}

// The text written so far ends in an exact constant: the part after its last '=' has no letters but
// command names, e and i ("x = 2\sqrt{3}", "\frac{\pi}{6}"; not "x", not "2.5").
bool exactValueBefore(std::string_view out)
{
    std::string_view value = out;
    if (const std::size_t eq = value.rfind('='); eq != std::string_view::npos)
        value = value.substr(eq + 1);
    value = trim(value);
    if (value.empty())
        return false;
    bool decimal = false;
    for (std::size_t k = 0; k < value.size(); ++k) {
        if (value[k] == '\\') {
            while (k + 1 < value.size() && isAlpha(value[k + 1]))
                ++k;
        } else if (isAlpha(value[k]) && value[k] != 'e' && value[k] != 'i') {
            return false;
        } else if (value[k] == '.') {
            decimal = true;
        }
    }
    return !decimal;
}

// Where the list element that contains position `from` ends: the next ',' outside brackets, or the end.
std::size_t endOfElement(std::string_view s, std::size_t from)
{
    int depth = 0;
    for (std::size_t k = from; k < s.size(); ++k) {
        const char c = s[k];
        if (c == '\\')
            ++k;
        else if (c == '{' || c == '(' || c == '[')
            ++depth;
        else if ((c == '}' || c == ')' || c == ']') && --depth < 0)
            return k;
        else if (c == ',' && depth == 0)
            return k;
    }
    return s.size();
}

bool isWrapper(std::string_view name)
{
    return name == "text" || name == "textbf" || name == "textit" || name == "textrm" || name == "mathrm"
        || name == "mathbf" || name == "mbox" || name == "mathit" || name == "operatorname" || name == "textsf"
        || name == "mathsf" || name == "emph" || name == "textnormal" || name == "hbox" || name == "vec"
        || name == "overrightarrow" || name == "boldsymbol" || name == "bm" || name == "pmb";
}

std::string_view commandReplacement(std::string_view name, bool& known)
{
    known = true;
    if (name == "left" || name == "right" || name == "bigl" || name == "bigr" || name == "Bigl" || name == "Bigr"
        || name == "big" || name == "Big" || name == "displaystyle" || name == "textstyle" || name == "limits"
        || name == "$")
        return "";
    if (name == "textdollar" || name == "textsterling" || name == "texteuro" || name == "euro")
        return "";  // currency signs, as "\$" is
    if (name == "dfrac" || name == "tfrac" || name == "cfrac")
        return "\\frac";
    if (name == "dbinom" || name == "tbinom")
        return "\\binom";
    if (name == "leq" || name == "leqslant")
        return "\\le";
    if (name == "geq" || name == "geqslant")
        return "\\ge";
    if (name == "neq")
        return "\\ne";
    if (name == "leqq")
        return "\\le";
    if (name == "geqq")
        return "\\ge";
    if (name == "colon")
        return ":";
    if (name == "langle")
        return "(";  // "\langle 2, -1 \rangle": a vector
    if (name == "rangle")
        return ")";
    if (name == "angle" || name == "measuredangle")
        return " ";  // "\angle ABC = 120^\circ" names the angle ABC
    if (name == "approx")
        return "=";  // "x \approx 2.5" states the value 2.5
    if (name == "hline")
        return " ";
    if (name == "lt")
        return "<";
    if (name == "gt")
        return ">";
    if (name == "quad" || name == "qquad" || name == "!" || name == "," || name == ";" || name == ":"
        || name == " " || name == ">")
        return " ";
    if (name == "degree" || name == "degrees")
        return "^\\circ";
    if (name == "varnothing")
        return "\\emptyset";
    if (name == "backslash")
        return "\\setminus";  // "\mathbb{R} \backslash \{0\}"
    known = false;
    return {};
}

}  // namespace

std::string normalizeWords(std::string_view text)
{
    std::string out;
    bool space = false;
    for (char c : text) {
        if (isAlpha(c) || isDigit(c)) {
            if (space && !out.empty())
                out += ' ';
            space = false;
            out += char(std::tolower(static_cast<unsigned char>(c)));
        } else {
            space = true;
        }
    }
    return out;
}

CleanedAnswer cleanLatex(std::string_view answer, bool exactBeforeApprox)
{
    CleanedAnswer result;
    std::string src = trimAnswer(answer);
    if (const std::size_t b = src.find("\\boxed"); b != std::string::npos) {  // a boxed gold answer
        const Extraction e = extractAnswer(src);
        if (e.rule == ExtractRule::Boxed)
            src = e.answer;
    }
    // Every kUnicode entry starts with a non-ASCII byte or '&': most answers need none of the searches.
    if (std::any_of(src.begin(), src.end(), [](char c) { return (c & 0x80) != 0 || c == '&'; }))
        for (const Unicode& u : kUnicode)
            replaceAll(src, u.from, u.to);
    dropParameterDomain(src);
    dropCurrencyCodeAndCjkUnit(src);
    dropDigitGroupMarks(src);
    if (src.find("\\dot") != std::string::npos)
        dotsToOverline(src);
    if (src.find("mod") != std::string::npos)
        dropModulus(src);
    replaceAll(src, "{,}", ",");

    std::string out;
    out.reserve(src.size());
    const std::string_view s = src;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (isSpace(c)) {
            if (!out.empty() && out.back() != ' ')
                out += ' ';
            ++i;
            continue;
        }
        if (c == '~') {
            out += ' ';
            ++i;
            continue;
        }
        if (c == '%') {
            out += "\\%";
            ++i;
            continue;
        }
        if (c == '$') {  // inline math delimiters left inside the answer
            ++i;
            continue;
        }
        if (c != '\\' || i + 1 >= s.size()) {
            out += c;
            ++i;
            continue;
        }
        // A command: letters, or one non-letter.
        std::size_t j = i + 1;
        if (isAlpha(s[j]))
            while (j < s.size() && isAlpha(s[j]))
                ++j;
        else
            ++j;
        const std::string_view name = s.substr(i + 1, j - i - 1);
        if (name == "approx" && exactBeforeApprox && exactValueBefore(out)) {
            i = endOfElement(s, j);
            result.droppedApproximation = true;
            continue;
        }
        bool known = false;
        const std::string_view repl = commandReplacement(name, known);
        if (known) {
            out += repl;
            if ((name == "left" || name == "right") && j < s.size() && s[j] == '.')
                ++j;  // \left. and \right. are invisible delimiters
            i = j;
            continue;
        }
        if (name == "mathbb" && s.substr(j, 3) == "{R}") {  // the real line
            out += "(-\\infty,\\infty)";
            i = j + 3;
            continue;
        }
        if (isWrapper(name)) {
            std::size_t k = j;
            while (k < s.size() && isSpace(s[k]))
                ++k;
            if (k >= s.size() || s[k] != '{') {
                i = j;  // a wrapper without a group wraps nothing
                continue;
            }
            int depth = 0;
            std::size_t close = std::string_view::npos;
            for (std::size_t m = k; m < s.size(); ++m) {
                if (s[m] == '\\') {
                    ++m;
                } else if (s[m] == '{') {
                    ++depth;
                } else if (s[m] == '}' && --depth == 0) {
                    close = m;
                    break;
                }
            }
            if (close == std::string_view::npos) {  // unbalanced: keep the rest raw for the parser to reject
                out.append(s.substr(i));
                break;
            }
            const std::string_view content = trimSpacing(s.substr(k + 1, close - k - 1));
            std::size_t after = close + 1;
            const bool whole = trim(std::string_view(out)).empty() && trim(s.substr(after)).empty();
            std::size_t rest = after;
            while (rest < s.size() && isSpace(s[rest]))
                ++rest;
            rest += unitExponentLength(s, rest);
            const bool atEnd = trim(s.substr(std::min(rest, s.size()))).empty();
            const std::string lc = toLower(content);
            std::size_t eq = after;
            while (eq < s.size() && isSpace(s[eq]))
                ++eq;
            const std::string_view before = trim(std::string_view(out));
            const bool labelsValue = eq < s.size() && s[eq] == '=' && s.compare(eq, 2, "==") != 0
                && (before.empty() || before.back() == ',')
                && std::count_if(content.begin(), content.end(), isAlpha) >= 2;
            if (labelsValue) {  // "\text{Number of diagonals} = \frac{n(n-3)}{2}": the value follows the name
                i = eq + 1;
                continue;
            }
            if (lc == "or" || lc == "and" || lc == "or," || lc == "and,") {
                out += ',';
                result.alternatives = result.alternatives || lc[0] == 'o';
            } else if (isDegreeWord(content)) {
                out += "^\\circ";
            } else if (lc == "percent" || lc == "%" || lc == "\\%") {
                out += "\\%";
            } else if (content.empty()) {
                // nothing
            } else if (atEnd && !whole && isUnitText(content) && content != "i" && content != "e"
                       && !trim(std::string_view(out)).empty()) {  // "2\mathrm{i}" is no unit
                after = rest;
            } else {
                if (whole)
                    result.wholeText = true;
                const std::size_t from = out.size();
                out += content;
                std::replace(out.begin() + std::ptrdiff_t(from), out.end(), '~', ' ');  // "two~thirds"
            }
            i = after;
            continue;
        }
        out.append(s.substr(i, j - i));
        i = j;
    }

    if (out.find_first_of("CA") != std::string::npos)
        countingNotation(out);
    // Words joining alternatives ("2 and 3", "x = 1 or x = 2") separate list elements.
    replaceAll(out, " and ", ", ");
    result.alternatives = result.alternatives || out.find(" or ") != std::string::npos;
    replaceAll(out, " or ", ", ");

    // Trailing bare unit words: "5 cm", "12 square units", "30 degrees", "7 apples".
    for (bool stripped = true; stripped;) {
        stripped = false;
        std::string_view t = trim(std::string_view(out));
        std::size_t end = t.size();
        std::size_t expLen = 0;
        if (end >= 2 && t[end - 2] == '^' && isDigit(t[end - 1]))
            expLen = 2;
        std::size_t w = end - expLen;
        std::size_t start = w;
        while (start > 0 && isAlpha(t[start - 1]))
            --start;
        // A compound unit "km/h", "m/s^2": both words must be units.
        std::size_t per = start;
        if (per > 1 && t[per - 1] == '/' && isUnitWord(t.substr(start, w - start))) {
            per = start - 1;
            while (per > 0 && isAlpha(t[per - 1]))
                --per;
            if (per < start - 1 && isUnitWord(t.substr(per, start - 1 - per)))
                start = per;
        }
        if (start == w || start == 0 || t[start - 1] != ' ')
            break;
        const std::string_view word = t.substr(start, w - start);
        const std::string_view before = trim(t.substr(0, start));
        const bool quantityBefore = !before.empty()
            && (isDigit(before.back()) || before.back() == '}' || before.back() == ')' || isAlpha(before.back()));
        if (!quantityBefore)
            break;
        if (isDegreeWord(word) && expLen == 0) {
            out = std::string(before) + "^\\circ";
        } else if (toLower(word) == "percent" && expLen == 0) {
            out = std::string(before) + "\\%";
        } else if ((word == "C" || word == "F") && expLen == 0 && before.size() > 6
                   && before.substr(before.size() - 6) == "^\\circ") {  // "5^\circ C": a temperature, no angle
            out = std::string(trim(before.substr(0, before.size() - 6)));
        } else if (word.find('/') != std::string_view::npos
                   || (isUnitWord(word) && (word.size() >= 2 || isPlainNumber(before)))  // "12 m^2", "5 s"
                   || (word.size() >= 3 && !isMathWord(word)
                       && std::any_of(before.begin(), before.end(), isDigit))) {  // "5 apples"
            out = std::string(before);
            stripped = true;
        }
    }

    // "= 5" and "\approx 5" state 5 ("x \in [a, b]" is read by the parser).
    std::string_view t = trim(std::string_view(out));
    if (!t.empty() && t[0] == '=' && t.substr(0, 2) != "==")
        t = trim(t.substr(1));
    // Thousands separators: the whole answer is one grouped number ("10,000", "1,234.5").
    std::string compact;
    for (char c : t)
        if (c != ' ')
            compact += c;
    std::size_t p = (!compact.empty() && (compact[0] == '-' || compact[0] == '+')) ? 1 : 0;
    std::size_t lead = 0;
    while (p + lead < compact.size() && isDigit(compact[p + lead]))
        ++lead;
    bool grouped = lead >= 1 && lead <= 3 && p + lead < compact.size() && compact[p + lead] == ',';
    std::size_t q = p + lead;
    while (grouped && q < compact.size() && compact[q] == ',') {
        for (std::size_t k = 1; grouped && k <= 3; ++k)
            grouped = q + k < compact.size() && isDigit(compact[q + k]);
        q += 4;
    }
    if (grouped && q < compact.size() && compact[q] == '.') {
        ++q;
        while (q < compact.size() && isDigit(compact[q]))
            ++q;
    }
    if (compact == "\\{\\}") {
        result.latex = "\\emptyset";
    } else if ((grouped && q == compact.size()) || isSpaceGrouped(t)) {
        compact.erase(std::remove(compact.begin(), compact.end(), ','), compact.end());
        result.latex = compact;
    } else {
        result.latex = std::string(t);
        replaceAll(result.latex, ";", ", ");  // "a;b;c", "(0;0;6)": semicolons separate like commas
    }
    return result;
}

}  // namespace distill::verify
