#include "core/verify/math_answer.h"

#include "core/util/error.h"
#include "core/verify/latex_parser.h"
#include "core/verify/text_scan.h"

#include <algorithm>
#include <cctype>

namespace distill::verify {

const GiNaC::symbol& ParseContext::symbol(const std::string& name)
{
    auto it = symbols.find(name);
    if (it == symbols.end())
        it = symbols.emplace(name, GiNaC::symbol(name)).first;
    return it->second;
}

namespace {

using namespace text;

constexpr std::size_t kMaxItems = 100;  // pairwise matching of elements stays bounded
constexpr std::size_t kMaxAnswerLength = 2000;  // bounds the structure recursion as well

// Splits at top-level occurrences of `sep` (outside (), [], {}, \{ \} and environments).
std::vector<std::string_view> splitTopLevel(std::string_view s, std::string_view sep)
{
    std::vector<std::string_view> parts;
    int depth = 0;
    std::size_t start = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\\') {
            if (s.compare(i, 7, "\\begin{") == 0)
                ++depth;
            else if (s.compare(i, 5, "\\end{") == 0)
                --depth;
            else if (depth == 0 && s.compare(i, sep.size(), sep) == 0 && sep[0] == '\\'
                     && (i + sep.size() >= s.size() || !std::isalpha(static_cast<unsigned char>(s[i + sep.size()])))) {
                parts.push_back(s.substr(start, i - start));
                start = i + sep.size();
                i = start - 1;
                continue;
            }
            if (i + 1 < s.size() && (s[i + 1] == '{' || s[i + 1] == '}')) {
                depth += s[i + 1] == '{' ? 1 : -1;
                ++i;
                continue;
            }
            ++i;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if (c == ')' || c == ']' || c == '}')
            --depth;
        else if (depth == 0 && sep.size() == 1 && c == sep[0]) {
            parts.push_back(s.substr(start, i - start));
            start = i + 1;
        }
    }
    parts.push_back(s.substr(start));
    return parts;
}

// Index of the bracket closing the one at 0 ('(' or '[', closed by ')' or ']'), or npos.
std::size_t matchingBracket(std::string_view s)
{
    int depth = 0;
    for (std::size_t i = 0; i < s.size(); ++i) {
        const char c = s[i];
        if (c == '\\') {
            ++i;
            continue;
        }
        if (c == '(' || c == '[' || c == '{')
            ++depth;
        else if ((c == ')' || c == ']' || c == '}') && --depth == 0)
            return i;
    }
    return std::string_view::npos;
}

// Expands the first top-level \pm / \mp into its two signs, recursively.
void expandPlusMinus(const std::string& s, std::vector<std::string>& out)
{
    const std::size_t pm = s.find("\\pm");
    const std::size_t mp = s.find("\\mp");
    const std::size_t at = std::min(pm, mp);
    if (at == std::string::npos || out.size() > 16) {
        out.push_back(s);
        return;
    }
    const bool isPm = at == pm;
    expandPlusMinus(s.substr(0, at) + (isPm ? "+" : "-") + s.substr(at + 3), out);
    expandPlusMinus(s.substr(0, at) + (isPm ? "-" : "+") + s.substr(at + 3), out);
}

MathAnswer parseItem(std::string_view piece, ParseContext& ctx);

MathAnswer parseScalar(std::string_view piece, ParseContext& ctx)
{
    std::vector<GiNaC::ex> operands;
    std::vector<std::string> ops;
    parseRelationChain(piece, ctx, operands, ops);
    MathAnswer a;
    if (ops.empty()) {
        a.expr = operands.front();
        return a;
    }
    a.kind = MathAnswer::Kind::Relation;
    a.ops = ops;
    for (const GiNaC::ex& e : operands) {
        MathAnswer operand;
        operand.expr = e;
        a.items.push_back(operand);
    }
    return a;
}

// Elements of a set or bare list; an element with \pm contributes both of its values.
void appendElements(std::string_view inner, ParseContext& ctx, std::vector<MathAnswer>& items)
{
    for (std::string_view part : splitTopLevel(inner, ",")) {
        part = trim(part);
        if (part.empty())
            continue;
        MathAnswer item = parseItem(part, ctx);
        if (item.plusMinus)
            items.insert(items.end(), item.items.begin(), item.items.end());
        else
            items.push_back(std::move(item));
        if (items.size() > kMaxItems)
            throw Error(ErrorCode::Unsupported, "too many elements");
    }
}

MathAnswer parseMatrix(std::string_view s, ParseContext& ctx)
{
    const std::size_t open = s.find('}');
    const std::string env(s.substr(7, open - 7));
    const std::string endTag = "\\end{" + env + "}";
    if (s.size() < endTag.size() || s.substr(s.size() - endTag.size()) != endTag)
        throw Error(ErrorCode::Parse, "matrix not closed by " + endTag);
    const std::string_view body = s.substr(open + 1, s.size() - endTag.size() - open - 1);
    MathAnswer m;
    m.kind = MathAnswer::Kind::Matrix;
    for (std::string_view row : splitTopLevel(body, "\\\\")) {
        if (trim(row).empty())
            continue;
        const auto cells = splitTopLevel(row, "&");
        if (m.rows > 0 && int(cells.size()) != m.cols)
            throw Error(ErrorCode::Parse, "matrix rows of different lengths");
        m.cols = int(cells.size());
        ++m.rows;
        for (std::string_view cell : cells)
            m.items.push_back(parseScalar(trim(cell), ctx));
    }
    if (m.rows == 0)
        throw Error(ErrorCode::Parse, "empty matrix");
    return m;
}

// "f(x)" or "(x, y)": the left side of an equation that only names what the right side is.
bool isNamingLhs(std::string_view lhs)
{
    lhs = trim(lhs);
    std::size_t open = 0;
    if (lhs.size() >= 4 && std::isalpha(static_cast<unsigned char>(lhs[0])) && lhs[1] == '(')
        open = 1;
    else if (lhs.size() < 5 || lhs[0] != '(' || lhs.find(',') == std::string_view::npos)
        return false;
    if (lhs.back() != ')')
        return false;
    const std::string_view inner = lhs.substr(open + 1, lhs.size() - open - 2);
    return !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == ',' || c == ' ';
    });
}

MathAnswer parseItem(std::string_view piece, ParseContext& ctx)
{
    piece = trim(piece);
    if (piece.empty())
        throw Error(ErrorCode::Parse, "empty element");
    if (const auto sides = splitTopLevel(piece, "="); sides.size() == 2 && isNamingLhs(sides[0]))
        return parseItem(sides[1], ctx);  // "(x, y) = (1, 2)", "f(x) = x^2"
    if (const auto unions = splitTopLevel(piece, "\\cup"); unions.size() > 1) {
        MathAnswer u;
        u.kind = MathAnswer::Kind::Union;
        for (std::string_view part : unions)
            u.items.push_back(parseItem(part, ctx));
        return u;
    }
    if (piece == "\\emptyset") {
        MathAnswer empty;
        empty.kind = MathAnswer::Kind::Set;
        return empty;
    }
    if (piece.substr(0, 2) == "\\{" && piece.size() >= 4 && piece.substr(piece.size() - 2) == "\\}") {
        MathAnswer set;
        set.kind = MathAnswer::Kind::Set;
        appendElements(piece.substr(2, piece.size() - 4), ctx, set.items);
        return set;
    }
    if (piece.substr(0, 7) == "\\begin{")
        return parseMatrix(piece, ctx);
    if ((piece.front() == '(' || piece.front() == '[') && matchingBracket(piece) == piece.size() - 1) {
        const std::string_view inner = piece.substr(1, piece.size() - 2);
        const auto parts = splitTopLevel(inner, ",");
        if (parts.size() >= 2) {
            MathAnswer t;
            const bool interval = parts.size() == 2 && (piece.front() == '[' || piece.back() == ']');
            t.kind = interval ? MathAnswer::Kind::Interval : MathAnswer::Kind::Tuple;
            t.leftClosed = piece.front() == '[';
            t.rightClosed = piece.back() == ']';
            for (std::string_view part : parts)
                t.items.push_back(parseItem(part, ctx));
            return t;
        }
    }
    std::vector<std::string> expanded;
    expandPlusMinus(std::string(piece), expanded);
    if (expanded.size() == 1)
        return parseScalar(piece, ctx);
    MathAnswer both;
    both.kind = MathAnswer::Kind::Set;
    both.bareList = both.plusMinus = true;
    for (const std::string& e : expanded)
        both.items.push_back(parseScalar(e, ctx));
    return both;
}

}  // namespace

MathAnswer parseMathAnswer(std::string_view latex, ParseContext& ctx)
{
    if (latex.size() > kMaxAnswerLength)
        throw Error(ErrorCode::Unsupported, "answer too long");
    if (splitTopLevel(latex, ",").size() == 1)
        return parseItem(latex, ctx);
    MathAnswer list;
    list.kind = MathAnswer::Kind::Set;
    list.bareList = true;
    appendElements(latex, ctx, list.items);
    return list;
}

}  // namespace distill::verify
