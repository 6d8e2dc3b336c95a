// Language consistency as DeepSeek-R1 defines its reward: the proportion of the chain of thought's
// words that are in the target language. Words come from ICU's word segmentation (dictionary-based
// for Chinese, Japanese and Thai, so a Chinese sentence counts its words, not its characters); maths,
// code and LaTeX are not words, nor are numbers and one-letter names. A word's language is its
// script's where a script has one language here (Han: zh, or ja in a sentence with kana; Hangul:
// ko; Arabic, Hebrew, Devanagari, Thai); Latin and Cyrillic words take the language of their sentence,
// found by the function words it uses (lexicons of 22 languages: en, fr, de, es, it, pt, nl, sv, da,
// no, fi, pl, cs, ro, tr, id, ca, hu, vi, ru, uk, bg), so English, French and German are told apart.
// A sentence without function words takes the text's language of that script.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

namespace distill::text {

struct LanguageWords {
    std::map<std::string, std::size_t> byLanguage;  // ISO 639-1 -> words ("other" for unknown scripts)
    std::size_t total = 0;
};

// The words of `text` by language. `target` (ISO 639-1, region ignored: "en-US" is "en") decides the
// language of Latin or Cyrillic words in a text without any function word, when it uses that script.
LanguageWords languageWords(std::string_view text, std::string_view target);

// Share of the words of `text` in `language`; 1 for a text without words.
double targetLanguageShare(std::string_view text, std::string_view language);

}  // namespace distill::text
