#include "core/tokenizer/pre_tokenizer.h"

#include "core/util/error.h"

#include <nlohmann/json.hpp>

namespace distill::tokenizer {

namespace {

// GPT-2's pattern, used by ByteLevel when use_regex is true.
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

bool boolField(const nlohmann::json& node, const char* key, bool fallback)
{
    const auto it = node.find(key);
    if (it == node.end() || it->is_null())
        return fallback;
    if (!it->is_boolean())
        throw Error(ErrorCode::Parse, std::string("tokenizer.json: \"") + key + "\" must be a boolean");
    return it->get<bool>();
}

SplitBehavior behaviorFromName(const std::string& name)
{
    if (name == "Removed")
        return SplitBehavior::Removed;
    if (name == "Isolated")
        return SplitBehavior::Isolated;
    if (name == "MergedWithPrevious")
        return SplitBehavior::MergedWithPrevious;
    if (name == "MergedWithNext")
        return SplitBehavior::MergedWithNext;
    if (name == "Contiguous")
        return SplitBehavior::Contiguous;
    throw Error(ErrorCode::Unsupported, "tokenizer.json: Split behavior '" + name + "' is not supported");
}

}  // namespace

SplitPreTokenizer::SplitPreTokenizer(std::unique_ptr<Regex> regex, std::string literal, SplitBehavior behavior,
                                     bool invert)
    : m_regex(std::move(regex)), m_literal(std::move(literal)), m_behavior(behavior), m_invert(invert)
{
}

void SplitPreTokenizer::split(std::string_view text, std::vector<Piece>& pieces) const
{
    std::vector<Piece> out;
    out.reserve(pieces.size() * 4);
    std::string withSpace;
    struct Span {
        std::size_t begin, end;
        bool match;
    };
    std::vector<Span> spans;
    for (const Piece& p : pieces) {
        // The subject is the piece, with its prefix space made real when it has one.
        std::string_view subject = text.substr(p.begin, p.end - p.begin);
        if (p.prefixSpace) {
            withSpace.assign(1, ' ');
            withSpace.append(subject);
            subject = withSpace;
        }
        spans.clear();
        std::size_t last = 0;
        auto onMatch = [&](std::size_t b, std::size_t e) {
            if (b > last)
                spans.push_back({last, b, m_invert});
            spans.push_back({b, e, !m_invert});
            last = e;
        };
        if (m_regex) {
            m_regex->forEachMatch(subject, onMatch);
        } else if (!m_literal.empty()) {
            for (std::size_t at = subject.find(m_literal); at != std::string_view::npos;
                 at = subject.find(m_literal, at + m_literal.size()))
                onMatch(at, at + m_literal.size());
        }
        if (last < subject.size())
            spans.push_back({last, subject.size(), m_invert});

        // Apply the behaviour to [gap, match, gap, ...] in subject coordinates.
        std::vector<std::pair<std::size_t, std::size_t>> ranges;
        bool pendingNext = false;
        std::size_t pendingBegin = 0;
        for (std::size_t i = 0; i < spans.size(); ++i) {
            const Span& s = spans[i];
            if (!s.match) {
                if (pendingNext) {
                    ranges.push_back({pendingBegin, s.end});
                    pendingNext = false;
                } else {
                    ranges.push_back({s.begin, s.end});
                }
                continue;
            }
            switch (m_behavior) {
            case SplitBehavior::Removed:
                break;
            case SplitBehavior::Isolated:
                ranges.push_back({s.begin, s.end});
                break;
            case SplitBehavior::MergedWithPrevious:
                if (i > 0 && !spans[i - 1].match)
                    ranges.back().second = s.end;
                else
                    ranges.push_back({s.begin, s.end});
                break;
            case SplitBehavior::MergedWithNext:
                if (pendingNext) {
                    ranges.push_back({pendingBegin, s.begin});
                }
                pendingNext = true;
                pendingBegin = s.begin;
                break;
            case SplitBehavior::Contiguous:
                if (i > 0 && spans[i - 1].match && !ranges.empty() && ranges.back().second == s.begin)
                    ranges.back().second = s.end;
                else
                    ranges.push_back({s.begin, s.end});
                break;
            }
        }
        if (pendingNext)
            ranges.push_back({pendingBegin, subject.size()});

        for (const auto& [b, e] : ranges) {
            if (!p.prefixSpace) {
                out.push_back({std::uint32_t(p.begin + b), std::uint32_t(p.begin + e), false});
            } else {
                // Offset 0 of the subject is the virtual space.
                const std::size_t ob = b == 0 ? 0 : b - 1;
                out.push_back({std::uint32_t(p.begin + ob), std::uint32_t(p.begin + e - 1), b == 0});
            }
        }
    }
    pieces.swap(out);
}

ByteLevelPreTokenizer::ByteLevelPreTokenizer(bool addPrefixSpace, bool useRegex) : m_addPrefixSpace(addPrefixSpace)
{
    if (useRegex)
        m_gpt2 = std::make_unique<SplitPreTokenizer>(std::make_unique<Regex>(kGpt2Pattern), std::string(),
                                                     SplitBehavior::Isolated, false);
}

void ByteLevelPreTokenizer::split(std::string_view text, std::vector<Piece>& pieces) const
{
    if (m_addPrefixSpace) {
        for (Piece& p : pieces)
            if (!p.prefixSpace && p.begin < p.end && text[p.begin] != ' ')
                p.prefixSpace = true;
    }
    if (m_gpt2)
        m_gpt2->split(text, pieces);
}

SequencePreTokenizer::SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> steps)
    : m_steps(std::move(steps))
{
}

void SequencePreTokenizer::split(std::string_view text, std::vector<Piece>& pieces) const
{
    for (const auto& step : m_steps)
        step->split(text, pieces);
}

bool SequencePreTokenizer::isByteLevel() const
{
    for (const auto& step : m_steps)
        if (step->isByteLevel())
            return true;
    return false;
}

std::unique_ptr<PreTokenizer> PreTokenizer::fromJson(const nlohmann::json& node)
{
    if (node.is_null())
        return nullptr;
    if (!node.is_object() || !node.contains("type") || !node["type"].is_string())
        throw Error(ErrorCode::Parse, "tokenizer.json: pre_tokenizer without a \"type\"");
    const std::string type = node["type"];
    if (type == "Sequence") {
        if (!node.contains("pretokenizers") || !node["pretokenizers"].is_array())
            throw Error(ErrorCode::Parse, "tokenizer.json: Sequence pre_tokenizer without \"pretokenizers\"");
        std::vector<std::unique_ptr<PreTokenizer>> steps;
        for (const auto& child : node["pretokenizers"])
            if (auto step = fromJson(child))
                steps.push_back(std::move(step));
        return std::make_unique<SequencePreTokenizer>(std::move(steps));
    }
    if (type == "ByteLevel")
        return std::make_unique<ByteLevelPreTokenizer>(boolField(node, "add_prefix_space", true),
                                                       boolField(node, "use_regex", true));
    if (type == "Split") {
        const auto pattern = node.find("pattern");
        if (pattern == node.end() || !pattern->is_object())
            throw Error(ErrorCode::Parse, "tokenizer.json: Split pre_tokenizer without a \"pattern\"");
        const auto behavior = behaviorFromName(node.value("behavior", std::string("Isolated")));
        const bool invert = boolField(node, "invert", false);
        if (pattern->contains("Regex") && (*pattern)["Regex"].is_string())
            return std::make_unique<SplitPreTokenizer>(std::make_unique<Regex>((*pattern)["Regex"].get<std::string>()),
                                                       std::string(), behavior, invert);
        if (pattern->contains("String") && (*pattern)["String"].is_string())
            return std::make_unique<SplitPreTokenizer>(nullptr, (*pattern)["String"].get<std::string>(), behavior,
                                                       invert);
        throw Error(ErrorCode::Parse, "tokenizer.json: Split pattern must be {\"Regex\": …} or {\"String\": …}");
    }
    if (type == "Digits") {
        const bool individual = boolField(node, "individual_digits", false);
        return std::make_unique<SplitPreTokenizer>(std::make_unique<Regex>(individual ? "\\p{N}" : "\\p{N}+"),
                                                   std::string(), SplitBehavior::Isolated, false);
    }
    throw Error(ErrorCode::Unsupported, "tokenizer.json: pre_tokenizer type '" + type + "' is not supported",
                "supported pre-tokenizers: Split, ByteLevel, Digits, Sequence");
}

}  // namespace distill::tokenizer
