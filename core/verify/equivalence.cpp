#include "core/verify/equivalence.h"

#include "core/util/error.h"
#include "core/verify/answer_extractor.h"
#include "core/verify/answer_fallback.h"
#include "core/verify/fast_number.h"
#include "core/verify/latex_cleaner.h"
#include "core/verify/math_compare.h"
#include "core/verify/text_scan.h"

#include <cln/malloc.h>

#include <algorithm>
#include <cstdlib>
#include <mutex>
#include <new>
#include <optional>

namespace distill::verify {

std::string_view verdictName(Verdict verdict)
{
    switch (verdict) {
    case Verdict::Equal: return "equal";
    case Verdict::NotEqual: return "not_equal";
    case Verdict::Unknown: return "unknown";
    }
    return "unknown";
}

namespace {

using namespace text;

constexpr double kFloatTol = 1e-4;
constexpr long kEvalDigits = 30;

std::string withoutSpaces(std::string_view s)
{
    std::string out;
    for (char c : s)
        if (c != ' ')
            out += c;
    return out;
}

struct Choice {
    char letter = 0;
    std::string value;  // the option's text after the letter, or empty
};

// A multiple-choice letter, with the option's text when it follows: "C", "(C)", "(c)", "(C) 12",
// "C. 12", "C) 12", "C: 12", "Option C", "choice (C)".
std::optional<Choice> choiceOf(std::string_view latex)
{
    std::string_view s = trim(latex);
    auto upper = [](char c) { return char(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c); };
    for (std::string_view word : {"OPTION ", "CHOICE "})
        if (s.size() > word.size() && std::equal(word.begin(), word.end(), s.begin(), [&](char w, char c) { return upper(c) == w; }))
            s = trim(s.substr(word.size()));
    if (s.size() == 1 && s[0] >= 'A' && s[0] <= 'J')
        return Choice{s[0], {}};
    if (s.size() >= 3 && s[0] == '(' && s[2] == ')' && isAlpha(s[1]) && upper(s[1]) <= 'J')
        return Choice{upper(s[1]), std::string(trim(s.substr(3)))};
    if (s.size() >= 2 && s[0] >= 'A' && s[0] <= 'J' && (s[1] == '.' || s[1] == ')' || s[1] == ':')
        && (s.size() == 2 || s[2] == ' '))
        return Choice{s[0], std::string(trim(s.substr(2)))};
    return std::nullopt;
}

// "no solution", "no real roots": words for the empty solution set.
bool saysNoSolution(const CleanedAnswer& c)
{
    const std::string words = normalizeWords(c.latex);
    for (std::string_view phrase : {"no solution", "no solutions", "no real solution", "no real solutions",
                                    "no root", "no roots", "no real root", "no real roots"})
        if (words == phrase || words == "there is " + std::string(phrase) || words == "there are " + std::string(phrase))
            return true;
    return false;
}

bool isEmptySet(const CleanedAnswer& c)
{
    const std::string_view s = trim(c.latex);
    return s == "\\emptyset" || s == "\\varnothing";
}

// The value of an English number written in words, 0 to 99: "five", "twelve", "twenty-five".
std::optional<int> numberInWords(const CleanedAnswer& c)
{
    static constexpr std::string_view kUnits[] = {"zero", "one", "two", "three", "four", "five", "six", "seven",
                                                  "eight", "nine", "ten", "eleven", "twelve", "thirteen", "fourteen",
                                                  "fifteen", "sixteen", "seventeen", "eighteen", "nineteen"};
    static constexpr std::string_view kTens[] = {"twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"};
    auto indexIn = [](const auto& list, std::string_view word) {
        const auto it = std::find(std::begin(list), std::end(list), word);
        return it == std::end(list) ? -1 : int(it - std::begin(list));
    };
    const std::string words = normalizeWords(c.latex);
    const std::size_t space = words.find(' ');
    if (space == std::string::npos) {
        if (const int u = indexIn(kUnits, words); u >= 0)
            return u;
        if (const int t = indexIn(kTens, words); t >= 0)
            return 20 + 10 * t;
        return std::nullopt;
    }
    const int t = indexIn(kTens, std::string_view(words).substr(0, space));
    const int u = indexIn(kUnits, std::string_view(words).substr(space + 1));
    if (t < 0 || u < 1 || u > 9)
        return std::nullopt;
    return 20 + 10 * t + u;
}

// A value written in words, as LaTeX: a number 0 to 99 ("twenty-five"), the real line ("all real
// numbers"), or infinity.
std::optional<std::string> valueInWords(const CleanedAnswer& c)
{
    if (const auto n = numberInWords(c))
        return std::to_string(*n);
    static constexpr std::string_view kRealLine[] = {"all real numbers", "all reals", "all real values", "all real x",
                                                     "any real number", "every real number", "real numbers",
                                                     "the set of all real numbers", "the real numbers"};
    const std::string words = normalizeWords(c.latex);
    if (std::find(std::begin(kRealLine), std::end(kRealLine), words) != std::end(kRealLine))
        return "(-\\infty,\\infty)";
    if (words == "infinity" || words == "positive infinity" || words == "infinite")
        return "\\infty";
    if (words == "negative infinity" || words == "minus infinity")
        return "-\\infty";
    return std::nullopt;
}

// A word answer ("Evelyn", "east", "\text{even}") rather than maths.
bool isWordAnswer(const CleanedAnswer& c)
{
    std::size_t letters = 0;
    for (char ch : c.latex) {
        if (isAlpha(ch))
            ++letters;
        else if (ch != ' ' && ch != '-' && ch != '\'')
            return false;
    }
    return letters >= (c.wholeText ? 2u : 3u);
}

// Balanced brackets and some letter or digit: identical garbage ("_", "\right)") is not an answer.
bool isWellFormed(std::string_view latex)
{
    int braces = 0;
    int brackets = 0;
    bool alnum = false;
    for (std::size_t i = 0; i < latex.size(); ++i) {
        const char c = latex[i];
        if (c == '\\' && i + 1 < latex.size() && !isAlpha(latex[i + 1])) {
            ++i;  // \{ \} \% \, are symbols, not grouping
            continue;
        }
        braces += c == '{' ? 1 : c == '}' ? -1 : 0;
        brackets += (c == '(' || c == '[') ? 1 : (c == ')' || c == ']') ? -1 : 0;
        if (braces < 0 || brackets < 0)
            return false;
        alnum = alnum || isAlpha(c) || isDigit(c);
    }
    return braces == 0 && brackets == 0 && alnum;
}

// A time of day "7:30", "07:30", "7:30 PM", "7:30\text{ a.m.}" as minutes after midnight.
std::optional<int> timeOfDay(std::string_view answer)
{
    std::string t;
    for (std::size_t i = 0; i < answer.size(); ++i) {
        const char c = answer[i];
        if (c == '\\') {  // \text{ am}, \mathrm{pm}, \: and spacing carry no value; other commands do
            std::size_t j = i + 1;
            while (j < answer.size() && isAlpha(answer[j]))
                ++j;
            const std::string_view name = answer.substr(i + 1, j - i - 1);
            const bool spacing = j == i + 1 && j < answer.size() && std::string_view(":,; !").find(answer[j]) != std::string_view::npos;
            if (!spacing && name != "text" && name != "mathrm" && name != "textrm" && name != "mbox")
                return std::nullopt;
            i = spacing ? j : j - 1;
            continue;
        }
        if (c != ' ' && c != '$' && c != '{' && c != '}' && c != '.')
            t += char(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    const std::size_t colon = t.find(':');
    if (colon == std::string::npos || colon == 0 || colon > 2 || t.size() < colon + 3)
        return std::nullopt;
    for (std::size_t i = 0; i < colon + 3; ++i)
        if (i != colon && !isDigit(t[i]))
            return std::nullopt;
    const std::string suffix = t.substr(colon + 3);
    if (!suffix.empty() && suffix != "am" && suffix != "pm")
        return std::nullopt;
    int hours = std::stoi(t.substr(0, colon));
    const int minutes = std::stoi(t.substr(colon + 1, 2));
    if (minutes >= 60 || hours > 24 || (!suffix.empty() && (hours == 0 || hours > 12)))
        return std::nullopt;
    if (suffix == "am" && hours == 12)
        hours = 0;
    else if (suffix == "pm" && hours < 12)
        hours += 12;
    return hours * 60 + minutes;
}

// Prose with no digit in it ("there is no way to decide this"): no value to compare. Word answers
// ("no real solutions") were compared before this.
bool isSentence(std::string_view answer)
{
    return looksLikeProse(answer) && std::none_of(answer.begin(), answer.end(), [](char c) { return isDigit(c); });
}

// The hour of a time written on the hour ("2:00 pm" -> "2"); nullopt for "7:30" (which may be a ratio).
std::optional<std::string> wholeHour(std::string_view answer)
{
    answer = trim(answer);
    const std::size_t colon = answer.find(':');
    if (colon == std::string_view::npos || answer.compare(colon, 3, ":00") != 0)
        return std::nullopt;
    return std::string(answer.substr(0, colon));
}

// CLN, GiNaC's number library, allocates every number through cln::malloc_hook. Evaluating an answer
// at its rational sample points can build an exact number of billions of bits from a short text
// (x^{1000000000x} at x = 13/1000): minutes of CPU and tens of GB, all the while holding the lock
// below. A number larger than this is refused instead: CLN's allocation throws std::bad_alloc, and the
// comparison is Unknown. guardedPower keeps a parsed power under 20,000 bits; this is 100 times that.
constexpr std::size_t kMaxNumberBytes = std::size_t(1) << 18;

void* boundedNumberMalloc(std::size_t size)
{
    void* p = size <= kMaxNumberBytes ? std::malloc(size) : nullptr;
    if (!p)
        throw std::bad_alloc();
    return p;
}

// GiNaC's reference counts are not thread-safe, so every use holds this lock; the first also bounds
// the size of CLN's numbers for the process (its free_hook stays free()).
std::mutex& ginacMutex()
{
    struct Ginac {
        std::mutex mutex;
        Ginac() { cln::malloc_hook = boundedNumberMalloc; }
    };
    static Ginac ginac;
    return ginac.mutex;
}

Equivalence compareSymbolic(const CleanedAnswer& pred, const CleanedAnswer& gold)
{
    std::lock_guard<std::mutex> lock(ginacMutex());
    GiNaC::Digits = kEvalDigits;  // headroom for cancellation before the 1e-10 exact-form tolerance
    ParseContext ctx;
    MathAnswer p;
    MathAnswer g;
    try {
        p = parseMathAnswer(pred.latex, ctx);
    } catch (const std::exception& e) {
        return {Verdict::Unknown, std::string("cannot parse prediction: ") + e.what()};
    }
    try {
        g = parseMathAnswer(gold.latex, ctx);
    } catch (const std::exception& e) {
        return {Verdict::Unknown, std::string("cannot parse gold answer: ") + e.what()};
    }
    p.alternatives = p.kind == MathAnswer::Kind::Set && p.bareList && pred.alternatives;
    g.alternatives = g.kind == MathAnswer::Kind::Set && g.bareList && gold.alternatives;
    try {
        return compareMath(p, g, ctx);
    } catch (const std::exception& e) {
        return {Verdict::Unknown, std::string("comparison failed: ") + e.what()};
    }
}

}  // namespace

bool parsesAsMath(std::string_view answer)
{
    try {
        const CleanedAnswer c = cleanLatex(answer);
        if (c.latex.empty() || choiceOf(c.latex) || isWordAnswer(c))
            return false;
        std::lock_guard<std::mutex> lock(ginacMutex());
        ParseContext ctx;
        parseMathAnswer(c.latex, ctx);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

namespace {

// pred and gold as written, and cleaned (p, g).
Equivalence compareCleaned(std::string_view pred, std::string_view gold, const CleanedAnswer& p,
                           const CleanedAnswer& g)
{
    if (g.latex.empty())
        return {Verdict::Unknown, "empty gold answer"};
    if (p.latex.empty())
        return {Verdict::Unknown, "empty answer"};
    if (withoutSpaces(p.latex) == withoutSpaces(g.latex) && isWellFormed(p.latex))
        return {Verdict::Equal, "identical after normalisation"};
    const auto tp = timeOfDay(pred);
    const auto tg = timeOfDay(gold);
    if (tp && tg)
        return *tp == *tg ? Equivalence{Verdict::Equal, "same time of day"}
                          : Equivalence{Verdict::NotEqual, "different times of day"};
    if (const auto hour = tp ? wholeHour(pred) : tg ? wholeHour(gold) : std::nullopt)
        return compareAnswers(*hour, tp ? gold : pred);  // "2:00 pm" against "2": the hour as written
    const auto cp = choiceOf(p.latex);
    const auto cg = choiceOf(g.latex);
    if (cp || cg) {
        if (cp && cg)
            return cp->letter == cg->letter ? Equivalence{Verdict::Equal, "same choice letter"}
                                            : Equivalence{Verdict::NotEqual, "different choice letters"};
        // One side names an option with its text ("(C) \frac32"): the other side may give that value.
        const Choice& choice = cp ? *cp : *cg;
        if (!choice.value.empty()) {
            const Equivalence e = cp ? compareAnswers(choice.value, gold) : compareAnswers(pred, choice.value);
            if (e.verdict == Verdict::Equal)
                return {Verdict::Equal, std::string("the value of option ") + choice.letter + ": " + e.reason};
        }
        return {Verdict::NotEqual, "a choice letter vs a value"};
    }
    if ((isEmptySet(g) && saysNoSolution(p)) || (isEmptySet(p) && saysNoSolution(g)))
        return {Verdict::Equal, "no solution: the empty set"};
    const bool wp = isWordAnswer(p);
    const bool wg = isWordAnswer(g);
    if (wp || wg) {
        if (normalizeWords(p.latex) == normalizeWords(g.latex))
            return {Verdict::Equal, "same words"};
        const auto vp = wp ? valueInWords(p) : std::nullopt;
        const auto vg = wg ? valueInWords(g) : std::nullopt;
        if (vp || vg) {  // "five" against "5", "all real numbers" against \mathbb{R}
            const Equivalence e = compareAnswers(vp ? *vp : pred, vg ? *vg : gold);
            return {e.verdict, e.reason + " (a value in words)"};
        }
        if (wp && wg)
            return {Verdict::NotEqual, "different words"};
    }
    if (isSentence(pred) || isSentence(gold))
        return {Verdict::Unknown, "a sentence without a value, not an answer"};
    if (const auto sp = parseFastNumber(p.latex)) {
        if (const auto sg = parseFastNumber(g.latex))
            return fastNumbersEqual(*sp, *sg, kFloatTol) ? Equivalence{Verdict::Equal, "same number"}
                                                          : Equivalence{Verdict::NotEqual, "different numbers"};
    }
    return compareSymbolic(p, g);
}

}  // namespace

Equivalence compareAnswers(std::string_view pred, std::string_view gold)
{
    const auto fp = parseFastNumber(pred);
    const auto fg = fp ? parseFastNumber(gold) : std::nullopt;
    if (fp && fg)
        return fastNumbersEqual(*fp, *fg, kFloatTol) ? Equivalence{Verdict::Equal, "same number"}
                                                      : Equivalence{Verdict::NotEqual, "different numbers"};
    try {
        const CleanedAnswer p = cleanLatex(pred);
        const CleanedAnswer g = cleanLatex(gold);
        Equivalence result = compareCleaned(pred, gold, p, g);
        // An answer written as a decimal is itself rounded: the other side's own decimal for its exact
        // value ("\frac16 \approx 0.1667" against "0.1667") may match it where the exact value does not.
        if (result.verdict == Verdict::NotEqual) {
            const bool restatePred = p.droppedApproximation && g.latex.find('.') != std::string::npos;
            const bool restateGold = g.droppedApproximation && p.latex.find('.') != std::string::npos;
            if (restatePred || restateGold) {
                const Equivalence restated = compareCleaned(pred, gold, restatePred ? cleanLatex(pred, false) : p,
                                                            restateGold ? cleanLatex(gold, false) : g);
                if (restated.verdict == Verdict::Equal)
                    return {Verdict::Equal, restated.reason + " (as the decimal it was restated as)"};
            }
        }
        return result;
    } catch (const std::exception& e) {
        return {Verdict::Unknown, std::string("comparison failed: ") + e.what()};
    }
}

}  // namespace distill::verify
