#include "core/verify/general_solutions.h"

#include "core/verify/inequality_sets.h"

#include <algorithm>
#include <cmath>
#include <numeric>

namespace distill::verify {

using GiNaC::ex;
using K = MathAnswer::Kind;

namespace {

void answerSymbols(const MathAnswer& m, GiNaC::exset& out)
{
    if (m.kind == K::Expr)
        collectSymbols(m.expr, out);
    for (const MathAnswer& item : m.items)
        answerSymbols(item, out);
}

bool hasPeriod(const MathAnswer& m, const ParseContext& ctx)
{
    if (m.kind == K::Expr && (m.expr.has(GiNaC::Pi) || m.expr.has(ctx.degree)))
        return true;
    return std::any_of(m.items.begin(), m.items.end(), [&](const MathAnswer& item) { return hasPeriod(item, ctx); });
}

MathAnswer substituted(MathAnswer m, const GiNaC::exmap& map)
{
    if (m.kind == K::Expr)
        m.expr = m.expr.subs(map);
    for (MathAnswer& item : m.items)
        item = substituted(std::move(item), map);
    return m;
}

}  // namespace

bool mentions(const MathAnswer& m, const ex& symbol)
{
    GiNaC::exset syms;
    answerSymbols(m, syms);
    return syms.count(symbol) > 0;
}

MathAnswer withSymbolRenamed(const MathAnswer& m, const ex& from, const ex& to)
{
    return substituted(m, GiNaC::exmap{{from, to}});
}

std::optional<ex> periodParameter(const MathAnswer& m, const ParseContext& ctx)
{
    if (!hasPeriod(m, ctx))
        return std::nullopt;
    GiNaC::exset syms;
    answerSymbols(m, syms);
    std::optional<ex> found;
    for (const ex& s : syms) {
        const std::string& name = GiNaC::ex_to<GiNaC::symbol>(s).get_name();
        if (name == "k" || name == "n" || name == "m") {
            if (found)
                return std::nullopt;
            found = s;
        }
    }
    return found;
}

namespace {

// (-1)^(a k + b) as +-1 for the integers k of one parity (0: even, 1: odd); fails on any other power of
// -1 with k in it.
struct SignOfParity : GiNaC::map_function {
    SignOfParity(const ex& k, int parity) : k(k), parity(parity) {}
    ex operator()(const ex& e) override
    {
        if (!GiNaC::is_a<GiNaC::power>(e) || !e.op(0).is_equal(-1) || !e.op(1).has(k))
            return e.map(*this);
        const ex n = e.op(1).expand();
        const ex a = n.coeff(k, 1);
        const ex b = n.coeff(k, 0);
        if (!n.is_polynomial(k) || n.degree(k) != 1 || !GiNaC::is_a<GiNaC::numeric>(a) || !GiNaC::is_a<GiNaC::numeric>(b)
            || !GiNaC::ex_to<GiNaC::numeric>(a).is_integer() || !GiNaC::ex_to<GiNaC::numeric>(b).is_integer()) {
            ok = false;
            return e;
        }
        const long odd = (GiNaC::ex_to<GiNaC::numeric>(a).to_long() * parity + GiNaC::ex_to<GiNaC::numeric>(b).to_long()) % 2;
        return odd != 0 ? -1 : 1;
    }
    ex k;
    int parity;
    bool ok = true;
};

// The values c + t k (integers k) of a general solution, as many progressions as it takes.
struct Progression {
    double c;
    double t;
};

// value in radians; (-1)^k splits it into its even and odd k.
bool appendProgressions(const ex& value, const ex& k, std::vector<Progression>& out)
{
    std::vector<ex> linear;
    const bool signs = value.has(GiNaC::pow(-1, GiNaC::wild()));
    for (int parity = 0; parity < (signs ? 2 : 1); ++parity) {
        ex e = value;
        if (signs) {
            SignOfParity sign(k, parity);
            e = sign(value).subs(k == 2 * k + parity);
            if (!sign.ok)
                return false;
        }
        linear.push_back(e.expand());
    }
    for (const ex& e : linear) {
        if (!e.is_polynomial(k) || e.degree(k) != 1)
            return false;
        const auto t = realValue(e.coeff(k, 1));
        const auto c = realValue(e.coeff(k, 0));
        if (!t || !c || *t == 0)
            return false;
        out.push_back({*c, std::abs(*t)});
    }
    return true;
}

// The progressions of an answer: an expression, "x = ..." or a list of them; the names on the left go
// into `names`.
std::optional<std::vector<Progression>> progressionsOf(const MathAnswer& m, const ex& k, const ParseContext& ctx,
                                                       GiNaC::exset& names)
{
    std::vector<const MathAnswer*> items;
    if (m.kind == K::Set)
        for (const MathAnswer& item : m.items)
            items.push_back(&item);
    else
        items.push_back(&m);
    const GiNaC::exmap asRadians{{ctx.degree, GiNaC::Pi / 180}};
    std::vector<Progression> out;
    for (const MathAnswer* item : items) {
        std::optional<ex> value;
        if (item->kind == K::Expr)
            value = item->expr;
        else if (namesVariable(ctx, *item) && item->items[1].kind == K::Expr) {
            value = item->items[1].expr;
            names.insert(item->items[0].expr);
        }
        if (!value || !appendProgressions(value->subs(asRadians), k, out))
            return std::nullopt;
    }
    return out;
}

// The values of the progressions modulo their common period (a multiple of every step), sorted.
std::vector<double> residues(const std::vector<Progression>& ps, double period)
{
    std::vector<double> out;
    for (const Progression& p : ps) {
        const long steps = std::lround(period / p.t);
        for (long j = 0; j < steps; ++j) {
            double r = std::fmod(p.c + double(j) * p.t, period);
            if (r < 0)
                r += period;
            if (period - r < 1e-9 * period)
                r = 0;
            out.push_back(r);
        }
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end(), [&](double a, double b) { return b - a < 1e-9 * period; }), out.end());
    return out;
}

}  // namespace

// "\frac{\pi}{6} + 2k\pi, \frac{5\pi}{6} + 2k\pi" against "(-1)^k \frac{\pi}{6} + k\pi": each is a union of
// progressions, and both are compared modulo the least common multiple of their steps.
std::optional<bool> sameGeneralSolutions(const MathAnswer& a, const MathAnswer& b, const ex& k, const ParseContext& ctx)
{
    GiNaC::exset names;  // "x = ..." against "y = ..." are different answers
    const auto pa = progressionsOf(a, k, ctx, names);
    const auto pb = progressionsOf(b, k, ctx, names);
    if (!pa || !pb || pa->empty() || pb->empty() || names.size() > 1)
        return std::nullopt;
    std::vector<Progression> all = *pa;
    all.insert(all.end(), pb->begin(), pb->end());
    // Every step as a whole multiple of one unit: t_i = n_i * unit with the smallest denominators.
    constexpr long kMaxDenominator = 24;
    constexpr long kMaxSteps = 720;
    long denominators = 1;
    for (const Progression& p : all) {
        long d = 1;
        while (d <= kMaxDenominator && std::abs(p.t / all[0].t * double(d) - std::round(p.t / all[0].t * double(d))) > 1e-9)
            ++d;
        if (d > kMaxDenominator)
            return std::nullopt;
        denominators = std::lcm(denominators, d);
    }
    const double unit = all[0].t / double(denominators);
    long multiple = 1;
    for (const Progression& p : all) {
        multiple = std::lcm(multiple, std::lround(p.t / unit));
        if (multiple > kMaxSteps)
            return std::nullopt;
    }
    const double period = unit * double(multiple);
    const std::vector<double> ra = residues(*pa, period);
    const std::vector<double> rb = residues(*pb, period);
    return ra.size() == rb.size()
        && std::equal(ra.begin(), ra.end(), rb.begin(), [&](double x, double y) { return std::abs(x - y) < 1e-9 * period; });
}

}  // namespace distill::verify
