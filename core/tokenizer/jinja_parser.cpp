#include "core/tokenizer/jinja_parser.h"

#include "core/tokenizer/jinja_lexer.h"
#include "core/util/error.h"

#include <cctype>
#include <set>

namespace distill::tokenizer::jinja {

namespace {

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

    // Adds an operand; a tree deeper than kMaxNesting (a chain of 100,000 '+' is as deep as it is
    // long) is a syntax error before it is built further.
    void adopt(Expr& parent, ExprPtr child)
    {
        if (child && child->depth >= parent.depth) {
            parent.depth = child->depth + 1;
            if (parent.depth > kMaxNesting)
                fail("expression nested deeper than " + std::to_string(kMaxNesting) + " levels");
        }
        parent.args.push_back(std::move(child));
    }

    // Counts the parser's own recursion (parentheses, unary operators) for the same limit.
    class Nested {
    public:
        explicit Nested(ExprParser& parser) : m_parser(parser)
        {
            if (++m_parser.m_nesting > kMaxNesting)
                m_parser.fail("expression nested deeper than " + std::to_string(kMaxNesting) + " levels");
        }
        ~Nested() { --m_parser.m_nesting; }
        Nested(const Nested&) = delete;
        Nested& operator=(const Nested&) = delete;

    private:
        ExprParser& m_parser;
    };

    // A tuple without parentheses ("a, b") where Jinja allows one (set values, for targets, output).
    ExprPtr parseTuple()
    {
        ExprPtr first = parseExpression();
        if (!isOp(","))
            return first;
        auto tuple = make(Expr::Kind::TupleLit);
        adopt(*tuple, std::move(first));
        while (acceptOp(",")) {
            if (atEnd() || isOp("=") || isOp(")"))
                break;
            adopt(*tuple, parseExpression());
        }
        return tuple;
    }

    // withCondExpr = false: no "a if b else c" (a for loop's iterable, where "if" filters).
    ExprPtr parseExpression(bool withCondExpr = true)
    {
        const Nested nested(*this);
        ExprPtr e = parseOr();
        if (withCondExpr && acceptName("if")) {
            auto t = make(Expr::Kind::Ternary);
            adopt(*t, parseOr());  // condition
            adopt(*t, std::move(e));
            if (acceptName("else"))
                adopt(*t, parseExpression());
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
        adopt(*e, std::move(a));
        adopt(*e, std::move(b));
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
        const Nested nested(*this);
        if (acceptName("not")) {
            auto e = make(Expr::Kind::Not);
            adopt(*e, parseNot());
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
        const Nested nested(*this);
        ExprPtr e;
        if (acceptOp("-")) {
            e = make(Expr::Kind::Neg);
            adopt(*e, parseUnary(false));
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
                    adopt(*e, parseExpression());
                    if (!acceptOp(","))
                        break;
                }
                expectOp("]");
                return e;
            }
            if (t.text == "{") {
                auto e = make(Expr::Kind::DictLit);
                while (!isOp("}")) {
                    adopt(*e, parseExpression());
                    expectOp(":");
                    adopt(*e, parseExpression());
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
                adopt(call, parseExpression());
            } else {
                if (!call.kwNames.empty())
                    fail("positional argument after keyword argument");
                adopt(call, parseExpression());
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
                    adopt(*g, std::move(e));
                    adopt(*g, std::move(idx));
                } else {
                    g->name = expectName();
                    adopt(*g, std::move(e));
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
                if (!slice && !parts[0])
                    fail("empty subscript '[]'");
                auto g = make(slice ? Expr::Kind::Slice : Expr::Kind::GetItem);
                adopt(*g, std::move(e));
                for (auto& p : parts)
                    adopt(*g, std::move(p));
                if (!slice)
                    g->args.resize(2);
                e = std::move(g);
            } else if (acceptOp("(")) {
                auto c = make(Expr::Kind::Call);
                adopt(*c, std::move(e));
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
                adopt(*f, std::move(e));
                if (acceptOp("("))
                    parseCallArgs(*f);
                e = std::move(f);
            } else if (acceptName("is")) {
                auto t = make(Expr::Kind::Test);
                t->negated = acceptName("not");
                t->name = expectName();
                adopt(*t, std::move(e));
                if (acceptOp("(")) {
                    parseCallArgs(*t);
                } else if (!atEnd() && !isName("else") && !isName("or") && !isName("and") && !isName("if") &&
                           (peek().kind != Token::Kind::Op || isOp("(") || isOp("[") || isOp("{") || isOp("-")) &&
                           !isOp(")")) {
                    adopt(*t, parsePostfix(parsePrimary()));
                }
                e = std::move(t);
            } else if (acceptOp("(")) {
                auto c = make(Expr::Kind::Call);
                adopt(*c, std::move(e));
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
    int m_nesting = 0;
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
        if (m_depth > kMaxNesting)
            syntaxError(m_pos < m_items.size() ? m_items[m_pos].line : 0,
                        "blocks nested deeper than " + std::to_string(kMaxNesting) + " levels");
        ++m_depth;
        Body body = parseItems(stops);
        --m_depth;
        return body;
    }

    Body parseItems(const std::set<std::string>& stops)
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
    int m_depth = 0;  // blocks open around the body being parsed
};

}  // namespace

Body parseTemplate(const std::string& source)
{
    return StmtParser(lexItems(source)).parseAll();
}

}  // namespace distill::tokenizer::jinja
