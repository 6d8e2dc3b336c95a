#include "core/serve/api_response.h"

#include "core/serve/reply_split.h"
#include "core/serve/served_model.h"

#include <atomic>
#include <chrono>

namespace distill::serve {

using nlohmann::ordered_json;

namespace {

const char* objectName(Endpoint endpoint, bool chunk)
{
    if (endpoint == Endpoint::Completion)
        return "text_completion";
    return chunk ? "chat.completion.chunk" : "chat.completion";
}

ordered_json headJson(const ResponseHead& head, Endpoint endpoint, bool chunk)
{
    return {{"id", head.id}, {"object", objectName(endpoint, chunk)}, {"created", head.created}, {"model", head.model}};
}

std::string dumpJson(const ordered_json& j)
{
    return j.dump(-1, ' ', false, ordered_json::error_handler_t::replace);
}

}  // namespace

ResponseHead makeResponseHead(Endpoint endpoint, const std::string& model)
{
    static std::atomic<std::uint64_t> counter{0};
    const auto now = std::chrono::system_clock::now().time_since_epoch();
    ResponseHead head;
    head.created = std::chrono::duration_cast<std::chrono::seconds>(now).count();
    head.id = std::string(endpoint == Endpoint::Chat ? "chatcmpl-" : "cmpl-") + std::to_string(head.created) + "-" +
              std::to_string(++counter);
    head.model = model;
    return head;
}

const char* finishReasonName(infer::FinishReason reason)
{
    return reason == infer::FinishReason::Stop ? "stop" : "length";
}

ordered_json usageJson(std::int64_t promptTokens, std::int64_t completionTokens, std::int64_t reasoningTokens)
{
    return {{"prompt_tokens", promptTokens},
            {"completion_tokens", completionTokens},
            {"total_tokens", promptTokens + completionTokens},
            {"completion_tokens_details", {{"reasoning_tokens", reasoningTokens}}}};
}

ordered_json completionResponse(const ResponseHead& head, const ApiRequest& request,
                                const std::vector<infer::Completion>& completions, const ServedModel& model)
{
    ordered_json out = headJson(head, request.endpoint, false);
    ordered_json choices = ordered_json::array();
    std::int64_t completionTokens = 0, reasoningTokens = 0;
    for (const infer::Completion& c : completions) {
        completionTokens += std::int64_t(c.ids.size());
        ordered_json choice = {{"index", c.sample}};
        if (request.endpoint == Endpoint::Chat) {
            reasoningTokens += model.reasoningTokens(c.ids, request.opensThinking);
            const ReplyParts parts = splitReply(c.text, request.opensThinking);
            ordered_json message = {{"role", "assistant"}, {"content", parts.content}};
            if (parts.thinking)
                message["reasoning_content"] = parts.reasoning;
            choice["message"] = std::move(message);
        } else {
            choice["text"] = c.text;
        }
        choice["logprobs"] = nullptr;
        choice["finish_reason"] = finishReasonName(c.finish);
        choices.push_back(std::move(choice));
    }
    out["choices"] = std::move(choices);
    out["usage"] = usageJson(std::int64_t(request.generation.prompt.size()), completionTokens, reasoningTokens);
    return out;
}

ordered_json deltaChunk(const ResponseHead& head, Endpoint endpoint, int index, const ordered_json& delta,
                        const std::string& finishReason)
{
    ordered_json out = headJson(head, endpoint, true);
    ordered_json choice = {{"index", index}};
    if (endpoint == Endpoint::Chat)
        choice["delta"] = delta;
    else
        choice["text"] = delta.value("content", "");
    choice["logprobs"] = nullptr;
    choice["finish_reason"] = finishReason.empty() ? ordered_json(nullptr) : ordered_json(finishReason);
    out["choices"] = ordered_json::array({std::move(choice)});
    return out;
}

ordered_json usageChunk(const ResponseHead& head, Endpoint endpoint, const ordered_json& usage)
{
    ordered_json out = headJson(head, endpoint, true);
    out["choices"] = ordered_json::array();
    out["usage"] = usage;
    return out;
}

ordered_json modelList(const ServedModel& model, std::int64_t created)
{
    return {{"object", "list"},
            {"data", ordered_json::array({{{"id", model.id()},
                                           {"object", "model"},
                                           {"created", created},
                                           {"owned_by", "distillery"},
                                           {"max_model_len", model.config().maxPositionEmbeddings}}})}};
}

ordered_json errorJson(const std::string& message, const std::string& type, const std::string& code)
{
    return {{"error",
             {{"message", message}, {"type", type}, {"param", nullptr}, {"code", code.empty() ? ordered_json(nullptr) : ordered_json(code)}}}};
}

std::string sseEvent(const ordered_json& data)
{
    return "data: " + dumpJson(data) + "\n\n";
}

}  // namespace distill::serve
