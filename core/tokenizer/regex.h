// A compiled PCRE2 pattern (UTF, Unicode properties, JIT) with Oniguruma's meaning of \s and \S,
// as tokenizer.json patterns are written for the Oniguruma engine Hugging Face tokenizers uses.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace distill::tokenizer {

class Regex {
public:
    explicit Regex(const std::string& pattern);  // throws Parse with PCRE2's message
    ~Regex();
    Regex(const Regex&) = delete;
    Regex& operator=(const Regex&) = delete;

    // Calls onMatch(begin, end) for each non-empty, non-overlapping match in valid UTF-8 `subject`.
    void forEachMatch(std::string_view subject,
                      const std::function<void(std::size_t, std::size_t)>& onMatch) const;

    // Rewrites Oniguruma's \s / \S (Unicode White_Space) into explicit classes for PCRE2.
    static std::string onigurumaToPcre2(const std::string& pattern);

private:
    struct Impl;
    std::unique_ptr<Impl> m_impl;
};

}  // namespace distill::tokenizer
