#include "core/formats/think_split.h"

namespace distill::formats {

namespace {

std::string_view trimOneNewline(std::string_view s)
{
    if (!s.empty() && s.front() == '\n')
        s.remove_prefix(1);
    if (!s.empty() && s.back() == '\n')
        s.remove_suffix(1);
    return s;
}

std::string_view dropLeadingNewlines(std::string_view s, int max)
{
    for (int i = 0; i < max && !s.empty() && s.front() == '\n'; ++i)
        s.remove_prefix(1);
    return s;
}

bool isBlank(std::string_view s)
{
    return s.find_first_not_of(" \t\r\n") == std::string_view::npos;
}

// Unwraps `text` when an answer tag pair encloses it (only whitespace outside the tags; a
// missing close tag means the answer was cut off and runs to the end).
std::string_view unwrapAnswer(std::string_view text, const std::vector<TagPair>& answerTags, bool& changed)
{
    for (const TagPair& tags : answerTags) {
        if (tags.open.empty() || tags.close.empty())
            continue;
        const std::size_t open = text.find(tags.open);
        if (open == std::string_view::npos || !isBlank(text.substr(0, open)))
            continue;
        const std::size_t begin = open + tags.open.size();
        std::size_t close = text.rfind(tags.close);
        if (close == std::string_view::npos || close < begin)
            close = text.size();  // a truncated answer: no closing tag
        else if (!isBlank(text.substr(close + tags.close.size())))
            continue;
        changed = true;
        return trimOneNewline(text.substr(begin, close - begin));
    }
    return text;
}

}  // namespace

SplitText splitReasoning(std::string_view text, const std::vector<TagPair>& thinkTags,
                         const std::vector<TagPair>& answerTags)
{
    SplitText out;
    for (const TagPair& tags : thinkTags) {
        if (tags.open.empty() || tags.close.empty())
            continue;
        std::size_t open = text.find(tags.open);
        const std::size_t searchFrom = open == std::string_view::npos ? 0 : open + tags.open.size();
        const std::size_t close = text.find(tags.close, searchFrom);
        if (open == std::string_view::npos && close == std::string_view::npos)
            continue;
        // Only a leading open tag counts: reasoning that starts mid-text is not this layout.
        if (open != std::string_view::npos && !isBlank(text.substr(0, open)))
            continue;
        const std::size_t begin = open == std::string_view::npos ? 0 : open + tags.open.size();
        const std::size_t end = close == std::string_view::npos ? text.size() : close;
        out.thinking = std::string(trimOneNewline(text.substr(begin, end - begin)));
        std::string_view rest = close == std::string_view::npos ? std::string_view()
                                                                : text.substr(close + tags.close.size());
        rest = dropLeadingNewlines(rest, 2);
        bool unwrapped = false;
        out.answer = std::string(unwrapAnswer(rest, answerTags, unwrapped));
        out.split = true;
        return out;
    }
    bool unwrapped = false;
    out.answer = std::string(unwrapAnswer(text, answerTags, unwrapped));
    out.split = unwrapped;
    return out;
}

}  // namespace distill::formats
