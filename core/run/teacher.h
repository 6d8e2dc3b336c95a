// Teacher: what the generation job asks for samples. The programmatic toy teacher, the OpenAI-compatible
// HTTP teacher and (later) the local inference engine all implement generate(batch).
#pragma once

#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distill::run {

// One sample to write: the prompt and which sample of that prompt it is.
struct SampleRequest {
    std::string id;              // the caller's key, echoed in the result
    nlohmann::json messages;     // OpenAI-style [{"role","content"}, ...]
    std::int64_t sampleIndex = 0;
    bool thinkPrefill = false;   // the response continues an assistant turn opened with "<think>\n"
};

struct SampleResult {
    std::string id;
    std::int64_t sampleIndex = 0;
    bool ok = false;
    // When ok:
    std::string thinking;        // without tags
    std::string answer;
    std::string rawText;         // the response as written
    bool thinkingClosed = true;  // false: cut off before </think>
    std::string finishReason;
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    std::optional<std::int64_t> thinkingTokens;  // when the teacher knows the split
    std::optional<std::int64_t> answerTokens;
    double cost = 0.0;
    // When not ok:
    ErrorCode errorCode = ErrorCode::Internal;
    std::string error;
};

class Teacher {
public:
    virtual ~Teacher() = default;
    // Recorded as the samples' origin detail; with the problem id and sample index it keys a unit
    // of work, so a different teacher setting never counts as work already done.
    virtual std::string name() const = 0;
    // How many requests one generate() call should get (the teacher's useful concurrency).
    virtual int preferredBatch() const = 0;
    // One result per request, in request order. Per-sample failures come back as !ok results;
    // a failure of the whole teacher throws distill::Error.
    virtual std::vector<SampleResult> generate(const std::vector<SampleRequest>& batch) = 0;
};

}  // namespace distill::run
