// evaluate(): runs a model on a problem set with the R1 protocol (k samples per problem at
// temperature 0.6 / top-p 0.95, chat template + <think> prefill), grades each response and
// summarises; optionally records every response in a workspace and resumes from what is stored.
#pragma once

#include "core/eval/eval_summary.h"
#include "core/infer/sampling_params.h"
#include "core/model/causal_lm.h"
#include "core/util/progress.h"

#include <cstdint>
#include <string>
#include <vector>

namespace distill::store {
class Workspace;
}
namespace distill::tokenizer {
class Tokenizer;
}

namespace distill::eval {

inline constexpr const char* kDefaultInstruction =
    "Please reason step by step, and put your final answer within \\boxed{}.";

struct EvalProblem {
    std::int64_t id = 0;  // workspace problem id (any unique number when nothing is recorded)
    std::string question;
    std::string answer;   // reference answer
};

struct EvalConfig {
    int samples = 64;  // k responses per problem
    infer::SamplingParams sampling{0.6, 0.95, 0, 0.0, 1.0, 0};
    std::int64_t maxTokens = 32768;
    // The user message; {question} is replaced by the problem text.
    std::string prompt = std::string("{question}\n") + kDefaultInstruction;
    bool thinkPrefill = true;   // open the assistant turn with "<think>\n"
    std::int64_t batch = 64;    // sequences decoded together (engine slots)
    // Budget forcing (s1); -1 / 0 = off.
    std::int64_t maxThinkingTokens = -1;
    std::int64_t minThinkingTokens = 0;
    int maxWaits = 1;
    BootstrapOptions bootstrap;
};

// Where responses are recorded: eval_results rows keyed (run, checkpoint, problem, sample index).
struct EvalRecording {
    store::Workspace& workspace;
    std::int64_t runId;
    std::string checkpoint;
    std::string benchmark;
};

// The rendered prompt of a question (chat template of the tokenizer when it has one, else the bare
// user text) with the <think> prefill when asked.
std::string renderPrompt(const tokenizer::Tokenizer& tokenizer, const std::string& question, const EvalConfig& config);

// Runs the evaluation. Samples already recorded are read back and not generated again. `progress`
// gets (problems done, total) after each batch; returning false stops (summary.complete = false).
// Throws distill::Error for unusable configs; a model response never throws.
EvalSummary evaluate(model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                     const std::vector<EvalProblem>& problems, const EvalConfig& config,
                     const EvalRecording* recording = nullptr, const ProgressFn& progress = {});

// One point of a budget-forcing sweep: the thinking budget and what the model did with it.
struct BudgetPoint {
    std::int64_t maxThinkingTokens = -1;  // -1 = no cap
    std::int64_t minThinkingTokens = 0;   // extend with "Wait" up to this many thinking tokens
    int maxWaits = 0;
};
struct SweepPoint {
    BudgetPoint budget;
    EvalSummary summary;  // accuracy vs summary.meanThinkingTokens
};

// Evaluates the problems once per budget (nothing recorded).
std::vector<SweepPoint> budgetSweep(model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                                    const std::vector<EvalProblem>& problems, const EvalConfig& config,
                                    const std::vector<BudgetPoint>& budgets);

}  // namespace distill::eval
