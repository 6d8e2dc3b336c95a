#include "core/text/language_share.h"

#include "core/text/non_prose.h"
#include "core/text/unicode_script.h"
#include "core/util/error.h"

#include <unicode/ubrk.h>
#include <unicode/ucasemap.h>
#include <unicode/utext.h>

#include <array>
#include <cctype>
#include <cstdint>
#include <memory>
#include <optional>
#include <unordered_map>
#include <vector>

namespace distill::text {
namespace {

// {language, its function words one per line}: core/text/lexicons/*.txt, embedded at build time.
struct LexiconText {
    const char* language;
    const char* words;
};
constexpr LexiconText kLexicons[] = {
#include "language_lexicons.inc"
};
constexpr std::size_t kLexiconCount = std::size(kLexicons);
static_assert(kLexiconCount <= 32, "a word's languages are a 32-bit mask");

// word (lower case) -> mask of the lexicons holding it
const std::unordered_map<std::string, std::uint32_t>& lexicon()
{
    static const auto table = [] {
        std::unordered_map<std::string, std::uint32_t> words;
        for (std::size_t i = 0; i < kLexiconCount; ++i) {
            const std::string_view all = kLexicons[i].words;
            for (std::size_t at = 0; at < all.size();) {
                auto end = all.find('\n', at);
                if (end == std::string_view::npos)
                    end = all.size();
                if (end > at)
                    words[std::string(all.substr(at, end - at))] |= 1u << i;
                at = end + 1;
            }
        }
        return words;
    }();
    return table;
}

std::optional<std::size_t> lexiconIndex(std::string_view language)
{
    for (std::size_t i = 0; i < kLexiconCount; ++i)
        if (language == kLexicons[i].language)
            return i;
    return std::nullopt;
}

std::string normalisedLanguage(std::string_view language)
{
    std::string out(language.substr(0, language.find_first_of("-_")));
    for (char& c : out)
        c = char(std::tolower(static_cast<unsigned char>(c)));
    if (out == "yue")
        return "zh";
    if (out == "nb" || out == "nn")
        return "no";
    return out;
}

bool isKana(char32_t cp)
{
    return (cp >= 0x3040 && cp <= 0x30FF) || (cp >= 0x31F0 && cp <= 0x31FF) || (cp >= 0xFF66 && cp <= 0xFF9D);
}

bool isHangul(char32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x11FF) || (cp >= 0x3130 && cp <= 0x318F) || (cp >= 0xAC00 && cp <= 0xD7AF);
}

bool endsSentence(char32_t cp)
{
    switch (cp) {
    case '.': case '!': case '?': case '\n':
    case 0x3002: case 0xFF01: case 0xFF1F:  // 。！？
        return true;
    default:
        return false;
    }
}

// The text with its non-prose regions (maths, code, LaTeX) blanked out, byte offsets kept.
std::string proseOnly(std::string_view text)
{
    std::string out(text);
    NonProseScanner scanner(text);
    for (std::size_t pos = 0; pos < text.size();) {
        const std::size_t skip = scanner.skip(pos);
        if (skip == pos) {
            ++pos;
            continue;
        }
        for (std::size_t i = pos; i < skip; ++i)
            if (out[i] != '\n')
                out[i] = ' ';
        pos = skip;
    }
    return out;
}

enum class WordScript { Lexical0, Lexical1, Han, Other };  // Latin, Cyrillic: lexicons tell languages apart

struct Word {
    std::size_t sentence = 0;
    WordScript script = WordScript::Other;
    std::uint32_t languages = 0;  // lexicons holding it (Latin, Cyrillic)
    std::string fixed;            // the language its script gives (others)
};

struct IcuCloser {
    void operator()(UBreakIterator* it) const { ubrk_close(it); }
    void operator()(UText* t) const { utext_close(t); }
    void operator()(UCaseMap* m) const { ucasemap_close(m); }
};

std::string lowerCase(UCaseMap* map, std::string_view word)
{
    std::string out(word.size() * 3 + 4, '\0');
    UErrorCode status = U_ZERO_ERROR;
    const int32_t n = ucasemap_utf8ToLower(map, out.data(), int32_t(out.size()), word.data(), int32_t(word.size()), &status);
    if (U_FAILURE(status))
        return std::string(word);
    out.resize(std::size_t(n));
    return out;
}

// Lexicons holding the word, or one of its parts around an apostrophe (l'équation, qu'il, it's).
std::uint32_t lexiconsOf(const std::string& lower)
{
    const auto& table = lexicon();
    const auto find = [&](const std::string& w) -> std::uint32_t {
        const auto it = table.find(w);
        return it == table.end() ? 0u : it->second;
    };
    std::uint32_t mask = find(lower);
    if (mask != 0)
        return mask;
    std::size_t at = 0;
    while (at < lower.size()) {
        std::size_t end = lower.find('\'', at);
        const std::size_t curly = lower.find("\xE2\x80\x99", at);  // ’
        std::size_t width = 1;
        if (curly < end) {
            end = curly;
            width = 3;
        }
        if (end == std::string::npos)
            end = lower.size();
        if (end > at)
            mask |= find(lower.substr(at, end - at));
        at = end + width;
    }
    return mask;
}

std::vector<Word> segment(std::string_view original)
{
    const std::string text = proseOnly(original);
    UErrorCode status = U_ZERO_ERROR;
    std::unique_ptr<UText, IcuCloser> utext(utext_openUTF8(nullptr, text.data(), int64_t(text.size()), &status));
    std::unique_ptr<UBreakIterator, IcuCloser> words(ubrk_open(UBRK_WORD, "", nullptr, 0, &status));
    std::unique_ptr<UCaseMap, IcuCloser> caseMap(ucasemap_open("", 0, &status));
    if (U_SUCCESS(status))
        ubrk_setUText(words.get(), utext.get(), &status);
    if (U_FAILURE(status))
        throw Error(ErrorCode::Internal, std::string("ICU word segmentation: ") + u_errorName(status));

    std::vector<Word> out;
    std::size_t sentence = 0;
    std::size_t previousEnd = 0;
    for (int32_t start = ubrk_first(words.get()), end = ubrk_next(words.get()); end != UBRK_DONE;
         start = end, end = ubrk_next(words.get())) {
        if (ubrk_getRuleStatus(words.get()) < UBRK_WORD_LETTER)
            continue;  // spaces, punctuation, numbers
        for (std::size_t pos = previousEnd; pos < std::size_t(start);)
            if (endsSentence(nextCodepoint(text, pos)))
                ++sentence;
        previousEnd = std::size_t(end);
        const std::string_view w(text.data() + start, std::size_t(end - start));
        Word word;
        word.sentence = sentence;
        std::size_t letters = 0;
        bool digit = false, kana = false, hangul = false;
        Script first = Script::Symbol;
        for (std::size_t pos = 0; pos < w.size();) {
            const char32_t cp = nextCodepoint(w, pos);
            const Script s = scriptOf(cp);
            digit = digit || s == Script::Digit;
            kana = kana || isKana(cp);
            hangul = hangul || isHangul(cp);
            if (s != Script::Symbol && s != Script::Digit && s != Script::Space) {
                if (letters++ == 0)
                    first = s;
            }
        }
        if (digit || letters == 0)
            continue;
        switch (first) {
        case Script::Latin:
        case Script::Cyrillic:
            if (letters < 2)
                continue;  // x, n: a variable's name
            word.script = first == Script::Latin ? WordScript::Lexical0 : WordScript::Lexical1;
            word.languages = lexiconsOf(lowerCase(caseMap.get(), w));
            break;
        case Script::Cjk:
            word.script = hangul ? WordScript::Other : WordScript::Han;
            word.fixed = hangul ? "ko" : kana ? "ja" : "zh";
            break;
        case Script::Arabic: word.fixed = "ar"; break;
        case Script::Hebrew: word.fixed = "he"; break;
        case Script::Devanagari: word.fixed = "hi"; break;
        case Script::Thai: word.fixed = "th"; break;
        default: word.fixed = "other";
        }
        out.push_back(std::move(word));
    }
    return out;
}

// The language with the most votes (ties: the target, else the first lexicon); nullopt without votes.
std::optional<std::size_t> winner(const std::array<double, kLexiconCount>& votes, std::optional<std::size_t> target)
{
    std::optional<std::size_t> best;
    for (std::size_t i = 0; i < kLexiconCount; ++i) {
        if (votes[i] <= 0.0)
            continue;
        if (!best || votes[i] > votes[*best] || (votes[i] == votes[*best] && target == i))
            best = i;
    }
    return best;
}

}  // namespace

LanguageWords languageWords(std::string_view text, std::string_view targetLanguage)
{
    const std::string target = normalisedLanguage(targetLanguage);
    const std::optional<std::size_t> targetLexicon = lexiconIndex(target);
    const Script targetScript = scriptOfLanguage(target);
    std::vector<Word> words = segment(text);
    LanguageWords out;
    if (words.empty())
        return out;

    // Japanese: Han words of a sentence that also has kana.
    for (std::size_t i = 0; i < words.size();) {
        std::size_t j = i;
        bool kana = false;
        for (; j < words.size() && words[j].sentence == words[i].sentence; ++j)
            kana = kana || words[j].fixed == "ja";
        for (std::size_t k = i; k < j; ++k)
            if (kana && words[k].script == WordScript::Han)
                words[k].fixed = "ja";
        i = j;
    }

    // Latin and Cyrillic: each sentence's votes per script, a word giving one to every lexicon holding
    // it (the language whose function words a sentence uses most is the sentence's).
    using Votes = std::array<double, kLexiconCount>;
    const std::size_t sentences = words.back().sentence + 1;
    std::array<std::vector<Votes>, 2> bySentence{std::vector<Votes>(sentences, Votes{}), std::vector<Votes>(sentences, Votes{})};
    std::array<Votes, 2> whole{};
    for (const Word& w : words) {
        if (w.script != WordScript::Lexical0 && w.script != WordScript::Lexical1)
            continue;
        const int s = w.script == WordScript::Lexical0 ? 0 : 1;
        for (std::size_t i = 0; i < kLexiconCount; ++i)
            if (w.languages & (1u << i)) {
                bySentence[s][w.sentence][i] += 1.0;
                whole[s][i] += 1.0;
            }
    }
    // A sentence's language: its own votes, then the text's votes of that script scaled to half a word,
    // so that a short sentence with few function words leans to the language around it.
    std::array<std::string, 2> fallback;
    std::array<Votes, 2> prior{};
    for (int s = 0; s < 2; ++s) {
        const Script script = s == 0 ? Script::Latin : Script::Cyrillic;
        double sum = 0.0;
        for (const double v : whole[s])
            sum += v;
        for (std::size_t i = 0; i < kLexiconCount; ++i)
            prior[s][i] = sum > 0.0 ? whole[s][i] / sum : 0.0;
        if (const auto best = winner(whole[s], targetLexicon))
            fallback[s] = kLexicons[*best].language;
        else
            fallback[s] = targetScript == script ? target : s == 0 ? "en" : "ru";
    }
    // Then the sentences around it (the one before and the one after), scaled to one word: a sentence
    // whose function words are shared by two languages takes the language it is written among.
    const auto context = [&](int s, std::size_t sentence) {
        Votes around{};
        double sum = 0.0;
        for (const std::size_t k : {sentence - 1, sentence + 1})
            if (k < sentences)  // sentence - 1 wraps past 0
                for (std::size_t i = 0; i < kLexiconCount; ++i) {
                    around[i] += bySentence[s][k][i];
                    sum += bySentence[s][k][i];
                }
        for (double& v : around)
            v = sum > 0.0 ? v / sum : 0.0;
        return around;
    };
    for (const Word& w : words) {
        std::string language = w.fixed;
        if (w.script == WordScript::Lexical0 || w.script == WordScript::Lexical1) {
            const int s = w.script == WordScript::Lexical0 ? 0 : 1;
            Votes votes = bySentence[s][w.sentence];
            const Votes around = context(s, w.sentence);
            for (std::size_t i = 0; i < kLexiconCount; ++i)
                votes[i] += around[i] + 0.5 * prior[s][i];
            const auto best = winner(votes, targetLexicon);
            language = best ? kLexicons[*best].language : fallback[s];
        }
        ++out.byLanguage[language];
        ++out.total;
    }
    return out;
}

double targetLanguageShare(std::string_view text, std::string_view language)
{
    const LanguageWords words = languageWords(text, language);
    if (words.total == 0)
        return 1.0;
    const auto it = words.byLanguage.find(normalisedLanguage(language));
    return it == words.byLanguage.end() ? 0.0 : double(it->second) / double(words.total);
}

}  // namespace distill::text
