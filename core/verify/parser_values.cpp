#include "core/verify/parser_values.h"

#include "core/util/error.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace distill::verify {

using GiNaC::ex;
using GiNaC::numeric;

namespace {

constexpr double kMaxPowerBits = 20000.0;  // a numeric power may not exceed this many bits
constexpr long kMaxSymbolicExponent = 60;  // (sum)^n beyond this is not expanded

const char* const kGreek[] = {"alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta",
                              "theta", "vartheta", "iota", "kappa", "lambda", "mu", "nu", "xi", "rho",
                              "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega", "Gamma",
                              "Delta", "Theta", "Lambda", "Xi", "Sigma", "Phi", "Psi", "Omega"};

}  // namespace

[[noreturn]] void failParse(const std::string& what) { throw Error(ErrorCode::Parse, what); }
[[noreturn]] void failTooLarge(const std::string& what) { throw Error(ErrorCode::Unsupported, what); }

bool isGreek(std::string_view name)
{
    for (const char* g : kGreek)
        if (name == g)
            return true;
    return false;
}

Fn functionNamed(std::string_view n)
{
    struct Entry {
        const char* name;
        Fn fn;
    };
    static const Entry table[] = {{"sin", Fn::Sin},       {"cos", Fn::Cos},       {"tan", Fn::Tan},
                                  {"cot", Fn::Cot},       {"sec", Fn::Sec},       {"csc", Fn::Csc},
                                  {"arcsin", Fn::Asin},   {"arccos", Fn::Acos},   {"arctan", Fn::Atan},
                                  {"sinh", Fn::Sinh},     {"cosh", Fn::Cosh},     {"tanh", Fn::Tanh},
                                  {"ln", Fn::Ln},         {"log", Fn::Log},       {"exp", Fn::Exp},
                                  {"lg", Fn::Log}};  // the common logarithm, in Chinese and Russian schools
    for (const Entry& e : table)
        if (n == e.name)
            return e.fn;
    return Fn::None;
}

ex applyFunction(Fn fn, const ex& x, const ex* logBase)
{
    switch (fn) {
    case Fn::Sin: return GiNaC::sin(x);
    case Fn::Cos: return GiNaC::cos(x);
    case Fn::Tan: return GiNaC::tan(x);
    case Fn::Cot: return GiNaC::cos(x) / GiNaC::sin(x);
    case Fn::Sec: return 1 / GiNaC::cos(x);
    case Fn::Csc: return 1 / GiNaC::sin(x);
    case Fn::Asin: return GiNaC::asin(x);
    case Fn::Acos: return GiNaC::acos(x);
    case Fn::Atan: return GiNaC::atan(x);
    case Fn::Sinh: return GiNaC::sinh(x);
    case Fn::Cosh: return GiNaC::cosh(x);
    case Fn::Tanh: return GiNaC::tanh(x);
    case Fn::Ln: return GiNaC::log(x);
    case Fn::Log: return GiNaC::log(x) / (logBase ? GiNaC::log(*logBase) : GiNaC::log(ex(10)));
    case Fn::Exp: return GiNaC::exp(x);
    case Fn::None: break;
    }
    failParse("unknown function");
}

Fn inverseOf(Fn fn)
{
    switch (fn) {
    case Fn::Sin: return Fn::Asin;
    case Fn::Cos: return Fn::Acos;
    case Fn::Tan: return Fn::Atan;
    default: return Fn::None;
    }
}

bool isListFunction(std::string_view name)
{
    return name == "max" || name == "min" || name == "gcd" || name == "lcm";
}

ex applyListFunction(std::string_view name, const std::vector<ex>& args)
{
    const bool integers = name == "gcd" || name == "lcm";
    std::vector<numeric> values;
    for (const ex& a : args) {
        const ex v = integers ? a : a.evalf();
        if (!GiNaC::is_a<numeric>(v) || !GiNaC::ex_to<numeric>(v).is_real()
            || (integers && !GiNaC::ex_to<numeric>(v).is_integer()))
            failTooLarge(std::string(name) + (integers ? " of values that are not integers" : " of values that are not real numbers"));
        values.push_back(GiNaC::ex_to<numeric>(v));
    }
    if (name == "gcd" || name == "lcm") {
        numeric r = values.front();
        for (std::size_t i = 1; i < values.size(); ++i)
            r = name == "gcd" ? GiNaC::gcd(r, values[i]) : GiNaC::lcm(r, values[i]);
        return GiNaC::abs(r);
    }
    std::size_t best = 0;
    for (std::size_t i = 1; i < values.size(); ++i)
        if (name == "max" ? values[best] < values[i] : values[i] < values[best])
            best = i;
    return args[best];
}

ex roundedToInteger(const ex& x, bool down)
{
    if (GiNaC::is_a<numeric>(x) && GiNaC::ex_to<numeric>(x).is_rational()) {
        const numeric n = GiNaC::ex_to<numeric>(x);
        numeric q = GiNaC::iquo(n.numer(), n.denom());  // rounded toward zero
        if (!n.is_integer() && down && n.is_negative())
            q -= 1;
        if (!n.is_integer() && !down && n.is_positive())
            q += 1;
        return q;
    }
    const ex value = x.evalf();
    if (!GiNaC::is_a<numeric>(value) || !GiNaC::ex_to<numeric>(value).is_real())
        failTooLarge("floor or ceiling of a value that is not a real number");
    const double v = GiNaC::ex_to<numeric>(value).to_double();
    if (!(std::fabs(v) < 1e12) || std::fabs(v - std::round(v)) < 1e-6 * std::max(1.0, std::fabs(v)))
        failTooLarge("floor or ceiling of a value too close to an integer to round");
    return numeric(static_cast<long>(down ? std::floor(v) : std::ceil(v)));
}

namespace {

// Bits needed to write a numeric, for the power guard.
double bitsOf(const numeric& n)
{
    if (n.is_zero())
        return 1.0;
    const numeric a = GiNaC::abs(n);
    return double(a.numer().int_length()) + double(a.denom().int_length());
}

}  // namespace

ex guardedPower(const ex& base, const ex& exponent)
{
    if (GiNaC::is_a<numeric>(exponent)) {
        const numeric e = GiNaC::ex_to<numeric>(exponent);
        // 0^e needs Re(e) > 0. Checked here, not left to GiNaC, which throws for the others after
        // allocating the power it then never frees.
        if (GiNaC::is_a<numeric>(base) && GiNaC::ex_to<numeric>(base).is_zero() && !e.real().is_positive())
            failParse(e.is_zero() ? "0^0 is undefined" : "0 to a power without a positive real part");
        if (!e.is_real())
            return GiNaC::pow(base, exponent);
        const double mag = std::fabs(e.to_double());
        if (GiNaC::is_a<numeric>(base)) {
            const numeric b = GiNaC::ex_to<numeric>(base);
            const bool trivial = b.is_zero() || b.is_equal(1) || b.is_equal(-1);
            if (!trivial && (mag > 1e6 || mag * bitsOf(b) > kMaxPowerBits))
                failTooLarge("power too large to evaluate");
        } else if (mag > 1e4 || (GiNaC::is_a<GiNaC::add>(base) && mag > kMaxSymbolicExponent)) {
            failTooLarge("symbolic power too large to expand");
        }
    }
    return GiNaC::pow(base, exponent);
}

namespace {

constexpr std::size_t kMaxEntryNodes = 4000;  // a matrix product whose entries grow past this is not evaluated

const GiNaC::matrix& asMatrix(const ex& e) { return GiNaC::ex_to<GiNaC::matrix>(e); }

// Nodes of `e` as a tree (shared parts counted each time), counting stops past `limit`.
std::size_t treeSize(const ex& e, std::size_t limit)
{
    std::size_t size = 1;
    for (std::size_t i = 0; i < e.nops() && size <= limit; ++i)
        size += treeSize(e.op(i), limit - size);
    return size;
}

// Products of matrices with symbolic entries grow fast (each product multiplies the size of the
// entries); beyond a bound the comparison would take seconds, so the answer is Unknown instead.
ex boundedMatrix(const GiNaC::matrix& m)
{
    for (unsigned r = 0; r < m.rows(); ++r)
        for (unsigned c = 0; c < m.cols(); ++c)
            if (treeSize(m(r, c), kMaxEntryNodes) > kMaxEntryNodes)
                failTooLarge("matrix product too large to compare");
    return m;
}

}  // namespace

bool isMatrix(const ex& e) { return GiNaC::is_a<GiNaC::matrix>(e); }

ex addValues(const ex& a, const ex& b)
{
    if (!isMatrix(a) && !isMatrix(b))
        return a + b;
    if (!isMatrix(a) || !isMatrix(b))
        failParse("a matrix added to a number");
    if (asMatrix(a).rows() != asMatrix(b).rows() || asMatrix(a).cols() != asMatrix(b).cols())
        failParse("matrices of different shapes added");
    return asMatrix(a).add(asMatrix(b));
}

ex mulValues(const ex& a, const ex& b)
{
    if (!isMatrix(a) && !isMatrix(b))
        return a * b;
    if (isMatrix(a) && isMatrix(b)) {
        if (asMatrix(a).cols() != asMatrix(b).rows())
            failParse("matrix product of mismatched shapes");
        return boundedMatrix(asMatrix(a).mul(asMatrix(b)));
    }
    return isMatrix(a) ? asMatrix(a).mul_scalar(b) : asMatrix(b).mul_scalar(a);
}

GiNaC::matrix transposed(const ex& m) { return asMatrix(m).transpose(); }

ex matrixPower(const ex& base, const ex& exponent)
{
    const GiNaC::matrix& m = asMatrix(base);
    if (!GiNaC::is_a<numeric>(exponent) || !GiNaC::ex_to<numeric>(exponent).is_integer() || m.rows() != m.cols()
        || GiNaC::abs(GiNaC::ex_to<numeric>(exponent)) > 20 || m.rows() > 6)
        throw Error(ErrorCode::Unsupported, "unsupported matrix power");
    GiNaC::matrix power;
    try {
        power = m.pow(exponent);
    } catch (const std::exception&) {
        failParse("singular matrix");
    }
    return boundedMatrix(power);
}

bool isMatrixEnvironment(std::string_view env)
{
    return env == "pmatrix" || env == "bmatrix" || env == "Bmatrix" || env == "vmatrix" || env == "Vmatrix"
        || env == "matrix" || env == "smallmatrix" || env == "array";
}

namespace {

// The determinant of the rows x cols minor by cofactor expansion along its first row, left unexpanded:
// GiNaC's own determinant expands every product of symbolic entries, which for entries such as
// (x+y+z)^{50} takes minutes.
ex cofactorExpansion(const GiNaC::matrix& a, const std::vector<unsigned>& rows, const std::vector<unsigned>& cols)
{
    if (rows.size() == 1)
        return a(rows[0], cols[0]);
    const std::vector<unsigned> below(rows.begin() + 1, rows.end());
    ex sum = 0;
    for (std::size_t k = 0; k < cols.size(); ++k) {
        std::vector<unsigned> others = cols;
        others.erase(others.begin() + std::ptrdiff_t(k));
        const ex term = a(rows[0], cols[k]) * cofactorExpansion(a, below, others);
        sum += k % 2 == 0 ? term : -term;
    }
    return sum;
}

}  // namespace

ex determinantOf(const ex& m)
{
    if (!isMatrix(m))
        failParse("a determinant of something that is not a matrix");
    const GiNaC::matrix& a = GiNaC::ex_to<GiNaC::matrix>(m);
    if (a.rows() != a.cols())
        failParse("a determinant of a matrix that is not square");
    bool numbers = true;
    for (unsigned r = 0; r < a.rows(); ++r)
        for (unsigned c = 0; c < a.cols(); ++c)
            numbers = numbers && GiNaC::is_a<numeric>(a(r, c));
    if (a.rows() > (numbers ? 8u : 4u))
        failTooLarge("determinant of a large matrix");
    if (numbers)
        return a.determinant();
    std::vector<unsigned> all(a.rows());
    for (unsigned i = 0; i < a.rows(); ++i)
        all[i] = i;
    return cofactorExpansion(a, all, all);
}

}  // namespace distill::verify
