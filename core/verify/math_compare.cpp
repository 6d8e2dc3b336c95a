#include "core/verify/math_compare.h"

#include "core/verify/general_solutions.h"
#include "core/verify/inequality_sets.h"

#include <stdexcept>
#include <algorithm>
#include <cmath>
#include <optional>
#include <set>

namespace distill::verify {

using GiNaC::ex;
using K = MathAnswer::Kind;

namespace {

constexpr double kFloatTol = 1e-4;   // relative, when a decimal was written
constexpr double kExactTol = 1e-10;  // relative, exact forms compared through floating point
constexpr double kNoiseFloor = 1e-12;
constexpr int kPoints = 10;
constexpr std::size_t kMaxNormalSymbols = 6;  // variables GiNaC::normal is asked to simplify at most

Equivalence equal(std::string reason) { return {Verdict::Equal, std::move(reason)}; }
Equivalence notEqual(std::string reason) { return {Verdict::NotEqual, std::move(reason)}; }
Equivalence unknown(std::string reason) { return {Verdict::Unknown, std::move(reason)}; }

std::string kindName(K k)
{
    switch (k) {
    case K::Expr: return "expression";
    case K::Relation: return "relation";
    case K::Tuple: return "tuple";
    case K::Interval: return "interval";
    case K::Union: return "union";
    case K::Set: return "set";
    case K::Matrix: return "matrix";
    }
    return "?";
}


class Comparator {
public:
    explicit Comparator(ParseContext& ctx) : m_ctx(ctx), m_sets(ctx) {}

    Equivalence compare(const MathAnswer& rawA, const MathAnswer& rawB)
    {
        const MathAnswer a = withoutRepeats(rawA);
        const MathAnswer b = withoutRepeats(rawB);
        // {5} is 5; against a relation the set stays, for the set of its solutions ("(x - 1)^2 \le 0")
        if (a.kind == K::Set && a.items.size() == 1 && b.kind != K::Set && b.kind != K::Relation)
            return compare(a.items[0], b);
        if (b.kind == K::Set && b.items.size() == 1 && a.kind != K::Set && a.kind != K::Relation)
            return compare(a, b.items[0]);
        if (a.kind == K::Relation && b.kind != K::Relation) {
            if (auto v = solvedValue(a))
                return compare(*v, b);
            if (auto iv = m_sets.asInterval(a); iv && (isIntervalLike(b) || (iv->kind == K::Set && b.kind == K::Set)))
                return compare(*iv, b);  // "(x - 1)^2 \le 0" against {1}
        }
        if (b.kind == K::Relation && a.kind != K::Relation) {
            if (auto v = solvedValue(b))
                return compare(a, *v);
            if (auto iv = m_sets.asInterval(b); iv && (isIntervalLike(a) || (iv->kind == K::Set && a.kind == K::Set)))
                return compare(a, *iv);
        }
        if ((isIntervalLike(b) && m_sets.isUnsolved(a)) || (isIntervalLike(a) && m_sets.isUnsolved(b)))
            return unknown("an inequality not solved for its variable");  // "x^2 < 4" against (-2, 2)
        if (a.kind == K::Set && a.bareList && (isIntervalLike(b) || b.kind == K::Relation))
            if (auto u = m_sets.solutionSet(a))
                return compare(*u, b);
        if (b.kind == K::Set && b.bareList && (isIntervalLike(a) || a.kind == K::Relation))
            if (auto u = m_sets.solutionSet(b))
                return compare(a, *u);
        if (a.kind == K::Union && a.items.size() == 1)
            return compare(a.items[0], b);
        if (b.kind == K::Union && b.items.size() == 1)
            return compare(a, b.items[0]);
        if (a.kind == K::Interval && isVector(b))  // "[1, 2]" written for the vector (1, 2)
            return ordered(a.items, b.items, "vector");
        if (b.kind == K::Interval && isVector(a))
            return ordered(a.items, b.items, "vector");
        if (a.kind == K::Tuple && a.items.size() == 2 && b.kind == K::Interval)
            return compare(openInterval(a), b);
        if (a.kind == K::Interval && b.kind == K::Tuple && b.items.size() == 2)
            return compare(a, openInterval(b));
        if (a.kind == K::Union && b.kind == K::Union)
            return unordered(a.items, b.items, "union");
        if (b.kind == K::Tuple && isTupleAlternatives(a))
            return anyAlternative(a, b);
        if (a.kind == K::Tuple && isTupleAlternatives(b))
            return anyAlternative(b, a);
        if (a.kind == K::Set && b.kind == K::Set && a.bareList && b.bareList
            && ((isLabelledList(a) && hasNoRelation(b)) || (isLabelledList(b) && hasNoRelation(a))))
            return inOrder(a, b, "labelled list");
        if (a.kind == K::Set && b.kind == K::Set) {
            const auto ra = rootValues(a);  // "x_1 = 2, x_2 = 3" against "x = 2 \text{ or } x = 3"
            const auto rb = rootValues(b);
            if (ra && rb)
                return unordered(ra->items, rb->items, "roots");
            return unordered(a.items, b.items, "set");
        }
        if ((a.kind == K::Set && a.bareList && isSequence(b)) || (b.kind == K::Set && b.bareList && isSequence(a)))
            return inOrder(a, b, "list");
        if (isVectorLike(a) && isVectorLike(b)) {
            if (a.kind == K::Matrix && b.kind == K::Matrix && (a.rows != b.rows || a.cols != b.cols))
                return notEqual("matrices of different shapes");
            auto isGrid = [](const MathAnswer& m) { return m.kind == K::Matrix && m.rows > 1 && m.cols > 1; };
            if (a.kind != b.kind && (isGrid(a) || isGrid(b)))
                return notEqual("matrix vs tuple");
            return ordered(a.items, b.items, a.kind == K::Matrix && b.kind == K::Matrix ? "matrix" : "tuple");
        }
        if (a.kind != b.kind)
            return notEqual("different kinds of answer: " + kindName(a.kind) + " vs " + kindName(b.kind));
        switch (a.kind) {
        case K::Expr: return exprs(a.expr, b.expr);
        case K::Relation: return relations(a, b);
        case K::Interval: return intervals(a, b);
        default: break;
        }
        return unknown("cannot compare " + kindName(a.kind));
    }

private:
    // A set lists each element once: {1, 1, 2} is {1, 2}, and "\pm 0" is {0}. A union of finite sets is
    // one set: {1,3} U {2,4} is {1,2,3,4}.
    MathAnswer withoutRepeats(const MathAnswer& raw)
    {
        const bool unionOfSets = raw.kind == K::Union && std::all_of(raw.items.begin(), raw.items.end(), [](const MathAnswer& x) {
            return x.kind == K::Set && !x.bareList;
        });
        MathAnswer merged;
        if (unionOfSets) {
            merged.kind = K::Set;
            for (const MathAnswer& part : raw.items)
                merged.items.insert(merged.items.end(), part.items.begin(), part.items.end());
        }
        const MathAnswer& m = unionOfSets ? merged : raw;
        if (m.kind != K::Set || m.items.size() < 2 || m.items.size() > 64)
            return m;
        MathAnswer unique = m;
        unique.items.clear();
        for (const MathAnswer& item : m.items) {
            const bool repeated = std::any_of(unique.items.begin(), unique.items.end(), [&](const MathAnswer& u) {
                return compare(u, item).verdict == Verdict::Equal;
            });
            if (!repeated)
                unique.items.push_back(item);
        }
        return unique;
    }

    // The items of a and b compared in order, values named by one-letter variables in their order.
    Equivalence inOrder(const MathAnswer& a, const MathAnswer& b, const std::string& what)
    {
        const std::optional<MathAnswer> na = inNameOrder(a);
        const std::optional<MathAnswer> nb = inNameOrder(b);
        return ordered(na ? na->items : a.items, nb ? nb->items : b.items, what);
    }

    // "y = 2, x = 1" against a tuple: values named by distinct one-letter variables are taken in the
    // variables' alphabetical order, the order of (x, y) and (a, b, c). nullopt: the order stays.
    std::optional<MathAnswer> inNameOrder(const MathAnswer& list) const
    {
        if (list.kind != K::Set || !list.bareList)
            return std::nullopt;
        std::vector<std::pair<std::string, const MathAnswer*>> named;
        for (const MathAnswer& item : list.items) {
            if (!namesVariable(m_ctx, item))
                return std::nullopt;
            const std::string name = GiNaC::ex_to<GiNaC::symbol>(item.items[0].expr).get_name();
            if (name.size() != 1 || std::any_of(named.begin(), named.end(), [&](const auto& n) { return n.first == name; }))
                return std::nullopt;
            named.emplace_back(name, &item);
        }
        auto byName = [](const auto& x, const auto& y) { return x.first < y.first; };
        if (std::is_sorted(named.begin(), named.end(), byName))
            return std::nullopt;
        std::stable_sort(named.begin(), named.end(), byName);
        MathAnswer sorted = list;
        for (std::size_t i = 0; i < named.size(); ++i)
            sorted.items[i] = *named[i].second;
        return sorted;
    }

    static bool isIntervalLike(const MathAnswer& m)
    {
        return m.kind == K::Interval || m.kind == K::Union || (m.kind == K::Tuple && m.items.size() == 2);
    }
    static bool isSequence(const MathAnswer& m) { return m.kind == K::Tuple || isVectorLike(m); }
    static bool isVectorLike(const MathAnswer& m) { return m.kind == K::Tuple || m.kind == K::Matrix; }
    static bool isVector(const MathAnswer& m) { return m.kind == K::Matrix && (m.rows == 1 || m.cols == 1); }

    static MathAnswer openInterval(const MathAnswer& tuple)
    {
        MathAnswer iv = tuple;
        iv.kind = K::Interval;
        return iv;
    }

    // GiNaC::normal, refused (an exception, which every caller turns into "not decided") for an
    // expression of more than kMaxNormalSymbols variables: its multivariate gcd can take minutes.
    static ex boundedNormal(const ex& e)
    {
        GiNaC::exset syms;
        collectSymbols(e, syms);
        if (syms.size() > kMaxNormalSymbols)
            throw std::runtime_error("too many variables to simplify");
        return GiNaC::normal(e);
    }

    // A name rather than a value: a symbol or a product or quotient of symbols ("x", "AB", "S_{ABC}/S",
    // "\frac{NO}{BO}", "x^2"), with no number factor in it.
    bool isLabel(const MathAnswer& m) const
    {
        if (m.kind != K::Expr)
            return false;
        auto factorIsName = [&](const ex& f) {
            if (isPlainSymbol(m_ctx, f))
                return true;
            return GiNaC::is_a<GiNaC::power>(f) && isPlainSymbol(m_ctx, f.op(0)) && GiNaC::is_a<GiNaC::numeric>(f.op(1))
                && GiNaC::ex_to<GiNaC::numeric>(f.op(1)).is_integer();
        };
        const ex& e = m.expr;
        if (!GiNaC::is_a<GiNaC::mul>(e))
            return factorIsName(e);
        for (std::size_t i = 0; i < e.nops(); ++i)
            if (!factorIsName(e.op(i)))
                return false;
        return true;
    }

    bool isConstantItem(const MathAnswer& m) const
    {
        if (m.kind == K::Matrix)
            return std::all_of(m.items.begin(), m.items.end(), [&](const MathAnswer& x) { return isConstantItem(x); });
        return m.kind == K::Expr && isConstant(m_ctx, m.expr);
    }

    static bool isEquation(const MathAnswer& m)
    {
        return m.kind == K::Relation
            && std::all_of(m.ops.begin(), m.ops.end(), [](const std::string& o) { return o == "="; });
    }

    // "x = 2 + 3 = 5", "S = 1 - \frac{1}{n+1} = \frac{n}{n+1}" and "2 \times 9 = 18": a chain of equations that
    // starts with a name, or whose later sides are constants, says that its first side is the last one;
    // kept as that one equation.
    static MathAnswer collapsedChain(const MathAnswer& rel, const Comparator& self)
    {
        if (!isEquation(rel) || rel.items.size() < 3)
            return rel;
        if (!self.isLabel(rel.items.front())
            && !std::all_of(rel.items.begin() + 1, rel.items.end(), [&](const MathAnswer& m) { return self.isConstantItem(m); }))
            return rel;
        MathAnswer eq = rel;
        eq.items = {rel.items.front(), rel.items.back()};
        eq.ops = {"="};
        return eq;
    }

    // "x = 5", "5 = x", "AB = 4", "\frac{NO}{BO} = \frac{1}{\sqrt6}", "a + b = 3" and "9 \times 2 = 18" stand
    // for their value when compared with a non-relation: the side opposite a name, else the constant side,
    // else (an identity, "ab + 5b + 2a + 10 = (a+5)(b+2)") the right side.
    std::optional<MathAnswer> solvedValue(const MathAnswer& raw) const
    {
        if (!isEquation(raw))
            return std::nullopt;
        const MathAnswer rel = collapsedChain(raw, *this);
        if (rel.items.size() != 2)
            return std::nullopt;
        if (isLabel(rel.items[0]))
            return rel.items[1];
        if (isLabel(rel.items[1]))
            return rel.items[0];
        const bool leftConstant = isConstantItem(rel.items[0]);
        const bool rightConstant = isConstantItem(rel.items[1]);
        if (rightConstant)
            return rel.items[1];  // "a + b = 3", "9 \times 2 = 18": the value stated on the right
        if (leftConstant)
            return rel.items[0];
        if (isIdentity(rel))
            return rel.items[1];  // "ab + 5b + 2a + 10 = (a+5)(b+2)": a rewriting; its result is the value
        return std::nullopt;
    }

    // An equation whose sides are the same expression written two ways.
    bool isIdentity(const MathAnswer& eq) const
    {
        if (eq.items.size() != 2 || eq.items[0].kind != K::Expr || eq.items[1].kind != K::Expr)
            return false;
        try {
            return boundedNormal(eq.items[0].expr - eq.items[1].expr).is_zero();
        } catch (const std::exception&) {
            return false;
        }
    }

    // "AB = 4, CD = 5": a bare list of equations that each name a different quantity.
    bool isLabelledList(const MathAnswer& m) const
    {
        if (m.kind != K::Set || !m.bareList || m.items.size() < 2)
            return false;
        for (std::size_t i = 0; i < m.items.size(); ++i) {
            const MathAnswer& item = m.items[i];
            if (item.kind != K::Relation || item.ops.size() != 1 || item.ops[0] != "=" || !isLabel(item.items[0]))
                return false;
            for (std::size_t j = 0; j < i; ++j)
                if (m.items[j].items[0].expr.is_equal(item.items[0].expr))
                    return false;
        }
        return !namesRootsOfOneUnknown(m);
    }

    // The values of a list of roots of one unknown, "x_1 = 2, x_2 = 3" or "x = 2, x = 3"; nullopt otherwise.
    std::optional<MathAnswer> rootValues(const MathAnswer& list) const
    {
        if (list.kind != K::Set || list.items.size() < 2)
            return std::nullopt;
        for (const MathAnswer& item : list.items)
            if (!namesVariable(m_ctx, item))
                return std::nullopt;
        const bool oneName = std::all_of(list.items.begin(), list.items.end(), [&](const MathAnswer& item) {
            return item.items[0].expr.is_equal(list.items.front().items[0].expr);
        });
        if (!oneName && !namesRootsOfOneUnknown(list))
            return std::nullopt;
        MathAnswer values = list;
        for (MathAnswer& item : values.items)
            item = MathAnswer(item.items[1]);
        return values;
    }

    // "x_1 = 1, x_2 = -3": the labels are one letter with different subscripts, the roots of one
    // equation, which a list of values may give in any order.
    static bool namesRootsOfOneUnknown(const MathAnswer& list)
    {
        std::string base;
        for (const MathAnswer& item : list.items) {
            if (!GiNaC::is_a<GiNaC::symbol>(item.items[0].expr))
                return false;
            const std::string& name = GiNaC::ex_to<GiNaC::symbol>(item.items[0].expr).get_name();
            const std::size_t bar = name.find('_');
            if (bar == std::string::npos || bar == 0 || bar + 1 == name.size()
                || (!base.empty() && name.compare(0, bar + 1, base) != 0))
                return false;
            base = name.substr(0, bar + 1);
        }
        return true;
    }

    static bool hasNoRelation(const MathAnswer& m)
    {
        return std::none_of(m.items.begin(), m.items.end(), [](const MathAnswer& x) { return x.kind == K::Relation; });
    }

    // "(11,7) or (7,11)": alternatives that are orderings of one tuple; any of them is the answer.
    bool isTupleAlternatives(const MathAnswer& m)
    {
        if (m.kind != K::Set || !m.alternatives || m.items.size() < 2)
            return false;
        const MathAnswer& first = m.items.front();
        return std::all_of(m.items.begin(), m.items.end(), [&](const MathAnswer& x) {
            return x.kind == K::Tuple && x.items.size() == first.items.size()
                && unordered(first.items, x.items, "tuple").verdict == Verdict::Equal;
        });
    }

    Equivalence anyAlternative(const MathAnswer& alternatives, const MathAnswer& x)
    {
        bool sawUnknown = false;
        for (const MathAnswer& alt : alternatives.items) {
            const Equivalence e = compare(alt, x);
            if (e.verdict == Verdict::Equal)
                return equal("matches one of the alternatives");
            sawUnknown = sawUnknown || e.verdict == Verdict::Unknown;
        }
        return sawUnknown ? unknown("alternatives undecided") : notEqual("matches none of the alternatives");
    }

    Equivalence ordered(const std::vector<MathAnswer>& a, const std::vector<MathAnswer>& b, const std::string& what)
    {
        if (a.size() != b.size())
            return notEqual(what + " sizes differ (" + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")");
        bool sawUnknown = false;
        for (std::size_t i = 0; i < a.size(); ++i) {
            const Equivalence e = compare(a[i], b[i]);
            if (e.verdict == Verdict::NotEqual)
                return notEqual(what + " element " + std::to_string(i + 1) + " differs: " + e.reason);
            sawUnknown = sawUnknown || e.verdict == Verdict::Unknown;
        }
        return sawUnknown ? unknown(what + ": some elements undecided") : equal(what + " elements equal in order");
    }

    Equivalence unordered(const std::vector<MathAnswer>& a, const std::vector<MathAnswer>& b, const std::string& what)
    {
        if (a.size() != b.size())
            return notEqual(what + " sizes differ (" + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + ")");
        std::vector<bool> used(b.size(), false);
        bool sawUnknown = false;
        for (const MathAnswer& x : a) {
            bool matched = false;
            for (std::size_t j = 0; j < b.size() && !matched; ++j) {
                if (used[j])
                    continue;
                const Equivalence e = compare(x, b[j]);
                if (e.verdict == Verdict::Equal)
                    used[j] = matched = true;
                sawUnknown = sawUnknown || e.verdict == Verdict::Unknown;
            }
            if (!matched)
                return sawUnknown ? unknown(what + ": an element could not be decided")
                                  : notEqual(what + " elements differ");
        }
        return equal(what + " elements equal (any order)");
    }

    Equivalence intervals(const MathAnswer& a, const MathAnswer& b)
    {
        const Equivalence lo = compare(a.items[0], b.items[0]);
        const Equivalence hi = compare(a.items[1], b.items[1]);
        if (lo.verdict == Verdict::NotEqual || hi.verdict == Verdict::NotEqual)
            return notEqual("interval endpoints differ");
        const bool loInf = a.items[0].expr.has(m_ctx.infinity);
        const bool hiInf = a.items[1].expr.has(m_ctx.infinity);
        if ((!loInf && a.leftClosed != b.leftClosed) || (!hiInf && a.rightClosed != b.rightClosed))
            return notEqual("interval ends differ in being open or closed");
        if (lo.verdict == Verdict::Unknown || hi.verdict == Verdict::Unknown)
            return unknown("interval endpoints undecided");
        return equal("same interval");
    }

    // f and g are non-zero multiples of each other (positive multiples when `positive`).
    Equivalence proportional(const ex& f, const ex& g, bool positive)
    {
        if (f.is_zero() || g.is_zero())
            return f.is_zero() && g.is_zero() ? equal("both sides identical") : notEqual("not proportional");
        ex ratio;
        try {
            ratio = boundedNormal(f / g);
        } catch (const std::exception&) {
            return unknown("could not simplify the ratio");
        }
        GiNaC::exset syms;
        collectSymbols(ratio, syms);
        if (syms.empty()) {
            const ex v = GiNaC::evalf(ratio);
            if (!GiNaC::is_a<GiNaC::numeric>(v))
                return unknown("ratio not numeric");
            const GiNaC::numeric n = GiNaC::ex_to<GiNaC::numeric>(v);
            if (!n.is_real() || n.is_zero())
                return notEqual("not proportional");
            if (positive && n.is_negative())
                return notEqual("inequalities point opposite ways");
            return equal("relations are multiples of each other");
        }
        return notEqual("relations are not multiples of each other");
    }

    Equivalence relations(const MathAnswer& a, const MathAnswer& b)
    {
        auto isEq = [](const MathAnswer& m) {
            return std::all_of(m.ops.begin(), m.ops.end(), [](const std::string& o) { return o == "="; });
        };
        auto allExprs = [](const MathAnswer& m) {
            return std::all_of(m.items.begin(), m.items.end(), [](const MathAnswer& x) { return x.kind == K::Expr; });
        };
        if (isEq(a) != isEq(b))
            return notEqual("equation vs inequality");
        if (isEq(a)) {
            const MathAnswer ca = collapsedChain(a, *this);
            const MathAnswer cb = collapsedChain(b, *this);
            if (ca.ops.size() != 1 || cb.ops.size() != 1)
                return unknown("chained equations are not compared");
            if (!allExprs(ca) || !allExprs(cb)) {
                const auto va = solvedValue(ca);
                const auto vb = solvedValue(cb);
                if (va && vb)
                    return compare(*va, *vb);
                return unknown("equations between matrices are not compared");
            }
            return proportional(ca.items[0].expr - ca.items[1].expr, cb.items[0].expr - cb.items[1].expr, false);
        }
        if (!allExprs(a) || !allExprs(b))
            return unknown("inequalities between matrices are not compared");
        if (auto ia = m_sets.asInterval(a))
            if (auto ib = m_sets.asInterval(b))
                return compare(*ia, *ib);
        struct Cond {
            ex f;
            std::string kind;
        };
        auto conditions = [](const MathAnswer& m) {
            std::vector<Cond> out;
            for (std::size_t i = 0; i < m.ops.size(); ++i) {
                const ex l = m.items[i].expr;
                const ex r = m.items[i + 1].expr;
                const std::string& o = m.ops[i];
                if (o == "<" || o == "<=")
                    out.push_back({l - r, o});
                else if (o == ">" || o == ">=")
                    out.push_back({r - l, o == ">" ? "<" : "<="});
                else
                    out.push_back({l - r, o});
            }
            return out;
        };
        const auto ca = conditions(a);
        const auto cb = conditions(b);
        if (ca.size() != cb.size())
            return notEqual("different numbers of conditions");
        std::vector<bool> used(cb.size(), false);
        for (const Cond& x : ca) {
            bool matched = false;
            for (std::size_t j = 0; j < cb.size() && !matched; ++j)
                if (!used[j] && cb[j].kind == x.kind
                    && proportional(x.f, cb[j].f, x.kind != "!=").verdict == Verdict::Equal)
                    used[j] = matched = true;
            if (!matched)
                return notEqual("inequalities differ");
        }
        return equal("same inequalities");
    }

    static bool close(const GiNaC::numeric& x, const GiNaC::numeric& y, double tol)
    {
        const double diff = GiNaC::abs(x - y).to_double();
        const double scale = std::max(GiNaC::abs(x).to_double(), GiNaC::abs(y).to_double());
        return diff <= tol * scale || diff <= kNoiseFloor;
    }

    static std::optional<GiNaC::numeric> numericValue(const ex& e)
    {
        try {
            const ex v = GiNaC::evalf(e);
            if (GiNaC::is_a<GiNaC::numeric>(v))
                return GiNaC::ex_to<GiNaC::numeric>(v);
        } catch (const std::exception&) {
        }
        return std::nullopt;
    }

    static std::set<std::string> baseNames(const ex& e, GiNaC::exmap& toOne)
    {
        GiNaC::exset syms;
        collectSymbols(e, syms);
        std::set<std::string> names;
        for (const ex& s : syms) {
            const std::string& name = GiNaC::ex_to<GiNaC::symbol>(s).get_name();
            if (name.rfind(kBasePrefix, 0) == 0) {
                names.insert(name);
                toOne[s] = 1;
            }
        }
        return names;
    }

    Equivalence exprs(const ex& rawA, const ex& rawB)
    {
        GiNaC::exmap toOne;
        const auto basesA = baseNames(rawA, toOne);
        const auto basesB = baseNames(rawB, toOne);
        if (!basesA.empty() && !basesB.empty() && basesA != basesB)
            return notEqual("numbers written in different bases");
        const ex a = rawA.subs(toOne);
        const ex b = rawB.subs(toOne);
        const ex deg = m_ctx.degree;
        const ex pct = m_ctx.percent;
        const bool aDeg = a.has(deg), bDeg = b.has(deg), aPct = a.has(pct), bPct = b.has(pct);
        const GiNaC::lst asOne{deg == 1, pct == 1};
        const Equivalence plain = exprCore(a.subs(asOne), b.subs(asOne));
        if (plain.verdict == Verdict::Equal || (aDeg == bDeg && aPct == bPct))
            return plain;
        // One side carries a unit the other lacks: also try the converted value.
        const ex degA = aDeg && !bDeg ? GiNaC::Pi / 180 : ex(1);
        const ex degB = bDeg && !aDeg ? GiNaC::Pi / 180 : ex(1);
        const ex pctA = aPct && !bPct ? GiNaC::numeric(1, 100) : ex(1);
        const ex pctB = bPct && !aPct ? GiNaC::numeric(1, 100) : ex(1);
        const Equivalence converted = exprCore(a.subs(GiNaC::lst{deg == degA, pct == pctA}),
                                               b.subs(GiNaC::lst{deg == degB, pct == pctB}));
        if (converted.verdict == Verdict::Equal)
            return equal(converted.reason + (aDeg || bDeg ? " (degrees as radians)" : " (percent as a fraction)"));
        if (plain.verdict == Verdict::NotEqual && converted.verdict == Verdict::NotEqual)
            return plain;
        return unknown("undecided with units");
    }

    Equivalence exprCore(const ex& a, const ex& b)
    {
        const bool floats = m_ctx.sawDecimal;
        if (a.has(m_ctx.infinity) || b.has(m_ctx.infinity))
            return GiNaC::expand(a - b).is_zero() ? equal("same infinity") : notEqual("infinite vs different value");
        ex diff;
        try {
            diff = boundedNormal(a - b);
        } catch (const std::exception&) {
            diff = a - b;
        }
        if (diff.is_zero())
            return equal("symbolically equal");
        GiNaC::exset syms;
        collectSymbols(a, syms);
        collectSymbols(b, syms);
        if (syms.empty()) {
            if (!floats && GiNaC::is_a<GiNaC::numeric>(a) && GiNaC::is_a<GiNaC::numeric>(b))
                return notEqual("different exact values");
            const auto va = numericValue(a);
            const auto vb = numericValue(b);
            if (!va || !vb)
                return unknown("could not evaluate numerically");
            if (close(*va, *vb, floats ? kFloatTol : kExactTol))
                return equal(floats ? "equal within relative 1e-4" : "numerically equal");
            return notEqual("different values");
        }
        return randomPoints(a, b, syms, floats ? kFloatTol : kExactTol);
    }

    // Evaluates both sides at sample points of both signs; points where a side is undefined, or
    // leaves the real numbers while neither answer mentions i, are skipped.
    Equivalence randomPoints(const ex& a, const ex& b, const GiNaC::exset& syms, double tol)
    {
        static const int kNum[] = {731, -1379, 2113, -417, 1853, -2671, 593, -1129, 1597, -389};
        const bool complexAnswers = a.has(GiNaC::I) || b.has(GiNaC::I);
        int valid = 0;
        for (int p = 0; p < kPoints; ++p) {
            GiNaC::exmap at;
            int k = 0;
            for (const ex& s : syms) {
                at[s] = GiNaC::numeric(kNum[(p * 3 + k * 7) % 10] + 13 * k, 1000);
                ++k;
            }
            std::optional<GiNaC::numeric> va, vb;
            try {
                va = numericValue(a.subs(at));
                vb = numericValue(b.subs(at));
            } catch (const std::exception&) {
                continue;  // a pole at this point
            }
            if (!va || !vb || (!complexAnswers && (!va->is_real() || !vb->is_real())))
                continue;
            ++valid;
            if (!close(*va, *vb, tol))
                return notEqual("differ at a sample point");
        }
        if (valid >= 3)
            return equal("agree at " + std::to_string(valid) + " sample points");
        return unknown("could not evaluate at enough sample points");
    }

    ParseContext& m_ctx;
    InequalitySets m_sets;
};

}  // namespace

Equivalence compareMath(const MathAnswer& pred, const MathAnswer& gold, ParseContext& ctx)
{
    Comparator comparator(ctx);
    if (ctx.symbols.count("k") + ctx.symbols.count("n") + ctx.symbols.count("m") == 0)
        return comparator.compare(pred, gold);  // no integer parameter was written
    // "k\pi" against "n\pi": the general solutions name their integer parameter differently.
    const auto kp = periodParameter(pred, ctx);
    const auto kg = kp ? periodParameter(gold, ctx) : std::nullopt;
    if (!kp || !kg)
        return comparator.compare(pred, gold);
    std::string renamed;
    MathAnswer p = pred;
    if (!kp->is_equal(*kg)) {
        if (mentions(pred, *kg))
            return comparator.compare(pred, gold);
        p = withSymbolRenamed(pred, *kp, *kg);
        renamed = " (the integer parameter renamed)";
    }
    Equivalence e = comparator.compare(p, gold);
    if (e.verdict != Verdict::Equal) {
        if (const auto same = sameGeneralSolutions(p, gold, *kg, ctx); same && *same)
            return equal("the same values over the integers" + renamed);
    }
    e.reason += renamed;
    return e;
}

}  // namespace distill::verify
