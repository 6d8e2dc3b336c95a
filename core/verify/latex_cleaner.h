// Text-level normalisation of a LaTeX answer before parsing: spacing, \left/\right, \dfrac, text
// wrappers, trailing units, unicode symbols, thousands separators. No maths happens here.
#pragma once

#include <string>
#include <string_view>

namespace distill::verify {

struct CleanedAnswer {
    std::string latex;        // normalised LaTeX, single spaces
    bool wholeText = false;   // the answer was one \text{...}-like wrapper (a word answer, not maths)
    bool alternatives = false; // "or" joined its parts: "(11,7) or (7,11)"
    bool droppedApproximation = false;  // "\frac16 \approx 0.1667" was read as its exact value
};

// With exactBeforeApprox, an exact value restated as a decimal ("\frac16 \approx 0.1667",
// "x = 2\sqrt3 \approx 3.46") is that exact value; otherwise, and always after a name ("x \approx 3.46"),
// "\approx" states the value after it, like "=".
CleanedAnswer cleanLatex(std::string_view answer, bool exactBeforeApprox = true);

// Lower-cased, whitespace-collapsed, punctuation-free form used to compare word answers.
std::string normalizeWords(std::string_view text);

}  // namespace distill::verify
