#include "core/text/non_prose.h"

namespace distill::text {

static bool isAsciiLetter(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

std::size_t NonProseScanner::skip(std::size_t pos)
{
    constexpr std::size_t kAny = std::string_view::npos;
    const char c = m_text[pos];
    if (c == '`') {
        if (auto p = closeAt(pos, "```", "```", kAny); p != pos)
            return p;
        const auto lineEnd = find("\n", pos);
        return closeAt(pos, "`", "`", lineEnd == kAny ? kAny : lineEnd - pos);
    }
    if (c == '$') {
        if (auto p = closeAt(pos, "$$", "$$", kAny); p != pos)
            return p;
        // inline math closes before the paragraph ends; a lone "$2" is a currency sign
        const auto paragraphEnd = find("\n\n", pos);
        return closeAt(pos, "$", "$", paragraphEnd == kAny ? kAny : paragraphEnd - pos);
    }
    if (c != '\\' || pos + 1 >= m_text.size())
        return pos;
    if (auto p = closeAt(pos, "\\(", "\\)", kAny); p != pos)
        return p;
    if (auto p = closeAt(pos, "\\[", "\\]", kAny); p != pos)
        return p;
    constexpr std::size_t kMaxEnvName = 32;
    if (m_text.compare(pos, 7, "\\begin{") == 0) {
        const auto nameEnd = m_text.substr(pos + 7, kMaxEnvName).find('}');
        if (nameEnd != kAny) {
            const std::string end = "\\end{" + std::string(m_text.substr(pos + 7, nameEnd)) + "}";
            if (const auto p = find(end, pos + 7 + nameEnd); p != kAny)
                return p + end.size();
        }
    }
    std::size_t p = pos + 1;
    while (p < m_text.size() && isAsciiLetter(m_text[p]))
        ++p;
    return p;
}

std::size_t NonProseScanner::find(std::string_view token, std::size_t from)
{
    auto it = m_next.find(token);
    if (it == m_next.end())
        it = m_next.emplace(std::string(token), m_text.find(token, from)).first;
    else if (it->second != std::string_view::npos && it->second < from)
        it->second = m_text.find(token, from);
    return it->second;
}

std::size_t NonProseScanner::closeAt(std::size_t pos, std::string_view open, std::string_view close, std::size_t limit)
{
    if (m_text.compare(pos, open.size(), open) != 0)
        return pos;
    const auto end = find(close, pos + open.size());
    if (end == std::string_view::npos || end - pos > limit)
        return pos;
    return end + close.size();
}

}  // namespace distill::text
