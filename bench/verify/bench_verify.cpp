// Grading throughput on one core: pairs/s for numeric, fraction and symbolic mixes, the newer answer
// forms (matrix algebra, labels, alternatives, relations, times), whole responses through each
// extraction rule, and the worst time of a single adversarial pair (huge powers, deep nesting, long input).
#include "core/verify/grader.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <random>
#include <string>
#include <vector>

using namespace distill::verify;
using Clock = std::chrono::steady_clock;

namespace {

// Concatenation by append (GCC 12 warns falsely on chains of operator+ with literals).
std::string join(std::initializer_list<std::string_view> parts)
{
    std::string out;
    for (std::string_view p : parts)
        out.append(p);
    return out;
}

struct Pair {
    std::string pred;
    std::string gold;
};

std::vector<Pair> numericMix(std::mt19937& rng, int n)
{
    std::vector<Pair> out;
    std::uniform_int_distribution<int> value(0, 99999);
    for (int i = 0; i < n; ++i) {
        const int v = value(rng);
        const int w = i % 3 == 0 ? v + 1 : v;  // a third of them wrong
        switch (i % 4) {
        case 0: out.push_back({std::to_string(w), std::to_string(v)}); break;
        case 1: out.push_back({join({"$", std::to_string(w), "$."}), std::to_string(v)}); break;
        case 2: {
            const std::string digits = std::to_string(w);
            const std::size_t head = digits.size() > 3 ? digits.size() - 3 : 0;
            const std::string grouped = head ? join({std::string_view(digits).substr(0, head), ",",
                                                     std::string_view(digits).substr(head)})
                                             : digits;
            out.push_back({grouped, std::to_string(v)});
            break;
        }
        default: out.push_back({join({std::to_string(w), ".0"}), std::to_string(v)}); break;
        }
    }
    return out;
}

std::vector<Pair> fractionMix(std::mt19937& rng, int n)
{
    std::vector<Pair> out;
    std::uniform_int_distribution<int> part(1, 999);
    for (int i = 0; i < n; ++i) {
        const int a = part(rng);
        const int b = part(rng);
        const std::string gold = join({"\\frac{", std::to_string(a), "}{", std::to_string(b), "}"});
        switch (i % 3) {
        case 0: out.push_back({join({std::to_string(2 * a), "/", std::to_string(2 * b)}), gold}); break;
        case 1: out.push_back({join({"\\dfrac{", std::to_string(a + 1), "}{", std::to_string(b), "}"}), gold}); break;
        default: out.push_back({std::to_string(double(a) / b), gold}); break;
        }
    }
    return out;
}

std::vector<Pair> symbolicMix()
{
    return {{"2\\sqrt{2}", "\\sqrt{8}"},
            {"\\frac{\\sqrt{3}}{3}", "\\frac{1}{\\sqrt{3}}"},
            {"x^2-1", "(x-1)(x+1)"},
            {"\\sin^2 x + \\cos^2 x", "1"},
            {"(-\\infty, 2) \\cup (3, \\infty)", "(3,\\infty)\\cup(-\\infty,2)"},
            {"y = 2x+1", "2x + 1 = y"},
            {"\\begin{pmatrix} 1/5 \\\\ -18/5 \\end{pmatrix}", "(0.2, -3.6)"},
            {"1 \\pm \\sqrt{19}", "1-\\sqrt{19}, 1+\\sqrt{19}"},
            {"30^\\circ", "\\frac{\\pi}{6}"},
            {"\\frac{11+9a}{20}", "\\frac{11}{20}+\\frac{9a}{20}"},
            {"x > 2", "(2, \\infty)"},
            {"(a+5)(b+2)", "ab+10"},
            {"\\pi r^2", "r^2\\pi"},
            {"3.1416", "\\pi"},
            {"\\log_2 8", "3"},
            {"-2 + 7i", "-2-7i"}};
}

// Pairs of the grader-coverage families: matrix sums and products, labelled and alternative gold
// answers, relations against intervals, semicolon lists, times, currency and superscripts.
std::vector<Pair> formsMix()
{
    return {{"\\begin{pmatrix} 1 \\\\ 2 \\end{pmatrix} + \\begin{pmatrix} 3 \\\\ 4 \\end{pmatrix}", "\\begin{pmatrix} 4 \\\\ 6 \\end{pmatrix}"},
            {"\\left[\\begin{array}{cc} 1 & 2 \\\\ 3 & 4 \\end{array}\\right]", "\\begin{pmatrix} 1 & 2 \\\\ 3 & 5 \\end{pmatrix}"},
            {"4, 5", "AB=4, CD=5"},
            {"\\frac{\\sqrt6}{6}", "\\frac{NO}{BO}=\\frac{1}{\\sqrt 6}"},
            {"\\frac{7}{32}", "S_{ABC}:S=7:32"},
            {"(7,11)", "(11,7) or (7,11)"},
            {"(0,0,6)", "(0;0;6)"},
            {"x \\geq 5", "x >= 5"},
            {"x \\ne 2", "(-\\infty, 2) \\cup (2, +\\infty)"},
            {"x > 1, x < 3", "1 < x < 3"},
            {"\\{1,3\\} \\cup \\{2,4\\}", "\\{1,2,3,4\\}"},
            {"7:30 PM", "19:30"},
            {"1,000.99\xE2\x82\xAC", "1000.99"},
            {"12 m\xC2\xB2", "12"},
            {"2 \\pm \\sqrt{3}", "2+\\sqrt3, 2-\\sqrt3"},
            {"14{,}916", "14916"}};
}

// Whole responses, one per extraction rule: boxed, answer phrase, GSM8K line, last maths span, last number.
std::vector<Pair> responseMix()
{
    const std::string work = "We first count the cases. There are 3 groups of 4, and each group gives 6 more.\n"
                             "Then the total over all groups is 3 * (4 + 6) = 30, and we add the 12 extra ones.\n";
    return {{join({work, "So the answer is \\boxed{42}."}), "42"},
            {join({work, "Final Answer: The final answer is $42$. I hope it is correct."}), "42"},
            {join({work, "#### 42"}), "42"},
            {join({work, "Altogether we get\n\\[\n  N = 30 + 12 = 42.\n\\]"}), "42"},
            {join({work, "She pays $30 for the groups and $12 more, so she spends $42 in all."}), "42"},
            {join({work, "Therefore $x = 41$."}), "42"}};
}

double pairsPerSecond(const std::vector<Pair>& pairs, int rounds, int& equalCount)
{
    equalCount = 0;
    const auto t0 = Clock::now();
    for (int r = 0; r < rounds; ++r)
        for (const Pair& p : pairs)
            equalCount += grade(p.pred, p.gold).verdict == Verdict::Equal;
    const double s = std::chrono::duration<double>(Clock::now() - t0).count();
    return double(pairs.size()) * rounds / s;
}

}  // namespace

int main()
{
    std::mt19937 rng(7);
    int eq = 0;
    const auto numeric = numericMix(rng, 200000);
    double rate = pairsPerSecond(numeric, 1, eq);
    std::printf("numeric mix   : %10.0f pairs/s (%zu pairs, %d equal)\n", rate, numeric.size(), eq);
    const auto fractions = fractionMix(rng, 100000);
    rate = pairsPerSecond(fractions, 1, eq);
    std::printf("fraction mix  : %10.0f pairs/s (%zu pairs, %d equal)\n", rate, fractions.size(), eq);
    const auto symbolic = symbolicMix();
    const int rounds = 100;
    rate = pairsPerSecond(symbolic, rounds, eq);
    std::printf("symbolic mix  : %10.0f pairs/s (%zu pairs x %d, %d equal)\n", rate, symbolic.size(), rounds, eq);

    const auto forms = formsMix();
    rate = pairsPerSecond(forms, rounds, eq);
    std::printf("answer forms  : %10.0f pairs/s (%zu pairs x %d, %d equal)\n", rate, forms.size(), rounds, eq);
    const auto responses = responseMix();
    rate = pairsPerSecond(responses, 2000, eq);
    std::printf("responses     : %10.0f pairs/s (%zu responses x %d, %d equal)\n", rate, responses.size(), 2000, eq);

    const std::vector<Pair> adversarial = {{"2^{2^{100}}", "5"},
                                           {"10^{10^{10}}", "1"},
                                           {"(x+y+z)^{60}", "(x+y+z)^{59}"},
                                           {"(x+1)^{1000}", "x"},
                                           {join({std::string(300, '('), "1", std::string(300, ')')}), "1"},
                                           {[] {
                                                std::string s;
                                                for (int i = 0; i < 600; ++i)
                                                    s.append(join({"x^{", std::to_string(i), "}+"}));
                                                return join({s, "1"});
                                            }(),
                                            "1"},
                                           {"2000!", "1"},
                                           {"x^{1000000000x}", "1"},  // an exact power of 13,000,000 at x = 13/1000
                                           {"\\begin{vmatrix} (x+y+z)^{50} & (x+y)^{40} & x^{30} & y \\\\ (a+b)^{50} & 1 & 2 & 3 \\\\ "
                                            "(c+d)^{40} & z & w & v \\\\ u & t & s & (r+q+p)^{50} \\end{vmatrix}", "1"},  // a symbolic determinant
                                           {[] {  // a product of symbolic matrices (the largest still compared)
                                                std::string s = "The product is $";
                                                for (int i = 0; i < 7; ++i)
                                                    s.append("\\begin{pmatrix}x+1&y&z\\\\y&x&1\\\\z&1&x+y\\end{pmatrix}");
                                                return join({s, "$."});
                                            }(),
                                            "\\begin{pmatrix}1&0&0\\\\0&1&0\\\\0&0&1\\end{pmatrix}"},
                                           {"\\sqrt{\\sqrt{\\sqrt{\\sqrt{2^{19999}}}}}", "2"},
                                           {[] {  // an inequality of degree 96, read off a sign chart
                                                std::string s;
                                                for (int i = 1; i <= 12; ++i)
                                                    s.append(join({"(x+", std::to_string(i), ")^8"}));
                                                return join({s, " > 0"});
                                            }(),
                                            "(-1, 1)"},
                                           {"(x^2+x+1)^8 (x^2+3x+7)^8 (x^2-17x+2)^8 (x^3+2)^8 < 0", "(-1, 1)"}};
    double worst = 0.0;
    for (const Pair& p : adversarial) {
        const auto t0 = Clock::now();
        const GradeResult r = grade(p.pred, p.gold);
        const double ms = std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
        worst = std::max(worst, ms);
        std::printf("adversarial   : %8.2f ms  %-10s %.40s\n", ms, std::string(verdictName(r.verdict)).c_str(),
                    p.pred.c_str());
    }
    std::printf("worst adversarial pair: %.2f ms\n", worst);
    return 0;
}
