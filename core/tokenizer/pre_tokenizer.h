// Pre-tokenizers of tokenizer.json: Split (regex or string, all behaviours), ByteLevel, Digits and
// Sequence. They cut normalized text into pieces that the BPE model encodes independently.
#pragma once

#include "core/tokenizer/regex.h"

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {

// A byte range of the text, optionally with a space in front (ByteLevel's add_prefix_space).
struct Piece {
    std::uint32_t begin;
    std::uint32_t end;
    bool prefixSpace = false;
};

class PreTokenizer {
public:
    virtual ~PreTokenizer() = default;
    // Replaces `pieces` of `text` by their finer split.
    virtual void split(std::string_view text, std::vector<Piece>& pieces) const = 0;
    // True for a ByteLevel pre-tokenizer (anywhere in a Sequence): the model then sees raw bytes.
    virtual bool isByteLevel() const { return false; }

    // Builds from the "pre_tokenizer" node; null gives nullptr. Throws Unsupported naming the type.
    static std::unique_ptr<PreTokenizer> fromJson(const nlohmann::json& node);
};

// How a Split keeps its matches (Hugging Face's SplitDelimiterBehavior).
enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

class SplitPreTokenizer : public PreTokenizer {
public:
    SplitPreTokenizer(std::unique_ptr<Regex> regex, std::string literal, SplitBehavior behavior, bool invert);
    void split(std::string_view text, std::vector<Piece>& pieces) const override;

private:
    std::unique_ptr<Regex> m_regex;  // null for a literal pattern
    std::string m_literal;
    SplitBehavior m_behavior;
    bool m_invert;
};

class ByteLevelPreTokenizer : public PreTokenizer {
public:
    ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex);
    void split(std::string_view text, std::vector<Piece>& pieces) const override;
    bool isByteLevel() const override { return true; }

private:
    bool m_addPrefixSpace;
    std::unique_ptr<SplitPreTokenizer> m_gpt2;  // set when use_regex
};

class SequencePreTokenizer : public PreTokenizer {
public:
    explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps);
    void split(std::string_view text, std::vector<Piece>& pieces) const override;
    bool isByteLevel() const override;

private:
    std::vector<std::unique_ptr<PreTokenizer>> m_steps;
};

}  // namespace distill::tokenizer
