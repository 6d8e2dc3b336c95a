#include "core/tokenizer/regex.h"

#include "core/util/error.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

namespace distill::tokenizer {

namespace {

// Unicode White_Space, which Oniguruma's \s matches (PCRE2's \s with UCP adds U+180E).
constexpr const char* kWhiteSpace =
    "\\t\\n\\x{0B}\\f\\r\\x{20}\\x{85}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}";

struct MatchDataDeleter {
    void operator()(pcre2_match_data* m) const { pcre2_match_data_free(m); }
};

pcre2_match_data* threadMatchData()
{
    thread_local std::unique_ptr<pcre2_match_data, MatchDataDeleter> data(pcre2_match_data_create(1, nullptr));
    return data.get();
}

}  // namespace

struct Regex::Impl {
    pcre2_code* code = nullptr;
    bool jit = false;
};

std::string Regex::onigurumaToPcre2(const std::string& pattern)
{
    std::string out;
    bool inClass = false;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
        const char c = pattern[i];
        if (c == '\\' && i + 1 < pattern.size()) {
            const char n = pattern[i + 1];
            if (n == 's') {
                out += inClass ? std::string(kWhiteSpace) : "[" + std::string(kWhiteSpace) + "]";
            } else if (n == 'S' && !inClass) {
                out += "[^" + std::string(kWhiteSpace) + "]";
            } else {
                out += c;
                out += n;
            }
            ++i;
            continue;
        }
        if (c == '[' && !inClass) {
            inClass = true;
            out += c;
            // A ']' right after '[' or '[^' is a literal.
            if (i + 1 < pattern.size() && pattern[i + 1] == '^') {
                out += '^';
                ++i;
            }
            if (i + 1 < pattern.size() && pattern[i + 1] == ']') {
                out += ']';
                ++i;
            }
            continue;
        }
        if (c == ']' && inClass)
            inClass = false;
        out += c;
    }
    return out;
}

Regex::Regex(const std::string& pattern) : m_impl(std::make_unique<Impl>())
{
    const std::string translated = onigurumaToPcre2(pattern);
    int errorCode = 0;
    PCRE2_SIZE errorOffset = 0;
    m_impl->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(translated.data()), translated.size(),
                                 PCRE2_UTF | PCRE2_UCP, &errorCode, &errorOffset, nullptr);
    if (!m_impl->code) {
        PCRE2_UCHAR message[256];
        pcre2_get_error_message(errorCode, message, sizeof message);
        throw Error(ErrorCode::Parse,
                    "tokenizer.json: regex /" + pattern + "/ does not compile at offset " +
                        std::to_string(errorOffset) + ": " + reinterpret_cast<const char*>(message));
    }
    m_impl->jit = pcre2_jit_compile(m_impl->code, PCRE2_JIT_COMPLETE) == 0;
}

Regex::~Regex()
{
    pcre2_code_free(m_impl->code);
}

void Regex::forEachMatch(std::string_view subject,
                         const std::function<void(std::size_t, std::size_t)>& onMatch) const
{
    pcre2_match_data* md = threadMatchData();
    const auto* s = reinterpret_cast<PCRE2_SPTR>(subject.data());
    PCRE2_SIZE start = 0;
    while (start <= subject.size()) {
        const int rc = m_impl->jit
            ? pcre2_jit_match(m_impl->code, s, subject.size(), start, PCRE2_NO_UTF_CHECK, md, nullptr)
            : pcre2_match(m_impl->code, s, subject.size(), start, PCRE2_NO_UTF_CHECK, md, nullptr);
        if (rc == PCRE2_ERROR_NOMATCH)
            return;
        if (rc < 0)
            throw Error(ErrorCode::Internal, "regex match failed with PCRE2 code " + std::to_string(rc));
        const PCRE2_SIZE* ov = pcre2_get_ovector_pointer(md);
        if (ov[1] > ov[0]) {
            onMatch(ov[0], ov[1]);
            start = ov[1];
        } else {
            // Empty match: step over one code point.
            start = ov[0] + 1;
            while (start < subject.size() && (std::uint8_t(subject[start]) & 0xC0) == 0x80)
                ++start;
        }
    }
}

}  // namespace distill::tokenizer
