// One-variable inequalities read as the sets they describe (intervals and unions of them), for the
// comparison of answers, and the symbol tests they share with it. Internal to core/verify
// (math_compare.cpp).
#pragma once

#include "core/verify/math_answer.h"

#include <optional>
#include <vector>

namespace distill::verify {

// Every symbol in e.
void collectSymbols(const GiNaC::ex& e, GiNaC::exset& out);
// A variable: a symbol that is not the degree, percent or infinity marker.
bool isPlainSymbol(const ParseContext& ctx, const GiNaC::ex& e);
// "x = …": one equation with a variable alone on its left side.
bool namesVariable(const ParseContext& ctx, const MathAnswer& m);
// No free variable: infinity and the base marker of "2516_8" are not variables.
bool isConstant(const ParseContext& ctx, const GiNaC::ex& e);
// The value of e as a double when it evaluates to a real number.
std::optional<double> realValue(const GiNaC::ex& e);

class InequalitySets {
public:
    explicit InequalitySets(const ParseContext& ctx) : m_ctx(ctx) {}

    // "x > 2", "-1 < x \le 3", "2x + 4 \ge 10", "|x - 1| < 3" as an interval of the single variable; "x \ne 5"
    // and "|x| \ge 2" as a union of two; "x^2 - 5x + 6 \le 0", "\frac{x-1}{x+2} > 0" as the set of their
    // solutions (an interval, a union, a one-point or the empty set).
    std::optional<MathAnswer> asInterval(const MathAnswer& rel) const;
    // A list of one-variable inequalities as the set it describes ("x < 2 or x > 3", "x > 1, x < 3").
    std::optional<MathAnswer> solutionSet(const MathAnswer& list) const;
    // An inequality in one variable that is not read as an interval ("x^2 < 4").
    bool isUnsolved(const MathAnswer& m) const;

private:
    // e = k * var + m with one variable and k a non-zero real number.
    struct Linear {
        GiNaC::ex var;
        GiNaC::ex k;
        GiNaC::ex m;
        bool negative = false;  // k < 0
    };
    static MathAnswer interval(const GiNaC::ex& lo, const GiNaC::ex& hi, bool leftClosed, bool rightClosed);
    std::optional<Linear> linearForm(const GiNaC::ex& e) const;
    bool isFiniteConstant(const GiNaC::ex& e) const;
    std::optional<MathAnswer> linearInterval(const std::vector<GiNaC::ex>& v, const std::vector<bool>& closed) const;
    std::optional<MathAnswer> plainInterval(const std::vector<GiNaC::ex>& v, const std::vector<bool>& closed) const;
    std::optional<MathAnswer> signChartSet(const GiNaC::ex& f, bool closed) const;
    std::optional<MathAnswer> asUnion(const MathAnswer& list) const;
    std::optional<GiNaC::ex> inequalityVariable(const MathAnswer& rel) const;

    const ParseContext& m_ctx;
};

}  // namespace distill::verify
