// Rewrites of a whole answer before the cleaner's scan (latex_cleaner.cpp): what it states besides its
// value goes (a parameter's domain, a currency code, a modulus), and notations the parser does not read
// become ones it does (dotted repeating decimals, counting notation). Internal to core/verify.
#pragma once

#include <string>

namespace distill::verify {

// Drops a trailing domain of the answer's integer parameter: "\frac{\pi}{4} + k\pi, k \in \mathbb{Z}",
// "2k\pi\ (k\in\mathbb{Z})", "n^2, n \in \mathbb{N}^*" (the parameter must occur before it).
void dropParameterDomain(std::string& s);

// A currency code before an amount ("USD 12.50", "Rs. 500", "\text{Rs. }500") and CJK unit characters
// after a quantity ("500元", "5个", "12平方米") are dropped, as "\$" and "cm" are.
void dropCurrencyCodeAndCjkUnit(std::string& s);

// "10,\!080" and "14{,}916" inside a formula ("7! \times 2! = 10,\!080") are numbers, not lists: the
// marks between a digit and a group of three digits go.
void dropDigitGroupMarks(std::string& s);

// A repeating decimal written with dots over the first and last digit of its period, as in British and
// Chinese schools: "0.\dot{3}" = 0.333..., "0.\dot{1}4\dot{2}" = 0.142142..., "0.1\dot{6}". Written as
// "\overline{…}", which the parser reads.
void dotsToOverline(std::string& s);

// A congruence's residue: a trailing modulus goes ("2 \pmod{5}", "2 \pmod 5", "2 (\mathrm{mod}\ 5)",
// "2 \text{ (mod } 5)", "2 \mod 5"), and with it what precedes a "\equiv" ("x \equiv 2 \pmod 5" is 2). An
// integer is reduced to its least non-negative residue ("12 \pmod 5" and "-3 \pmod 5" are 2). "12 \bmod 5"
// is an operation, not a modulus, and stays.
void dropModulus(std::string& s);

// "C_5^2" and "A_5^2" (also "C^2_5", "C_{10}^{3}"), the counting notation of Chinese and Russian schools:
// the combinations \binom{5}{2} and the arrangements 5!/3!, for integers 0 <= k <= n <= 1000.
void countingNotation(std::string& s);

}  // namespace distill::verify
