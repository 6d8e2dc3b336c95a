// The JSON of OpenAI-compatible responses: whole completions, streamed chunks, usage, the model
// list and errors in OpenAI's error shape.
#pragma once

#include "core/infer/sampling_params.h"
#include "core/serve/api_request.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace distill::serve {

class ServedModel;

// Identity shared by every chunk of one response.
struct ResponseHead {
    std::string id;  // chatcmpl-… / cmpl-…
    std::int64_t created = 0;
    std::string model;
};

ResponseHead makeResponseHead(Endpoint endpoint, const std::string& model);

const char* finishReasonName(infer::FinishReason reason);

// {"prompt_tokens", "completion_tokens", "total_tokens", "completion_tokens_details": {"reasoning_tokens"}}
nlohmann::ordered_json usageJson(std::int64_t promptTokens, std::int64_t completionTokens, std::int64_t reasoningTokens);

// The whole response for the completions of one request (in sample order).
nlohmann::ordered_json completionResponse(const ResponseHead& head, const ApiRequest& request,
                                          const std::vector<infer::Completion>& completions, const ServedModel& model);

// One streamed chunk of choice `index`: chat deltas carry role/reasoning_content/content, text
// completions their text; finishReason empty while the choice goes on.
nlohmann::ordered_json deltaChunk(const ResponseHead& head, Endpoint endpoint, int index, const nlohmann::ordered_json& delta,
                                  const std::string& finishReason = {});
// The last chunk with include_usage: no choices, the usage of the whole request.
nlohmann::ordered_json usageChunk(const ResponseHead& head, Endpoint endpoint, const nlohmann::ordered_json& usage);

nlohmann::ordered_json modelList(const ServedModel& model, std::int64_t created);

// {"error": {"message", "type", "param": null, "code"}}
nlohmann::ordered_json errorJson(const std::string& message, const std::string& type, const std::string& code = {});

// "data: <json>\n\n"
std::string sseEvent(const nlohmann::ordered_json& data);

}  // namespace distill::serve
