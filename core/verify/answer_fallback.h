// The fallbacks of answer extraction for text without a box or an answer phrase: the last maths span
// ($...$, $$...$$, \(...\), \[...\], align*) and the last number of free text. Internal to core/verify.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::verify {

struct MathSpan {
    std::size_t begin = 0;     // offset of the opening delimiter
    std::string_view content;  // between the delimiters
    std::size_t end = 0;       // offset just past the closing delimiter
};

// The $...$, $$...$$, \(...\), \[...\] and \begin{align*}...\end{align*} (equation, gather, ...) spans,
// in order; spans may run over lines. A "$" before a number that would open prose ("costs $15 a box,
// then $20") is a currency sign, and an inline "$" span never crosses a blank line. Scanning stops at a
// span that never closes.
std::vector<MathSpan> mathSpans(std::string_view text);

// True when a maths span opens and never closes (the text was cut off inside maths); a "$" before or
// after a number ("costs $5") is a currency sign and closes nothing.
bool hasUnclosedMath(std::string_view text);

// The last of them; nullopt when there is none.
std::optional<MathSpan> lastMathSpan(std::string_view text);

// The last number of free text: "-3", "1,000.99" (of "1,000.99€"), "12" (of "12 m²"), "3/4",
// "\frac{3}{4}", "25\%" (of "25%"), "7:30 PM". Digits inside names or exponents ("x_2", "10^3") are
// skipped. nullopt when there is none; `at`, when given, receives the offset where the number starts.
std::optional<std::string> lastNumber(std::string_view text, std::size_t* at = nullptr);

// The text without GSM8K calculator notes ("$<<9*2=18>>18" is "$18") and Asymptote [asy]...[/asy]
// drawings (whose labels are maths spans that are no answer).
std::string withoutNotes(std::string_view text);

// The value a displayed derivation ends with: its last row without alignment marks, and the part after
// the last "=" of a chain ("x = 2 + 3 = 5" -> "5", "&= p - q" -> "p - q"); one equation stays whole
// ("x = 5", "AB = 4").
std::string spanValue(std::string_view content);

// Top-level "=" signs of a formula.
std::size_t equalSignCount(std::string_view content);

// One equation whose left side only names a value: "x = 1", "a_1 = 3", "f(2) = 5", not "k - 1 = 1".
bool namesOneValue(std::string_view content);

// Words of two or more letters outside maths spans, braces ("\text{...}" labels) and command names.
std::size_t wordsOutsideMath(std::string_view text);

// True when the text reads as a sentence rather than an answer: three or more such words
// ("Peter receives $11.25 in change").
inline bool looksLikeProse(std::string_view text) { return wordsOutsideMath(text) >= 3; }

}  // namespace distill::verify
