// Python's str semantics for chat templates: code points, strip, split, replace, case mapping and
// the bound methods of a str value.
#include "core/tokenizer/jinja_strings.h"

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/jinja_support.h"

#include <algorithm>
#include <cctype>

namespace distill::tokenizer::jinja::detail {

namespace {

// Python's str.isspace() for the characters that occur in practice (ASCII and Unicode spaces).
bool isSpaceAt(const std::string& s, std::size_t pos, std::size_t& len)
{
    std::size_t p = pos;
    const char32_t c = nextCodePoint(s, p);
    len = p - pos;
    return (c >= 9 && c <= 13) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 || c == 0x1680 ||
           (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F || c == 0x205F || c == 0x3000;
}
bool startsOrEnds(const std::string& s, const Value& what, bool start)
{
    auto one = [&](const std::string& p) {
        return p.size() <= s.size() && (start ? s.compare(0, p.size(), p) == 0 : s.compare(s.size() - p.size(), p.size(), p) == 0);
    };
    if (what.isList()) {
        for (const auto& p : what.items())
            if (one(p.toString()))
                return true;
        return false;
    }
    if (!what.isString())
        typeError(std::string(start ? "startswith" : "endswith") + " expects a string");
    return one(what.str());
}
}  // namespace

std::vector<std::string> codePoints(const std::string& s)
{
    std::vector<std::string> out;
    std::size_t pos = 0;
    while (pos < s.size()) {
        const std::size_t start = pos;
        nextCodePoint(s, pos);
        out.push_back(s.substr(start, pos - start));
    }
    return out;
}
std::string strip(const std::string& s, const Value& chars, bool left, bool right)
{
    std::size_t b = 0, e = s.size();
    if (chars.isUndefined() || chars.isNone()) {
        std::size_t len = 0;
        while (left && b < e && isSpaceAt(s, b, len))
            b += len;
        while (right && e > b) {
            std::size_t start = e - 1;
            while (start > b && (std::uint8_t(s[start]) & 0xC0) == 0x80)
                --start;
            if (!isSpaceAt(s, start, len))
                break;
            e = start;
        }
        return s.substr(b, e - b);
    }
    const auto set = codePoints(chars.toString());
    auto inSet = [&](const std::string& cp) { return std::find(set.begin(), set.end(), cp) != set.end(); };
    auto cps = codePoints(s);
    std::size_t i = 0, j = cps.size();
    while (left && i < j && inSet(cps[i]))
        ++i;
    while (right && j > i && inSet(cps[j - 1]))
        --j;
    std::string out;
    for (std::size_t k = i; k < j; ++k)
        out += cps[k];
    return out;
}

std::string asciiMap(std::string s, int (*f)(int))
{
    for (char& c : s)
        if (std::uint8_t(c) < 0x80)
            c = char(f(std::uint8_t(c)));
    return s;
}

std::string titleCase(const std::string& s)
{
    std::string out = s;
    bool prevCased = false;
    for (char& c : out) {
        const bool alpha = std::isalpha(std::uint8_t(c));
        if (alpha)
            c = char(prevCased ? std::tolower(std::uint8_t(c)) : std::toupper(std::uint8_t(c)));
        prevCased = alpha;
    }
    return out;
}

Value split(const std::string& s, const Value& sep, std::int64_t maxSplit)
{
    ValueList parts;
    if (sep.isUndefined() || sep.isNone()) {
        std::size_t pos = 0, len = 0;
        while (pos < s.size()) {
            while (pos < s.size() && isSpaceAt(s, pos, len))
                pos += len;
            if (pos >= s.size())
                break;
            if (maxSplit >= 0 && std::int64_t(parts.size()) == maxSplit) {
                parts.emplace_back(strip(s.substr(pos), Value(), false, true));
                break;
            }
            std::size_t end = pos;
            while (end < s.size() && !isSpaceAt(s, end, len))
                end += len;
            parts.emplace_back(s.substr(pos, end - pos));
            pos = end;
        }
        return Value::list(std::move(parts));
    }
    const std::string d = sep.toString();
    if (d.empty())
        typeError("split() with an empty separator");
    std::size_t pos = 0;
    for (;;) {
        const std::size_t at = s.find(d, pos);
        if (at == std::string::npos || (maxSplit >= 0 && std::int64_t(parts.size()) == maxSplit)) {
            parts.emplace_back(s.substr(pos));
            break;
        }
        parts.emplace_back(s.substr(pos, at - pos));
        pos = at + d.size();
    }
    return Value::list(std::move(parts));
}

std::string replace(const std::string& s, const std::string& from, const std::string& to, std::int64_t count)
{
    if (from.empty())
        return s;
    std::string out;
    std::size_t pos = 0;
    std::int64_t n = 0;
    for (std::size_t at; (count < 0 || n < count) && (at = s.find(from, pos)) != std::string::npos; ++n) {
        out.append(s, pos, at - pos);
        out += to;
        pos = at + from.size();
        checkLength(out.size());
    }
    out.append(s, pos);
    return out;
}
Value stringMethod(const std::string& s, const std::string& name)
{
    auto bind = [](auto f) { return Value::function(f); };
    if (name == "startswith" || name == "endswith") {
        const bool start = name == "startswith";
        return bind([s, start](ValueList& a, KwArgs&) { return Value(startsOrEnds(s, a.empty() ? Value("") : a[0], start)); });
    }
    if (name == "strip" || name == "lstrip" || name == "rstrip") {
        const bool l = name != "rstrip", r = name != "lstrip";
        return bind([s, l, r](ValueList& a, KwArgs&) { return Value(strip(s, a.empty() ? Value() : a[0], l, r)); });
    }
    if (name == "split")
        return bind([s](ValueList& a, KwArgs& kw) {
            const Value& m = arg(a, kw, 1, "maxsplit");
            return split(s, arg(a, kw, 0, "sep"), m.isUndefined() ? -1 : m.asInt());
        });
    if (name == "upper" || name == "lower")
        return bind([s, up = name == "upper"](ValueList&, KwArgs&) { return Value(asciiMap(s, up ? ::toupper : ::tolower)); });
    if (name == "title")
        return bind([s](ValueList&, KwArgs&) { return Value(titleCase(s)); });
    if (name == "capitalize")
        return bind([s](ValueList&, KwArgs&) {
            std::string out = asciiMap(s, ::tolower);
            if (!out.empty())
                out[0] = char(std::toupper(std::uint8_t(out[0])));
            return Value(out);
        });
    if (name == "replace")
        return bind([s](ValueList& a, KwArgs& kw) {
            const Value& c = arg(a, kw, 2, "count");
            return Value(replace(s, arg(a, kw, 0, "old").toString(), arg(a, kw, 1, "new").toString(),
                                 c.isUndefined() ? -1 : c.asInt()));
        });
    if (name == "find" || name == "count")
        return bind([s, find = name == "find"](ValueList& a, KwArgs&) {
            const std::string sub = a.empty() ? std::string() : a[0].toString();
            if (find) {
                const auto at = s.find(sub);
                return Value(at == std::string::npos ? std::int64_t(-1) : std::int64_t(Value(s.substr(0, at)).length()));
            }
            std::int64_t n = 0;
            for (std::size_t at = s.find(sub); !sub.empty() && at != std::string::npos; at = s.find(sub, at + sub.size()))
                ++n;
            return Value(n);
        });
    if (name == "join")
        return bind([s](ValueList& a, KwArgs&) {
            std::string out;
            bool first = true;
            for (const auto& v : iterate(a.empty() ? Value() : a[0])) {
                out += (first ? "" : s) + v.toString();
                first = false;
                checkLength(out.size());
            }
            return Value(out);
        });
    if (name == "splitlines")
        return bind([s](ValueList&, KwArgs&) {
            ValueList lines;
            std::size_t pos = 0;
            while (pos < s.size()) {
                const auto nl = s.find('\n', pos);
                lines.emplace_back(s.substr(pos, nl == std::string::npos ? std::string::npos : nl - pos));
                if (nl == std::string::npos)
                    break;
                pos = nl + 1;
            }
            return Value::list(std::move(lines));
        });
    return Value();
}

}  // namespace distill::tokenizer::jinja::detail
