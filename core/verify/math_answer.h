// Parsed form of one answer: a GiNaC expression, or a structure (tuple, interval, set, matrix,
// relation) of them. Internal to core/verify; GiNaC stays out of the public headers.
#pragma once

#include <ginac/ginac.h>

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::verify {

struct MathAnswer {
    enum class Kind { Expr, Relation, Tuple, Interval, Union, Set, Matrix };
    Kind kind = Kind::Expr;
    GiNaC::ex expr;                // Kind::Expr
    std::vector<MathAnswer> items; // operands, elements, interval endpoints, matrix entries (row-major)
    std::vector<std::string> ops;  // Kind::Relation: "=", "<", "<=", ">", ">=", "!=" between operands
    bool leftClosed = false;       // Kind::Interval
    bool rightClosed = false;
    bool bareList = false;         // Kind::Set written as "a, b" without braces
    bool plusMinus = false;        // Kind::Set made by expanding \pm in one element
    bool alternatives = false;     // Kind::Set written with "or" between its elements
    int rows = 0;                  // Kind::Matrix
    int cols = 0;
};

// Name prefix of the marker symbol for a number's base subscript ("204_5" -> 204 * __base_5).
inline constexpr std::string_view kBasePrefix = "__base_";

// Symbols shared by the two answers of one comparison, plus the unit markers.
struct ParseContext {
    std::map<std::string, GiNaC::symbol> symbols;
    GiNaC::symbol degree{"__degree"};
    GiNaC::symbol percent{"__percent"};
    GiNaC::symbol infinity{"__infinity"};
    bool sawDecimal = false;  // a decimal number was written: numeric comparisons use the float tolerance

    const GiNaC::symbol& symbol(const std::string& name);
};

// The intersection of intervals with real constant endpoints (an interval, a one-point set or the empty
// set); nullopt when an endpoint cannot be placed on the real line.
std::optional<MathAnswer> intersectIntervals(const std::vector<MathAnswer>& intervals, const ParseContext& ctx);

// Parses cleaned LaTeX (see latex_cleaner.h). Throws distill::Error (Parse or Unsupported) on
// malformed input or on expressions too large to evaluate safely.
MathAnswer parseMathAnswer(std::string_view latex, ParseContext& ctx);

}  // namespace distill::verify
