// Fast path for plain numeric answers (integers, decimals, simple fractions) compared without GiNaC.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace distill::verify {

// An exactly written rational num/den (den > 0); `decimal` when it was written with a decimal point.
struct FastNumber {
    std::int64_t num = 0;
    std::int64_t den = 1;
    bool decimal = false;
};

// Parses "42", "-3.5", ".25", "10,000", "1/2", "\frac{3}{4}", "\dfrac34", "-\frac{1}{2}", with
// optional $...$ and surrounding spaces. Anything else (or an overflow) gives nullopt.
std::optional<FastNumber> parseFastNumber(std::string_view text);

// Exact comparison when both are exact; relative tolerance `relTol` when either was a decimal.
bool fastNumbersEqual(const FastNumber& a, const FastNumber& b, double relTol);

}  // namespace distill::verify
