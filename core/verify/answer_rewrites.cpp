#include "core/verify/answer_rewrites.h"

#include "core/verify/text_scan.h"

#include <charconv>
#include <optional>
#include <regex>
#include <string_view>

namespace distill::verify {

using namespace text;

namespace {

// The integers or naturals written after "\in": "\mathbb{Z}", "\mathbb Z", "\mathbf{Z}", "Z", "ℤ", also
// "\mathbb{N}^*", "\mathbb{Z}_+". Returns the length matched at the start of s, or 0.
std::size_t integerSetLength(std::string_view s)
{
    std::size_t n = 0;
    for (std::string_view form : {"\\mathbb{Z}", "\\mathbb{N}", "\\mathbb Z", "\\mathbb N", "\\mathbf{Z}",
                                  "\\mathbf{N}", "\xE2\x84\xA4", "\xE2\x84\x95", "Z", "N"})
        if (s.substr(0, form.size()) == form) {
            n = form.size();
            break;
        }
    if (n == 0 || (n < s.size() && isAlpha(s[n])))
        return 0;
    for (std::string_view suffix : {"^{*}", "^{+}", "_{+}", "^*", "^+", "_+", "^{\\ast}"})
        if (s.substr(n, suffix.size()) == suffix)
            return n + suffix.size();
    return n;
}

// The digit of "\dot{3}", "\dot 3" or "\dot3" at `at`, and where it ends; npos when there is none.
std::size_t dottedDigitEnd(std::string_view s, std::size_t at)
{
    if (s.substr(at, 4) != "\\dot")
        return std::string_view::npos;
    std::size_t i = at + 4;
    const bool braced = i < s.size() && s[i] == '{';
    i += braced ? 1 : (i < s.size() && s[i] == ' ') ? 1 : 0;
    if (i >= s.size() || !isDigit(s[i]))
        return std::string_view::npos;
    ++i;
    if (braced && (i >= s.size() || s[i++] != '}'))
        return std::string_view::npos;
    return i;
}

// The integer of a sub- or superscript after its '_' or '^' at i: "5" or "{10}"; i moves past it.
std::optional<long> scriptInteger(std::string_view s, std::size_t& i)
{
    const bool braced = i < s.size() && s[i] == '{';
    std::size_t j = i + (braced ? 1 : 0);
    const std::size_t start = j;
    while (j < s.size() && isDigit(s[j]) && (braced || j == start))
        ++j;
    if (j == start || j - start > 4 || (braced && (j >= s.size() || s[j] != '}')))
        return std::nullopt;
    long value = 0;
    std::from_chars(s.data() + start, s.data() + j, value);
    i = j + (braced ? 1 : 0);
    return value;
}

}  // namespace

void dropParameterDomain(std::string& s)
{
    if (s.find("\\in") == std::string::npos)  // find() skips ahead with memchr, rfind() compares everywhere
        return;
    const std::size_t in = s.rfind("\\in");
    if (in == 0)
        return;
    std::size_t end = in + 3;
    while (end < s.size() && isSpace(s[end]))
        ++end;
    const std::size_t set = integerSetLength(std::string_view(s).substr(end));
    if (set == 0)
        return;
    end += set;
    std::size_t start = in;
    while (start > 0 && isSpace(s[start - 1]))
        --start;
    const std::size_t nameEnd = start;
    while (start > 0 && (isAlpha(s[start - 1]) || isDigit(s[start - 1]) || s[start - 1] == '_' || s[start - 1] == '{' || s[start - 1] == '}'))
        --start;
    if (start == nameEnd || !isAlpha(s[start]) || nameEnd - start > 8)
        return;
    const std::string name = s.substr(start, nameEnd - start);
    while (start > 0 && isSpace(s[start - 1]))
        --start;
    if (start > 0 && s[start - 1] == '(') {  // "(k \in \mathbb{Z})"
        --start;
        while (end < s.size() && isSpace(s[end]))
            ++end;
        if (end >= s.size() || s[end] != ')')
            return;
        ++end;
    }
    if (!trim(std::string_view(s).substr(end)).empty())
        return;
    // The separator before it: a comma or semicolon, spacing, or a word in \text{} ("\text{ where }").
    for (bool moved = true; moved && start > 0;) {
        moved = false;
        const std::string_view before = trim(std::string_view(s).substr(0, start));
        // a lone backslash is what "\ " leaves once its space is trimmed
        for (std::string_view sep : {",", ";", "~", "\\,", "\\;", "\\quad", "\\qquad", "\\"}) {
            if (before.size() >= sep.size() && before.substr(before.size() - sep.size()) == sep) {
                start = before.size() - sep.size();
                moved = true;
                break;
            }
        }
        if (!moved && !before.empty() && before.back() == '}') {
            const std::size_t open = before.rfind("\\text{");
            if (open != std::string_view::npos && before.find('}', open) == before.size() - 1) {
                start = open;
                moved = true;
            }
        }
    }
    const std::string_view rest = trim(std::string_view(s).substr(0, start));
    if (rest.empty() || rest.find(name) == std::string_view::npos)
        return;
    s.resize(rest.size() + std::size_t(rest.data() - s.data()));
}

void dropCurrencyCodeAndCjkUnit(std::string& s)
{
    const std::string_view head = trim(std::string_view(s));
    const bool codeFirst = !head.empty()
        && ((head.front() >= 'A' && head.front() <= 'Z') || head.substr(0, 6) == "\\text{" || head.substr(0, 8) == "\\mathrm{");
    for (std::string_view code : {"USD", "US$", "Rs.", "Rs", "INR", "EUR", "GBP", "RMB", "CNY", "JPY"}) {
        if (!codeFirst)
            break;
        for (std::string_view wrapper : {"", "\\text{", "\\mathrm{"}) {
            std::string_view t = trim(std::string_view(s));
            if (t.substr(0, wrapper.size()) != wrapper || t.substr(wrapper.size(), code.size()) != code)
                continue;
            t.remove_prefix(wrapper.size() + code.size());
            if (!wrapper.empty()) {
                t = trim(t);
                if (t.empty() || t.front() != '}')
                    continue;
                t.remove_prefix(1);
            }
            t = trim(t);
            if (t.empty() || !(isDigit(t.front()) || t.front() == '.' || t.front() == '\\'))
                continue;
            s = std::string(t);
            break;
        }
    }
    auto ideographEndsAt = [&](std::size_t end) {  // a CJK ideograph (U+4E00..U+9FFF) ends at `end`
        if (end < 3)
            return false;
        const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
        return byte(end - 3) >= 0xE4 && byte(end - 3) <= 0xE9 && isUtf8Continuation(s[end - 2])
            && isUtf8Continuation(s[end - 1]);
    };
    std::size_t end = s.size();
    int ideographs = 0;
    while (ideographs < 4 && ideographEndsAt(end)) {
        end -= 3;
        ++ideographs;
    }
    if (ideographEndsAt(end))
        return;  // more than four: words, not a unit
    const std::string_view quantity = trim(std::string_view(s).substr(0, end));
    if (ideographs > 0 && !quantity.empty()
        && (isDigit(quantity.back()) || quantity.back() == '}' || quantity.back() == ')'))
        s.resize(quantity.size() + std::size_t(quantity.data() - s.data()));
}

void dropDigitGroupMarks(std::string& s)
{
    for (std::string_view mark : {",\\!", "{,}"}) {
        for (std::size_t p = s.find(mark); p != std::string::npos; p = s.find(mark, p)) {
            const std::size_t d = p + mark.size();
            const bool group = p > 0 && isDigit(s[p - 1]) && d + 3 <= s.size() && isDigit(s[d]) && isDigit(s[d + 1])
                && isDigit(s[d + 2]) && (d + 3 == s.size() || !isDigit(s[d + 3]));
            if (group)
                s.erase(p, mark.size());
            else
                p = d;
        }
    }
}

void dotsToOverline(std::string& s)
{
    for (std::size_t p = s.find("\\dot"); p != std::string::npos; p = s.find("\\dot", p + 1)) {
        std::size_t q = p;
        while (q > 0 && isDigit(s[q - 1]))
            --q;
        if (q == 0 || s[q - 1] != '.')
            continue;  // not in the decimals of a number
        const std::size_t firstEnd = dottedDigitEnd(s, p);
        if (firstEnd == std::string::npos)
            continue;
        std::string period(1, s[firstEnd - (s[firstEnd - 1] == '}' ? 2 : 1)]);
        std::size_t end = firstEnd;
        std::size_t k = firstEnd;
        while (k < s.size() && isDigit(s[k]))
            ++k;
        if (const std::size_t lastEnd = dottedDigitEnd(s, k); lastEnd != std::string::npos) {
            period.append(s, firstEnd, k - firstEnd);
            period += s[lastEnd - (s[lastEnd - 1] == '}' ? 2 : 1)];
            end = lastEnd;
        } else if (k != firstEnd) {
            continue;  // one dot, not on the last digit: "0.\dot{1}4"
        }
        s.replace(p, end - p, "\\overline{" + period + "}");
    }
}

void dropModulus(std::string& s)
{
    // No two whitespace runs side by side, so that a failed match does not backtrack over their splits.
    static const std::regex modulus(
        R"((?:\s|\\ |~|\\,|\\;|\\quad)*(?:\\left)?(?:\(\s*)?)"
        R"((?:\\pmod|\\mod|\\text\{\s*(?:\(\s*)?mod\s*\}|\\(?:mathrm|operatorname|rm|text)\{\s*mod\s*\}|\bmod))"
        R"((?:\s|\\ |~|\\,|\\;)*(?:\{\s*)?([0-9]+|[a-zA-Z])(?:\s*\})?(?:\s*\\right)?(?:\s*\))?\s*$)");
    constexpr std::size_t kTail = 80;  // a modulus clause is shorter: only the end of the answer is searched
    const std::size_t from = s.size() > kTail ? s.size() - kTail : 0;
    std::smatch m;
    const std::string tail = s.substr(from);
    if (!std::regex_search(tail, m, modulus))
        return;
    std::string_view head = trim(std::string_view(s).substr(0, from + std::size_t(m.position(0))));
    if (const std::size_t equiv = head.rfind("\\equiv"); equiv != std::string_view::npos)
        head = trim(head.substr(equiv + 6));
    if (head.empty())
        return;
    // An integer and a number modulus: the least non-negative residue ("12 \pmod 5" is 2).
    long long value = 0;
    long long mod = 0;
    const std::string digits = m.str(1);
    const auto v = std::from_chars(head.data(), head.data() + head.size(), value);
    const auto d = std::from_chars(digits.data(), digits.data() + digits.size(), mod);
    if (v.ec == std::errc() && v.ptr == head.data() + head.size() && d.ec == std::errc() && mod > 0)
        s = std::to_string(((value % mod) + mod) % mod);
    else
        s = std::string(head);
}

void countingNotation(std::string& s)
{
    for (std::size_t p = s.find_first_of("CA"); p != std::string::npos; p = s.find_first_of("CA", p + 1)) {
        if (p > 0 && (isAlpha(s[p - 1]) || s[p - 1] == '\\'))
            continue;
        std::optional<long> n;
        std::optional<long> k;
        std::size_t i = p + 1;
        for (int script = 0; script < 2 && i < s.size() && (s[i] == '_' || s[i] == '^'); ++script) {
            const bool sub = s[i] == '_';
            ++i;
            (sub ? n : k) = scriptInteger(s, i);
        }
        if (!n || !k || *k > *n || *n > 1000 || (i < s.size() && (isAlpha(s[i]) || isDigit(s[i]))))
            continue;
        const std::string value = s[p] == 'C'
            ? "\\binom{" + std::to_string(*n) + "}{" + std::to_string(*k) + "}"
            : "\\frac{" + std::to_string(*n) + "!}{" + std::to_string(*n - *k) + "!}";
        s.replace(p, i - p, value);
    }
}

}  // namespace distill::verify
