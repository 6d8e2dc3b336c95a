// The values the LaTeX parser builds: functions by name, powers guarded against blow-up, and sums and
// products that may hold matrices. Internal to core/verify (latex_parser.cpp).
#pragma once

#include <ginac/ginac.h>

#include <string>
#include <string_view>
#include <vector>

namespace distill::verify {

[[noreturn]] void failParse(const std::string& what);     // malformed input (ErrorCode::Parse)
[[noreturn]] void failTooLarge(const std::string& what);  // too large or unsupported (ErrorCode::Unsupported)

bool isGreek(std::string_view name);

enum class Fn { None, Sin, Cos, Tan, Cot, Sec, Csc, Asin, Acos, Atan, Sinh, Cosh, Tanh, Ln, Log, Exp };

Fn functionNamed(std::string_view name);
GiNaC::ex applyFunction(Fn fn, const GiNaC::ex& x, const GiNaC::ex* logBase);
Fn inverseOf(Fn fn);  // Sin -> Asin ...; None when there is none

// max, min, gcd and lcm of a list: "\max(3, 5)", "\gcd(12, 18)", "\operatorname{lcm}(4, 6)".
bool isListFunction(std::string_view name);
// The function of real numbers (max, min) or integers (gcd, lcm); throws (failTooLarge) for anything else.
GiNaC::ex applyListFunction(std::string_view name, const std::vector<GiNaC::ex>& args);

// floor(x) (down) or ceil(x) of a real number: exact for a rational, else from its value when that is
// not too close to an integer; throws (failTooLarge) for anything else (symbols, complex values).
GiNaC::ex roundedToInteger(const GiNaC::ex& x, bool down);

// base^exponent; throws (failTooLarge) when the result would be too large to compute safely.
GiNaC::ex guardedPower(const GiNaC::ex& base, const GiNaC::ex& exponent);

bool isMatrix(const GiNaC::ex& e);
bool isMatrixEnvironment(std::string_view env);  // pmatrix, bmatrix, array, ...
GiNaC::ex addValues(const GiNaC::ex& a, const GiNaC::ex& b);  // a matrix stays a matrix
GiNaC::ex mulValues(const GiNaC::ex& a, const GiNaC::ex& b);
GiNaC::ex matrixPower(const GiNaC::ex& base, const GiNaC::ex& exponent);
GiNaC::matrix transposed(const GiNaC::ex& matrix);
// det(m) of a square matrix, at most 4x4 (8x8 when every entry is a number); throws otherwise.
GiNaC::ex determinantOf(const GiNaC::ex& m);

}  // namespace distill::verify
