// Regions of a text that are not prose (code, maths, LaTeX commands), skipped by the readability
// filters and by the language measure.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace distill::text {

// Finds the regions of a text that are not prose: fenced and inline code, $$..$$, $..$, \(..\),
// \[..\], \begin{..}..\end{..} and \commands. Searches for closing tokens are cached, so a text
// full of unclosed openers is still scanned in linear time.
class NonProseScanner {
public:
    explicit NonProseScanner(std::string_view text) : m_text(text) {}

    // Position just past the region starting at text[pos], or pos when none starts there.
    std::size_t skip(std::size_t pos);

private:
    // text.find(token, from), remembering the answer: calls come with non-decreasing `from`.
    std::size_t find(std::string_view token, std::size_t from);
    std::size_t closeAt(std::size_t pos, std::string_view open, std::string_view close, std::size_t limit);

    std::string_view m_text;
    std::map<std::string, std::size_t, std::less<>> m_next;
};

}  // namespace distill::text
