#include "core/tokenizer/chat_template.h"

#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <algorithm>

namespace distill::tokenizer {

namespace {

// Stands in for an assistant message's content to find where that content lands in the render.
constexpr const char* kPlaceholder = "\x01\x02distillery-span\x02\x01";

std::size_t commonPrefix(const std::string& a, const std::string& b)
{
    const std::size_t n = std::min(a.size(), b.size());
    std::size_t i = 0;
    while (i < n && a[i] == b[i])
        ++i;
    return i;
}

std::size_t commonSuffix(const std::string& a, const std::string& b, std::size_t limit)
{
    std::size_t i = 0;
    while (i < limit && a[a.size() - 1 - i] == b[b.size() - 1 - i])
        ++i;
    return i;
}

void requireMessages(const nlohmann::ordered_json& messages)
{
    if (!messages.is_array())
        throw Error(ErrorCode::InvalidArgument, "chat messages must be a JSON array of {\"role\", \"content\"}");
    for (const auto& m : messages)
        if (!m.is_object() || !m.contains("role"))
            throw Error(ErrorCode::InvalidArgument, "every chat message needs a \"role\"");
}

}  // namespace

ChatTemplate::ChatTemplate(const std::string& source, const Tokenizer& tokenizer)
    : m_template(std::make_shared<jinja::Template>(source)), m_tokenizer(&tokenizer)
{
}

ChatTemplate ChatTemplate::fromTokenizer(const Tokenizer& tokenizer)
{
    if (tokenizer.config().chatTemplate.empty())
        throw Error(ErrorCode::NotFound, "tokenizer_config.json has no chat_template",
                    "use the tokenizer folder of an instruct / chat model");
    return ChatTemplate(tokenizer.config().chatTemplate, tokenizer);
}

std::string ChatTemplate::renderImpl(const nlohmann::ordered_json& messages, bool addGenerationPrompt,
                                     const nlohmann::ordered_json& kwargs,
                                     std::vector<std::pair<std::size_t, std::size_t>>* generationSpans) const
{
    requireMessages(messages);
    jinja::ValueDict vars;
    const TokenizerConfig& cfg = m_tokenizer->config();
    // transformers passes the special tokens map, then tools/documents (None by default).
    const std::pair<const char*, const std::optional<std::string>*> specials[] = {
        {"bos_token", &cfg.bosToken}, {"eos_token", &cfg.eosToken}, {"pad_token", &cfg.padToken},
        {"unk_token", &cfg.unkToken}};
    for (const auto& [name, value] : specials)
        if (*value)
            vars.set(name, jinja::Value(**value));
    vars.set("messages", jinja::Value::fromJson(messages));
    vars.set("tools", jinja::Value::none());
    vars.set("documents", jinja::Value::none());
    vars.set("add_generation_prompt", jinja::Value(addGenerationPrompt));
    if (!kwargs.is_null()) {
        if (!kwargs.is_object())
            throw Error(ErrorCode::InvalidArgument, "chat template keyword arguments must be a JSON object");
        for (auto it = kwargs.begin(); it != kwargs.end(); ++it)
            vars.set(it.key(), jinja::Value::fromJson(it.value()));
    }
    return m_template->render(vars, m_now, generationSpans);
}

std::string ChatTemplate::render(const nlohmann::ordered_json& messages, bool addGenerationPrompt,
                                 const nlohmann::ordered_json& kwargs) const
{
    return renderImpl(messages, addGenerationPrompt, kwargs, nullptr);
}

RenderedConversation ChatTemplate::renderWithSpans(const nlohmann::ordered_json& messages,
                                                   const nlohmann::ordered_json& kwargs) const
{
    RenderedConversation out;
    std::vector<std::pair<std::size_t, std::size_t>> generation;
    out.text = renderImpl(messages, false, kwargs, &generation);
    std::vector<std::size_t> assistantIndexes;
    for (std::size_t i = 0; i < messages.size(); ++i)
        if (messages[i].value("role", std::string()) == "assistant")
            assistantIndexes.push_back(i);

    if (m_template->hasGenerationBlocks()) {
        // The template marks assistant output itself ({% generation %}), as transformers uses.
        for (std::size_t k = 0; k < generation.size(); ++k)
            out.assistantSpans.push_back(
                {k < assistantIndexes.size() ? assistantIndexes[k] : k, generation[k].first, generation[k].second, 0, 0});
    } else {
        for (const std::size_t i : assistantIndexes) {
            // Where the content lands: diff against a render with the content replaced.
            nlohmann::ordered_json swapped = messages;
            swapped[i]["content"] = kPlaceholder;
            const std::string other = renderImpl(swapped, false, kwargs, nullptr);
            const std::size_t lcp = commonPrefix(out.text, other);
            const std::size_t lcs = commonSuffix(out.text, other, std::min(out.text.size(), other.size()) - lcp);
            std::size_t begin = lcp;
            std::size_t end = out.text.size() - lcs;
            // The turn starts where the generation prompt for it ends, when the render agrees.
            const nlohmann::ordered_json before(messages.begin(), messages.begin() + std::ptrdiff_t(i));
            const std::string prompt = before.empty() ? std::string() : renderImpl(before, true, kwargs, nullptr);
            if (!prompt.empty() && prompt.size() <= begin && out.text.compare(0, prompt.size(), prompt) == 0)
                begin = prompt.size();
            // Include the end-of-turn special token that follows the content.
            const Encoding tail = m_tokenizer->encodeWithOffsets(std::string_view(out.text).substr(end), false);
            if (!tail.ids.empty() && m_tokenizer->isSpecial(tail.ids[0]) && tail.offsets[0].first == 0)
                end += tail.offsets[0].second;
            out.assistantSpans.push_back({i, begin, end, 0, 0});
        }
    }

    const Encoding enc = m_tokenizer->encodeWithOffsets(out.text, false);
    out.ids = enc.ids;
    for (AssistantSpan& span : out.assistantSpans) {
        std::size_t t = 0;
        while (t < enc.offsets.size() && enc.offsets[t].first < span.begin)
            ++t;
        span.tokenBegin = t;
        while (t < enc.offsets.size() && enc.offsets[t].second <= span.end && enc.offsets[t].first < span.end)
            ++t;
        span.tokenEnd = t;
    }
    return out;
}

GenerationPrompt ChatTemplate::generationPrompt(const nlohmann::ordered_json& messages, bool ensureThinkPrefill,
                                                const nlohmann::ordered_json& kwargs) const
{
    GenerationPrompt p;
    p.text = render(messages, true, kwargs);
    auto endsWith = [&](const char* suffix) {
        const std::string s(suffix);
        return p.text.size() >= s.size() && p.text.compare(p.text.size() - s.size(), s.size(), s) == 0;
    };
    p.endsWithThinkPrefill = endsWith("<think>\n") || endsWith("<think>");
    const bool thinkClosed = endsWith("</think>\n\n") || endsWith("</think>\n") || endsWith("</think>");
    if (ensureThinkPrefill && !p.endsWithThinkPrefill && !thinkClosed) {
        p.text += "<think>\n";
        p.prefillAdded = true;
    }
    return p;
}

}  // namespace distill::tokenizer
