#include "core/text/unicode_script.h"

#include <algorithm>
#include <array>

namespace distill::text {

char32_t nextCodepoint(std::string_view text, std::size_t& pos)
{
    constexpr char32_t kReplacement = 0xFFFD;
    const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
    const unsigned char b0 = byte(pos);
    if (b0 < 0x80) {
        ++pos;
        return b0;
    }
    std::size_t len = 0;
    char32_t cp = 0;
    char32_t minimum = 0;
    if ((b0 & 0xE0) == 0xC0) {
        len = 2, cp = b0 & 0x1F, minimum = 0x80;
    } else if ((b0 & 0xF0) == 0xE0) {
        len = 3, cp = b0 & 0x0F, minimum = 0x800;
    } else if ((b0 & 0xF8) == 0xF0) {
        len = 4, cp = b0 & 0x07, minimum = 0x10000;
    } else {
        ++pos;
        return kReplacement;
    }
    if (pos + len > text.size()) {
        ++pos;
        return kReplacement;
    }
    for (std::size_t i = 1; i < len; ++i) {
        const unsigned char b = byte(pos + i);
        if ((b & 0xC0) != 0x80) {
            ++pos;
            return kReplacement;
        }
        cp = (cp << 6) | (b & 0x3F);
    }
    if (cp < minimum || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) {
        ++pos;
        return kReplacement;
    }
    pos += len;
    return cp;
}

bool isCjk(char32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF)      // CJK Unified Ideographs
        || (cp >= 0x3400 && cp <= 0x4DBF)      // Extension A
        || (cp >= 0x20000 && cp <= 0x3134F)    // Extensions B-G
        || (cp >= 0xF900 && cp <= 0xFAFF)      // Compatibility Ideographs
        || (cp >= 0x3040 && cp <= 0x30FF)      // Hiragana, Katakana
        || (cp >= 0x31F0 && cp <= 0x31FF)      // Katakana extensions
        || (cp >= 0x3100 && cp <= 0x312F)      // Bopomofo
        || (cp >= 0x1100 && cp <= 0x11FF)      // Hangul Jamo
        || (cp >= 0x3130 && cp <= 0x318F)      // Hangul compatibility Jamo
        || (cp >= 0xAC00 && cp <= 0xD7AF)      // Hangul syllables
        || (cp >= 0xFF66 && cp <= 0xFF9D);     // half-width Katakana
}

Script scriptOf(char32_t cp)
{
    if (cp < 0x80) {
        if ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
            return Script::Latin;
        if (cp >= '0' && cp <= '9')
            return Script::Digit;
        if (cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v')
            return Script::Space;
        return Script::Symbol;
    }
    if (isCjk(cp))
        return Script::Cjk;
    if (cp == 0xA0 || cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200A) || cp == 0x2028 || cp == 0x2029
        || cp == 0x202F || cp == 0x205F)
        return Script::Space;
    if ((cp >= 0xFF10 && cp <= 0xFF19))
        return Script::Digit;  // full-width digits
    if ((cp >= 0xFF21 && cp <= 0xFF3A) || (cp >= 0xFF41 && cp <= 0xFF5A))
        return Script::Latin;  // full-width Latin letters
    if ((cp >= 0xC0 && cp <= 0x24F && cp != 0xD7 && cp != 0xF7) || (cp >= 0x1E00 && cp <= 0x1EFF)
        || cp == 0xAA || cp == 0xBA)
        return Script::Latin;
    if (cp >= 0x400 && cp <= 0x52F)
        return Script::Cyrillic;
    if ((cp >= 0x600 && cp <= 0x6FF) || (cp >= 0x750 && cp <= 0x77F))
        return (cp >= 0x660 && cp <= 0x669) || (cp >= 0x6F0 && cp <= 0x6F9) ? Script::Digit : Script::Arabic;
    if (cp >= 0x590 && cp <= 0x5FF)
        return Script::Hebrew;
    if (cp >= 0x900 && cp <= 0x97F)
        return Script::Devanagari;
    if (cp >= 0xE00 && cp <= 0xE7F)
        return Script::Thai;
    if (cp >= 0x370 && cp <= 0x3FF)
        return Script::Symbol;  // Greek: notation in math text
    if (cp < 0x250                             // Latin-1 punctuation, controls, x and division signs
        || (cp >= 0x2B0 && cp <= 0x36F)        // modifier letters, combining marks
        || (cp >= 0x2000 && cp <= 0x2BFF)      // punctuation, super/subscripts, letterlike, arrows, math
        || (cp >= 0x3000 && cp <= 0x303F)      // CJK punctuation
        || (cp >= 0xFE30 && cp <= 0xFE4F)      // CJK compatibility forms
        || (cp >= 0xFF00 && cp <= 0xFF65)      // full-width punctuation (letters handled above)
        || (cp >= 0xE000 && cp <= 0xF8FF)      // private use
        || (cp >= 0xFE00 && cp <= 0xFE0F)      // variation selectors
        || cp >= 0x1D400                       // math alphanumerics, emoji, symbols, planes 2+ non-CJK
        || cp == 0xFFFD || cp == 0xFEFF)
        return Script::Symbol;
    return Script::OtherLetter;
}

std::size_t codepointCount(std::string_view text)
{
    std::size_t n = 0;
    for (std::size_t pos = 0; pos < text.size();) {
        const auto b = static_cast<unsigned char>(text[pos]);
        if (b < 0x80)
            ++pos;
        else
            nextCodepoint(text, pos);
        ++n;
    }
    return n;
}

Script scriptOfLanguage(std::string_view language)
{
    static constexpr std::array<std::string_view, 4> kCjk = {"zh", "ja", "ko", "yue"};
    static constexpr std::array<std::string_view, 7> kCyrillic = {"ru", "uk", "bg", "sr", "be", "kk", "mk"};
    const auto in = [&](const auto& list) { return std::find(list.begin(), list.end(), language) != list.end(); };
    if (in(kCjk))
        return Script::Cjk;
    if (in(kCyrillic))
        return Script::Cyrillic;
    if (language == "ar" || language == "fa" || language == "ur")
        return Script::Arabic;
    if (language == "he" || language == "yi")
        return Script::Hebrew;
    if (language == "hi" || language == "mr" || language == "ne")
        return Script::Devanagari;
    if (language == "th")
        return Script::Thai;
    return Script::Latin;
}

}  // namespace distill::text
