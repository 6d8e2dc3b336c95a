#include "core/verify/latex_parser.h"
#include "core/verify/parser_values.h"
#include "core/verify/text_scan.h"

#include "core/util/error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>

namespace distill::verify {

using GiNaC::ex;
using GiNaC::numeric;

namespace {

using namespace text;

constexpr std::size_t kMaxLength = 2000;
constexpr int kMaxDepth = 120;
constexpr long kMaxFactorial = 2000;


class ExprParser {
public:
    ExprParser(std::string_view s, ParseContext& ctx) : m_s(s), m_ctx(ctx)
    {
        if (s.size() > kMaxLength)
            failTooLarge("answer too long");
    }

    void relationChain(std::vector<ex>& operands, std::vector<std::string>& ops)
    {
        operands.push_back(sum());
        for (;;) {
            const std::string op = relationOp();
            if (op.empty())
                break;
            ops.push_back(op);
            operands.push_back(sum());
        }
        skipSpaces();
        if (m_pos != m_s.size())
            failParse("unexpected '" + excerpt(12) + "'");
    }

private:
    // Up to `bytes` bytes of the input at the current position for a message, never ending inside a UTF-8
    // character (the message must stay valid UTF-8 for JSON).
    std::string excerpt(std::size_t bytes) const
    {
        std::size_t start = std::min(m_pos, m_s.size());
        while (start > 0 && start < m_s.size() && isUtf8Continuation(m_s[start]))
            --start;
        std::size_t end = std::min(start + bytes, m_s.size());
        while (end < m_s.size() && isUtf8Continuation(m_s[end]))
            ++end;
        return std::string(m_s.substr(start, end - start));
    }

    struct DepthGuard {
        explicit DepthGuard(int& d) : depth(d)
        {
            if (++depth > kMaxDepth)
                failTooLarge("expression nested too deeply");
        }
        ~DepthGuard() { --depth; }
        int& depth;
    };

    void skipSpaces()
    {
        while (m_pos < m_s.size() && (m_s[m_pos] == ' ' || m_s[m_pos] == '\t' || m_s[m_pos] == '\n'))
            ++m_pos;
    }
    char peek()
    {
        skipSpaces();
        return m_pos < m_s.size() ? m_s[m_pos] : '\0';
    }
    bool eat(char c)
    {
        if (peek() == c) {
            ++m_pos;
            return true;
        }
        return false;
    }
    // The command name at the cursor ("frac" for "\frac"), without consuming it.
    std::string_view peekCommand()
    {
        if (peek() != '\\' || m_pos + 1 >= m_s.size())
            return {};
        std::size_t j = m_pos + 1;
        if (isAlpha(m_s[j])) {
            while (j < m_s.size() && isAlpha(m_s[j]))
                ++j;
        } else {  // one character, all of its UTF-8 bytes ("\Ҭ")
            ++j;
            while (j < m_s.size() && isUtf8Continuation(m_s[j]))
                ++j;
        }
        return m_s.substr(m_pos + 1, j - m_pos - 1);
    }
    bool eatCommand(std::string_view name)
    {
        if (peekCommand() == name) {
            m_pos += name.size() + 1;
            return true;
        }
        return false;
    }

    std::string relationOp()
    {
        const char c = peek();
        if (c == '=') {
            ++m_pos;
            return "=";
        }
        if (c == '<' || c == '>') {
            ++m_pos;
            if (m_pos < m_s.size() && m_s[m_pos] == '=') {
                ++m_pos;
                return c == '<' ? "<=" : ">=";
            }
            return std::string(1, c);
        }
        if (c == '!' && m_pos + 1 < m_s.size() && m_s[m_pos + 1] == '=') {
            m_pos += 2;
            return "!=";
        }
        const std::string_view cmd = peekCommand();
        if (cmd == "le" || cmd == "ge" || cmd == "ne") {
            m_pos += 3;
            return cmd == "le" ? "<=" : cmd == "ge" ? ">=" : "!=";
        }
        return {};
    }

    ex sum()
    {
        DepthGuard guard(m_depth);
        ex result;
        if (eat('-'))
            result = mulValues(-1, term());
        else {
            eat('+');
            result = term();
        }
        for (;;) {
            if (eat('+'))
                result = addValues(result, term());
            else if (eat('-'))
                result = addValues(result, mulValues(-1, term()));
            else if (peekCommand() == "pm" || peekCommand() == "mp")
                failParse("\\pm inside an expression");
            else
                return result;
        }
    }

    bool startsFactor()
    {
        const char c = peek();
        if (isDigit(c) || isAlpha(c) || c == '(' || c == '{' || c == '.' || c == '[')
            return true;
        if (c == '|')
            return m_absDepth == 0;
        if (c == '\\') {
            const std::string_view cmd = peekCommand();
            return !(cmd == "cdot" || cmd == "times" || cmd == "div" || cmd == "le" || cmd == "ge" || cmd == "ne"
                     || cmd == "pm" || cmd == "mp" || cmd == "cup" || cmd == "in" || cmd == "%" || cmd == "circ"
                     || cmd == "}" || cmd == "rfloor" || cmd == "rceil" || cmd == "rvert" || cmd == "right"
                     || cmd == "\\" || cmd == "end" || cmd == "mid" || cmd == "choose" || cmd.empty());
        }
        return false;
    }

    // Mixed number "2\frac{1}{2}": an integer literal directly followed by a fraction of integer literals.
    bool mixedFractionFollows()
    {
        const std::size_t save = m_pos;
        bool ok = false;
        if (eatCommand("frac")) {
            auto intArg = [&] {
                skipSpaces();
                if (m_pos < m_s.size() && isDigit(m_s[m_pos])) {
                    ++m_pos;
                    return true;
                }
                if (!eat('{'))
                    return false;
                const std::size_t start = m_pos;
                while (m_pos < m_s.size() && isDigit(m_s[m_pos]))
                    ++m_pos;
                return m_pos > start && eat('}');
            };
            ok = intArg() && intArg();
        }
        m_pos = save;
        return ok;
    }

    ex term()
    {
        bool lastWasInteger = false;
        ex result = signedFactor(&lastWasInteger);
        bool first = true;
        for (;;) {
            const std::string_view cmd = peekCommand();
            if (eat('*') || cmd == "cdot" || cmd == "times") {
                if (!cmd.empty())
                    m_pos += cmd.size() + 1;
                result = mulValues(result, signedFactor(nullptr));
            } else if (eat('/') || eat(':') || cmd == "div") {  // "a:b" is the ratio a/b
                if (cmd == "div")
                    m_pos += 4;
                const ex d = signedFactor(nullptr);
                if (d.is_zero())
                    failParse("division by zero");
                if (isMatrix(d))
                    failParse("division by a matrix");
                result = mulValues(result, 1 / d);
            } else if (startsFactor()) {
                if (first && lastWasInteger && mixedFractionFollows())  // "12\frac12\%" is (12 1/2)%
                    result = suffixed(result + primary(nullptr), nullptr, true);
                else
                    result = mulValues(result, factor(nullptr));
            } else {
                break;
            }
            first = false;
        }
        return result;
    }

    ex signedFactor(bool* wasInteger)
    {
        if (eat('-'))
            return mulValues(-1, signedFactor(nullptr));
        if (eat('+'))
            return signedFactor(nullptr);
        return factor(wasInteger);
    }

    // factor := primary postfix* ['^' exponent]
    ex factor(bool* wasInteger)
    {
        DepthGuard guard(m_depth);
        return suffixed(primary(wasInteger), wasInteger, false);
    }

    // A value followed by postfix operators and powers: "5!", "12\%", "30^\circ", "x^2". A power of a
    // mixed number ("2\frac12^2": of the fraction or of 2 1/2?) is ambiguous and rejected.
    ex suffixed(ex base, bool* wasInteger, bool mixedNumber)
    {
        base = postfix(base);
        for (;;) {
            if (peek() != '^')
                return base;
            ++m_pos;
            if (wasInteger)
                *wasInteger = false;
            skipSpaces();
            if (eatCommand("circ")) {
                base *= m_ctx.degree;
            } else if (m_s.substr(m_pos, 7) == "{\\circ}") {
                m_pos += 7;
                base *= m_ctx.degree;
            } else if (isMatrix(base) && eatTranspose()) {
                base = transposed(base);
            } else {
                if (mixedNumber)
                    failParse("a power of a mixed number");
                const ex e = argument(true);
                base = isMatrix(base) ? matrixPower(base, e) : guardedPower(base, e);
            }
            base = postfix(base);
        }
    }

    // "T", "{T}", "\top", "{\top}" after '^' on a matrix.
    bool eatTranspose()
    {
        const std::size_t save = m_pos;
        const bool braced = eat('{');
        const bool t = eat('T') || eatCommand("top") || eatCommand("intercal");
        if (t && (!braced || eat('}')))
            return true;
        m_pos = save;
        return false;
    }

    std::string environmentName()
    {
        if (!eat('{'))
            failParse("missing environment name");
        const std::size_t close = m_s.find('}', m_pos);
        if (close == std::string_view::npos)
            failParse("missing '}' after an environment name");
        const std::string name(m_s.substr(m_pos, close - m_pos));
        m_pos = close + 1;
        return name;
    }

    // \begin{pmatrix} a & b \\ c & d \end{pmatrix} (bmatrix, matrix, array with its column spec, ...).
    ex matrixEnvironment()
    {
        const std::string env = environmentName();
        if (!isMatrixEnvironment(env))
            throw Error(ErrorCode::Unsupported, "unsupported environment " + env);
        if (env == "array" && peek() == '{') {
            const std::size_t close = m_s.find('}', m_pos);
            if (close == std::string_view::npos)
                failParse("missing '}' in an array column spec");
            m_pos = close + 1;
        }
        std::vector<std::vector<ex>> rows(1);
        std::size_t cells = 0;
        for (;;) {
            if (eatCommand("end"))
                break;
            if (peek() == '\0')
                failParse("matrix not closed by \\end{" + env + "}");
            rows.back().push_back(sum());
            if (++cells > 400)
                failTooLarge("matrix too large");
            if (eat('&'))
                continue;
            if (eatCommand("\\")) {
                if (peekCommand() != "end")
                    rows.emplace_back();
                continue;
            }
            if (peekCommand() != "end")
                failParse("unexpected '" + excerpt(12) + "' in a matrix");
        }
        if (environmentName() != env)
            failParse("matrix not closed by \\end{" + env + "}");
        const std::size_t cols = rows.front().size();
        if (cols == 0)
            failParse("empty matrix");
        for (const auto& row : rows)
            if (row.size() != cols)
                failParse("matrix rows of different lengths");
        GiNaC::matrix m(unsigned(rows.size()), unsigned(cols));
        for (std::size_t r = 0; r < rows.size(); ++r)
            for (std::size_t c = 0; c < cols; ++c) {
                if (isMatrix(rows[r][c]))
                    failParse("a matrix inside a matrix");
                m(unsigned(r), unsigned(c)) = rows[r][c];
            }
        if (env == "vmatrix")  // |a b; c d| is the determinant
            return determinantOf(m);
        return m;
    }

    ex postfix(ex value)
    {
        for (;;) {
            const char c = peek();
            const bool notEqual = m_pos + 1 < m_s.size() && m_s[m_pos + 1] == '=';
            const bool integer = GiNaC::is_a<numeric>(value) && GiNaC::ex_to<numeric>(value).is_integer();
            if (c == '!' && (!notEqual || integer)) {  // "5!=120" is 5! = 120; "x != 5" is not-equal
                ++m_pos;
                if (GiNaC::is_a<numeric>(value)) {
                    const numeric n = GiNaC::ex_to<numeric>(value);
                    if (!n.is_nonneg_integer())
                        failParse("factorial of a non-integer");
                    if (n > kMaxFactorial)
                        failTooLarge("factorial too large");
                }
                value = GiNaC::factorial(value);
            } else if (peekCommand() == "%") {
                m_pos += 2;
                value *= m_ctx.percent;
            } else if (peekCommand() == "circ") {
                m_pos += 5;
                value *= m_ctx.degree;
            } else if (c == '\'') {
                failParse("derivative marks are not supported");
            } else {
                return value;
            }
        }
    }

    // A macro argument: a {group}, one digit, one letter, or one command atom; `exponent`
    // also allows a sign ("x^-1") and multi-character groups only when braced.
    ex argument(bool exponent)
    {
        const char c = peek();
        if (c == '{') {
            ++m_pos;
            const ex e = sum();
            if (!eat('}'))
                failParse("missing '}'");
            return e;
        }
        if (c == '(' && !exponent) {  // \sqrt(2), as typed in plain text
            ++m_pos;
            return group(')');
        }
        if (exponent && c == '-') {
            ++m_pos;
            return -argument(true);
        }
        if (isDigit(c)) {  // one digit: "x^23" is x^2 * 3, "\frac12" is 1/2
            int digit = 0;
            std::from_chars(m_s.data() + m_pos, m_s.data() + m_pos + 1, digit);
            ++m_pos;
            return digit;
        }
        if (isAlpha(c)) {
            ++m_pos;
            return letter(c);
        }
        if (c == '\\')
            return primary(nullptr);
        failParse("missing argument");
    }

    ex letter(char c)
    {
        std::string name(1, c);
        skipSpaces();
        if (m_pos < m_s.size() && m_s[m_pos] == '_') {  // x_1, a_{n}: part of the name
            ++m_pos;
            skipSpaces();
            if (m_pos < m_s.size() && m_s[m_pos] == '{') {
                const std::size_t close = m_s.find('}', m_pos);
                if (close == std::string_view::npos)
                    failParse("missing '}' in subscript");
                name += '_';
                name.append(m_s.substr(m_pos + 1, close - m_pos - 1));
                m_pos = close + 1;
            } else if (m_pos < m_s.size()) {
                name += '_';
                name += m_s[m_pos++];
            }
            return m_ctx.symbol(name);
        }
        if (c == 'e')
            return GiNaC::exp(ex(1));
        if (c == 'i')
            return GiNaC::I;
        return m_ctx.symbol(name);
    }

    // A subscript on a number is its base ("204_5"): returned as a marker symbol the comparison
    // drops unless both answers name different bases.
    ex numberBase()
    {
        if (peek() != '_')
            return 1;
        ++m_pos;
        std::string base;
        if (peek() == '{') {
            const std::size_t close = m_s.find('}', m_pos);
            if (close == std::string_view::npos)
                failParse("missing '}' in subscript");
            base = std::string(m_s.substr(m_pos + 1, close - m_pos - 1));
            m_pos = close + 1;
        } else if (m_pos < m_s.size()) {  // one character, all of its UTF-8 bytes
            const std::size_t start = m_pos++;
            while (m_pos < m_s.size() && isUtf8Continuation(m_s[m_pos]))
                ++m_pos;
            base = std::string(m_s.substr(start, m_pos - start));
        }
        return m_ctx.symbol(std::string(kBasePrefix) + base);
    }

    ex number(bool* wasInteger)
    {
        std::string digits;
        std::size_t fraction = 0;
        bool point = false;
        while (m_pos < m_s.size() && (isDigit(m_s[m_pos]) || (m_s[m_pos] == '.' && !point))) {
            if (m_s[m_pos] == '.') {
                const bool repeating = m_s.substr(m_pos + 1, 10) == "\\overline{";
                if (!repeating && (m_pos + 1 >= m_s.size() || !isDigit(m_s[m_pos + 1])))
                    break;
                point = true;
            } else {
                digits += m_s[m_pos];
                if (point)
                    ++fraction;
            }
            ++m_pos;
        }
        if (digits.empty())
            failParse("malformed number");
        if (m_pos < m_s.size() && m_s[m_pos] == ' ') {
            std::size_t next = m_pos;
            while (next < m_s.size() && m_s[next] == ' ')
                ++next;
            if (next < m_s.size() && isDigit(m_s[next]))
                failParse("two numbers side by side");  // "12 000" is no product
        }
        if (digits.size() > 400)
            failTooLarge("number too long");
        ex value = numeric(digits.c_str());
        if (point && m_s.substr(m_pos, 10) == "\\overline{") {  // 0.1\overline{6}: an exact repeating decimal
            const std::size_t close = m_s.find('}', m_pos);
            const std::string_view period = close == std::string_view::npos
                ? std::string_view() : m_s.substr(m_pos + 10, close - m_pos - 10);
            if (period.empty() || period.size() > 100
                || !std::all_of(period.begin(), period.end(), [](char c) { return isDigit(c); }))
                failParse("malformed repeating decimal");
            m_pos = close + 1;
            const ex repeat = numeric(std::string(period).c_str())
                / (GiNaC::pow(ex(10), ex(long(period.size()))) - 1);
            value = (value + repeat) / GiNaC::pow(ex(10), ex(long(fraction)));
        } else if (point) {
            value = value / GiNaC::pow(ex(10), ex(long(fraction)));
            m_ctx.sawDecimal = true;
        }
        // Scientific notation "1.5e3" / "2E-4".
        if (m_pos + 1 < m_s.size() && (m_s[m_pos] == 'e' || m_s[m_pos] == 'E')) {
            std::size_t j = m_pos + 1;
            bool negative = false;
            if (m_s[j] == '-' || m_s[j] == '+') {
                negative = m_s[j] == '-';
                ++j;
            }
            if (j < m_s.size() && isDigit(m_s[j])) {
                std::size_t end = j;
                while (end < m_s.size() && isDigit(m_s[end]))
                    ++end;
                long exp10 = 0;
                const auto read = std::from_chars(m_s.data() + j, m_s.data() + end, exp10);
                if (read.ec != std::errc() || exp10 > 1000)
                    failTooLarge("exponent too large");
                m_pos = end;
                value *= GiNaC::pow(ex(10), ex(negative ? -exp10 : exp10));
                m_ctx.sawDecimal = true;
                point = true;
            }
        }
        if (wasInteger)
            *wasInteger = !point;
        return value * numberBase();
    }

    ex group(char close)
    {
        const ex e = sum();
        if (!eat(close))
            failParse(std::string("missing '") + close + "'");
        return e;
    }

    ex functionCall(Fn fn)
    {
        const ex* basePtr = nullptr;
        ex base;
        ex power = 1;
        bool inverse = false;
        for (;;) {
            if (peek() == '_' && fn == Fn::Log) {
                ++m_pos;
                base = argument(false);
                basePtr = &base;
            } else if (peek() == '^') {
                ++m_pos;
                power = argument(true);
                if (power.is_equal(-1) && inverseOf(fn) != Fn::None) {
                    inverse = true;
                    power = 1;
                }
            } else {
                break;
            }
        }
        ex arg;
        const char c = peek();
        if (c == '(' || c == '{' || c == '[') {
            ++m_pos;
            arg = group(c == '(' ? ')' : c == '[' ? ']' : '}');
        } else {
            arg = factor(nullptr);  // \sin x, \sin 2x, \log 8
            while (isDigit(peek()) || isAlpha(peek()))
                arg *= factor(nullptr);
        }
        const ex value = applyFunction(inverse ? inverseOf(fn) : fn, arg, basePtr);
        return power.is_equal(1) ? value : guardedPower(value, power);
    }

    // "\max(3, 5)": the arguments in parentheses, separated by commas.
    ex listFunctionCall(std::string_view name)
    {
        if (!eat('('))
            failParse("missing '(' after " + std::string(name));
        std::vector<ex> args{sum()};
        while (eat(','))
            args.push_back(sum());
        if (!eat(')'))
            failParse("missing ')'");
        return applyListFunction(name, args);
    }

    ex command()
    {
        const std::string name(peekCommand());
        m_pos += name.size() + 1;
        if (name == "frac") {
            const ex n = argument(false);
            const ex d = argument(false);
            if (d.is_zero())
                failParse("division by zero");
            return n / d;
        }
        if (name == "sqrt") {
            ex index = 2;
            if (peek() == '[') {
                ++m_pos;
                index = group(']');
            }
            const ex radicand = argument(false);
            if (GiNaC::is_a<numeric>(index) && GiNaC::ex_to<numeric>(index).is_odd() && GiNaC::is_a<numeric>(radicand)
                && GiNaC::ex_to<numeric>(radicand).is_negative())
                return -guardedPower(-radicand, 1 / index);  // real odd root of a negative number
            return guardedPower(radicand, 1 / index);
        }
        if (name == "binom") {
            const ex n = argument(false);
            const ex k = argument(false);
            return GiNaC::binomial(n, k);
        }
        if (name == "begin")
            return matrixEnvironment();
        if (name == "pi")
            return GiNaC::Pi;
        if (name == "infty" || name == "infin")
            return m_ctx.infinity;
        if (name == "{" || name == "}")
            failParse("set braces inside an expression");
        if (name == "lvert" || name == "vert" || name == "mid" || name == "|") {
            ++m_absDepth;
            const ex e = sum();
            --m_absDepth;
            if (!(eat('|') || eatCommand("rvert") || eatCommand("vert") || eatCommand("mid") || eatCommand("|")))
                failParse("missing closing |");
            return GiNaC::abs(e);
        }
        if (name == "det") {
            const ex m = factor(nullptr);
            return determinantOf(m);
        }
        if (name == "lfloor" || name == "lceil") {
            const bool down = name == "lfloor";
            const ex e = sum();
            if (!eatCommand(down ? "rfloor" : "rceil"))
                failParse(down ? "missing \\rfloor" : "missing \\rceil");
            return roundedToInteger(e, down);
        }
        if (isGreek(name))
            return m_ctx.symbol(name);
        if (const Fn fn = functionNamed(name); fn != Fn::None)
            return functionCall(fn);
        if (isListFunction(name))
            return listFunctionCall(name);
        throw Error(ErrorCode::Unsupported, "unsupported command \\" + name);
    }

    ex primary(bool* wasInteger)
    {
        DepthGuard guard(m_depth);
        if (wasInteger)
            *wasInteger = false;
        const char c = peek();
        if (isDigit(c) || c == '.')
            return number(wasInteger);
        if (c == '{') {
            ++m_pos;
            const ex top = sum();
            if (eatCommand("choose")) {  // {n \choose k}
                const ex bottom = sum();
                if (!eat('}'))
                    failParse("missing '}'");
                return GiNaC::binomial(top, bottom);
            }
            if (!eat('}'))
                failParse("missing '}'");
            return top;
        }
        if (c == '(' || c == '[') {
            ++m_pos;
            return group(c == '(' ? ')' : ']');
        }
        if (c == '|') {
            ++m_pos;
            ++m_absDepth;
            const ex e = sum();
            --m_absDepth;
            if (!eat('|'))
                failParse("missing closing |");
            return GiNaC::abs(e);
        }
        if (isAlpha(c)) {
            std::size_t j = m_pos;
            while (j < m_s.size() && isAlpha(m_s[j]))
                ++j;
            const std::string_view word = m_s.substr(m_pos, j - m_pos);
            if (isListFunction(word)) {  // "\operatorname{lcm}(4, 6)" leaves "lcm(4, 6)"
                m_pos = j;
                return listFunctionCall(word);
            }
            if (word.size() > 1 && (functionNamed(word) != Fn::None || word == "sqrt" || word == "pi")) {
                m_pos = j;
                if (word == "pi")
                    return GiNaC::Pi;
                if (word == "sqrt")
                    return guardedPower(argument(false), GiNaC::numeric(1, 2));
                return functionCall(functionNamed(word));
            }
            ++m_pos;
            return letter(c);
        }
        if (c == '\\')
            return command();
        if (c == '\0')
            failParse("unexpected end of answer");
        failParse("unexpected '" + excerpt(1) + "'");
    }

    std::string_view m_s;
    ParseContext& m_ctx;
    std::size_t m_pos = 0;
    int m_depth = 0;
    int m_absDepth = 0;
};

}  // namespace

void parseRelationChain(std::string_view latex, ParseContext& ctx, std::vector<ex>& operands,
                        std::vector<std::string>& ops)
{
    ExprParser parser(latex, ctx);
    parser.relationChain(operands, ops);
}

}  // namespace distill::verify
