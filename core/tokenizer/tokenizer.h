// A Hugging Face tokenizer loaded from tokenizer.json (+ tokenizer_config.json): byte-level BPE
// with normalizers, pre-tokenizers, added tokens, post-processor and decoder, exact to HF tokenizers.
#pragma once

#include "core/tokenizer/added_vocabulary.h"
#include "core/tokenizer/bpe_model.h"
#include "core/tokenizer/normalizer.h"
#include "core/tokenizer/pre_tokenizer.h"

#include <cstdint>
#include <filesystem>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {

// What tokenizer_config.json says beyond tokenizer.json: special token strings and the chat template.
struct TokenizerConfig {
    std::optional<std::string> bosToken, eosToken, padToken, unkToken;
    std::optional<bool> addBosToken, addEosToken;  // transformers' Llama-style post-processor override
    std::string chatTemplate;                      // "" when the file has none
    std::string tokenizerClass;

    static TokenizerConfig fromJsonText(std::string_view text);  // throws Parse
};

// Ids with the byte range [begin, end) of the original text each token came from.
struct Encoding {
    std::vector<std::int32_t> ids;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> offsets;
};

class Tokenizer {
public:
    // Loads `dir`/tokenizer.json and, when present, `dir`/tokenizer_config.json.
    static std::unique_ptr<Tokenizer> fromDirectory(const std::filesystem::path& dir);
    // Builds from the text of a tokenizer.json (and an optional config). Throws Parse / Unsupported.
    static std::unique_ptr<Tokenizer> fromJsonText(std::string_view tokenizerJson, TokenizerConfig config = {});

    // Encodes valid UTF-8 text (InvalidArgument otherwise). addSpecialTokens applies the post-processor.
    std::vector<std::int32_t> encode(std::string_view text, bool addSpecialTokens = false) const;
    Encoding encodeWithOffsets(std::string_view text, bool addSpecialTokens = false) const;
    // Encodes texts on `threads` threads (0: hardware concurrency); results in input order.
    std::vector<std::vector<std::int32_t>> encodeBatch(const std::vector<std::string>& texts,
                                                       bool addSpecialTokens = false, unsigned threads = 0) const;
    // Decodes ids (unknown ids are skipped, as Hugging Face does); invalid UTF-8 becomes U+FFFD.
    std::string decode(const std::vector<std::int32_t>& ids, bool skipSpecialTokens = false) const;

    std::optional<std::int32_t> tokenToId(std::string_view token) const;
    std::optional<std::string> idToToken(std::int32_t id) const;
    bool isSpecial(std::int32_t id) const;
    // One past the largest id of the vocabulary and the added tokens.
    std::size_t vocabSize() const;

    const TokenizerConfig& config() const { return m_config; }
    std::optional<std::int32_t> bosId() const { return idOf(m_config.bosToken); }
    std::optional<std::int32_t> eosId() const { return idOf(m_config.eosToken); }
    std::optional<std::int32_t> padId() const { return idOf(m_config.padToken); }

private:
    Tokenizer() = default;
    Encoding encodeShared(std::string_view text, bool addSpecialTokens, bool withOffsets) const;
    void encodeInto(std::string_view text, bool addSpecialTokens, BpeCache& cache, Encoding& out,
                    bool withOffsets) const;
    void encodePlain(std::string_view text, std::uint32_t base, BpeCache& cache, Encoding& out,
                     bool withOffsets) const;
    std::optional<std::int32_t> idOf(const std::optional<std::string>& token) const;
    const AddedToken* addedById(std::int32_t id) const;

    BpeModel m_model;
    Normalizer m_normalizer;
    std::unique_ptr<PreTokenizer> m_preTokenizer;
    std::vector<AddedToken> m_added;          // sorted by id
    AddedTokenMatcher m_rawMatcher;           // added tokens with normalized = false
    AddedTokenMatcher m_normalizedMatcher;    // added tokens with normalized = true
    std::vector<std::int32_t> m_prefixIds, m_suffixIds;  // post-processor, single sequence
    bool m_byteLevelDecoder = false;
    TokenizerConfig m_config;

    mutable std::mutex m_cacheMutex;  // guards m_cache for encode() from several threads
    mutable BpeCache m_cache;
};

// Token ids as the model, the engine and the trainers take them (int64 tensors).
inline std::vector<std::int64_t> widen(const std::vector<std::int32_t>& ids)
{
    return {ids.begin(), ids.end()};
}

}  // namespace distill::tokenizer
