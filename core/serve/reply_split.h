// The reasoning/content split of a completion as DeepSeek's API reports it (`reasoning_content`
// before `content`), whole or incrementally for streamed deltas that never take text back.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace distill::serve {

struct ReplyParts {
    bool thinking = false;  // the completion started with reasoning
    std::string reasoning;  // between the (possibly prompted) <think> and </think>, trimmed
    std::string content;    // after </think> (trimmed), or the whole text when there is no thinking
};

// A completion thinks when its prompt opened <think> or it starts with <think> itself; without
// </think> all of it is reasoning.
ReplyParts splitReply(std::string_view text, bool opensThinking);

// The part of a growing completion text that is safe to stream: without a trailing incomplete UTF-8
// character (U+FFFD from decoding a partial byte sequence), cut at the first stop string, and without
// a trailing partial stop string.
std::string_view streamableText(std::string_view text, const std::vector<std::string>& stopStrings);

struct ReplyDelta {
    std::string reasoning;
    std::string content;
};

// Streaming split: each update() gets the text so far and returns what is new in each part.
class ReplyStreamer {
public:
    explicit ReplyStreamer(bool opensThinking) : m_opensThinking(opensThinking) {}
    // final: the text is complete (nothing is held back any more).
    ReplyDelta update(std::string_view text, bool final);

private:
    bool m_opensThinking;
    std::string m_sentReasoning;
    std::string m_sentContent;
};

}  // namespace distill::serve
