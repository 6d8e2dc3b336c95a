// The numbers of one evaluation: pass@1, pass@k, cons@k and response lengths, each headline number
// with a bootstrap 95% interval over problems, computed from per-sample outcomes. No torch here.
#pragma once

#include "core/eval/bootstrap.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace distill::eval {

// One graded response.
struct SampleOutcome {
    std::int64_t sampleIndex = 0;
    std::string answer;  // extracted answer; empty when none was found
    bool correct = false;
    std::int64_t responseTokens = 0;
    // Known for responses generated in this process; rows read back from the workspace lack them.
    std::optional<std::int64_t> thinkingTokens;
    std::optional<bool> truncated;  // stopped by the token limit
};

struct ProblemOutcome {
    std::int64_t problemId = 0;
    std::vector<SampleOutcome> samples;  // by sample index
};

struct EvalSummary {
    std::string benchmark;
    std::int64_t problems = 0;
    std::int64_t samples = 0;       // all graded responses
    std::int64_t samplesPerProblem = 0;  // the smallest n over problems (pass@k is given for k <= it)
    Estimate pass1;                 // mean over problems of (correct / n)
    std::map<std::int64_t, Estimate> passAtK;  // k = 1, 2, 4, ... and n
    Estimate consAtK;               // majority vote over each problem's n answers
    Estimate responseTokens;        // mean over problems of the mean response length
    double medianResponseTokens = 0.0;
    std::optional<double> meanThinkingTokens;  // over responses whose thinking length is known
    std::optional<double> truncatedShare;      // over responses whose finish reason is known
    // Timing of the process that produced the summary (0 when it only read stored rows).
    double seconds = 0.0;
    double generationSeconds = 0.0;  // inside the engine's generate()
    std::int64_t generatedTokens = 0;
    bool complete = true;            // false when stopped before every problem was done
};

// Problems without samples are ignored. Throws InvalidArgument when no problem has a sample.
EvalSummary summarize(const std::vector<ProblemOutcome>& problems, const BootstrapOptions& bootstrap = {});

// {"benchmark", "problems", "samples", "k", "pass@1": {"value","ci":[lo,hi]}, "pass@k": {"1": {...}, ...},
//  "cons@k": {...}, "response_tokens": {"mean": {...}, "median"}, "thinking_tokens_mean", "truncated_share",
//  "timing": {"seconds", "generation_seconds", "outside_generation_share", "generated_tokens"}, "complete"}
nlohmann::json toJson(const EvalSummary& summary);

}  // namespace distill::eval
