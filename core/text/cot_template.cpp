#include "core/text/cot_template.h"

namespace distill::text {

std::string_view trimmed(std::string_view raw)
{
    constexpr std::string_view kSpace = " \t\r\n\f\v";
    const auto first = raw.find_first_not_of(kSpace);
    if (first == std::string_view::npos)
        return {};
    const auto last = raw.find_last_not_of(kSpace);
    return raw.substr(first, last - first + 1);
}

ThinkingSplit splitThinking(std::string_view raw, std::string_view openTag, std::string_view closeTag)
{
    ThinkingSplit split;
    std::size_t thinkingStart = 0;
    if (!openTag.empty()) {
        if (const auto open = raw.find(openTag); open != std::string_view::npos) {
            split.hasOpenTag = true;
            thinkingStart = open + openTag.size();
        }
    }
    const auto close = closeTag.empty() ? std::string_view::npos : raw.find(closeTag, thinkingStart);
    if (close == std::string_view::npos) {
        split.thinking = trimmed(raw.substr(thinkingStart));
        return split;
    }
    split.hasCloseTag = true;
    split.thinking = trimmed(raw.substr(thinkingStart, close - thinkingStart));
    split.answer = trimmed(raw.substr(close + closeTag.size()));
    return split;
}

}  // namespace distill::text
