// Byte-level BPE model of tokenizer.json ("model": {"type": "BPE"}): vocabulary, ranked merges and
// the merge loop (priority queue over a linked list of symbols), with a word cache owned by callers.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace distill::tokenizer {

// Token ids run from 0 to kMaxVocabSize - 1 (tokenizer.json vocab and added tokens, config.json
// vocab_size): 16 times the largest published vocabulary, and a bound on the id table's size.
constexpr std::int64_t kMaxVocabSize = std::int64_t(1) << 22;

struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Caches the ids of words already encoded; one per thread, it is not synchronised.
class BpeCache {
public:
    const std::vector<std::int32_t>* find(std::string_view word) const;
    void insert(std::string_view word, std::vector<std::int32_t> ids);

private:
    StringMap<std::vector<std::int32_t>> m_map;
};

// The two large parts of a BPE "model" node, read while parsing so they never become a JSON tree.
struct BpeTables {
    std::vector<std::pair<std::string, std::int64_t>> vocab;  // in file order
    std::vector<std::pair<std::string, std::string>> merges;  // in rank order
    std::string error;  // the first malformed entry, if any
};

class BpeModel {
public:
    // Builds from the "model" node (whose "vocab" and "merges" were read into `tables`). Throws
    // Unsupported for non-BPE models or options we do not implement (dropout, subword prefixes,
    // byte fallback), Parse for malformed vocab/merges.
    static BpeModel fromJson(const nlohmann::json& model, BpeTables tables);

    // Appends the ids of one pre-tokenized word given as raw bytes (optionally with a leading space).
    void encodeWord(std::string_view bytes, bool prefixSpace, std::vector<std::int32_t>& ids, BpeCache* cache) const;

    std::optional<std::int32_t> tokenToId(std::string_view token) const;
    const std::string* idToToken(std::int32_t id) const;
    // Number of raw bytes the token stands for (its byte-level string decoded).
    std::uint32_t tokenByteLength(std::int32_t id) const;
    std::size_t size() const { return m_vocab.size(); }
    std::int32_t maxId() const { return std::int32_t(m_idToToken.size()) - 1; }

private:
    struct Merge {
        std::int32_t rank;
        std::int32_t id;
    };
    void mergeWord(std::string_view bytes, std::vector<std::int32_t>& ids) const;

    StringMap<std::int32_t> m_vocab;         // byte-level token string -> id
    StringMap<std::int32_t> m_bytesToId;     // raw bytes -> id (for ignore_merges)
    std::vector<std::string> m_idToToken;    // id -> byte-level string ("" for holes)
    std::vector<std::uint32_t> m_byteLength;  // id -> raw byte length
    std::array<std::int32_t, 256> m_byteId{};  // id of each single byte, -1 if missing
    std::unordered_map<std::uint64_t, Merge> m_merges;  // (left id, right id) -> merge
    bool m_ignoreMerges = false;
    std::optional<std::int32_t> m_unk;
};

}  // namespace distill::tokenizer
