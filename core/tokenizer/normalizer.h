// Unicode normalizers of tokenizer.json ("NFC", "NFD", "NFKC", "NFKD", "Sequence"), backed by ICU,
// with an alignment from normalized back to original byte offsets.
#pragma once

#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {

// One normalization segment: bytes [.., normalizedEnd) of the output come from [.., originalEnd).
struct NormalizedSegment {
    std::uint32_t normalizedEnd;
    std::uint32_t originalEnd;
};

class Normalizer {
public:
    // Builds from the "normalizer" node (null means none). Throws Unsupported naming an unknown type.
    static Normalizer fromJson(const nlohmann::json& node);

    bool empty() const { return m_forms.empty(); }
    // Normalizes valid UTF-8 `in`. Returns false (and leaves `out` alone) when the text is already
    // normalized; otherwise writes `out` and, when `alignment` is given, its segment alignment.
    bool apply(std::string_view in, std::string& out, std::vector<NormalizedSegment>* alignment) const;
    // Maps a byte offset in normalized text to the original text through `alignment`.
    static std::uint32_t toOriginal(const std::vector<NormalizedSegment>& alignment, std::uint32_t offset,
                                    bool isEnd);

private:
    std::vector<const void*> m_forms;  // icu::Normalizer2 instances, applied in order
};

}  // namespace distill::tokenizer
