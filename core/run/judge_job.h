// The judge job (`kind: judge`): a model asked whether a sample's answer means the same as its
// problem's reference answer, for the answers the rule grader cannot decide (free-form, proofs,
// units and wording the math comparison does not read). The judge is any OpenAI-compatible endpoint
// (a provider, vLLM, Ollama, `distillery-cli serve`) or a local model folder run in-process.
//
// Each judged sample keeps the judge's verdict and reasoning in its flags ("judge": {"verdict",
// "reasoning", "model", "rules"}); a sample the rules left `unknown` takes the judge's verdict (its
// "verify_reason" becomes "judged"). Where the rules decided and the judge disagrees, the sample is
// marked "disagrees" for an expert to rule on. A rerun judges only the samples this judge has not.
#pragma once

#include "core/run/generate_spec.h"
#include "core/run/job_registry.h"
#include "core/store/sample_query.h"

#include <optional>
#include <string>

namespace distill::run {

struct JudgeSpec {
    std::string name = "judge";
    store::SampleQuery query;  // which samples (by default: verdict unknown)
    TeacherChoice judge;       // openai or local
    std::string prompt;        // {question}, {reference} and {answer} are replaced
    int batchSize = 0;         // requests per call; 0: the judge's preferred batch
};

// The prompt used when the spec gives none: reasoning, then one line "VERDICT: CORRECT" or
// "VERDICT: INCORRECT".
extern const char* const kDefaultJudgePrompt;
// The verdict line of a judge's reply (the last "VERDICT:" in it, any case): true correct, false
// incorrect, nullopt when there is none.
std::optional<bool> parseJudgeVerdict(const std::string& reply);

const SpecSchema& judgeSchema();
JudgeSpec readJudgeSpec(const ResolvedSpec& spec, const std::string& name);
void registerJudgeJob(JobRegistry& registry);

class JudgeJob : public Job {
public:
    explicit JudgeJob(JudgeSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "judge"; }
    std::string name() const override { return m_spec.name; }
    // Progress per sample. Summary: {"judge" (the model's name), "samples", "judged", "correct",
    // "incorrect", "no_verdict", "failed", "skipped" (judged before), "decided" (unknown samples that
    // took the judge's verdict), "rules_decided", "agree", "disagree", "agreement" (agree /
    // rules_decided, null when none)}.
    JobOutcome run(JobContext& context) override;

private:
    JudgeSpec m_spec;
};

}  // namespace distill::run
