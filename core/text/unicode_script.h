// UTF-8 decoding and a coarse Unicode script classification (Latin, CJK, Cyrillic, ...), used by the
// language-mixing filter and by word splitting. Invalid UTF-8 never throws: it decodes as U+FFFD.
#pragma once

#include <cstddef>
#include <string_view>

namespace distill::text {

// Scripts the language filter tells apart. Greek counts as Symbol: in math text it is notation.
enum class Script {
    Latin,
    Cjk,       // Han ideographs, Hiragana, Katakana, Hangul, Bopomofo
    Cyrillic,
    Arabic,
    Hebrew,
    Devanagari,
    Thai,
    OtherLetter,  // a letter of a script not listed above
    Digit,
    Space,
    Symbol,    // punctuation, math operators, arrows, emoji, Greek, controls, U+FFFD
};

// Decodes the code point starting at text[pos] and advances pos past it (by at least one byte).
// Malformed, overlong or surrogate sequences give U+FFFD and advance by one byte.
char32_t nextCodepoint(std::string_view text, std::size_t& pos);

Script scriptOf(char32_t cp);

// True for code points written without spaces between words (each one is a word of its own).
bool isCjk(char32_t cp);

// The script a language (ISO 639-1) is written in: zh, ja, ko, yue: Cjk; ru, uk, bg, ...: Cyrillic;
// ar, fa, ur: Arabic; he, yi: Hebrew; hi, mr, ne: Devanagari; th: Thai; any other: Latin.
Script scriptOfLanguage(std::string_view language);

// Number of code points in text (malformed bytes count one each).
std::size_t codepointCount(std::string_view text);

}  // namespace distill::text
