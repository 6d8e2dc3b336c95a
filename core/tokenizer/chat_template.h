// Chat templates of tokenizer_config.json rendered as transformers' apply_chat_template does, plus
// the assistant spans of a conversation (for loss masks) and the <think> prefill of R1-style models.
#pragma once

#include "core/tokenizer/jinja_template.h"

#include <nlohmann/json.hpp>

#include <ctime>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace distill::tokenizer {

class Tokenizer;

// One assistant turn: bytes [begin, end) of the rendered text (its content, the template's own
// <think> wrapping and the end-of-turn token), and the tokens [tokenBegin, tokenEnd) covering it.
struct AssistantSpan {
    std::size_t messageIndex = 0;
    std::size_t begin = 0, end = 0;
    std::size_t tokenBegin = 0, tokenEnd = 0;
};

struct RenderedConversation {
    std::string text;
    std::vector<std::int32_t> ids;  // encode(text, add_special_tokens=false)
    std::vector<AssistantSpan> assistantSpans;
};

struct GenerationPrompt {
    std::string text;
    bool endsWithThinkPrefill = false;  // the template itself ends the prompt in "<think>\n"
    bool prefillAdded = false;          // "<think>\n" was appended because the caller asked for it
};

class ChatTemplate {
public:
    // `source` is the Jinja template; the tokenizer supplies special tokens (bos_token, ...).
    ChatTemplate(const std::string& source, const Tokenizer& tokenizer);
    // The template of the tokenizer's tokenizer_config.json; NotFound when it has none.
    static ChatTemplate fromTokenizer(const Tokenizer& tokenizer);

    // apply_chat_template(messages, tokenize=False, add_generation_prompt=…, **kwargs).
    // `messages` is an array of {"role", "content", ...}; `kwargs` an object (tools,
    // enable_thinking, ...).
    std::string render(const nlohmann::ordered_json& messages, bool addGenerationPrompt,
                       const nlohmann::ordered_json& kwargs = nlohmann::ordered_json::object()) const;

    // Renders without generation prompt, tokenizes, and locates every assistant turn.
    RenderedConversation renderWithSpans(const nlohmann::ordered_json& messages,
                                         const nlohmann::ordered_json& kwargs = nlohmann::ordered_json::object()) const;

    // The prompt for generating the next assistant turn. With ensureThinkPrefill, "<think>\n" is
    // appended unless the template already opened (or closed) a think block at the end.
    GenerationPrompt generationPrompt(const nlohmann::ordered_json& messages, bool ensureThinkPrefill,
                                      const nlohmann::ordered_json& kwargs = nlohmann::ordered_json::object()) const;

    // Pins the clock strftime_now reads (Llama 3.1+ templates print today's date).
    void setNow(std::optional<std::time_t> now) { m_now = now; }

private:
    std::string renderImpl(const nlohmann::ordered_json& messages, bool addGenerationPrompt,
                           const nlohmann::ordered_json& kwargs,
                           std::vector<std::pair<std::size_t, std::size_t>>* generationSpans) const;

    std::shared_ptr<const jinja::Template> m_template;
    const Tokenizer* m_tokenizer;
    std::optional<std::time_t> m_now;
};

}  // namespace distill::tokenizer
