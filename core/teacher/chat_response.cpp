#include "core/teacher/chat_response.h"

#include "core/text/cot_template.h"
#include "core/util/error.h"
#include "core/util/json_depth.h"

namespace distill::teacher {

namespace {

using text::trimmed;

constexpr std::size_t kMaxQuoted = 300;  // bytes of server text quoted in a message

// The start of server text for a message: the secret redacted first (a cut must never leave part
// of it behind), then cut at a UTF-8 character boundary.
std::string excerpt(std::string_view text, std::string_view secret)
{
    std::string clean = redacted(std::string(text), secret);
    if (clean.size() <= kMaxQuoted)
        return clean;
    std::size_t cut = kMaxQuoted;
    while (cut > 0 && (static_cast<unsigned char>(clean[cut]) & 0xC0) == 0x80)
        --cut;
    clean.resize(cut);
    return clean + "…";
}

// Server JSON, or a discarded value when it is malformed or nests too deep to print safely.
nlohmann::json parseServerJson(std::string_view text)
{
    try {
        util::checkJsonDepth(text, "server response");
    } catch (const Error&) {
        return nlohmann::json(nlohmann::json::value_t::discarded);
    }
    return nlohmann::json::parse(text, nullptr, false);
}

const nlohmann::json* stringField(const nlohmann::json& object, const std::string& key)
{
    const auto it = object.find(key);
    return it != object.end() && it->is_string() ? &*it : nullptr;
}

std::optional<std::string> errorOf(const nlohmann::json& object, std::string_view secret)
{
    const auto it = object.find("error");
    if (it == object.end() || it->is_null())
        return std::nullopt;
    if (it->is_string())
        return it->get<std::string>();
    if (it->is_object())
        if (const auto* message = stringField(*it, "message"))
            return message->get<std::string>();
    return excerpt(it->dump(-1, ' ', false, nlohmann::json::error_handler_t::replace), secret);
}

}  // namespace

std::vector<std::string> SseDecoder::feed(std::string_view bytes)
{
    std::vector<std::string> out;
    while (!bytes.empty() && !m_overflowed) {
        const std::size_t newline = bytes.find('\n');
        const std::string_view piece = bytes.substr(0, newline);
        if (m_line.size() + piece.size() > kMaxSseLineBytes) {
            m_overflowed = true;
            break;
        }
        m_line.append(piece);
        if (newline == std::string_view::npos)
            break;
        if (!m_line.empty() && m_line.back() == '\r')
            m_line.pop_back();
        takeLine(m_line, out);
        m_line.clear();
        bytes.remove_prefix(newline + 1);
    }
    return out;
}

std::vector<std::string> SseDecoder::finish()
{
    std::vector<std::string> out;
    if (m_overflowed)
        return out;
    if (!m_line.empty()) {
        takeLine(m_line, out);
        m_line.clear();
    }
    takeLine({}, out);  // the blank line the stream did not send
    return out;
}

void SseDecoder::takeLine(std::string_view line, std::vector<std::string>& out)
{
    if (line.empty()) {
        if (m_hasData)
            out.push_back(std::move(m_data));
        m_data.clear();
        m_hasData = false;
        return;
    }
    if (line.substr(0, 5) != "data:")
        return;  // comments (": keep-alive"), event names, ids
    std::string_view value = line.substr(5);
    if (!value.empty() && value.front() == ' ')
        value.remove_prefix(1);
    if (m_data.size() + value.size() + 1 > kMaxSseLineBytes) {
        m_overflowed = true;
        return;
    }
    if (m_hasData)
        m_data.push_back('\n');
    m_data.append(value);
    m_hasData = true;
}

ChatAccumulator::ChatAccumulator(std::string reasoningField, std::string secret)
    : m_reasoningField(std::move(reasoningField))
    , m_fallbackField(m_reasoningField == "reasoning" ? "reasoning_content" : "reasoning")
    , m_secret(std::move(secret))
{
}

void ChatAccumulator::applyEvent(std::string_view data)
{
    data = trimmed(data);
    if (data == "[DONE]") {
        m_done = true;
        return;
    }
    const auto event = parseServerJson(data);
    if (event.is_discarded() || !event.is_object()) {
        if (!m_error)
            m_error = "malformed stream event: " + excerpt(data, m_secret);
        return;
    }
    applyCommon(event);
    if (const auto it = event.find("choices"); it != event.end() && it->is_array())
        for (const auto& choice : *it)
            applyChoice(choice, "delta");
}

void ChatAccumulator::applyResponse(std::string_view body)
{
    const auto response = parseServerJson(body);
    if (response.is_discarded() || !response.is_object()) {
        m_error = "response is not JSON: " + excerpt(body, m_secret);
        return;
    }
    applyCommon(response);
    const auto it = response.find("choices");
    if (it == response.end() || !it->is_array()) {
        if (!m_error)
            m_error = "response has no choices: " + excerpt(body, m_secret);
        return;
    }
    for (const auto& choice : *it)
        applyChoice(choice, "message");
}

void ChatAccumulator::applyCommon(const nlohmann::json& object)
{
    if (auto error = errorOf(object, m_secret); error && !m_error)
        m_error = "server error: " + *error;
    if (const auto* model = stringField(object, "model"))
        m_model = model->get<std::string>();
    if (const auto it = object.find("usage"); it != object.end() && it->is_object())
        m_usage = parseUsage(*it);
}

void ChatAccumulator::applyChoice(const nlohmann::json& choice, const char* textKey)
{
    if (!choice.is_object())
        return;
    int index = 0;
    if (const auto it = choice.find("index"); it != choice.end() && it->is_number_integer())
        index = it->get<int>();
    ChoiceText& text = m_choices[index];
    if (const auto it = choice.find(textKey); it != choice.end() && it->is_object()) {
        if (const auto* content = stringField(*it, "content"))
            text.content += content->get_ref<const std::string&>();
        appendReasoning(text, *it);
    }
    if (const auto* reason = stringField(choice, "finish_reason"))
        text.finishReason = reason->get<std::string>();
}

void ChatAccumulator::appendReasoning(ChoiceText& choice, const nlohmann::json& fields)
{
    const auto* reasoning = stringField(fields, m_reasoningField);
    if (!reasoning)
        reasoning = stringField(fields, m_fallbackField);
    if (reasoning)
        choice.reasoning += reasoning->get_ref<const std::string&>();
}

bool ChatAccumulator::hasChoices(int expected) const
{
    // Map keys are distinct and sorted: `expected` of them within [0, expected) are all of them.
    return int(m_choices.size()) == expected && !m_choices.empty()
        && m_choices.begin()->first == 0 && m_choices.rbegin()->first == expected - 1;
}

bool ChatAccumulator::allFinished(int expected) const
{
    if (!hasChoices(expected))
        return false;
    for (const auto& [index, choice] : m_choices)
        if (choice.finishReason.empty())
            return false;
    return true;
}

std::string serverErrorMessage(std::string_view body, std::string_view secret)
{
    const auto json = parseServerJson(body);
    if (json.is_object()) {
        if (auto error = errorOf(json, secret))
            return *error;
        for (const char* key : {"message", "detail"})
            if (const auto* text = stringField(json, key))
                return text->get<std::string>();
    }
    const std::string_view text = trimmed(body);
    return text.empty() ? std::string("(empty body)") : excerpt(text, secret);
}

std::string redacted(std::string text, std::string_view secret)
{
    if (secret.empty())
        return text;
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
        text.replace(at, secret.size(), "[redacted]");
    return text;
}

}  // namespace distill::teacher
