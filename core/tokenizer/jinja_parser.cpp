#include "core/tokenizer/jinja_parser.h"

#include "core/tokenizer/byte_level.h"
#include "core/util/error.h"

#include <cctype>
#include <set>

namespace distill::tokenizer::jinja {

namespace {

[[noreturn]] void syntaxError(int line, const std::string& what)
{
    throw Error(ErrorCode::Parse, "chat template line " + std::to_string(line) + ": " + what);
}

// ---- Template level: text and tags -------------------------------------------------------------

struct Item {
    enum class Kind { Text, Var, Block, Comment } kind;
    std::string content;  // text, or the inside of the tag without delimiters and -/+ markers
    int line;
    char leftControl = 0;   // '-' or '+' right after the opening delimiter
    char rightControl = 0;  // '-' or '+' right before the closing delimiter
};

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

std::string trimmed(const std::string& s)
{
    const auto b = s.find_first_not_of(" \t\n");
    if (b == std::string::npos)
        return {};
    return s.substr(b, s.find_last_not_of(" \t\n") - b + 1);
}

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

// ---- Expression tokens -------------------------------------------------------------------------

struct Token {
    enum class Kind { Name, String, Int, Float, Op, End } kind;
    std::string text;
    Value value;
};

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
            const unsigned long cp = std::stoul(raw.substr(i + 1, n), nullptr, 16);
            appendUtf8(out, char32_t(cp));
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
            out.push_back({isFloat ? Token::Kind::Float : Token::Kind::Int, num,
                           isFloat ? Value(std::stod(num)) : Value(std::int64_t(std::stoll(num)))});
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

// ---- Expression parser (Jinja's precedence) ----------------------------------------------------

class ExprParser {
public:
    ExprParser(const std::string& source, int line) : m_tokens(lexExpression(source, line)), m_line(line) {}

    const Token& peek(std::size_t ahead = 0) const { return m_tokens[std::min(m_pos + ahead, m_tokens.size() - 1)]; }
    bool atEnd() const { return peek().kind == Token::Kind::End; }
    bool isOp(const char* op, std::size_t ahead = 0) const
    {
        return peek(ahead).kind == Token::Kind::Op && peek(ahead).text == op;
    }
    bool isName(const char* n, std::size_t ahead = 0) const
    {
        return peek(ahead).kind == Token::Kind::Name && peek(ahead).text == n;
    }
    bool acceptOp(const char* op)
    {
        if (!isOp(op))
            return false;
        ++m_pos;
        return true;
    }
    bool acceptName(const char* n)
    {
        if (!isName(n))
            return false;
        ++m_pos;
        return true;
    }
    void expectOp(const char* op)
    {
        if (!acceptOp(op))
            fail(std::string("expected '") + op + "'");
    }
    std::string expectName()
    {
        if (peek().kind != Token::Kind::Name)
            fail("expected a name");
        return m_tokens[m_pos++].text;
    }
    void expectEnd()
    {
        if (!atEnd())
            fail("unexpected '" + describe(peek()) + "'");
    }
    [[noreturn]] void fail(const std::string& what) const { syntaxError(m_line, what); }

    ExprPtr make(Expr::Kind k) const
    {
        auto e = std::make_unique<Expr>();
        e->kind = k;
        e->line = m_line;
        return e;
    }

    // A tuple without parentheses ("a, b") where Jinja allows one (set values, for targets, output).
    ExprPtr parseTuple()
    {
        ExprPtr first = parseExpression();
        if (!isOp(","))
            return first;
        auto tuple = make(Expr::Kind::TupleLit);
        tuple->args.push_back(std::move(first));
        while (acceptOp(",")) {
            if (atEnd() || isOp("=") || isOp(")"))
                break;
            tuple->args.push_back(parseExpression());
        }
        return tuple;
    }

    // withCondExpr = false: no "a if b else c" (a for loop's iterable, where "if" filters).
    ExprPtr parseExpression(bool withCondExpr = true)
    {
        ExprPtr e = parseOr();
        if (withCondExpr && acceptName("if")) {
            auto t = make(Expr::Kind::Ternary);
            t->args.push_back(parseOr());  // condition
            t->args.push_back(std::move(e));
            if (acceptName("else"))
                t->args.push_back(parseExpression());
            return t;
        }
        return e;
    }

private:
    static std::string describe(const Token& t)
    {
        return t.kind == Token::Kind::String ? t.value.repr() : t.kind == Token::Kind::End ? "end of tag" : t.text;
    }

    ExprPtr binary(Expr::Kind k, std::string op, ExprPtr a, ExprPtr b)
    {
        auto e = make(k);
        e->name = std::move(op);
        e->args.push_back(std::move(a));
        e->args.push_back(std::move(b));
        return e;
    }

    ExprPtr parseOr()
    {
        ExprPtr e = parseAnd();
        while (acceptName("or"))
            e = binary(Expr::Kind::Or, "or", std::move(e), parseAnd());
        return e;
    }
    ExprPtr parseAnd()
    {
        ExprPtr e = parseNot();
        while (acceptName("and"))
            e = binary(Expr::Kind::And, "and", std::move(e), parseNot());
        return e;
    }
    ExprPtr parseNot()
    {
        if (acceptName("not")) {
            auto e = make(Expr::Kind::Not);
            e->args.push_back(parseNot());
            return e;
        }
        return parseCompare();
    }
    ExprPtr parseCompare()
    {
        ExprPtr e = parseMath1();
        for (;;) {
            std::string op;
            for (const char* o : {"==", "!=", "<=", ">=", "<", ">"})
                if (isOp(o)) {
                    op = o;
                    break;
                }
            if (!op.empty()) {
                ++m_pos;
            } else if (acceptName("in")) {
                op = "in";
            } else if (isName("not") && isName("in", 1)) {
                m_pos += 2;
                op = "not in";
            } else {
                return e;
            }
            e = binary(Expr::Kind::Binary, op, std::move(e), parseMath1());
        }
    }
    ExprPtr parseMath1()
    {
        ExprPtr e = parseConcat();
        while (isOp("+") || isOp("-")) {
            const std::string op = m_tokens[m_pos++].text;
            e = binary(Expr::Kind::Binary, op, std::move(e), parseConcat());
        }
        return e;
    }
    ExprPtr parseConcat()
    {
        ExprPtr e = parseMath2();
        while (acceptOp("~"))
            e = binary(Expr::Kind::Binary, "~", std::move(e), parseMath2());
        return e;
    }
    ExprPtr parseMath2()
    {
        ExprPtr e = parsePow();
        while (isOp("*") || isOp("/") || isOp("//") || isOp("%")) {
            const std::string op = m_tokens[m_pos++].text;
            e = binary(Expr::Kind::Binary, op, std::move(e), parsePow());
        }
        return e;
    }
    ExprPtr parsePow()
    {
        ExprPtr e = parseUnary(true);
        while (acceptOp("**"))
            e = binary(Expr::Kind::Binary, "**", std::move(e), parseUnary(true));
        return e;
    }
    ExprPtr parseUnary(bool withFilter)
    {
        ExprPtr e;
        if (acceptOp("-")) {
            e = make(Expr::Kind::Neg);
            e->args.push_back(parseUnary(false));
        } else if (acceptOp("+")) {
            e = parseUnary(false);
        } else {
            e = parsePrimary();
        }
        e = parsePostfix(std::move(e));
        return withFilter ? parseFilterExpr(std::move(e)) : std::move(e);
    }

    ExprPtr parsePrimary()
    {
        const Token t = peek();
        ++m_pos;
        switch (t.kind) {
        case Token::Kind::String: {
            std::string s = t.value.str();
            while (peek().kind == Token::Kind::String)  // adjacent literals concatenate
                s += m_tokens[m_pos++].value.str();
            auto e = make(Expr::Kind::Literal);
            e->literal = Value(std::move(s));
            return e;
        }
        case Token::Kind::Int:
        case Token::Kind::Float: {
            auto e = make(Expr::Kind::Literal);
            e->literal = t.value;
            return e;
        }
        case Token::Kind::Name: {
            auto e = make(Expr::Kind::Literal);
            if (t.text == "true" || t.text == "True")
                e->literal = Value(true);
            else if (t.text == "false" || t.text == "False")
                e->literal = Value(false);
            else if (t.text == "none" || t.text == "None")
                e->literal = Value::none();
            else {
                e->kind = Expr::Kind::Name;
                e->name = t.text;
            }
            return e;
        }
        case Token::Kind::Op:
            if (t.text == "(") {
                if (acceptOp(")"))
                    return make(Expr::Kind::TupleLit);
                ExprPtr inner = parseTuple();
                expectOp(")");
                return inner;
            }
            if (t.text == "[") {
                auto e = make(Expr::Kind::ListLit);
                while (!isOp("]")) {
                    e->args.push_back(parseExpression());
                    if (!acceptOp(","))
                        break;
                }
                expectOp("]");
                return e;
            }
            if (t.text == "{") {
                auto e = make(Expr::Kind::DictLit);
                while (!isOp("}")) {
                    e->args.push_back(parseExpression());
                    expectOp(":");
                    e->args.push_back(parseExpression());
                    if (!acceptOp(","))
                        break;
                }
                expectOp("}");
                return e;
            }
            break;
        case Token::Kind::End:
            break;
        }
        fail("unexpected '" + describe(t) + "'");
    }

    void parseCallArgs(Expr& call)
    {
        // after '(' : positional args, then name=value keyword args
        while (!isOp(")")) {
            if (peek().kind == Token::Kind::Name && isOp("=", 1)) {
                call.kwNames.push_back(m_tokens[m_pos].text);
                m_pos += 2;
                call.args.push_back(parseExpression());
            } else {
                if (!call.kwNames.empty())
                    fail("positional argument after keyword argument");
                call.args.push_back(parseExpression());
            }
            if (!acceptOp(","))
                break;
        }
        expectOp(")");
    }

    ExprPtr parsePostfix(ExprPtr e)
    {
        for (;;) {
            if (acceptOp(".")) {
                auto g = make(Expr::Kind::GetAttr);
                if (peek().kind == Token::Kind::Int) {
                    g->kind = Expr::Kind::GetItem;
                    auto idx = make(Expr::Kind::Literal);
                    idx->literal = m_tokens[m_pos++].value;
                    g->args.push_back(std::move(e));
                    g->args.push_back(std::move(idx));
                } else {
                    g->name = expectName();
                    g->args.push_back(std::move(e));
                }
                e = std::move(g);
            } else if (acceptOp("[")) {
                ExprPtr parts[3];
                bool slice = false;
                for (int k = 0; k < 3; ++k) {
                    if (!isOp(":") && !isOp("]"))
                        parts[k] = parseExpression();
                    if (k < 2 && acceptOp(":"))
                        slice = true;
                    else
                        break;
                }
                expectOp("]");
                auto g = make(slice ? Expr::Kind::Slice : Expr::Kind::GetItem);
                g->args.push_back(std::move(e));
                for (auto& p : parts)
                    g->args.push_back(std::move(p));
                if (!slice)
                    g->args.resize(2);
                e = std::move(g);
            } else if (acceptOp("(")) {
                auto c = make(Expr::Kind::Call);
                c->args.push_back(std::move(e));
                parseCallArgs(*c);
                e = std::move(c);
            } else {
                return e;
            }
        }
    }

    ExprPtr parseFilterExpr(ExprPtr e)
    {
        for (;;) {
            if (acceptOp("|")) {
                auto f = make(Expr::Kind::Filter);
                f->name = expectName();
                f->args.push_back(std::move(e));
                if (acceptOp("("))
                    parseCallArgs(*f);
                e = std::move(f);
            } else if (acceptName("is")) {
                auto t = make(Expr::Kind::Test);
                t->negated = acceptName("not");
                t->name = expectName();
                t->args.push_back(std::move(e));
                if (acceptOp("(")) {
                    parseCallArgs(*t);
                } else if (!atEnd() && !isName("else") && !isName("or") && !isName("and") && !isName("if") &&
                           (peek().kind != Token::Kind::Op || isOp("(") || isOp("[") || isOp("{") || isOp("-")) &&
                           !isOp(")")) {
                    t->args.push_back(parsePostfix(parsePrimary()));
                }
                e = std::move(t);
            } else if (acceptOp("(")) {
                auto c = make(Expr::Kind::Call);
                c->args.push_back(std::move(e));
                parseCallArgs(*c);
                e = std::move(c);
            } else {
                return e;
            }
        }
    }

    std::vector<Token> m_tokens;
    std::size_t m_pos = 0;
    int m_line;
};

// ---- Statements --------------------------------------------------------------------------------

class StmtParser {
public:
    explicit StmtParser(std::vector<Item> items) : m_items(std::move(items)) {}

    Body parseAll()
    {
        Body body = parseBody({});
        if (m_pos < m_items.size())
            syntaxError(m_items[m_pos].line, "unexpected '{% " + m_items[m_pos].content + " %}'");
        return body;
    }

private:
    static std::string keyword(const Item& it)
    {
        const std::string c = trimmed(it.content);
        std::size_t n = 0;
        while (n < c.size() && (std::isalnum(std::uint8_t(c[n])) || c[n] == '_'))
            ++n;
        return c.substr(0, n);
    }
    static std::string rest(const Item& it)
    {
        const std::string c = trimmed(it.content);
        return c.substr(keyword(it).size());
    }

    std::unique_ptr<Stmt> make(Stmt::Kind k, int line)
    {
        auto s = std::make_unique<Stmt>();
        s->kind = k;
        s->line = line;
        return s;
    }

    // Parses until one of `stops` (a block keyword) is the next item; leaves it unconsumed.
    Body parseBody(const std::set<std::string>& stops)
    {
        Body body;
        while (m_pos < m_items.size()) {
            const Item& it = m_items[m_pos];
            if (it.kind == Item::Kind::Text) {
                if (!it.content.empty()) {
                    auto s = make(Stmt::Kind::Text, it.line);
                    s->text = it.content;
                    body.push_back(std::move(s));
                }
                ++m_pos;
            } else if (it.kind == Item::Kind::Comment) {
                ++m_pos;
            } else if (it.kind == Item::Kind::Var) {
                ExprParser p(it.content, it.line);
                auto s = make(Stmt::Kind::Output, it.line);
                s->expr = p.parseTuple();
                p.expectEnd();
                body.push_back(std::move(s));
                ++m_pos;
            } else {
                const std::string kw = keyword(it);
                if (stops.count(kw))
                    return body;
                body.push_back(parseBlock(it));
            }
        }
        if (!stops.empty())
            syntaxError(m_items.empty() ? 1 : m_items.back().line,
                        "missing '{% " + *stops.rbegin() + " %}' at end of template");
        return body;
    }

    void expectEndTag(const char* name)
    {
        if (m_pos >= m_items.size() || keyword(m_items[m_pos]) != name)
            syntaxError(m_pos < m_items.size() ? m_items[m_pos].line : 0, std::string("expected {% ") + name + " %}");
        ++m_pos;
    }

    std::unique_ptr<Stmt> parseBlock(const Item& it)
    {
        const std::string kw = keyword(it);
        const int line = it.line;
        ++m_pos;
        if (kw == "if") {
            auto s = make(Stmt::Kind::If, line);
            ExprParser p(rest(it), line);
            s->conditions.push_back(p.parseExpression());
            p.expectEnd();
            s->bodies.push_back(parseBody({"elif", "else", "endif"}));
            while (keyword(m_items[m_pos]) == "elif") {
                ExprParser pe(rest(m_items[m_pos]), m_items[m_pos].line);
                ++m_pos;
                s->conditions.push_back(pe.parseExpression());
                pe.expectEnd();
                s->bodies.push_back(parseBody({"elif", "else", "endif"}));
            }
            if (keyword(m_items[m_pos]) == "else") {
                ++m_pos;
                s->bodies.push_back(parseBody({"endif"}));
            }
            expectEndTag("endif");
            return s;
        }
        if (kw == "for") {
            auto s = make(Stmt::Kind::For, line);
            ExprParser p(rest(it), line);
            do {
                s->targets.push_back(p.expectName());
            } while (p.acceptOp(","));
            if (!p.acceptName("in"))
                p.fail("expected 'in' in for loop");
            s->expr = p.parseExpression(false);
            if (p.acceptName("if"))
                s->conditions.push_back(p.parseExpression());
            if (p.acceptName("recursive"))
                throw Error(ErrorCode::Unsupported, "chat template line " + std::to_string(line) +
                                                        ": recursive for loops are not supported");
            p.expectEnd();
            s->bodies.push_back(parseBody({"else", "endfor"}));
            if (keyword(m_items[m_pos]) == "else") {
                ++m_pos;
                s->bodies.push_back(parseBody({"endfor"}));
            }
            expectEndTag("endfor");
            return s;
        }
        if (kw == "set") {
            ExprParser p(rest(it), line);
            std::vector<std::string> targets;
            do {
                std::string t = p.expectName();
                if (p.acceptOp("."))
                    t += "." + p.expectName();
                targets.push_back(t);
            } while (p.acceptOp(","));
            if (p.atEnd()) {  // block set
                auto s = make(Stmt::Kind::SetBlock, line);
                s->targets = targets;
                s->bodies.push_back(parseBody({"endset"}));
                expectEndTag("endset");
                return s;
            }
            p.expectOp("=");
            auto s = make(Stmt::Kind::Set, line);
            s->targets = targets;
            s->expr = p.parseTuple();
            p.expectEnd();
            return s;
        }
        if (kw == "macro") {
            auto s = make(Stmt::Kind::Macro, line);
            ExprParser p(rest(it), line);
            s->targets.push_back(p.expectName());
            p.expectOp("(");
            while (!p.isOp(")")) {
                s->params.push_back(p.expectName());
                s->defaults.push_back(p.acceptOp("=") ? p.parseExpression() : nullptr);
                if (!p.acceptOp(","))
                    break;
            }
            p.expectOp(")");
            p.expectEnd();
            s->bodies.push_back(parseBody({"endmacro"}));
            expectEndTag("endmacro");
            return s;
        }
        if (kw == "generation") {
            auto s = make(Stmt::Kind::Generation, line);
            s->bodies.push_back(parseBody({"endgeneration"}));
            expectEndTag("endgeneration");
            return s;
        }
        if (kw == "raw") {
            auto s = make(Stmt::Kind::Text, line);
            if (m_pos < m_items.size() && m_items[m_pos].kind == Item::Kind::Text)
                s->text = m_items[m_pos++].content;
            expectEndTag("endraw");
            return s;
        }
        if (kw == "break" || kw == "continue")
            return make(kw == "break" ? Stmt::Kind::Break : Stmt::Kind::Continue, line);
        static const std::set<std::string> unsupported = {"include", "extends", "import", "from", "block",
                                                          "call", "filter", "with", "autoescape", "do"};
        if (unsupported.count(kw))
            throw Error(ErrorCode::Unsupported, "chat template line " + std::to_string(line) + ": the '" + kw +
                                                    "' tag is not supported");
        syntaxError(line, "unknown tag '" + kw + "'");
    }

    std::vector<Item> m_items;
    std::size_t m_pos = 0;
};

}  // namespace

Body parseTemplate(const std::string& source)
{
    return StmtParser(lexItems(source)).parseAll();
}

}  // namespace distill::tokenizer::jinja
