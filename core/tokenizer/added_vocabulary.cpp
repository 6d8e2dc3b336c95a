#include "core/tokenizer/added_vocabulary.h"

#include "core/tokenizer/byte_level.h"

#include <unicode/uchar.h>

#include <algorithm>

namespace distill::tokenizer {

namespace {

bool isWordChar(char32_t c)
{
    return c == U'_' || u_isalnum(UChar32(c));
}

// Start of the code point that ends at `pos` (pos > 0).
std::size_t previousStart(std::string_view s, std::size_t pos)
{
    do {
        --pos;
    } while (pos > 0 && (std::uint8_t(s[pos]) & 0xC0) == 0x80);
    return pos;
}

}  // namespace

void AddedTokenMatcher::add(const AddedToken& token, std::string pattern)
{
    if (pattern.empty())
        return;
    m_entries.push_back({std::move(pattern), token});
    auto& bucket = m_byFirstByte[std::uint8_t(m_entries.back().pattern[0])];
    bucket.push_back(std::uint32_t(m_entries.size() - 1));
    std::stable_sort(bucket.begin(), bucket.end(), [this](std::uint32_t a, std::uint32_t b) {
        return m_entries[a].pattern.size() > m_entries[b].pattern.size();
    });
}

void AddedTokenMatcher::split(std::string_view text, std::vector<TextSegment>& out) const
{
    std::size_t plainStart = 0;  // where the current plain part begins
    std::size_t pos = 0;
    while (pos < text.size()) {
        const auto& bucket = m_byFirstByte[std::uint8_t(text[pos])];
        const Entry* hit = nullptr;
        for (const std::uint32_t i : bucket) {
            const std::string& p = m_entries[i].pattern;
            if (text.compare(pos, p.size(), p) == 0) {
                hit = &m_entries[i];
                break;
            }
        }
        if (!hit) {
            ++pos;
            continue;
        }
        std::size_t start = pos, stop = pos + hit->pattern.size();
        if (hit->token.singleWord) {
            bool ok = true;
            if (start > 0) {
                std::size_t q = previousStart(text, start);
                ok = !isWordChar(nextCodePoint(text, q));
            }
            if (ok && stop < text.size()) {
                std::size_t q = stop;
                ok = !isWordChar(nextCodePoint(text, q));
            }
            if (!ok) {
                ++pos;
                continue;
            }
        }
        if (hit->token.lstrip) {
            while (start > plainStart) {
                const std::size_t q0 = previousStart(text, start);
                std::size_t q = q0;
                if (!u_isUWhiteSpace(UChar32(nextCodePoint(text, q))))
                    break;
                start = q0;
            }
        }
        if (hit->token.rstrip) {
            while (stop < text.size()) {
                std::size_t q = stop;
                if (!u_isUWhiteSpace(UChar32(nextCodePoint(text, q))))
                    break;
                stop = q;
            }
        }
        if (start > plainStart)
            out.push_back({std::uint32_t(plainStart), std::uint32_t(start), -1});
        out.push_back({std::uint32_t(start), std::uint32_t(stop), hit->token.id});
        pos = plainStart = stop;
    }
    if (plainStart < text.size())
        out.push_back({std::uint32_t(plainStart), std::uint32_t(text.size()), -1});
}

}  // namespace distill::tokenizer
