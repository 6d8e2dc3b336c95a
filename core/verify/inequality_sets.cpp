#include "core/verify/inequality_sets.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace distill::verify {

using GiNaC::ex;
using K = MathAnswer::Kind;

void collectSymbols(const ex& e, GiNaC::exset& out)
{
    if (GiNaC::is_a<GiNaC::symbol>(e)) {
        out.insert(e);
        return;
    }
    for (std::size_t i = 0; i < e.nops(); ++i)
        collectSymbols(e.op(i), out);
}

bool isPlainSymbol(const ParseContext& ctx, const ex& e)
{
    return GiNaC::is_a<GiNaC::symbol>(e) && !e.is_equal(ctx.degree) && !e.is_equal(ctx.percent)
        && !e.is_equal(ctx.infinity);
}

bool namesVariable(const ParseContext& ctx, const MathAnswer& m)
{
    return m.kind == K::Relation && m.ops.size() == 1 && m.ops[0] == "=" && m.items[0].kind == K::Expr
        && isPlainSymbol(ctx, m.items[0].expr);
}

bool isConstant(const ParseContext& ctx, const ex& e)
{
    GiNaC::exset syms;
    collectSymbols(e, syms);
    return std::all_of(syms.begin(), syms.end(), [&](const ex& s) {
        return s.is_equal(ctx.infinity) || GiNaC::ex_to<GiNaC::symbol>(s).get_name().rfind(kBasePrefix, 0) == 0;
    });
}

std::optional<double> realValue(const ex& e)
{
    const ex v = e.evalf();
    if (!GiNaC::is_a<GiNaC::numeric>(v) || !GiNaC::ex_to<GiNaC::numeric>(v).is_real())
        return std::nullopt;
    return GiNaC::ex_to<GiNaC::numeric>(v).to_double();
}

namespace {

MathAnswer exprAnswer(const ex& e)
{
    MathAnswer a;
    a.expr = e;
    return a;
}

constexpr long kMaxChartDegree = 8;  // a sign chart is drawn for rational functions of at most this degree

// The degree of a rational function of var as written: powers multiply, products add, sums take the
// largest, and a denominator counts as much as a numerator. nullopt for a function (sin, |.|) of var or a
// power that is not an integer. Read before GiNaC expands anything.
std::optional<long> writtenDegree(const ex& e, const ex& var)
{
    if (!e.has(var))
        return 0;
    if (e.is_equal(var))
        return 1;
    if (GiNaC::is_a<GiNaC::power>(e)) {
        const ex n = e.op(1);
        const auto base = writtenDegree(e.op(0), var);
        if (!base || !GiNaC::is_a<GiNaC::numeric>(n) || !GiNaC::ex_to<GiNaC::numeric>(n).is_integer()
            || std::abs(GiNaC::ex_to<GiNaC::numeric>(n).to_long()) > kMaxChartDegree)
            return std::nullopt;
        return *base * std::abs(GiNaC::ex_to<GiNaC::numeric>(n).to_long());
    }
    if (!GiNaC::is_a<GiNaC::mul>(e) && !GiNaC::is_a<GiNaC::add>(e))
        return std::nullopt;
    long degree = 0;
    for (std::size_t i = 0; i < e.nops(); ++i) {
        const auto d = writtenDegree(e.op(i), var);
        if (!d)
            return std::nullopt;
        degree = GiNaC::is_a<GiNaC::mul>(e) ? degree + *d : std::max(degree, *d);
    }
    return degree;
}

// A real root of a numerator or denominator: exact, and where it lies.
struct Root {
    ex value;
    double at = 0;
    bool pole = false;
};

// Appends the real roots of a polynomial of degree at most two in var; false when its coefficients are
// not real numbers.
bool rootsOfLowDegree(const ex& poly, const ex& var, bool pole, std::vector<Root>& out)
{
    const ex p = poly.expand();
    const int degree = p.degree(var);
    std::vector<double> c;
    for (int i = 0; i <= degree; ++i) {
        const auto ci = realValue(p.coeff(var, i));
        if (!ci)
            return false;
        c.push_back(*ci);
    }
    auto push = [&](const ex& r) {
        const auto at = realValue(r);
        if (!at)
            return false;
        out.push_back({r, *at, pole});
        return true;
    };
    if (degree == 1)
        return push(-p.coeff(var, 0) / p.coeff(var, 1));
    if (degree != 2)
        return degree == 0;
    const ex a = p.coeff(var, 2);
    const ex b = p.coeff(var, 1);
    const ex d = GiNaC::expand(b * b - 4 * a * p.coeff(var, 0));
    const double dv = c[1] * c[1] - 4 * c[2] * c[0];
    if (d.is_zero() || std::abs(dv) <= 1e-12 * std::max(1.0, c[1] * c[1]))
        return d.is_zero() ? push(-b / (2 * a)) : false;  // a double root only when exactly so
    if (dv < 0)
        return true;
    return push((-b - GiNaC::sqrt(d)) / (2 * a)) && push((-b + GiNaC::sqrt(d)) / (2 * a));
}

// The real roots of a polynomial in var whose factors over the rationals have degree at most two.
bool realRoots(const ex& poly, const ex& var, bool pole, std::vector<Root>& out)
{
    if (poly.degree(var) <= 2)
        return rootsOfLowDegree(poly, var, pole, out);
    ex factored;
    try {
        factored = GiNaC::factor(poly.expand());
    } catch (const std::exception&) {
        return false;
    }
    const std::size_t n = GiNaC::is_a<GiNaC::mul>(factored) ? factored.nops() : 1;
    for (std::size_t i = 0; i < n; ++i) {
        ex f = n == 1 ? factored : factored.op(i);
        if (GiNaC::is_a<GiNaC::power>(f))
            f = f.op(0);
        if (f.has(var) && (f.degree(var) > 2 || !rootsOfLowDegree(f, var, pole, out)))
            return false;
    }
    return true;
}

}  // namespace

// "x > 2", "-1 < x \le 3" as an interval of the single variable; "x \ne 5" as (-inf, 5) U (5, inf).
std::optional<MathAnswer> InequalitySets::asInterval(const MathAnswer& rel) const
{
    const auto& ops = rel.ops;
    if (ops.size() == 1 && ops[0] == "!=" && rel.items[0].kind == K::Expr && rel.items[1].kind == K::Expr) {
        const int var = isPlainSymbol(m_ctx, rel.items[0].expr) ? 0 : isPlainSymbol(m_ctx, rel.items[1].expr) ? 1 : -1;
        if (var < 0 || !isConstant(m_ctx, rel.items[1 - var].expr) || rel.items[1 - var].expr.has(m_ctx.infinity))
            return std::nullopt;
        const ex c = rel.items[1 - var].expr;
        const ex inf = m_ctx.infinity;
        MathAnswer u;
        u.kind = K::Union;
        u.items = {interval(-inf, c, false, false), interval(c, inf, false, false)};
        return u;
    }
    const bool up = std::all_of(ops.begin(), ops.end(), [](const std::string& o) { return o == "<" || o == "<="; });
    const bool down = std::all_of(ops.begin(), ops.end(), [](const std::string& o) { return o == ">" || o == ">="; });
    if ((!up && !down) || ops.empty() || ops.size() > 2)
        return std::nullopt;
    std::vector<ex> v;
    std::vector<bool> closed;
    for (const MathAnswer& item : rel.items)
        v.push_back(item.expr);
    for (const std::string& o : ops)
        closed.push_back(o.size() == 2);
    if (down) {
        std::reverse(v.begin(), v.end());
        std::reverse(closed.begin(), closed.end());
    }
    if (auto iv = plainInterval(v, closed))
        return iv;
    if (auto iv = linearInterval(v, closed))
        return iv;
    if (v.size() == 2)
        return signChartSet(v[0] - v[1], closed[0]);
    return std::nullopt;
}

MathAnswer InequalitySets::interval(const ex& lo, const ex& hi, bool leftClosed, bool rightClosed)
{
    MathAnswer iv;
    iv.kind = K::Interval;
    iv.items = {exprAnswer(lo), exprAnswer(hi)};
    iv.leftClosed = leftClosed;
    iv.rightClosed = rightClosed;
    return iv;
}

std::optional<InequalitySets::Linear> InequalitySets::linearForm(const ex& e) const
{
    GiNaC::exset syms;
    collectSymbols(e, syms);
    if (syms.size() != 1 || !isPlainSymbol(m_ctx, *syms.begin()))
        return std::nullopt;
    const ex var = *syms.begin();
    const ex expanded = e.expand();
    if (!expanded.is_polynomial(var) || expanded.degree(var) != 1)
        return std::nullopt;
    const ex k = expanded.coeff(var, 1);
    const ex kv = k.evalf();
    if (!GiNaC::is_a<GiNaC::numeric>(kv) || !GiNaC::ex_to<GiNaC::numeric>(kv).is_real()
        || GiNaC::ex_to<GiNaC::numeric>(kv).is_zero())
        return std::nullopt;
    return Linear{var, k, expanded.coeff(var, 0), GiNaC::ex_to<GiNaC::numeric>(kv).is_negative()};
}

bool InequalitySets::isFiniteConstant(const ex& e) const
{
    return isConstant(m_ctx, e) && !e.has(m_ctx.infinity);
}

// v[0] < v[1] (< v[2]) with the variable in a linear expression: "a < 2x + 1 \le b", "2x + 4 \ge 10",
// "|x - 1| < 3" (an interval), "|x| \ge 2" (a union of two).
std::optional<MathAnswer> InequalitySets::linearInterval(const std::vector<ex>& v, const std::vector<bool>& closed) const
{
    const ex inf = m_ctx.infinity;
    if (v.size() == 3) {
        const auto lin = linearForm(v[1]);
        if (!lin || !isFiniteConstant(v[0]) || !isFiniteConstant(v[2]))
            return std::nullopt;
        const ex lo = (v[0] - lin->m) / lin->k;
        const ex hi = (v[2] - lin->m) / lin->k;
        return lin->negative ? interval(hi, lo, closed[1], closed[0]) : interval(lo, hi, closed[0], closed[1]);
    }
    for (int side = 0; side < 2; ++side) {
        const ex& a = v[std::size_t(side)];
        const ex& c = v[std::size_t(1 - side)];
        if (!GiNaC::is_the_function<GiNaC::abs_SERIAL>(a) || !isFiniteConstant(c))
            continue;
        const auto lin = linearForm(a.op(0));
        const ex cv = c.evalf();
        if (!lin || !GiNaC::is_a<GiNaC::numeric>(cv) || !GiNaC::ex_to<GiNaC::numeric>(cv).is_real()
            || !GiNaC::ex_to<GiNaC::numeric>(cv).is_positive())
            return std::nullopt;
        ex lo = (-c - lin->m) / lin->k;
        ex hi = (c - lin->m) / lin->k;
        if (lin->negative)
            std::swap(lo, hi);
        if (side == 0)  // |u| < c
            return interval(lo, hi, closed[0], closed[0]);
        MathAnswer u;  // c < |u|
        u.kind = K::Union;
        u.items = {interval(-inf, lo, false, closed[0]), interval(hi, inf, closed[0], false)};
        return u;
    }
    const auto lin = linearForm(v[0] - v[1]);  // k x + m < 0
    if (!lin)
        return std::nullopt;
    const ex root = -lin->m / lin->k;
    return lin->negative ? interval(root, inf, closed[0], false) : interval(-inf, root, false, closed[0]);
}

// v[0] < v[1] (< v[2]) with a plain variable: "x > 2", "-1 < x \le 3".
std::optional<MathAnswer> InequalitySets::plainInterval(const std::vector<ex>& v, const std::vector<bool>& closed) const
{
    int varAt = -1;
    for (std::size_t i = 0; i < v.size(); ++i) {
        if (isPlainSymbol(m_ctx, v[i])) {
            if (varAt >= 0)
                return std::nullopt;
            varAt = int(i);
        } else if (!isConstant(m_ctx, v[i])) {
            return std::nullopt;
        }
    }
    if (varAt < 0)
        return std::nullopt;
    const ex inf = m_ctx.infinity;
    if (v.size() == 3)
        return varAt == 1 ? std::optional(interval(v[0], v[2], closed[0], closed[1])) : std::nullopt;
    if (varAt == 0)
        return interval(-inf, v[1], false, closed[0]);
    return interval(v[0], inf, closed[0], false);
}

// f < 0 (f <= 0 when `closed`) for a rational function f of one variable, read off a sign chart: the
// exact real roots of its numerator and denominator split the line, and f's sign at one point of each
// piece holds on all of it. nullopt when a root cannot be found exactly (a factor of degree three or more).
std::optional<MathAnswer> InequalitySets::signChartSet(const ex& f, bool closed) const
{
    GiNaC::exset syms;
    collectSymbols(f, syms);
    if (syms.size() != 1 || !isPlainSymbol(m_ctx, *syms.begin()))
        return std::nullopt;
    const ex var = *syms.begin();
    if (const auto degree = writtenDegree(f, var); !degree || *degree > kMaxChartDegree)
        return std::nullopt;
    const ex nd = GiNaC::numer_denom(GiNaC::normal(f));
    const ex num = nd.op(0);
    const ex den = nd.op(1);
    std::vector<Root> roots;
    if (!num.is_polynomial(var) || !den.is_polynomial(var) || !realRoots(num, var, false, roots)
        || !realRoots(den, var, true, roots))
        return std::nullopt;
    std::sort(roots.begin(), roots.end(), [](const Root& a, const Root& b) { return a.at < b.at; });
    std::vector<Root> points;  // distinct; a pole where numerator and denominator share a root
    for (const Root& r : roots) {
        if (!points.empty() && std::abs(r.at - points.back().at) <= 1e-12 * std::max(1.0, std::abs(r.at)))
            points.back().pole = points.back().pole || r.pole;
        else
            points.push_back(r);
    }
    // Whether f < 0 on piece i, the open stretch before points[i] (i == points.size(): after the last).
    std::vector<bool> negative;
    for (std::size_t i = 0; i <= points.size(); ++i) {
        const double t = points.empty()    ? 0.0
            : i == 0                       ? points.front().at - 1
            : i == points.size()           ? points.back().at + 1
                                           : (points[i - 1].at + points[i].at) / 2;
        const auto n = realValue(num.subs(var == GiNaC::numeric(t)));
        const auto d = realValue(den.subs(var == GiNaC::numeric(t)));
        if (!n || !d || *n == 0 || *d == 0)
            return std::nullopt;
        negative.push_back((*n < 0) != (*d < 0));
    }
    // The pieces and points, in order: 2i is piece i, 2i + 1 is points[i].
    const std::size_t elements = 2 * points.size() + 1;
    auto holds = [&](std::size_t e) { return e % 2 == 0 ? negative[e / 2] : closed && !points[e / 2].pole; };
    const ex inf = m_ctx.infinity;
    MathAnswer u;
    u.kind = K::Union;
    for (std::size_t e = 0; e < elements;) {
        if (!holds(e)) {
            ++e;
            continue;
        }
        const std::size_t first = e;
        while (e + 1 < elements && holds(e + 1))
            ++e;
        const std::size_t last = e++;
        if (first == last && first % 2 == 1) {  // a point alone: "(x - 1)^2 \le 0"
            MathAnswer point;
            point.kind = K::Set;
            point.items.push_back(exprAnswer(points[first / 2].value));
            u.items.push_back(point);
            continue;
        }
        const ex lo = first % 2 == 1 ? points[first / 2].value : first == 0 ? -inf : points[first / 2 - 1].value;
        const ex hi = last % 2 == 1 ? points[last / 2].value : last == elements - 1 ? inf : points[last / 2].value;
        u.items.push_back(interval(lo, hi, first % 2 == 1, last % 2 == 1));
    }
    if (u.items.size() == 1)
        return u.items.front();
    if (u.items.empty())
        u.kind = K::Set;  // no solution
    return u;
}

// "x < 2 or x > 3" (a list of one-variable inequalities) as a union of intervals.
std::optional<MathAnswer> InequalitySets::asUnion(const MathAnswer& list) const
{
    MathAnswer u;
    u.kind = K::Union;
    for (const MathAnswer& item : list.items) {
        if (item.kind != K::Relation)
            return std::nullopt;
        auto iv = asInterval(item);
        if (!iv)
            return std::nullopt;
        if (iv->kind == K::Union)  // "x \ne 1 or x > 3": the union's parts
            u.items.insert(u.items.end(), iv->items.begin(), iv->items.end());
        else
            u.items.push_back(*iv);
    }
    return u;
}

// The variable of a one-variable inequality.
std::optional<ex> InequalitySets::inequalityVariable(const MathAnswer& rel) const
{
    for (const MathAnswer& item : rel.items)
        if (item.kind == K::Expr && isPlainSymbol(m_ctx, item.expr))
            return item.expr;
    return std::nullopt;
}

// A list of one-variable inequalities as the set it describes: "x < 2 or x > 3" is a union; "x > 1,
// x < 3" and "x > 1 and x < 3" the intersection (1, 3) when the inequalities share their variable and
// the intersection is not empty (an empty one would be no answer), else the union.
std::optional<MathAnswer> InequalitySets::solutionSet(const MathAnswer& list) const
{
    const std::optional<MathAnswer> u = asUnion(list);
    if (!u || list.alternatives || list.items.empty())
        return u;
    const std::optional<ex> var = inequalityVariable(list.items.front());
    for (const MathAnswer& item : list.items) {
        const auto v = inequalityVariable(item);
        if (!var || !v || !v->is_equal(*var))
            return u;
    }
    const std::optional<MathAnswer> meet = intersectIntervals(u->items, m_ctx);
    if (meet && meet->kind == K::Interval)
        return meet;
    return u;
}


// An inequality in one variable that is not read as an interval.
bool InequalitySets::isUnsolved(const MathAnswer& m) const
{
    if (m.kind != K::Relation || m.ops.empty() || asInterval(m))
        return false;
    GiNaC::exset syms;
    for (const MathAnswer& item : m.items) {
        if (item.kind != K::Expr)
            return false;
        collectSymbols(item.expr, syms);
    }
    return syms.size() == 1 && isPlainSymbol(m_ctx, *syms.begin())
        && std::none_of(m.ops.begin(), m.ops.end(), [](const std::string& o) { return o == "=" || o == "!="; });
}

}  // namespace distill::verify
