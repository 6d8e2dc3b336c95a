#include "core/serve/api_request.h"

#include "core/util/error.h"
#include "core/util/json_depth.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <limits>
#include <random>

namespace distill::serve {

using nlohmann::ordered_json;

namespace {

[[noreturn]] void invalid(const std::string& message)
{
    throw Error(ErrorCode::InvalidArgument, message);
}

const ordered_json* field(const ordered_json& body, const char* name)
{
    const auto it = body.find(name);
    return it == body.end() || it->is_null() ? nullptr : &*it;
}

double number(const ordered_json& body, const char* name, double fallback, double min, double max)
{
    const ordered_json* v = field(body, name);
    if (!v)
        return fallback;
    if (!v->is_number())
        invalid(std::string("'") + name + "' must be a number");
    const double x = v->get<double>();
    if (!(x >= min && x <= max))
        invalid(std::string("'") + name + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
    return x;
}

std::int64_t integer(const ordered_json& body, const char* name, std::int64_t fallback, std::int64_t min, std::int64_t max)
{
    const ordered_json* v = field(body, name);
    if (!v)
        return fallback;
    if (!v->is_number_integer())
        invalid(std::string("'") + name + "' must be an integer");
    const bool huge = v->is_number_unsigned() && v->get<std::uint64_t>() > std::uint64_t(std::numeric_limits<std::int64_t>::max());
    const std::int64_t x = huge ? 0 : v->get<std::int64_t>();
    if (huge || x < min || x > max)
        invalid(std::string("'") + name + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
    return x;
}

bool boolean(const ordered_json& body, const char* name, bool fallback)
{
    const ordered_json* v = field(body, name);
    if (!v)
        return fallback;
    if (!v->is_boolean())
        invalid(std::string("'") + name + "' must be a boolean");
    return v->get<bool>();
}

// Message content: a string or an array of {"type":"text","text":…} parts.
std::string contentText(const ordered_json& content, std::size_t index)
{
    const std::string where = "messages[" + std::to_string(index) + "].content";
    if (content.is_string())
        return content.get<std::string>();
    if (!content.is_array())
        invalid("'" + where + "' must be a string or an array of text parts");
    std::string text;
    for (const auto& part : content) {
        if (!part.is_object() || part.value("type", "") != "text" || !part.contains("text") || !part["text"].is_string())
            invalid("'" + where + "' supports only parts of type text");
        text += part["text"].get<std::string>();
    }
    return text;
}

ordered_json chatMessages(const ordered_json& body)
{
    const ordered_json* messages = field(body, "messages");
    if (!messages)
        invalid("'messages' is required");
    if (!messages->is_array() || messages->empty())
        invalid("'messages' must be a non-empty array");
    ordered_json out = ordered_json::array();
    for (std::size_t i = 0; i < messages->size(); ++i) {
        const ordered_json& m = (*messages)[i];
        if (!m.is_object())
            invalid("'messages[" + std::to_string(i) + "]' must be an object");
        const auto role = m.find("role");
        if (role == m.end() || !role->is_string())
            invalid("'messages[" + std::to_string(i) + "].role' must be a string");
        const std::string r = role->get<std::string>();
        if (r != "system" && r != "user" && r != "assistant" && r != "developer" && r != "tool")
            invalid("'messages[" + std::to_string(i) + "].role' must be system, developer, user, assistant or tool");
        const auto content = m.find("content");
        if (content == m.end())
            invalid("'messages[" + std::to_string(i) + "].content' is required");
        out.push_back({{"role", r == "developer" ? "system" : r}, {"content", contentText(*content, i)}});
    }
    return out;
}

Prompt completionPrompt(const ordered_json& body, const RequestModel& model)
{
    const ordered_json* prompt = field(body, "prompt");
    if (!prompt)
        invalid("'prompt' is required");
    if (prompt->is_array() && prompt->size() == 1 && (*prompt)[0].is_string())
        return model.textPrompt((*prompt)[0].get_ref<const std::string&>());
    if (prompt->is_string())
        return model.textPrompt(prompt->get_ref<const std::string&>());
    if (prompt->is_array() && !prompt->empty() && std::all_of(prompt->begin(), prompt->end(), [](const ordered_json& v) { return v.is_number_integer(); })) {
        Prompt p;
        for (const auto& v : *prompt) {
            const std::int64_t id = v.get<std::int64_t>();
            if (id < 0 || id >= model.vocabSize())
                invalid("'prompt' token id " + std::to_string(id) + " is outside the vocabulary (size " +
                        std::to_string(model.vocabSize()) + ")");
            p.ids.push_back(id);
        }
        return p;
    }
    invalid("'prompt' must be a string, an array of one string or a non-empty array of token ids");
}

std::vector<std::string> stopStrings(const ordered_json& body)
{
    const ordered_json* stop = field(body, "stop");
    if (!stop)
        return {};
    if (stop->is_string())
        return {stop->get<std::string>()};
    if (!stop->is_array() || stop->size() > 4 ||
        !std::all_of(stop->begin(), stop->end(), [](const ordered_json& v) { return v.is_string() && !v.get_ref<const std::string&>().empty(); }))
        invalid("'stop' must be a string or an array of at most 4 non-empty strings");
    return stop->get<std::vector<std::string>>();
}

}  // namespace

ApiRequest parseApiRequest(std::string_view body, Endpoint endpoint, const RequestModel& model)
{
    try {
        util::checkJsonDepth(body, "the request body");
    } catch (const Error& e) {
        invalid(e.detail());
    }
    const ordered_json json = ordered_json::parse(body, nullptr, false);
    if (json.is_discarded())
        invalid("the request body is not valid JSON");
    if (!json.is_object())
        invalid("the request body must be a JSON object");

    if (const ordered_json* name = field(json, "model")) {
        if (!name->is_string())
            invalid("'model' must be a string");
        if (name->get_ref<const std::string&>() != model.id())
            throw Error(ErrorCode::NotFound, "The model '" + name->get<std::string>() + "' does not exist; this server serves '" + model.id() + "'");
    }

    ApiRequest r;
    r.endpoint = endpoint;
    const Prompt prompt = endpoint == Endpoint::Chat ? model.chatPrompt(chatMessages(json)) : completionPrompt(json, model);
    if (prompt.ids.empty())
        invalid("the prompt encodes to no tokens");
    r.opensThinking = prompt.opensThinking;
    infer::GenerationRequest& g = r.generation;
    g.prompt = prompt.ids;

    const std::int64_t context = model.contextLength();
    const std::int64_t room = context - std::int64_t(g.prompt.size());
    if (room < 1)
        invalid("the prompt has " + std::to_string(g.prompt.size()) + " tokens; this model's context is " + std::to_string(context));
    const char* maxName = field(json, "max_completion_tokens") ? "max_completion_tokens" : "max_tokens";
    g.maxNewTokens = integer(json, maxName, room, 1, std::numeric_limits<std::int64_t>::max() - 1);
    if (g.maxNewTokens > room)
        invalid("'" + std::string(maxName) + "' is " + std::to_string(g.maxNewTokens) + " but the prompt leaves room for " +
                std::to_string(room) + " tokens of this model's context of " + std::to_string(context));

    g.n = int(integer(json, "n", 1, 1, kMaxN));
    g.sampling.temperature = number(json, "temperature", 1.0, 0.0, 2.0);
    g.sampling.topP = number(json, "top_p", 1.0, 1e-9, 1.0);
    const std::int64_t topK = integer(json, "top_k", 0, -1, std::numeric_limits<std::int32_t>::max());
    g.sampling.topK = topK < 0 ? 0 : topK;
    g.sampling.minP = number(json, "min_p", 0.0, 0.0, 1.0);
    g.sampling.repetitionPenalty = number(json, "repetition_penalty", 1.0, 1e-6, 100.0);
    if (field(json, "seed"))
        g.sampling.seed = std::uint64_t(integer(json, "seed", 0, std::numeric_limits<std::int64_t>::min(), std::numeric_limits<std::int64_t>::max()));
    else
        g.sampling.seed = std::random_device{}() * 0x100000000ULL + std::random_device{}();
    g.stopStrings = stopStrings(json);
    if (!boolean(json, "ignore_eos", false))
        g.stopTokenIds = model.stopTokenIds();

    const std::int64_t maxThinking = integer(json, "max_thinking_tokens", -1, -1, std::numeric_limits<std::int64_t>::max());
    const std::int64_t minThinking = integer(json, "min_thinking_tokens", 0, 0, std::numeric_limits<std::int64_t>::max());
    const int waits = int(integer(json, "num_waits", 1, 0, 1000));
    if (maxThinking >= 0 && minThinking > maxThinking)
        invalid("'min_thinking_tokens' must not exceed 'max_thinking_tokens'");
    if (maxThinking >= 0 || minThinking > 0)
        g.budget = model.budgetForcing(maxThinking, minThinking, waits);

    r.stream = boolean(json, "stream", false);
    if (const ordered_json* options = field(json, "stream_options")) {
        if (!options->is_object())
            invalid("'stream_options' must be an object");
        if (!r.stream)
            invalid("'stream_options' is only allowed when 'stream' is true");
        r.includeUsage = boolean(*options, "include_usage", false);
    }
    return r;
}

}  // namespace distill::serve
