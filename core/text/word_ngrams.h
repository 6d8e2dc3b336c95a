// Text normalisation shared by dedup, decontamination and the repetition filter: lowercase words
// (runs of letters/digits; each CJK character is a word), punctuation and spacing dropped, word
// hashes (XXH3) and rolling word n-gram hashes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::text {

// XXH3-64 hash of each normalised word of text, in order.
std::vector<std::uint64_t> wordHashes(std::string_view text);

// The normalised words joined by single spaces ("What's 2+2?" -> "what s 2 2").
std::string normalizeText(std::string_view text);

// Number of normalised words.
std::size_t wordCount(std::string_view text);

// Hash of a sequence of n word hashes, computed as a rolling polynomial so that sliding the window
// by one word costs O(1). ngramHash over any n consecutive words equals what roll() yields there.
class RollingNgramHash {
public:
    explicit RollingNgramHash(std::size_t n);
    // Feeds the next word; returns true once the window holds n words (value() is then valid).
    bool push(std::uint64_t wordHash);
    std::uint64_t value() const { return m_value; }

private:
    std::size_t m_n;
    std::uint64_t m_outFactor;  // base^n, removes the word leaving the window
    std::vector<std::uint64_t> m_window;  // ring buffer of the last n word hashes
    std::size_t m_count = 0;
    std::uint64_t m_value = 0;
};

// Hashes of all word n-grams of the sequence. A non-empty sequence shorter than n yields one hash
// of the whole sequence (so short texts still compare); an empty one yields nothing.
std::vector<std::uint64_t> ngramHashes(const std::vector<std::uint64_t>& words, std::size_t n);

}  // namespace distill::text
