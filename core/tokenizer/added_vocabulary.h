// Added tokens of tokenizer.json ("added_tokens"): matched in the text before the model runs, with
// leftmost-longest matching and the lstrip / rstrip / single_word / normalized options.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {

struct AddedToken {
    std::int32_t id = 0;
    std::string content;
    bool special = false;
    bool lstrip = false;
    bool rstrip = false;
    bool normalized = false;
    bool singleWord = false;
};

// A part of a text: either an added token (id >= 0) or plain text to tokenize (id < 0).
struct TextSegment {
    std::uint32_t begin;
    std::uint32_t end;
    std::int32_t id;
};

// Finds one set of added tokens (either the normalized or the raw ones) in text.
class AddedTokenMatcher {
public:
    // `patterns[i]` is the text matched for `tokens[i]` (the content, normalized when it applies).
    void add(const AddedToken& token, std::string pattern);
    bool empty() const { return m_entries.empty(); }
    // Splits valid UTF-8 `text` into token matches and plain parts (empty parts are dropped).
    void split(std::string_view text, std::vector<TextSegment>& out) const;

private:
    struct Entry {
        std::string pattern;
        AddedToken token;
    };
    std::vector<Entry> m_entries;
    std::array<std::vector<std::uint32_t>, 256> m_byFirstByte;  // entry indexes, longest pattern first
};

}  // namespace distill::tokenizer
