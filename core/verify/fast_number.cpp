#include "core/verify/fast_number.h"
#include "core/verify/text_scan.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace distill::verify {

namespace {

using namespace text;

class Scanner {
public:
    explicit Scanner(std::string_view s) : m_s(s) {}

    void skipSpaces()
    {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' || m_s[m_pos] == '\n'))
            ++m_pos;
    }
    bool eat(std::string_view token)
    {
        skipSpaces();
        if (m_s.substr(m_pos, token.size()) == token) {
            m_pos += token.size();
            return true;
        }
        return false;
    }
    bool atEnd()
    {
        skipSpaces();
        return m_pos == m_s.size();
    }
    char peek() const { return m_pos < m_s.size() ? m_s[m_pos] : '\0'; }

    // Unsigned decimal number with optional thousands groups; nullopt on overflow or no digits.
    std::optional<FastNumber> number(bool allowGroups)
    {
        skipSpaces();
        FastNumber n;
        std::size_t digits = 0;
        std::size_t intDigits = 0;
        bool grouped = false;
        while (m_pos < m_s.size()) {
            const char c = m_s[m_pos];
            if (isDigit(c)) {
                if (!push(n.num, c))
                    return std::nullopt;
                ++digits;
                ++intDigits;
                ++m_pos;
            } else if (c == ',' && allowGroups && intDigits >= 1 && (grouped ? intDigits == 3 : intDigits <= 3)
                       && threeDigitsAt(m_pos + 1)) {
                grouped = true;
                intDigits = 0;
                ++m_pos;
            } else {
                break;
            }
        }
        if (grouped && intDigits != 3)
            return std::nullopt;
        if (m_pos < m_s.size() && m_s[m_pos] == '.') {
            ++m_pos;
            n.decimal = true;
            while (m_pos < m_s.size() && isDigit(m_s[m_pos])) {
                if (!push(n.num, m_s[m_pos]) || n.den > std::numeric_limits<std::int64_t>::max() / 10)
                    return std::nullopt;
                n.den *= 10;
                ++digits;
                ++m_pos;
            }
        }
        if (digits == 0)
            return std::nullopt;
        return n;
    }

    // A \frac argument: "{123}" or a single digit.
    std::optional<std::int64_t> fracArgument()
    {
        skipSpaces();
        if (peek() == '{') {
            ++m_pos;
            bool negative = eat("-");
            auto n = number(false);
            if (!n || n->decimal || !eat("}"))
                return std::nullopt;
            return negative ? -n->num : n->num;
        }
        if (isDigit(peek()))
            return std::int64_t(m_s[m_pos++] - '0');
        return std::nullopt;
    }

private:
    bool threeDigitsAt(std::size_t p) const
    {
        return p + 3 <= m_s.size() && isDigit(m_s[p]) && isDigit(m_s[p + 1]) && isDigit(m_s[p + 2])
            && (p + 3 == m_s.size() || !isDigit(m_s[p + 3]));
    }

    static bool push(std::int64_t& v, char digit)
    {
        if (v > (std::numeric_limits<std::int64_t>::max() - 9) / 10)
            return false;
        v = v * 10 + (digit - '0');
        return true;
    }

    std::string_view m_s;
    std::size_t m_pos = 0;
};

std::int64_t gcd64(std::int64_t a, std::int64_t b)
{
    a = a < 0 ? -a : a;
    b = b < 0 ? -b : b;
    while (b) {
        const std::int64_t t = a % b;
        a = b;
        b = t;
    }
    return a;
}

}  // namespace

std::optional<FastNumber> parseFastNumber(std::string_view text)
{
    while (!text.empty() && (text.front() == ' ' || text.front() == '$'))
        text.remove_prefix(1);
    while (!text.empty() && (text.back() == ' ' || text.back() == '$' || text.back() == '.'))
        text.remove_suffix(1);
    if (text.empty() || text.size() > 40)
        return std::nullopt;
    Scanner sc(text);
    bool negative = false;
    if (sc.eat("-"))
        negative = true;
    else
        sc.eat("+");
    FastNumber result;
    if (sc.eat("\\frac") || sc.eat("\\dfrac") || sc.eat("\\tfrac")) {
        const auto num = sc.fracArgument();
        const auto den = sc.fracArgument();
        if (!num || !den || *den == 0)
            return std::nullopt;
        result.num = *num;
        result.den = *den;
    } else {
        auto n = sc.number(true);
        if (!n)
            return std::nullopt;
        result = *n;
        if (sc.eat("/")) {
            auto d = sc.number(false);
            if (!d || d->decimal || n->decimal || d->num == 0)
                return std::nullopt;
            result.den = d->num;
        }
    }
    if (!sc.atEnd())
        return std::nullopt;
    if (result.den < 0) {
        result.den = -result.den;
        result.num = -result.num;
    }
    if (negative)
        result.num = -result.num;
    if (const std::int64_t g = gcd64(result.num, result.den); g > 1) {
        result.num /= g;
        result.den /= g;
    }
    return result;
}

bool fastNumbersEqual(const FastNumber& a, const FastNumber& b, double relTol)
{
    if (!a.decimal && !b.decimal)
        return __int128(a.num) * b.den == __int128(b.num) * a.den;
    const long double x = static_cast<long double>(a.num) / a.den;
    const long double y = static_cast<long double>(b.num) / b.den;
    const long double scale = std::max(std::fabs(x), std::fabs(y));
    return std::fabs(x - y) <= relTol * scale;
}

}  // namespace distill::verify
