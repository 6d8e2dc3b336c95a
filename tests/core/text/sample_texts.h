// Realistic teacher responses for the text tests: R1-style "<think>…</think> answer" in English
// and Chinese, with inline LaTeX as math CoTs have it.
#pragma once

#include <string>

namespace distill::text::testdata {

// An English CoT on a small number-theory problem, about 1,300 characters of thinking.
inline std::string englishThinking()
{
    return "Okay, so I need to find how many positive divisors $196$ has. Let me start by factoring it.\n\n"
           "First, $196$ is even, so I can divide by $2$: $196 = 2 \\cdot 98$. Then $98 = 2 \\cdot 49$, and "
           "$49 = 7^2$. So the prime factorization is $196 = 2^2 \\cdot 7^2$.\n\n"
           "Now, the number of divisors of $n = p_1^{a_1} p_2^{a_2}$ is $(a_1 + 1)(a_2 + 1)$. Here both "
           "exponents are $2$, so the count should be $(2+1)(2+1) = 9$.\n\n"
           "Wait, let me double-check by listing them. The divisors are $1, 2, 4, 7, 14, 28, 49, 98, 196$. "
           "Counting them one by one gives nine numbers, which matches the formula. I should also make sure "
           "I did not miss a divisor such as $3$ or $5$: neither divides $196$ because the digit sum is $16$ "
           "and the last digit is not $0$ or $5$.\n\n"
           "Another way to see it: divisors come in pairs $(d, 196/d)$, and since $196 = 14^2$ is a perfect "
           "square, the middle pair collapses to $14$, which is why the count is odd. That is consistent "
           "with getting $9$.\n\n"
           "So I am confident the answer is $9$.";
}

inline std::string englishResponse()
{
    return "<think>\n" + englishThinking() + "\n</think>\n\n"
           "The prime factorization is $196 = 2^2 \\cdot 7^2$, so it has $(2+1)(2+1) = \\boxed{9}$ positive divisors.";
}

// A Chinese CoT with heavy LaTeX (commands, environments, display math) on the same problem.
inline std::string chineseLatexResponse()
{
    return "<think>\n"
           "好的，我需要求出 $196$ 的正因数个数。首先对它进行质因数分解。\n\n"
           "因为 $196$ 是偶数，所以 $196 = 2 \\times 98$，而 $98 = 2 \\times 49 = 2 \\times 7^{2}$。"
           "因此 \\[ 196 = 2^{2} \\cdot 7^{2}. \\]\n\n"
           "根据因数个数公式，若 $n = \\prod_{i} p_i^{a_i}$，则因数个数为 $\\prod_{i} (a_i + 1)$。"
           "这里 \\(a_1 = a_2 = 2\\)，所以因数个数是\n"
           "\\begin{align*}\n(2+1)(2+1) &= 3 \\cdot 3 \\\\\n&= 9.\n\\end{align*}\n\n"
           "再验证一下：因数有 $1, 2, 4, 7, 14, 28, 49, 98, 196$，一共九个，和公式一致。"
           "另外 $\\sqrt{196} = 14$，所以 $196$ 是完全平方数，因数个数为奇数，这也符合 $\\frac{18}{2} = 9$ 的结论。\n"
           "</think>\n\n"
           "质因数分解为 $196 = 2^2 \\cdot 7^2$，所以正因数个数为 $\\boxed{9}$。";
}

}  // namespace distill::text::testdata
