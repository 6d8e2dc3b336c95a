#include "core/serve/reply_split.h"

#include "core/text/cot_template.h"

#include <algorithm>

namespace distill::serve {

namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";
constexpr std::string_view kReplacement = "\xEF\xBF\xBD";

std::string_view leftTrimmed(std::string_view text)
{
    const auto begin = text.find_first_not_of(" \t\r\n");
    return begin == std::string_view::npos ? std::string_view() : text.substr(begin);
}

// Length of the longest suffix of text that is a proper prefix of marker.
std::size_t partialSuffix(std::string_view text, std::string_view marker)
{
    for (std::size_t n = std::min(text.size(), marker.size() - 1); n > 0; --n)
        if (text.substr(text.size() - n) == marker.substr(0, n))
            return n;
    return 0;
}

// What the newer value adds to what was sent; nothing when it is not a continuation.
std::string extend(std::string& sent, const std::string& now)
{
    if (now.size() <= sent.size() || now.compare(0, sent.size(), sent) != 0)
        return {};
    std::string added = now.substr(sent.size());
    sent = now;
    return added;
}

}  // namespace

ReplyParts splitReply(std::string_view text, bool opensThinking)
{
    ReplyParts parts;
    parts.thinking = opensThinking || leftTrimmed(text).starts_with(kOpen);
    if (!parts.thinking) {
        parts.content = std::string(text);
        return parts;
    }
    // With the tag in the prompt, a later "<think>" in the reasoning is text, not an opening tag.
    const text::ThinkingSplit split = text::splitThinking(text, leftTrimmed(text).starts_with(kOpen) ? kOpen : "", kClose);
    parts.reasoning = std::string(split.thinking);
    parts.content = std::string(split.answer);
    return parts;
}

std::string_view streamableText(std::string_view text, const std::vector<std::string>& stopStrings)
{
    while (text.ends_with(kReplacement))
        text.remove_suffix(kReplacement.size());
    std::size_t cut = text.size();
    for (const std::string& stop : stopStrings)
        if (!stop.empty())
            cut = std::min(cut, text.find(stop));
    text = text.substr(0, cut);
    std::size_t hold = 0;
    for (const std::string& stop : stopStrings)
        if (!stop.empty())
            hold = std::max(hold, partialSuffix(text, stop));
    return text.substr(0, text.size() - hold);
}

ReplyDelta ReplyStreamer::update(std::string_view text, bool final)
{
    if (!final) {
        // Undecided whether the completion opens a think block: wait for more text.
        const std::string_view start = leftTrimmed(text);
        if (!m_opensThinking && start.size() < kOpen.size() && kOpen.starts_with(start))
            return {};
        if (splitReply(text, m_opensThinking).thinking && text.find(kClose) == std::string_view::npos)
            text.remove_suffix(partialSuffix(text, kClose));
    }
    const ReplyParts parts = splitReply(text, m_opensThinking);
    ReplyDelta delta;
    delta.reasoning = extend(m_sentReasoning, parts.reasoning);
    delta.content = extend(m_sentContent, parts.content);
    return delta;
}

}  // namespace distill::serve
