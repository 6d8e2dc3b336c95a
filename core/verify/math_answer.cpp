#include "core/verify/math_answer.h"

#include "core/util/error.h"
#include "core/verify/latex_parser.h"
#include "core/verify/text_scan.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>

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

bool containsMatrix(const GiNaC::ex& e)
{
    if (GiNaC::is_a<GiNaC::matrix>(e))
        return true;
    for (std::size_t i = 0; i < e.nops(); ++i)
        if (containsMatrix(e.op(i)))
            return true;
    return false;
}

// One parsed value as an answer: a matrix becomes a Matrix of its entries (row-major).
MathAnswer fromValue(const GiNaC::ex& e)
{
    MathAnswer a;
    if (GiNaC::is_a<GiNaC::matrix>(e)) {
        const GiNaC::matrix& m = GiNaC::ex_to<GiNaC::matrix>(e);
        a.kind = MathAnswer::Kind::Matrix;
        a.rows = int(m.rows());
        a.cols = int(m.cols());
        for (unsigned r = 0; r < m.rows(); ++r)
            for (unsigned c = 0; c < m.cols(); ++c)
                a.items.push_back(fromValue(m(r, c)));
        return a;
    }
    if (containsMatrix(e))
        throw Error(ErrorCode::Unsupported, "a matrix inside an expression");
    a.expr = e;
    return a;
}

MathAnswer parseScalar(std::string_view piece, ParseContext& ctx)
{
    std::vector<GiNaC::ex> operands;
    std::vector<std::string> ops;
    parseRelationChain(piece, ctx, operands, ops);
    if (ops.empty())
        return fromValue(operands.front());
    MathAnswer a;
    a.kind = MathAnswer::Kind::Relation;
    a.ops = ops;
    for (const GiNaC::ex& e : operands)
        a.items.push_back(fromValue(e));
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

// "x", "x_1", "\lambda", "a_{n}": one variable.
bool isName(std::string_view s)
{
    s = trim(s);
    if (s.empty())
        return false;
    std::size_t i = 0;
    if (s[0] == '\\') {
        for (i = 1; i < s.size() && std::isalpha(static_cast<unsigned char>(s[i])); ++i) {
        }
        if (i == 1)
            return false;
    } else if (std::isalpha(static_cast<unsigned char>(s[0]))) {
        i = 1;
    } else {
        return false;
    }
    s = trim(s.substr(i));
    if (s.empty())
        return true;
    if (s[0] != '_' || s.size() < 2)
        return false;
    s = trim(s.substr(1));
    if (s.size() == 1)
        return std::isalnum(static_cast<unsigned char>(s[0])) != 0;
    return s.front() == '{' && s.back() == '}' && s.find_first_of("{}", 1) == s.size() - 1;
}

// "f(x)", "f'(x)", "y'" or "(x, y)": the left side of an equation that only names what the right side is.
bool isNamingLhs(std::string_view lhs)
{
    lhs = trim(lhs);
    std::size_t open = 0;
    if (!lhs.empty() && std::isalpha(static_cast<unsigned char>(lhs[0]))) {
        open = 1;
        while (open < lhs.size() && lhs[open] == '\'')  // "f'(x)", "y''": a derivative
            ++open;
        if (open > 1 && open == lhs.size())
            return true;
        if (lhs.size() < open + 3 || lhs[open] != '(')
            return false;
    } else if (lhs.size() < 5 || lhs[0] != '(' || lhs.find(',') == std::string_view::npos) {
        return false;
    }
    if (lhs.back() != ')')
        return false;
    const std::string_view inner = lhs.substr(open + 1, lhs.size() - open - 2);
    return !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) {
        return std::isalpha(static_cast<unsigned char>(c)) || c == ',' || c == ' ';
    });
}

// "P = (2, -1)", "AB = [1, 3]", "v = \begin{pmatrix}…": a name (up to three letters) given a tuple,
// interval, set or matrix, which no equation between expressions can hold.
bool namesStructure(const std::vector<std::string_view>& sides)
{
    const std::string_view lhs = trim(sides[0]);
    const std::string_view rhs = trim(sides[1]);
    const bool shortWord = !lhs.empty() && lhs.size() <= 3
        && std::all_of(lhs.begin(), lhs.end(), [](char c) { return std::isalpha(static_cast<unsigned char>(c)) != 0; });
    if (!(isName(lhs) || shortWord) || rhs.empty())
        return false;
    const bool bracketed = (rhs.front() == '(' || rhs.front() == '[') && matchingBracket(rhs) == rhs.size() - 1
        && splitTopLevel(rhs.substr(1, rhs.size() - 2), ",").size() >= 2;
    return bracketed || rhs.substr(0, 7) == "\\begin{" || rhs.substr(0, 2) == "\\{";
}

// The condition of set-builder notation "x \mid x > 2", "x : x > 2", "x | x > 2"; nullopt otherwise.
std::optional<std::string_view> setBuilderCondition(std::string_view inner)
{
    for (std::string_view sep : {"\\mid", "|", ":"}) {
        const auto parts = splitTopLevel(inner, sep);
        if (parts.size() != 2)
            continue;
        std::string_view var = trim(parts[0]);
        if (const std::size_t in = var.find("\\in"); in != std::string_view::npos)
            var = trim(var.substr(0, in));  // "x \in (-\infty,\infty) | ..."
        if (var.size() == 1 && std::isalpha(static_cast<unsigned char>(var[0])))
            return trim(parts[1]);
    }
    return std::nullopt;
}

bool hasRelation(std::string_view s)
{
    return s.find_first_of("=<>") != std::string_view::npos || s.find("\\le") != std::string_view::npos
        || s.find("\\ge") != std::string_view::npos || s.find("\\ne") != std::string_view::npos;
}

// "1:2:3": a ratio of three or more parts is the tuple scaled so that its first part is 1.
MathAnswer ratio(const std::vector<std::string_view>& parts, ParseContext& ctx)
{
    MathAnswer t;
    t.kind = MathAnswer::Kind::Tuple;
    for (std::string_view part : parts) {
        MathAnswer item = parseScalar(trim(part), ctx);
        if (item.kind != MathAnswer::Kind::Expr)
            throw Error(ErrorCode::Parse, "a ratio of non-numbers");
        t.items.push_back(std::move(item));
    }
    const GiNaC::ex first = t.items.front().expr;
    if (first.is_zero())
        throw Error(ErrorCode::Parse, "a ratio starting with 0");
    for (MathAnswer& item : t.items)
        item.expr = GiNaC::normal(item.expr / first);
    return t;
}

// An endpoint on the real line, for ordering: +-infinity or the numeric value.
std::optional<double> endpointValue(const GiNaC::ex& e, const ParseContext& ctx)
{
    if (e.has(ctx.infinity)) {
        if (e.is_equal(ctx.infinity))
            return HUGE_VAL;
        if (e.is_equal(-ctx.infinity))
            return -HUGE_VAL;
        return std::nullopt;
    }
    try {
        const GiNaC::ex v = GiNaC::evalf(e);
        if (GiNaC::is_a<GiNaC::numeric>(v) && GiNaC::ex_to<GiNaC::numeric>(v).is_real())
            return GiNaC::ex_to<GiNaC::numeric>(v).to_double();
    } catch (const std::exception&) {
    }
    return std::nullopt;
}

// `from` (an interval or a union of intervals) without the points of a finite set: "\mathbb{R} \setminus
// \{0\}" is (-inf, 0) U (0, inf). nullopt when an endpoint or a point is not a real constant.
std::optional<MathAnswer> withoutPoints(const MathAnswer& from, const MathAnswer& points, const ParseContext& ctx)
{
    std::vector<MathAnswer> pieces = from.kind == MathAnswer::Kind::Union ? from.items : std::vector<MathAnswer>{from};
    for (MathAnswer& iv : pieces) {
        if (iv.kind == MathAnswer::Kind::Tuple && iv.items.size() == 2)
            iv.kind = MathAnswer::Kind::Interval;  // "(a, b)" read as the open interval
        if (iv.kind != MathAnswer::Kind::Interval || iv.items.size() != 2)
            return std::nullopt;
    }
    if (points.kind != MathAnswer::Kind::Set)
        return std::nullopt;
    for (const MathAnswer& point : points.items) {
        const auto c = point.kind == MathAnswer::Kind::Expr ? endpointValue(point.expr, ctx) : std::nullopt;
        if (!c || std::isinf(*c))
            return std::nullopt;
        std::vector<MathAnswer> rest;
        for (MathAnswer& iv : pieces) {
            const auto l = endpointValue(iv.items[0].expr, ctx);
            const auto h = endpointValue(iv.items[1].expr, ctx);
            if (!l || !h)
                return std::nullopt;
            if (*l < *c && *c < *h) {
                MathAnswer below = iv;
                below.items[1] = point;
                below.rightClosed = false;
                MathAnswer above = iv;
                above.items[0] = point;
                above.leftClosed = false;
                rest.push_back(std::move(below));
                rest.push_back(std::move(above));
                continue;
            }
            if (*c == *l)
                iv.leftClosed = false;
            if (*c == *h)
                iv.rightClosed = false;
            rest.push_back(std::move(iv));
        }
        pieces = std::move(rest);
    }
    if (pieces.size() == 1)
        return pieces.front();
    MathAnswer u;
    u.kind = MathAnswer::Kind::Union;
    u.items = std::move(pieces);
    return u;
}

MathAnswer parseItem(std::string_view piece, ParseContext& ctx)
{
    piece = trim(piece);
    if (piece.empty())
        throw Error(ErrorCode::Parse, "empty element");
    if (const auto sides = splitTopLevel(piece, "="); sides.size() == 2 && (isNamingLhs(sides[0]) || namesStructure(sides)))
        return parseItem(sides[1], ctx);  // "(x, y) = (1, 2)", "f(x) = x^2", "P = (2, -1)"
    if (const auto member = splitTopLevel(piece, "\\in"); member.size() == 2 && isName(member[0]))
        return parseItem(member[1], ctx);  // "x \in [-2, 7]", "\lambda \in (3, 4]": the set is the answer
    if (const auto parts = piece.find("\\setminus") == std::string_view::npos ? std::vector<std::string_view>{}
                                                                              : splitTopLevel(piece, "\\setminus");
        parts.size() == 2) {  // "\mathbb{R} \setminus \{0\}"
        if (auto rest = withoutPoints(parseItem(parts[0], ctx), parseItem(parts[1], ctx), ctx))
            return *rest;
        throw Error(ErrorCode::Unsupported, "a set difference other than intervals without points");
    }
    if (const auto parts = splitTopLevel(piece, "\\cap"); parts.size() > 1) {  // "[1,3] \cap [2,4]"
        std::vector<MathAnswer> intervals;
        for (std::string_view part : parts) {
            MathAnswer iv = parseItem(part, ctx);
            if (iv.kind == MathAnswer::Kind::Tuple && iv.items.size() == 2)
                iv.kind = MathAnswer::Kind::Interval;  // "(a, b)" read as the open interval
            intervals.push_back(std::move(iv));
        }
        if (auto meet = intersectIntervals(intervals, ctx))
            return *meet;
        throw Error(ErrorCode::Unsupported, "intersection of sets that are not intervals");
    }
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
    const bool escapedBraces = piece.substr(0, 2) == "\\{" && piece.size() >= 4 && piece.substr(piece.size() - 2) == "\\}";
    const bool plainBraces = piece.front() == '{' && matchingBracket(piece) == piece.size() - 1
        && splitTopLevel(piece.substr(1, piece.size() - 2), ",").size() >= 2;  // "{1,3} \cup {2,4}"
    if (escapedBraces || plainBraces) {
        const std::string_view inner = escapedBraces ? piece.substr(2, piece.size() - 4) : piece.substr(1, piece.size() - 2);
        if (auto condition = setBuilderCondition(inner))
            return parseItem(*condition, ctx);  // {x | x > 2}: the condition, compared as an interval
        MathAnswer set;
        set.kind = MathAnswer::Kind::Set;
        appendElements(inner, ctx, set.items);
        return set;
    }
    if (const auto parts = splitTopLevel(piece, ":"); parts.size() >= 3 && !hasRelation(piece))
        return ratio(parts, ctx);
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

std::optional<MathAnswer> intersectIntervals(const std::vector<MathAnswer>& intervals, const ParseContext& ctx)
{
    MathAnswer meet;
    meet.kind = MathAnswer::Kind::Interval;
    double lo = -HUGE_VAL;
    double hi = HUGE_VAL;
    for (const MathAnswer& iv : intervals) {
        if (iv.kind != MathAnswer::Kind::Interval || iv.items.size() != 2)
            return std::nullopt;
        const auto l = endpointValue(iv.items[0].expr, ctx);
        const auto h = endpointValue(iv.items[1].expr, ctx);
        if (!l || !h)
            return std::nullopt;
        if (meet.items.empty() || *l > lo || (*l == lo && !iv.leftClosed)) {
            lo = *l;
            meet.leftClosed = iv.leftClosed;
            if (meet.items.empty())
                meet.items = iv.items;
            meet.items[0] = iv.items[0];
        }
        if (*h < hi || (*h == hi && !iv.rightClosed)) {
            hi = *h;
            meet.items[1] = iv.items[1];
            meet.rightClosed = iv.rightClosed;
        }
    }
    if (meet.items.empty())
        return std::nullopt;
    if (lo < hi)
        return meet;
    MathAnswer set;
    set.kind = MathAnswer::Kind::Set;
    if (lo == hi && meet.leftClosed && meet.rightClosed)
        set.items.push_back(meet.items[0]);
    return set;
}

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
