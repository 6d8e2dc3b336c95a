#include "core/verify/equivalence.h"

#include "core/util/error.h"
#include "core/verify/answer_extractor.h"
#include "core/verify/fast_number.h"
#include "core/verify/latex_cleaner.h"
#include "core/verify/math_compare.h"
#include "core/verify/text_scan.h"

#include <mutex>
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

// A multiple-choice letter: "C", "(C)", "(c)", "(C) 12" (option text after the letter).
std::optional<char> choiceLetter(std::string_view latex)
{
    const std::string s = withoutSpaces(latex);
    if (s.size() == 1 && s[0] >= 'A' && s[0] <= 'J')
        return s[0];
    if (s.size() >= 3 && s[0] == '(' && s[2] == ')' && isAlpha(s[1])) {
        const char up = char(s[1] >= 'a' ? s[1] - 'a' + 'A' : s[1]);
        if (up <= 'J' && (s.size() == 3 || latex.find(')') + 1 < latex.size()))
            return up;
    }
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

std::mutex& ginacMutex()
{
    static std::mutex m;
    return m;
}

Equivalence compareSymbolic(const CleanedAnswer& pred, const CleanedAnswer& gold)
{
    std::lock_guard<std::mutex> lock(ginacMutex());  // GiNaC's reference counts are not thread-safe
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
        if (c.latex.empty() || choiceLetter(c.latex) || isWordAnswer(c))
            return false;
        std::lock_guard<std::mutex> lock(ginacMutex());
        ParseContext ctx;
        parseMathAnswer(c.latex, ctx);
        return true;
    } catch (const std::exception&) {
        return false;
    }
}

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
        if (g.latex.empty())
            return {Verdict::Unknown, "empty gold answer"};
        if (p.latex.empty())
            return {Verdict::Unknown, "empty answer"};
        if (withoutSpaces(p.latex) == withoutSpaces(g.latex) && isWellFormed(p.latex))
            return {Verdict::Equal, "identical after normalisation"};
        const auto cp = choiceLetter(p.latex);
        const auto cg = choiceLetter(g.latex);
        if (cp || cg) {
            if (cp && cg)
                return *cp == *cg ? Equivalence{Verdict::Equal, "same choice letter"}
                                  : Equivalence{Verdict::NotEqual, "different choice letters"};
            return {Verdict::NotEqual, "a choice letter vs a value"};
        }
        const bool wp = isWordAnswer(p);
        const bool wg = isWordAnswer(g);
        if (wp || wg) {
            if (normalizeWords(p.latex) == normalizeWords(g.latex))
                return {Verdict::Equal, "same words"};
            if (wp && wg)
                return {Verdict::NotEqual, "different words"};
        }
        if (const auto sp = parseFastNumber(p.latex)) {
            if (const auto sg = parseFastNumber(g.latex))
                return fastNumbersEqual(*sp, *sg, kFloatTol) ? Equivalence{Verdict::Equal, "same number"}
                                                              : Equivalence{Verdict::NotEqual, "different numbers"};
        }
        return compareSymbolic(p, g);
    } catch (const std::exception& e) {
        return {Verdict::Unknown, std::string("comparison failed: ") + e.what()};
    }
}

}  // namespace distill::verify
