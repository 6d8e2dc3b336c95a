#include "core/tokenizer/jinja_lexer.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <charconv>
#include <cctype>

namespace distill::tokenizer::jinja {

void syntaxError(int line, const std::string& what)
{
    throw Error(ErrorCode::Parse, "chat template line " + std::to_string(line) + ": " + what);
}

std::string trimmed(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

namespace {


std::string normalizeNewlines(const std::string& s)
{
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (s[i] == '\r') {
            out += '\n';
            if (i + 1 < s.size() && s[i + 1] == '\n')
                ++i;
        } else {
            out += s[i];
        }
    }
    return out;
}

int lineAt(const std::string& s, std::size_t pos)
{
    int line = 1;
    for (std::size_t i = 0; i < pos && i < s.size(); ++i)
        line += s[i] == '\n';
    return line;
}

// Finds the end of a tag body starting at `pos`, skipping string literals and nested brackets
// (so "{{ {'a': {}} }}" ends at the last "}}", as Jinja's lexer balances them).
std::size_t findTagEnd(const std::string& src, std::size_t pos, const char* close)
{
    char quote = 0;
    int depth = 0;
    for (std::size_t i = pos; i + 1 < src.size(); ++i) {
        const char c = src[i];
        if (quote) {
            if (c == '\\')
                ++i;
            else if (c == quote)
                quote = 0;
        } else if (c == '"' || c == '\'') {
            quote = c;
        } else if (depth == 0 && c == close[0] && src[i + 1] == close[1]) {
            return i;
        } else if (c == '(' || c == '[' || c == '{') {
            ++depth;
        } else if ((c == ')' || c == ']' || c == '}') && depth > 0) {
            --depth;
        }
    }
    return std::string::npos;
}


std::string unescape(const std::string& raw, int line)
{
    std::string out;
    for (std::size_t i = 0; i < raw.size(); ++i) {
        if (raw[i] != '\\' || i + 1 >= raw.size()) {
            out += raw[i];
            continue;
        }
        const char c = raw[++i];
        switch (c) {
        case 'n': out += '\n'; break;
        case 't': out += '\t'; break;
        case 'r': out += '\r'; break;
        case '\\': out += '\\'; break;
        case '\'': out += '\''; break;
        case '"': out += '"'; break;
        case '0': out += '\0'; break;
        case 'x':
        case 'u':
        case 'U': {
            const std::size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
            if (i + n >= raw.size())
                syntaxError(line, "truncated escape in string literal");
            char32_t cp = 0;
            for (std::size_t k = 1; k <= n; ++k) {
                const char h = raw[i + k];
                const int digit = h >= '0' && h <= '9'   ? h - '0'
                                  : h >= 'a' && h <= 'f' ? h - 'a' + 10
                                  : h >= 'A' && h <= 'F' ? h - 'A' + 10
                                                         : -1;
                if (digit < 0)
                    syntaxError(line, std::string("bad \\") + c + " escape in string literal");
                cp = cp * 16 + char32_t(digit);
            }
            if (cp > 0x10FFFF)
                syntaxError(line, "escape beyond U+10FFFF in string literal");
            appendUtf8(out, cp);
            i += n;
            break;
        }
        default:
            out += '\\';
            out += c;
        }
    }
    return out;
}

}  // namespace

std::vector<Item> lexItems(std::string src)
{
    src = normalizeNewlines(src);
    if (!src.empty() && src.back() == '\n')
        src.pop_back();  // keep_trailing_newline=False
    std::vector<Item> items;
    std::size_t pos = 0;
    while (pos < src.size()) {
        std::size_t open = src.find('{', pos);
        while (open != std::string::npos && open + 1 < src.size() && src[open + 1] != '{' && src[open + 1] != '%' &&
               src[open + 1] != '#')
            open = src.find('{', open + 1);
        if (open == std::string::npos || open + 1 >= src.size()) {
            items.push_back({Item::Kind::Text, src.substr(pos), lineAt(src, pos)});
            break;
        }
        if (open > pos)
            items.push_back({Item::Kind::Text, src.substr(pos, open - pos), lineAt(src, pos)});
        const char t = src[open + 1];
        const int line = lineAt(src, open);
        Item item{t == '{' ? Item::Kind::Var : t == '%' ? Item::Kind::Block : Item::Kind::Comment, {}, line};
        std::size_t bodyStart = open + 2;
        if (bodyStart < src.size() && (src[bodyStart] == '-' || src[bodyStart] == '+'))
            item.leftControl = src[bodyStart++];
        const char* close = t == '{' ? "}}" : t == '%' ? "%}" : "#}";
        std::size_t end = t == '#' ? src.find(close, bodyStart) : findTagEnd(src, bodyStart, close);
        if (end == std::string::npos)
            syntaxError(line, std::string("unclosed '") + src.substr(open, 2) + "'");
        std::size_t bodyEnd = end;
        if (bodyEnd > bodyStart && (src[bodyEnd - 1] == '-' || src[bodyEnd - 1] == '+'))
            item.rightControl = src[--bodyEnd];
        item.content = src.substr(bodyStart, bodyEnd - bodyStart);
        pos = end + 2;
        // {% raw %}...{% endraw %}: the text in between is literal.
        if (item.kind == Item::Kind::Block && trimmed(item.content) == "raw") {
            std::size_t search = pos;
            for (;;) {
                const std::size_t e = src.find("{%", search);
                if (e == std::string::npos)
                    syntaxError(line, "raw block without endraw");
                std::size_t b = e + 2;
                if (b < src.size() && (src[b] == '-' || src[b] == '+'))
                    ++b;
                const std::size_t close2 = src.find("%}", b);
                if (close2 == std::string::npos)
                    syntaxError(line, "raw block without endraw");
                std::string inner = src.substr(b, close2 - b);
                if (!inner.empty() && (inner.back() == '-' || inner.back() == '+'))
                    inner.pop_back();
                if (trimmed(inner) == "endraw") {
                    items.push_back(item);  // kept as a block so whitespace rules apply around it
                    items.push_back({Item::Kind::Text, src.substr(pos, e - pos), lineAt(src, pos)});
                    Item endItem{Item::Kind::Block, "endraw", lineAt(src, e)};
                    if (src[e + 2] == '-' || src[e + 2] == '+')
                        endItem.leftControl = src[e + 2];
                    if (src[close2 - 1] == '-' || src[close2 - 1] == '+')
                        endItem.rightControl = src[close2 - 1];
                    items.push_back(endItem);
                    pos = close2 + 2;
                    break;
                }
                search = close2 + 2;
            }
            continue;
        }
        items.push_back(std::move(item));
    }

    // Whitespace control: '-' markers, then trim_blocks and lstrip_blocks as transformers sets them.
    for (std::size_t i = 0; i < items.size(); ++i) {
        Item& it = items[i];
        if (it.kind != Item::Kind::Text)
            continue;
        std::string& s = it.content;
        const Item* prev = i > 0 ? &items[i - 1] : nullptr;
        const Item* next = i + 1 < items.size() ? &items[i + 1] : nullptr;
        bool lineStarting = prev == nullptr;
        if (prev && prev->rightControl == '-') {
            const auto b = s.find_first_not_of(" \t\n\r\f\v");
            const std::size_t cut = b == std::string::npos ? s.size() : b;
            lineStarting = cut > 0 && s[cut - 1] == '\n';
            s.erase(0, cut);
        } else if (prev && prev->kind != Item::Kind::Var && prev->rightControl != '+' && !s.empty() && s[0] == '\n') {
            s.erase(0, 1);  // trim_blocks
            lineStarting = true;
        }
        if (next && next->leftControl == '-') {
            const auto e = s.find_last_not_of(" \t\n\r\f\v");
            s.erase(e == std::string::npos ? 0 : e + 1);
        } else if (next && next->kind != Item::Kind::Var && next->leftControl != '+') {
            const auto nl = s.rfind('\n');
            const std::size_t lpos = nl == std::string::npos ? 0 : nl + 1;
            if ((lpos > 0 || lineStarting) && s.find_first_not_of(" \t", lpos) == std::string::npos)
                s.erase(lpos);  // lstrip_blocks
        }
    }
    return items;
}


std::vector<Token> lexExpression(const std::string& s, int line)
{
    static const std::vector<std::string> ops = {"**", "//", "==", "!=", "<=", ">=", "+", "-", "*", "/", "%", "~",
                                                 "<",  ">",  "=",  "(",  ")",  "[",  "]", "{", "}", ",", ".", ":", "|"};
    std::vector<Token> out;
    std::size_t i = 0;
    while (i < s.size()) {
        const char c = s[i];
        if (std::isspace(std::uint8_t(c))) {
            ++i;
        } else if (std::isalpha(std::uint8_t(c)) || c == '_') {
            std::size_t j = i;
            while (j < s.size() && (std::isalnum(std::uint8_t(s[j])) || s[j] == '_'))
                ++j;
            out.push_back({Token::Kind::Name, s.substr(i, j - i), {}});
            i = j;
        } else if (std::isdigit(std::uint8_t(c))) {
            std::size_t j = i;
            bool isFloat = false;
            while (j < s.size() && (std::isdigit(std::uint8_t(s[j])) || s[j] == '_'))
                ++j;
            if (j + 1 < s.size() && s[j] == '.' && std::isdigit(std::uint8_t(s[j + 1]))) {
                isFloat = true;
                ++j;
                while (j < s.size() && std::isdigit(std::uint8_t(s[j])))
                    ++j;
            }
            std::string num = s.substr(i, j - i);
            std::erase(num, '_');
            double real = 0.0;
            std::int64_t integer = 0;
            const auto parsed = isFloat ? std::from_chars(num.data(), num.data() + num.size(), real)
                                        : std::from_chars(num.data(), num.data() + num.size(), integer);
            if (parsed.ec != std::errc() || parsed.ptr != num.data() + num.size())
                syntaxError(line, "number literal '" + num.substr(0, 40) + "' out of range");
            out.push_back({isFloat ? Token::Kind::Float : Token::Kind::Int, num, isFloat ? Value(real) : Value(integer)});
            i = j;
        } else if (c == '"' || c == '\'') {
            std::size_t j = i + 1;
            while (j < s.size() && s[j] != c)
                j += s[j] == '\\' ? 2 : 1;
            if (j >= s.size())
                syntaxError(line, "unterminated string literal");
            out.push_back({Token::Kind::String, {}, Value(unescape(s.substr(i + 1, j - i - 1), line))});
            i = j + 1;
        } else {
            bool matched = false;
            for (const auto& op : ops)
                if (s.compare(i, op.size(), op) == 0) {
                    out.push_back({Token::Kind::Op, op, {}});
                    i += op.size();
                    matched = true;
                    break;
                }
            if (!matched)
                syntaxError(line, std::string("unexpected character '") + c + "'");
        }
    }
    out.push_back({Token::Kind::End, {}, {}});
    return out;
}

}  // namespace distill::tokenizer::jinja
