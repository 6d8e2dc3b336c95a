// Fuzz target: bytes as a chat template (Jinja) rendered over a fixed conversation with the toy
// tokenizer's special tokens: generation prompt, tools and assistant spans.
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string>

using namespace distill;

namespace {

const tokenizer::Tokenizer& toyTokenizer()
{
    static const auto tokenizer = tokenizer::Tokenizer::fromDirectory(DISTILLERY_SOURCE_DIR "/resources/toy");
    return *tokenizer;
}

const nlohmann::ordered_json& conversation()
{
    static const auto messages = nlohmann::ordered_json::parse(R"([
        {"role": "system", "content": "Reason step by step."},
        {"role": "user", "content": "What is 6 x 7?"},
        {"role": "assistant", "content": "<think>6 x 7 = 42</think>The answer is 42.", "reasoning_content": "6 x 7"},
        {"role": "user", "content": [{"type": "text", "text": "And 2^10?"}]},
        {"role": "tool", "content": "1024", "tool_call_id": "c1"}
    ])");
    return messages;
}

const nlohmann::ordered_json& kwargs()
{
    static const auto kw = nlohmann::ordered_json::parse(R"({
        "enable_thinking": true,
        "tools": [{"type": "function", "function": {"name": "pow", "parameters": {"type": "object",
                   "properties": {"a": {"type": "integer"}, "b": {"type": "integer"}}}}}]
    })");
    return kw;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    try {
        tokenizer::ChatTemplate chat(std::string(reinterpret_cast<const char*>(data), size), toyTokenizer());
        chat.setNow(0);
        chat.render(conversation(), true, kwargs());
        chat.renderWithSpans(conversation(), kwargs());
    } catch (const Error&) {
    }
    return 0;
}
