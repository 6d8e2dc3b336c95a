#include "core/tokenizer/byte_level.h"

namespace distill::tokenizer {

namespace {

struct Tables {
    std::array<char32_t, 256> toCp{};
    std::array<std::int16_t, 512> toByte{};  // index: code point < 512
    Tables()
    {
        toByte.fill(-1);
        int extra = 0;
        for (int b = 0; b < 256; ++b) {
            const bool printable = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE && b <= 0xFF);
            const char32_t cp = printable ? char32_t(b) : char32_t(256 + extra++);
            toCp[b] = cp;
            toByte[cp] = std::int16_t(b);
        }
    }
};

const Tables& tables()
{
    static const Tables t;
    return t;
}

// Length of the well-formed UTF-8 sequence starting at s[i], or 0 if it is ill-formed; `maximal`
// receives the length of the maximal ill-formed prefix (at least 1) in that case.
std::size_t sequenceLength(std::string_view s, std::size_t i, std::size_t& maximal)
{
    const auto b0 = std::uint8_t(s[i]);
    maximal = 1;
    if (b0 < 0x80)
        return 1;
    std::size_t need = 0;
    std::uint8_t lo = 0x80, hi = 0xBF;
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        if (b0 == 0xE0)
            lo = 0xA0;
        if (b0 == 0xED)
            hi = 0x9F;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        if (b0 == 0xF0)
            lo = 0x90;
        if (b0 == 0xF4)
            hi = 0x8F;
    } else {
        return 0;
    }
    for (std::size_t k = 1; k <= need; ++k) {
        if (i + k >= s.size())
            return 0;
        const auto b = std::uint8_t(s[i + k]);
        const std::uint8_t l = k == 1 ? lo : 0x80, h = k == 1 ? hi : 0xBF;
        if (b < l || b > h)
            return 0;
        maximal = k + 1;
    }
    return need + 1;
}

}  // namespace

const std::array<char32_t, 256>& byteToCodePoint()
{
    return tables().toCp;
}

std::optional<std::uint8_t> codePointToByte(char32_t cp)
{
    if (cp >= 512 || tables().toByte[cp] < 0)
        return std::nullopt;
    return std::uint8_t(tables().toByte[cp]);
}

std::optional<std::string> byteLevelToBytes(std::string_view token)
{
    std::string out;
    out.reserve(token.size());
    std::size_t pos = 0;
    while (pos < token.size()) {
        const auto b = codePointToByte(nextCodePoint(token, pos));
        if (!b)
            return std::nullopt;
        out.push_back(char(*b));
    }
    return out;
}

std::string bytesToByteLevel(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size() * 2);
    for (const char c : bytes)
        appendUtf8(out, tables().toCp[std::uint8_t(c)]);
    return out;
}

char32_t nextCodePoint(std::string_view s, std::size_t& pos)
{
    const auto b0 = std::uint8_t(s[pos]);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    int n = b0 >= 0xF0 ? 3 : b0 >= 0xE0 ? 2 : 1;
    char32_t cp = b0 & (0x3F >> n);
    ++pos;
    while (n-- > 0 && pos < s.size())
        cp = (cp << 6) | (std::uint8_t(s[pos++]) & 0x3F);
    return cp;
}

void appendUtf8(std::string& out, char32_t cp)
{
    if (cp < 0x80) {
        out.push_back(char(cp));
    } else if (cp < 0x800) {
        out.push_back(char(0xC0 | (cp >> 6)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
        out.push_back(char(0xE0 | (cp >> 12)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    } else {
        out.push_back(char(0xF0 | (cp >> 18)));
        out.push_back(char(0x80 | ((cp >> 12) & 0x3F)));
        out.push_back(char(0x80 | ((cp >> 6) & 0x3F)));
        out.push_back(char(0x80 | (cp & 0x3F)));
    }
}

bool isValidUtf8(std::string_view s)
{
    std::size_t i = 0, maximal = 0;
    while (i < s.size()) {
        if (std::uint8_t(s[i]) < 0x80) {
            ++i;
            continue;
        }
        const std::size_t n = sequenceLength(s, i, maximal);
        if (n == 0)
            return false;
        i += n;
    }
    return true;
}

std::string utf8Lossy(std::string_view bytes)
{
    std::string out;
    out.reserve(bytes.size());
    std::size_t i = 0, maximal = 0;
    while (i < bytes.size()) {
        const std::size_t n = sequenceLength(bytes, i, maximal);
        if (n == 0) {
            out += "\xEF\xBF\xBD";
            i += maximal;
        } else {
            out.append(bytes.substr(i, n));
            i += n;
        }
    }
    return out;
}

}  // namespace distill::tokenizer
