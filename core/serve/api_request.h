// Parsing and validating the body of an OpenAI-compatible /v1/chat/completions or /v1/completions
// request into a generation request for the engine, with budget-forcing extensions.
#pragma once

#include "core/infer/sampling_params.h"

#include <string>
#include <string_view>

namespace distill::serve {

class ServedModel;

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
ApiRequest parseApiRequest(std::string_view body, Endpoint endpoint, const ServedModel& model);

}  // namespace distill::serve
