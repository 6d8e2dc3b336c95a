// Fast path for plain numeric answers (integers, decimals, simple fractions) compared without GiNaC.
// Digits are converted by std::from_chars (integers, exact) and fast_float (decimals, round-to-nearest).
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace distill::verify {

// A plain number: the exact rational num/den (den > 0) when written without a decimal point; with one
// (`decimal`), `value` is the nearest double of what was written.
struct FastNumber {
    std::int64_t num = 0;
    std::int64_t den = 1;
    bool decimal = false;
    double value = 0.0;
};

// Parses "42", "-3.5", ".25", "10,000", "1/2", "\frac{3}{4}", "\dfrac34", "-\frac{1}{2}", with
// optional $...$ and surrounding spaces. Anything else (or more digits than an int64 holds) gives nullopt.
std::optional<FastNumber> parseFastNumber(std::string_view text);

// Exact comparison when both are exact; relative tolerance `relTol` when either was a decimal.
bool fastNumbersEqual(const FastNumber& a, const FastNumber& b, double relTol);

}  // namespace distill::verify
