// ToyTeacher: the in-process, programmatic teacher of the toy domain. It reads the toy question in
// the prompt and writes a seeded step-by-step trace (core/toy/toy_trace.h); runs on any CPU.
#pragma once

#include "core/run/teacher.h"
#include "core/toy/toy_trace.h"

#include <string_view>

namespace distill::toy {

// Tokens of a text under the toy tokenizer (resources/toy/tokenizer.json): one per byte, and one per
// special token (<|im_start|>, <|im_end|>, <think>, </think>, <|endoftext|>).
std::int64_t toyTokenCount(std::string_view text);

class ToyTeacher : public run::Teacher {
public:
    // delayMs: sleep per sample, to make a toy job take time (progress, stop and kill tests, demos).
    explicit ToyTeacher(ToyTraceOptions options, int delayMs = 0);

    std::string name() const override;  // "toy(error_rate=0.1,self_check_rate=0,verbosity=digits,seed=0)"
    int preferredBatch() const override { return 1; }
    // A prompt without a toy question gives a !ok result (InvalidArgument), never an exception.
    std::vector<run::SampleResult> generate(const std::vector<run::SampleRequest>& batch) override;

private:
    ToyTraceOptions m_options;
    int m_delayMs;
};

}  // namespace distill::toy
