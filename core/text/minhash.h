// Near-duplicate detection by MinHash over word n-grams with LSH banding (candidate pairs without
// comparing all pairs), and exact-duplicate detection by a hash of the normalised text.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace distill::text {

struct MinHashConfig {
    std::size_t numPerms = 128;   // signature length
    std::size_t ngram = 5;        // word n-gram (shingle) size
    double threshold = 0.8;       // estimated Jaccard at or above which two texts are duplicates
    std::size_t bands = 0;        // LSH bands; 0 = chosen from threshold (rows = numPerms / bands)
    std::uint64_t seed = 1;
};

// One MinHash signature: for each permutation, the minimum permuted shingle hash.
using MinHashSignature = std::vector<std::uint32_t>;

class MinHasher {
public:
    explicit MinHasher(const MinHashConfig& config);

    // The distinct shingles (XXH3 hashes of word n-grams) of text, sorted.
    std::vector<std::uint64_t> shingles(std::string_view text) const;
    // Signature of text; a text without words gets all-max values and matches nothing.
    MinHashSignature signature(std::string_view text) const;
    // Share of equal positions: an unbiased estimate of the Jaccard similarity of the shingle sets.
    static double estimateJaccard(const MinHashSignature& a, const MinHashSignature& b);

private:
    MinHashConfig m_config;
    std::vector<std::uint64_t> m_mul;  // permutation i maps x to (m_mul[i] * x + m_add[i]) >> 32
    std::vector<std::uint64_t> m_add;
};

// Bands and rows for an LSH index that minimises the weighted false-positive and false-negative
// probability mass around threshold (datasketch's rule, with misses weighted 0.9 against 0.1 since
// candidates are verified afterwards). bands * rows <= numPerms.
struct LshShape {
    std::size_t bands = 1;
    std::size_t rows = 1;
};
LshShape optimalLshShape(double threshold, std::size_t numPerms);

struct DuplicatePair {
    std::size_t first = 0;   // earlier document
    std::size_t second = 0;  // later document
    double jaccard = 0.0;    // estimated from the signatures
};

struct DuplicateResult {
    // For each document, the index of the earliest document of its duplicate cluster (itself when
    // it is the first or unique).
    std::vector<std::size_t> representative;
    std::vector<DuplicatePair> pairs;  // verified candidate pairs, sorted
    std::size_t duplicates() const;    // documents whose representative is another one
};

// Near-duplicates among docs: LSH candidate pairs verified by the signature estimate.
DuplicateResult findNearDuplicates(const std::vector<MinHashSignature>& signatures, const MinHashConfig& config);
DuplicateResult findNearDuplicates(const std::vector<std::string_view>& docs, const MinHashConfig& config);

// XXH3-64 of normalizeText(text): equal for texts differing only in case, punctuation, spacing.
std::uint64_t exactDuplicateKey(std::string_view text);
// Exact duplicates (same exactDuplicateKey); pairs link each duplicate to its representative.
DuplicateResult findExactDuplicates(const std::vector<std::string_view>& docs);

nlohmann::json toJson(const MinHashConfig& config);
MinHashConfig minHashConfigFromJson(const nlohmann::json& json);

}  // namespace distill::text
