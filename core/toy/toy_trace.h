// The programmatic toy teacher's writing: step-by-step <think> traces for toy expressions, one line
// per step (digit by digit), optional self-checks, and a seeded error rate that yields wrong answers.
#pragma once

#include "core/toy/toy_problem.h"

#include <cstdint>
#include <string>
#include <string_view>

namespace distill::toy {

// Terse: "37+48=85" per step. Digits: "37+48: 7+8=15, 3+4+1=8, so 85." (column by column).
// Worked: Digits, and after every step but the last the expression still to compute ("Now 85 - 19."),
// so each step's operands stand in the line just above it (far easier for a tiny model to learn).
enum class ToyVerbosity { Terse, Digits, Worked };
std::string_view toyVerbosityName(ToyVerbosity verbosity);  // "terse", "digits", "worked"
ToyVerbosity parseToyVerbosity(std::string_view text);      // InvalidArgument on other text

struct ToyTraceOptions {
    double errorRate = 0.0;      // probability that a trace contains one wrong digit (so a wrong answer)
    double selfCheckRate = 0.0;  // probability that a correct step is followed by "Wait, let me verify: ..."
    ToyVerbosity verbosity = ToyVerbosity::Digits;
    double terseRate = 0.0;      // probability that a trace is written Terse whatever `verbosity` says (a
                                 // teacher that sometimes skips the working)
    std::uint64_t seed = 0;      // with the question and the sample index, decides every random choice
};

struct ToyTrace {
    std::string thinking;      // the step lines, joined by '\n' (no tags)
    std::string answer;        // "\boxed{N}"
    long long finalValue = 0;  // N
    bool injectedError = false;

    // The response as a teacher writes it: "<think>\n" thinking "\n</think>\n" answer.
    std::string text() const;
};

// The trace of sample `sampleIndex` for an expression; the same arguments give the same trace.
// A trace with an injected error writes one column digit one too high (rarely, one too low) and
// carries the wrong value to the end, so its final answer is always wrong; self-checks never
// follow the wrong step.
ToyTrace writeToyTrace(const ToyExpression& expression, const ToyTraceOptions& options,
                       std::uint64_t sampleIndex);

}  // namespace distill::toy
