#include "core/verify/fast_number.h"
#include "core/verify/text_scan.h"

#include <fast_float/fast_float.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace distill::verify {

namespace {

using namespace text;

constexpr std::size_t kMaxText = 41;            // longer answers are not plain numbers
constexpr std::size_t kMaxFractionDigits = 18;  // 10^18 still fits an int64 denominator

bool isBlank(char c) { return c == ' ' || c == '\t' || c == '\n'; }

std::string_view skipBlanks(std::string_view s)
{
    while (!s.empty() && isBlank(s.front()))
        s.remove_prefix(1);
    return s;
}

std::size_t digitRun(std::string_view s, std::size_t from)
{
    std::size_t i = from;
    while (i < s.size() && isDigit(s[i]))
        ++i;
    return i - from;
}

// The int64 written by `digits` (plain digits); nullopt when it does not fit. (The helpers of this
// fast path are forced inline: a call each costs a tenth of the time of a whole numeric comparison.)
[[gnu::always_inline]] inline std::optional<std::int64_t> integerOf(std::string_view digits)
{
    std::int64_t v = 0;
    const auto [ptr, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), v);
    if (ec != std::errc() || ptr != digits.data() + digits.size())
        return std::nullopt;
    return v;
}

// True when the digits of `runs` (read as one integer, without separators or the point) fit an int64,
// as num of num/10^fraction must; leading zeros do not count.
bool digitsFit(std::initializer_list<std::string_view> runs)
{
    char digits[kMaxText];
    std::size_t count = 0;
    for (std::string_view run : runs)
        for (char c : run)
            if (count > 0 || c != '0')
                digits[count++] = c;
    return count < 19 || integerOf(std::string_view(digits, count)).has_value();
}

// Reads into `n` the unsigned number at the front of `s`: digits with optional thousands groups
// ("10,000" when `allowGroups`) and an optional decimal part (".25", "1,234.5"). Advances `s` past it;
// false when there is none.
[[gnu::always_inline]] inline bool unsignedNumber(std::string_view& s, bool allowGroups, FastNumber& n)
{
    s = skipBlanks(s);
    std::uint64_t whole = 0;  // unsigned: from_chars then takes no sign
    const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), whole);
    std::size_t i = std::size_t(end - s.data());
    if (i == s.size() || (s[i] != '.' && (s[i] != ',' || !allowGroups))) {  // a plain integer, the usual case
        if (ec != std::errc() || whole > std::uint64_t(std::numeric_limits<std::int64_t>::max()))
            return false;
        n.num = std::int64_t(whole);
        s.remove_prefix(i);
        return true;
    }
    const std::size_t integerDigits = i;
    const bool grouped = allowGroups && i >= 1 && i <= 3 && i < s.size() && s[i] == ',' && digitRun(s, i + 1) == 3;
    char joined[kMaxText];  // a grouped number without its commas: "1,234.5" -> "1234.5"
    std::size_t length = 0;
    auto join = [&](std::size_t from, std::size_t count) {
        for (std::size_t k = 0; k < count; ++k)
            joined[length++] = s[from + k];
    };
    if (grouped) {
        join(0, i);
        while (i < s.size() && s[i] == ',' && digitRun(s, i + 1) == 3) {  // groups of exactly three digits
            join(i + 1, 3);
            i += 4;
        }
    }
    std::size_t fraction = 0;
    if (i < s.size() && s[i] == '.') {
        n.decimal = true;
        fraction = digitRun(s, i + 1);
        if (grouped)
            join(i, 1 + fraction);
        i += 1 + fraction;
    }
    if ((integerDigits == 0 && fraction == 0) || fraction > kMaxFractionDigits)
        return false;
    const std::string_view written = grouped ? std::string_view(joined, length) : s.substr(0, i);
    if (n.decimal) {
        const std::size_t point = written.size() - fraction - 1;
        if (written.size() > 19 && !digitsFit({written.substr(0, point), written.substr(point + 1)}))
            return false;  // up to 18 digits always fit
        const auto result = fast_float::from_chars(written.data(), written.data() + written.size(), n.value,
                                                   fast_float::chars_format::fixed);
        if (result.ec != std::errc() || result.ptr != written.data() + written.size())
            return false;
    } else {
        const auto num = integerOf(written);
        if (!num)
            return false;
        n.num = *num;
    }
    s.remove_prefix(i);
    return true;
}

// A \frac argument: "{123}", "{-3}" or a single digit. Advances `s` past it.
std::optional<std::int64_t> fracArgument(std::string_view& s)
{
    s = skipBlanks(s);
    if (!s.empty() && isDigit(s.front())) {
        const auto v = integerOf(s.substr(0, 1));
        s.remove_prefix(1);
        return v;
    }
    if (s.empty() || s.front() != '{')
        return std::nullopt;
    s.remove_prefix(1);
    s = skipBlanks(s);
    const bool negative = !s.empty() && s.front() == '-';
    if (negative)
        s.remove_prefix(1);
    FastNumber n;
    const bool read = unsignedNumber(s, false, n);
    s = skipBlanks(s);
    if (!read || n.decimal || s.empty() || s.front() != '}')
        return std::nullopt;
    s.remove_prefix(1);
    return negative ? -n.num : n.num;
}

[[gnu::always_inline]] inline bool eat(std::string_view& s, std::string_view token)
{
    s = skipBlanks(s);
    if (s.empty() || s.front() != token.front() || s.substr(0, token.size()) != token)
        return false;
    s.remove_prefix(token.size());
    return true;
}

}  // namespace

std::optional<FastNumber> parseFastNumber(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '$'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '$' || text.back() == '.'))
        text.remove_suffix(1);
    if (text.empty() || text.size() >= kMaxText)
        return std::nullopt;
    std::string_view s = text;
    const bool negative = eat(s, "-");
    if (!negative)
        eat(s, "+");
    FastNumber result;
    s = skipBlanks(s);
    if (!s.empty() && s.front() == '\\' && (eat(s, "\\frac") || eat(s, "\\dfrac") || eat(s, "\\tfrac"))) {
        const auto num = fracArgument(s);
        const auto den = fracArgument(s);
        if (!num || !den || *den == 0)
            return std::nullopt;
        result.num = *num;
        result.den = *den;
    } else {
        if (!unsignedNumber(s, true, result))
            return std::nullopt;
        if (eat(s, "/")) {
            FastNumber d;
            if (!unsignedNumber(s, false, d) || d.decimal || result.decimal || d.num == 0)
                return std::nullopt;
            result.den = d.num;
        }
    }
    if (!skipBlanks(s).empty())
        return std::nullopt;
    if (result.den < 0) {
        result.den = -result.den;
        result.num = -result.num;
    }
    if (negative) {
        result.num = -result.num;
        result.value = -result.value;
    }
    return result;
}

bool fastNumbersEqual(const FastNumber& a, const FastNumber& b, double relTol)
{
    if (!a.decimal && !b.decimal)
        return __int128(a.num) * b.den == __int128(b.num) * a.den;
    auto valueOf = [](const FastNumber& n) {
        return n.decimal ? static_cast<long double>(n.value) : static_cast<long double>(n.num) / n.den;
    };
    const long double x = valueOf(a);
    const long double y = valueOf(b);
    const long double scale = std::max(std::fabs(x), std::fabs(y));
    return std::fabs(x - y) <= relTol * scale;
}

}  // namespace distill::verify
