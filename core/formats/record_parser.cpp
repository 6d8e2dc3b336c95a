#include "core/formats/record_parser.h"

#include "core/formats/record_json.h"
#include "core/formats/think_split.h"
#include "core/util/error.h"

#include <array>
#include <charconv>

namespace distill::formats {

using nlohmann::json;

namespace {

[[noreturn]] void fail(const std::string& reason)
{
    throw Error(ErrorCode::Parse, reason);
}

constexpr std::array<const char*, 5> kThinkingKeys = {"reasoning_content", "reasoning", "thinking",
                                                      "deepseek_reasoning", "thinking_trajectory"};
constexpr std::array<const char*, 7> kResponseKeys = {"response", "output", "completion", "generation",
                                                      "attempt", "model_output", "generations"};
// s1K-style paired fields: <model>_thinking_trajectory + <model>_attempt.
constexpr std::array<const char*, 2> kPairedModels = {"gemini", "deepseek"};
constexpr std::array<const char*, 4> kQuestionKeys = {"problem", "question", "prompt", "query"};

// Text of a scalar field: strings as they are, numbers and booleans as JSON.
std::string scalarText(const json& v)
{
    if (v.is_string())
        return v.get<std::string>();
    if (v.is_null())
        return {};
    return v.dump();
}

// JSON text inside a field (a tool call, a ShareGPT function_call value), read like a record.
json embeddedJson(const std::string& text, const std::string& what)
{
    try {
        return parseRecordJson(text);
    } catch (const Error& e) {
        fail(what + " is not valid JSON (" + e.detail() + ")");
    }
}

// Removes `key` from `rest` and returns its value (null when absent).
json take(json& rest, const char* key)
{
    auto it = rest.find(key);
    if (it == rest.end())
        return nullptr;
    json v = std::move(*it);
    rest.erase(it);
    return v;
}

std::string takeText(json& rest, const char* key, const char* what)
{
    json v = take(rest, key);
    if (v.is_null())
        return {};
    if (v.is_object() || v.is_array())
        fail(std::string("field '") + key + "' (" + what + ") must be a string");
    return scalarText(v);
}

std::string roleOf(const json& m)
{
    static const std::array<std::pair<const char*, const char*>, 10> shareGpt = {{
        {"human", "user"}, {"user", "user"}, {"gpt", "assistant"}, {"assistant", "assistant"},
        {"model", "assistant"}, {"system", "system"}, {"function_call", "assistant"},
        {"observation", "tool"}, {"tool", "tool"}, {"function", "tool"},
    }};
    if (m.contains("role") && m["role"].is_string())
        return m["role"].get<std::string>();
    if (m.contains("from") && m["from"].is_string()) {
        const std::string from = m["from"].get<std::string>();
        for (const auto& [k, v] : shareGpt)
            if (from == k)
                return v;
        fail("unknown ShareGPT speaker '" + from + "'");
    }
    fail("message without role");
}

// A tool call in OpenAI form from an OpenAI object or a {"name", "arguments"} JSON (or its text).
json canonicalToolCall(const json& call)
{
    json c = call.is_string() ? embeddedJson(call.get<std::string>(), "tool call") : call;
    if (!c.is_object())
        fail("tool call must be an object");
    if (c.contains("function"))
        return c;  // already OpenAI-shaped
    if (!c.contains("name"))
        fail("tool call without name");
    json fn = {{"name", c["name"]}};
    const json args = c.value("arguments", json::object());
    fn["arguments"] = args.is_string() ? args.get<std::string>() : args.dump();
    json out = {{"type", "function"}, {"function", fn}};
    for (const auto& [k, v] : c.items())
        if (k != "name" && k != "arguments")
            out[k] = v;
    return out;
}

}  // namespace

std::string contentText(const json& content)
{
    if (content.is_string())
        return content.get<std::string>();
    std::string out;
    if (content.is_array())
        for (const json& part : content)
            if (part.is_object() && part.value("type", "") == "text") {
                const json& t = part.contains("text") ? part["text"] : part.value("value", json(""));
                out += scalarText(t);
            }
    return out;
}

json canonicalMessage(const json& message, const ImportOptions& options)
{
    if (!message.is_object())
        fail("a message must be a JSON object");
    json out = json::object();
    const std::string role = roleOf(message);
    const bool shareGptCall = message.value("from", "") == "function_call";
    out["role"] = role;
    std::string reasoning;
    json toolCalls = json::array();
    json content = message.contains("content") ? message["content"] : message.value("value", json(""));
    for (const auto& [k, v] : message.items()) {
        if (k == "role" || k == "from" || k == "content" || k == "value")
            continue;
        if (k == "reasoning_content" || k == "reasoning" || k == "thinking") {
            reasoning += scalarText(v);
        } else if (k == "tool_calls" && v.is_array()) {
            for (const json& c : v)
                toolCalls.push_back(canonicalToolCall(c));
        } else {
            out[k] = v;
        }
    }
    if (shareGptCall) {
        // ShareGPT function_call turns carry the call(s) as JSON text in "value".
        const json calls = embeddedJson(scalarText(content), "function_call value");
        for (const json& c : calls.is_array() ? calls : json::array({calls}))
            toolCalls.push_back(canonicalToolCall(c));
        content = "";
    } else if (content.is_array()) {
        // Typed parts (OpenAI "text", LLaMA-Factory "value"): text, reasoning and tool_call parts
        // fold into content / reasoning_content / tool_calls; anything else keeps the part list.
        bool simple = true;
        for (const json& part : content) {
            const std::string type = part.is_object() ? part.value("type", "") : "";
            if (type != "text" && type != "reasoning" && type != "thinking" && type != "tool_call")
                simple = false;
        }
        if (simple) {
            std::string text;
            for (const json& part : content) {
                const std::string type = part.value("type", "");
                const json& v = part.contains("value") ? part["value"] : part.value("text", json(""));
                if (type == "text")
                    text += scalarText(v);
                else if (type == "tool_call")
                    toolCalls.push_back(canonicalToolCall(v));
                else
                    reasoning += scalarText(v);
            }
            content = text;
        }
    } else if (!content.is_string()) {
        content = scalarText(content);
    }
    if (role == "assistant" && content.is_string() && reasoning.empty()) {
        const SplitText split = splitReasoning(content.get<std::string>(), options.thinkTags, options.answerTags);
        if (split.split) {
            reasoning = split.thinking;
            content = split.answer;
        }
    }
    out["content"] = content;
    if (!reasoning.empty())
        out["reasoning_content"] = reasoning;
    if (!toolCalls.empty())
        out["tool_calls"] = toolCalls;
    return out;
}

RecordFormat detectRecordFormat(const json& r)
{
    if (!r.is_object())
        return RecordFormat::Auto;
    if (r.contains("messages") && r["messages"].is_array())
        return RecordFormat::OpenAi;
    if (r.contains("conversations") && r["conversations"].is_array())
        return RecordFormat::ShareGpt;
    if (r.contains("instruction"))
        return RecordFormat::Alpaca;
    for (const char* k : kThinkingKeys)
        if (r.contains(k))
            return RecordFormat::Reasoning;
    for (const char* k : kResponseKeys)
        if (r.contains(k))
            return RecordFormat::Reasoning;
    for (const char* m : kPairedModels)
        if (r.contains(std::string(m) + "_attempt") || r.contains(std::string(m) + "_thinking_trajectory"))
            return RecordFormat::Reasoning;
    for (const char* k : kQuestionKeys)
        if (r.contains(k))
            return RecordFormat::Problems;
    return RecordFormat::Auto;
}

namespace {

// The number of a "Level 5" text from `digit` on, read as std::stod read it before: the longest
// decimal prefix ("1.2.3" is 1.2). A number no double holds fails the record, naming the field.
double levelNumber(const std::string& text, std::size_t digit, const char* field)
{
    double value = 0;
    const auto [end, ec] = std::from_chars(text.data() + digit, text.data() + text.size(), value,
                                           std::chars_format::fixed);
    if (ec != std::errc())
        fail(std::string("field '") + field + "' (\"" + text.substr(0, 40) + (text.size() > 40 ? "..." : "")
             + "\") is not a number a double can hold");
    return value;
}

// Problem metadata common to all layouts: id, domain, difficulty, tags, reference answer/solution.
void takeProblemFields(json& rest, store::Problem& p)
{
    for (const char* k : {"id", "unique_id", "problem_id", "uuid"})
        if (rest.contains(k) && !rest[k].is_structured()) {
            p.externalId = scalarText(take(rest, k));
            break;
        }
    for (const char* k : {"domain", "cot_type", "subject", "type"})
        if (rest.contains(k) && rest[k].is_string()) {
            p.domain = take(rest, k).get<std::string>();
            break;
        }
    for (const char* k : {"difficulty", "level"})
        if (rest.contains(k)) {
            const json& v = rest[k];
            if (v.is_number()) {
                p.difficulty = take(rest, k).get<double>();
                break;
            }
            if (v.is_string()) {  // "Level 5"
                const std::string s = v.get<std::string>();
                const auto digit = s.find_first_of("0123456789");
                if (digit != std::string::npos && s.find_first_not_of("0123456789.", digit) == std::string::npos) {
                    p.difficulty = levelNumber(s, digit, k);
                    take(rest, k);
                    break;
                }
            }
        }
    for (const char* k : {"tags", "category"})
        if (rest.contains(k) && rest[k].is_array()) {
            bool strings = true;
            for (const json& t : rest[k])
                strings = strings && t.is_string();
            if (strings) {
                for (const json& t : take(rest, k))
                    p.tags.push_back(t.get<std::string>());
                break;
            }
        }
    for (const char* k : {"answer", "final_answer", "gold", "ground_truth"})
        if (rest.contains(k) && !rest[k].is_structured()) {
            p.referenceAnswer = scalarText(take(rest, k));
            break;
        }
    if (rest.contains("solution") && rest["solution"].is_string())
        p.referenceSolution = take(rest, "solution").get<std::string>();
}

// The final assistant message (canonical) as a response.
ParsedResponse responseFromMessage(const json& m)
{
    ParsedResponse r;
    r.thinking = m.value("reasoning_content", "");
    r.answer = contentText(m.at("content"));
    for (const auto& [k, v] : m.items())
        if (k != "role" && k != "content" && k != "reasoning_content")
            r.assistantExtra[k] = v;
    if (!m.at("content").is_string())
        r.assistantExtra["content"] = m.at("content");  // non-text parts: keep them
    return r;
}

ParsedResponse responseFromText(const std::string& text, const ImportOptions& options)
{
    const SplitText split = splitReasoning(text, options.thinkTags, options.answerTags);
    ParsedResponse r;
    r.thinking = split.thinking;
    r.answer = split.answer;
    if (split.split)
        r.raw = text;
    return r;
}

// Conversation layouts: canonical messages, prompt = all before a trailing assistant turn.
void parseConversation(const json& messages, ParsedRecord& out, const ImportOptions& options)
{
    if (messages.empty())
        fail("empty conversation");
    json canon = json::array();
    for (const json& m : messages) {
        json c = canonicalMessage(m, options);
        // A ShareGPT function_call right after a gpt turn belongs to that turn.
        if (m.is_object() && m.value("from", "") == "function_call" && !canon.empty()
            && canon.back()["role"] == "assistant" && !canon.back().contains("tool_calls")
            && canon.back()["content"].is_string()) {
            canon.back()["tool_calls"] = c["tool_calls"];
            continue;
        }
        canon.push_back(std::move(c));
    }
    if (canon.back()["role"] == "assistant") {
        out.responses.push_back(responseFromMessage(canon.back()));
        canon.erase(canon.size() - 1);
    }
    for (const json& m : canon)
        if (m["role"] == "user") {
            out.problem.question = contentText(m["content"]);
            break;
        }
    if (out.problem.question.empty())
        fail("conversation has no user message");
    out.prompt = std::move(canon);
}

json userPrompt(const std::string& system, const std::string& question)
{
    json prompt = json::array();
    if (!system.empty())
        prompt.push_back({{"role", "system"}, {"content", system}});
    prompt.push_back({{"role", "user"}, {"content", question}});
    return prompt;
}

}  // namespace

ParsedRecord parseRecord(json record, RecordFormat format, const ImportOptions& options)
{
    if (!record.is_object())
        fail("record is not a JSON object");
    if (format == RecordFormat::Auto)
        format = detectRecordFormat(record);
    ParsedRecord out;
    json rest = std::move(record);
    switch (format) {
    case RecordFormat::Auto:
        fail("no recognisable fields (expected messages, conversations, instruction, problem or question)");
    case RecordFormat::OpenAi: {
        const json messages = take(rest, "messages");
        if (!messages.is_array())
            fail("'messages' must be an array");
        parseConversation(messages, out, options);
        break;
    }
    case RecordFormat::ShareGpt: {
        json messages = take(rest, "conversations");
        if (!messages.is_array())
            fail("'conversations' must be an array");
        const std::string system = takeText(rest, "system", "system prompt");
        if (!system.empty())
            messages.insert(messages.begin(), json{{"role", "system"}, {"content", system}});
        parseConversation(messages, out, options);
        break;
    }
    case RecordFormat::Alpaca: {
        const std::string instruction = takeText(rest, "instruction", "instruction");
        const std::string input = takeText(rest, "input", "input");
        if (instruction.empty() && input.empty())
            fail("empty instruction");
        out.problem.question = input.empty() ? instruction : instruction + "\n" + input;
        const std::string system = takeText(rest, "system", "system prompt");
        json prompt = json::array();
        if (!system.empty())
            prompt.push_back({{"role", "system"}, {"content", system}});
        const json history = take(rest, "history");
        if (history.is_array())
            for (const json& turn : history) {
                if (!turn.is_array() || turn.size() != 2 || !turn[0].is_string() || !turn[1].is_string())
                    fail("'history' must be a list of [query, response] pairs");
                prompt.push_back({{"role", "user"}, {"content", turn[0]}});
                prompt.push_back(canonicalMessage({{"role", "assistant"}, {"content", turn[1]}}, options));
            }
        prompt.push_back({{"role", "user"}, {"content", out.problem.question}});
        out.prompt = std::move(prompt);
        for (const char* k : {"output", "response"})
            if (rest.contains(k)) {
                out.responses.push_back(responseFromText(takeText(rest, k, "response"), options));
                break;
            }
        break;
    }
    case RecordFormat::Reasoning:
    case RecordFormat::Problems: {
        const std::string system = takeText(rest, "system", "system prompt");
        for (const char* k : kQuestionKeys) {
            if (!rest.contains(k))
                continue;
            json q = take(rest, k);
            if (q.is_array()) {  // conversational prompt (TRL prompt/completion)
                parseConversation(q, out, options);
                out.responses.clear();
            } else {
                out.problem.question = scalarText(q);
                out.prompt = userPrompt(system, out.problem.question);
            }
            break;
        }
        if (out.problem.question.empty())
            fail("no question (expected problem, question or prompt)");
        if (format == RecordFormat::Problems)
            break;
        for (const char* model : kPairedModels) {
            const std::string tKey = std::string(model) + "_thinking_trajectory";
            const std::string aKey = std::string(model) + "_attempt";
            if (!rest.contains(tKey) && !rest.contains(aKey))
                continue;
            ParsedResponse r;
            r.thinking = takeText(rest, tKey.c_str(), "thinking");
            r.answer = takeText(rest, aKey.c_str(), "attempt");
            r.model = model;
            out.responses.push_back(std::move(r));
        }
        std::string thinking;
        for (const char* k : kThinkingKeys)
            if (rest.contains(k)) {
                thinking = takeText(rest, k, "reasoning");
                break;
            }
        bool found = false;
        for (const char* k : kResponseKeys) {
            if (!rest.contains(k))
                continue;
            found = true;
            json v = take(rest, k);
            if (v.is_array() && !v.empty() && v.front().is_object()) {
                // Conversational completion (TRL): the assistant message(s) of the answer.
                out.responses.push_back(responseFromMessage(canonicalMessage(v.back(), options)));
                break;
            }
            const json list = v.is_array() ? v : json::array({v});
            for (const json& item : list) {
                if (item.is_string()) {
                    if (thinking.empty()) {
                        out.responses.push_back(responseFromText(item.get<std::string>(), options));
                    } else {
                        ParsedResponse r;
                        r.thinking = thinking;
                        r.answer = item.get<std::string>();
                        out.responses.push_back(std::move(r));
                    }
                } else {
                    fail(std::string("'") + k + "' must be a string or a list of strings");
                }
            }
            break;
        }
        if (!found && !thinking.empty()) {
            ParsedResponse r;
            r.thinking = thinking;
            out.responses.push_back(std::move(r));
        }
        break;
    }
    }
    takeProblemFields(rest, out.problem);
    out.extras = std::move(rest);
    return out;
}

}  // namespace distill::formats
