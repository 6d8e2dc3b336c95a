#include "core/formats/json_parser.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <string>

namespace distill::formats {

using nlohmann::json;

namespace {

// Deeper nesting is left to nlohmann's parser, which keeps its stack on the heap.
constexpr int kMaxDepth = 256;

unsigned byteAt(const char* p)
{
    return static_cast<unsigned char>(*p);
}

// The length of the well-formed UTF-8 sequence (RFC 3629, as nlohmann checks it) that starts
// with a byte >= 0x80 at p, or 0.
int utf8Length(const char* p, const char* end)
{
    const unsigned lead = byteAt(p);
    auto follows = [&](int i, unsigned low = 0x80, unsigned high = 0xBF) {
        return p + i < end && byteAt(p + i) >= low && byteAt(p + i) <= high;
    };
    if (lead >= 0xC2 && lead <= 0xDF)
        return follows(1) ? 2 : 0;
    if (lead == 0xE0)
        return follows(1, 0xA0) && follows(2) ? 3 : 0;
    if ((lead >= 0xE1 && lead <= 0xEC) || lead == 0xEE || lead == 0xEF)
        return follows(1) && follows(2) ? 3 : 0;
    if (lead == 0xED)  // not the UTF-16 surrogates
        return follows(1, 0x80, 0x9F) && follows(2) ? 3 : 0;
    if (lead == 0xF0)
        return follows(1, 0x90) && follows(2) && follows(3) ? 4 : 0;
    if (lead >= 0xF1 && lead <= 0xF3)
        return follows(1) && follows(2) && follows(3) ? 4 : 0;
    if (lead == 0xF4)  // up to U+10FFFF
        return follows(1, 0x80, 0x8F) && follows(2) && follows(3) ? 4 : 0;
    return 0;
}

void appendUtf8(std::string& out, unsigned codepoint)
{
    if (codepoint < 0x80) {
        out += char(codepoint);
    } else if (codepoint < 0x800) {
        out += char(0xC0 | (codepoint >> 6));
        out += char(0x80 | (codepoint & 0x3F));
    } else if (codepoint < 0x10000) {
        out += char(0xE0 | (codepoint >> 12));
        out += char(0x80 | ((codepoint >> 6) & 0x3F));
        out += char(0x80 | (codepoint & 0x3F));
    } else {
        out += char(0xF0 | (codepoint >> 18));
        out += char(0x80 | ((codepoint >> 12) & 0x3F));
        out += char(0x80 | ((codepoint >> 6) & 0x3F));
        out += char(0x80 | (codepoint & 0x3F));
    }
}

// A recursive-descent reader of the JSON grammar nlohmann accepts (RFC 8259, strict: no
// comments, nothing after the value). Every method returns false where the text leaves the fast
// path; parseJson() then asks nlohmann, which gives the error (or, for a case this reader leaves
// out such as a byte order mark, the value).
class FastParser {
public:
    explicit FastParser(std::string_view text) : m_p(text.data()), m_end(text.data() + text.size()) {}

    bool parse(json& out)
    {
        skipBlanks();
        if (!value(out, 0))
            return false;
        skipBlanks();
        return m_p == m_end;
    }

private:
    void skipBlanks()
    {
        while (m_p < m_end && (*m_p == ' ' || *m_p == '\n' || *m_p == '\r' || *m_p == '\t'))
            ++m_p;
    }

    bool at(char c) const { return m_p < m_end && *m_p == c; }

    bool value(json& out, int depth)
    {
        if (m_p == m_end)
            return false;
        switch (*m_p) {
        case '{':
            return depth < kMaxDepth && object(out, depth + 1);
        case '[':
            return depth < kMaxDepth && array(out, depth + 1);
        case '"': {
            std::string text;
            if (!string(text))
                return false;
            out = std::move(text);
            return true;
        }
        case 't':
            out = true;
            return literal("true");
        case 'f':
            out = false;
            return literal("false");
        case 'n':
            out = nullptr;
            return literal("null");
        default:
            return number(out);
        }
    }

    bool literal(std::string_view word)
    {
        if (std::size_t(m_end - m_p) < word.size() || std::string_view(m_p, word.size()) != word)
            return false;
        m_p += word.size();
        return true;
    }

    bool object(json& out, int depth)
    {
        ++m_p;  // '{'
        out = json::object();
        auto& members = out.get_ref<json::object_t&>();
        skipBlanks();
        if (at('}')) {
            ++m_p;
            return true;
        }
        std::string key;
        while (true) {
            key.clear();
            if (!at('"') || !string(key))
                return false;
            skipBlanks();
            if (!at(':'))
                return false;
            ++m_p;
            skipBlanks();
            if (!value(members[key], depth))  // a repeated key keeps its last value, as in nlohmann
                return false;
            skipBlanks();
            if (at(',')) {
                ++m_p;
                skipBlanks();
            } else if (at('}')) {
                ++m_p;
                return true;
            } else {
                return false;
            }
        }
    }

    bool array(json& out, int depth)
    {
        ++m_p;  // '['
        out = json::array();
        auto& items = out.get_ref<json::array_t&>();
        skipBlanks();
        if (at(']')) {
            ++m_p;
            return true;
        }
        while (true) {
            if (!value(items.emplace_back(), depth))
                return false;
            skipBlanks();
            if (at(',')) {
                ++m_p;
                skipBlanks();
            } else if (at(']')) {
                ++m_p;
                return true;
            } else {
                return false;
            }
        }
    }

    // A string token into `out` (appended): runs of plain text and valid UTF-8 are copied whole.
    bool string(std::string& out)
    {
        ++m_p;  // opening quote
        while (true) {
            const char* run = m_p;
            while (m_p < m_end) {
                const unsigned c = byteAt(m_p);
                if (c >= 0x80) {
                    const int n = utf8Length(m_p, m_end);
                    if (n == 0)
                        return false;
                    m_p += n;
                } else if (c >= 0x20 && c != '"' && c != '\\') {
                    ++m_p;
                } else {
                    break;
                }
            }
            out.append(run, m_p);
            if (at('"')) {
                ++m_p;
                return true;
            }
            if (!at('\\') || !escape(out))
                return false;  // the end of the text, a control character or a bad escape
        }
    }

    bool escape(std::string& out)
    {
        ++m_p;  // backslash
        if (m_p == m_end)
            return false;
        switch (*m_p++) {
        case '"':
            out += '"';
            return true;
        case '\\':
            out += '\\';
            return true;
        case '/':
            out += '/';
            return true;
        case 'b':
            out += '\b';
            return true;
        case 'f':
            out += '\f';
            return true;
        case 'n':
            out += '\n';
            return true;
        case 'r':
            out += '\r';
            return true;
        case 't':
            out += '\t';
            return true;
        case 'u':
            break;
        default:
            return false;
        }
        int codepoint = hex4();
        if (codepoint >= 0xD800 && codepoint <= 0xDBFF) {  // a high surrogate: its low one must follow
            if (!at('\\') || m_end - m_p < 2 || m_p[1] != 'u')
                return false;
            m_p += 2;
            const int low = hex4();
            if (low < 0xDC00 || low > 0xDFFF)
                return false;
            codepoint = 0x10000 + ((codepoint - 0xD800) << 10) + (low - 0xDC00);
        } else if (codepoint < 0 || (codepoint >= 0xDC00 && codepoint <= 0xDFFF)) {
            return false;
        }
        appendUtf8(out, unsigned(codepoint));
        return true;
    }

    // Four hex digits as a number, or -1.
    int hex4()
    {
        if (m_end - m_p < 4)
            return -1;
        int v = 0;
        for (int i = 0; i < 4; ++i) {
            const char c = *m_p++;
            v <<= 4;
            if (c >= '0' && c <= '9')
                v |= c - '0';
            else if (c >= 'a' && c <= 'f')
                v |= c - 'a' + 10;
            else if (c >= 'A' && c <= 'F')
                v |= c - 'A' + 10;
            else
                return -1;
        }
        return v;
    }

    bool digits()
    {
        const char* start = m_p;
        while (m_p < m_end && *m_p >= '0' && *m_p <= '9')
            ++m_p;
        return m_p > start;
    }

    // As nlohmann: an integer is an int64 when negative, a uint64 otherwise, and a double when it
    // does not fit; a number out of double range leaves the fast path.
    bool number(json& out)
    {
        const char* start = m_p;
        if (at('-'))
            ++m_p;
        if (at('0'))
            ++m_p;
        else if (m_p == m_end || *m_p < '1' || *m_p > '9' || !digits())
            return false;
        bool integer = true;
        if (at('.')) {
            integer = false;
            ++m_p;
            if (!digits())
                return false;
        }
        if (at('e') || at('E')) {
            integer = false;
            ++m_p;
            if (at('+') || at('-'))
                ++m_p;
            if (!digits())
                return false;
        }
        if (integer) {
            if (*start == '-') {
                std::int64_t v = 0;
                if (std::from_chars(start, m_p, v).ec == std::errc()) {
                    out = v;
                    return true;
                }
            } else {
                std::uint64_t v = 0;
                if (std::from_chars(start, m_p, v).ec == std::errc()) {
                    out = v;
                    return true;
                }
            }
        }
        double v = 0;
        if (std::from_chars(start, m_p, v).ec != std::errc() || !std::isfinite(v))
            return false;
        out = v;
        return true;
    }

    const char* m_p;
    const char* m_end;
};

}  // namespace

json parseJson(std::string_view text)
{
    json out;
    if (FastParser(text).parse(out))
        return out;
    return json::parse(text.begin(), text.end());
}

}  // namespace distill::formats
