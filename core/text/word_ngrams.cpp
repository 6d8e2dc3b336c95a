#include "core/text/word_ngrams.h"

#include "core/text/unicode_script.h"
#include "core/util/error.h"

#include <xxhash.h>

namespace distill::text {
namespace {

constexpr std::uint64_t kBase = 0x9E3779B97F4A7C15ull;  // odd, so multiplication is invertible

// Calls emit(word) for each normalised word (lowercase bytes; a CJK character is a word alone).
template <class Emit>
void scanWords(std::string_view text, Emit&& emit)
{
    std::string word;
    const auto flush = [&] {
        if (!word.empty()) {
            emit(std::string_view(word));
            word.clear();
        }
    };
    for (std::size_t pos = 0; pos < text.size();) {
        const char c = text[pos];
        if (static_cast<unsigned char>(c) < 0x80) {
            ++pos;
            if (c >= 'a' && c <= 'z') {
                word.push_back(c);
            } else if (c >= 'A' && c <= 'Z') {
                word.push_back(static_cast<char>(c - 'A' + 'a'));
            } else if (c >= '0' && c <= '9') {
                word.push_back(c);
            } else {
                flush();
            }
            continue;
        }
        const std::size_t start = pos;
        const char32_t cp = nextCodepoint(text, pos);
        const Script script = scriptOf(cp);
        if (script == Script::Cjk) {
            flush();
            emit(text.substr(start, pos - start));
        } else if (script == Script::Space || script == Script::Symbol) {
            flush();
        } else if (cp >= 0xFF10 && cp <= 0xFF5A) {
            // full-width digits and letters fold to ASCII
            char ascii = static_cast<char>(cp - 0xFEE0);
            if (ascii >= 'A' && ascii <= 'Z')
                ascii = static_cast<char>(ascii - 'A' + 'a');
            word.push_back(ascii);
        } else {
            word.append(text.substr(start, pos - start));
        }
    }
    flush();
}

std::uint64_t hashWord(std::string_view word)
{
    return XXH3_64bits(word.data(), word.size());
}

}  // namespace

std::vector<std::uint64_t> wordHashes(std::string_view text)
{
    std::vector<std::uint64_t> out;
    out.reserve(text.size() / 5 + 1);
    scanWords(text, [&](std::string_view w) { out.push_back(hashWord(w)); });
    return out;
}

std::string normalizeText(std::string_view text)
{
    std::string out;
    out.reserve(text.size());
    scanWords(text, [&](std::string_view w) {
        if (!out.empty())
            out.push_back(' ');
        out.append(w);
    });
    return out;
}

std::size_t wordCount(std::string_view text)
{
    std::size_t n = 0;
    scanWords(text, [&](std::string_view) { ++n; });
    return n;
}

RollingNgramHash::RollingNgramHash(std::size_t n)
    : m_n(n), m_outFactor(1), m_window(n, 0)
{
    if (n == 0)
        throw Error(ErrorCode::InvalidArgument, "n-gram size must be at least 1");
    for (std::size_t i = 0; i < n; ++i)
        m_outFactor *= kBase;
}

bool RollingNgramHash::push(std::uint64_t wordHash)
{
    const std::size_t slot = m_count % m_n;
    // value = sum of w_i * base^(n-1-i): shift everything one place, add the new word, drop the oldest
    m_value = m_value * kBase + wordHash;
    if (m_count >= m_n)
        m_value -= m_window[slot] * m_outFactor;
    m_window[slot] = wordHash;
    ++m_count;
    return m_count >= m_n;
}

std::vector<std::uint64_t> ngramHashes(const std::vector<std::uint64_t>& words, std::size_t n)
{
    std::vector<std::uint64_t> out;
    if (words.empty())
        return out;
    RollingNgramHash rolling(n);
    if (words.size() < n) {
        for (const auto w : words)
            rolling.push(w);
        out.push_back(rolling.value());
        return out;
    }
    out.reserve(words.size() - n + 1);
    for (const auto w : words)
        if (rolling.push(w))
            out.push_back(rolling.value());
    return out;
}

}  // namespace distill::text
