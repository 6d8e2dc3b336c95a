// Parsing and validating the body of an OpenAI-compatible /v1/chat/completions or /v1/completions
// request into a generation request for the engine, with budget-forcing extensions.
#pragma once

#include "core/infer/sampling_params.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::serve {

// Prompt token ids; opensThinking: the prompt ends inside an opened <think> block, so the
// completion starts with reasoning.
struct Prompt {
    std::vector<std::int64_t> ids;
    bool opensThinking = false;
};

// What the request parser needs of the served model: ServedModel, or a stand-in without weights.
class RequestModel {
public:
    virtual ~RequestModel() = default;
    virtual const std::string& id() const = 0;
    virtual std::int64_t vocabSize() const = 0;
    virtual std::int64_t contextLength() const = 0;  // prompt and completion tokens together
    virtual Prompt chatPrompt(const nlohmann::ordered_json& messages, bool ensureThinkPrefill = false) const = 0;
    virtual Prompt textPrompt(std::string_view text) const = 0;
    virtual const std::vector<std::int64_t>& stopTokenIds() const = 0;
    virtual infer::BudgetForcing budgetForcing(std::int64_t maxThinkingTokens, std::int64_t minThinkingTokens,
                                               int maxWaits) const = 0;
};

enum class Endpoint { Chat, Completion };

struct ApiRequest {
    Endpoint endpoint = Endpoint::Chat;
    infer::GenerationRequest generation;  // prompt, n, sampling, stops, budget
    bool stream = false;
    bool includeUsage = false;            // stream_options.include_usage
    bool opensThinking = false;           // the prompt ends inside <think>
};

constexpr int kMaxN = 128;

// Throws distill::Error: InvalidArgument (malformed JSON, missing or mistyped fields, values out of
// range, prompt too long) or NotFound (a `model` other than the served one). The messages name the
// offending field; the body is untrusted text and nothing else escapes.
ApiRequest parseApiRequest(std::string_view body, Endpoint endpoint, const RequestModel& model);

}  // namespace distill::serve
