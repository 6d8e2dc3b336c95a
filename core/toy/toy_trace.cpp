#include "core/toy/toy_trace.h"

#include "core/util/split_mix64.h"
#include "core/util/error.h"

#include <xxhash.h>

#include <optional>
#include <vector>

namespace distill::toy {

std::string_view toyVerbosityName(ToyVerbosity verbosity)
{
    switch (verbosity) {
    case ToyVerbosity::Terse:
        return "terse";
    case ToyVerbosity::Digits:
        return "digits";
    case ToyVerbosity::Worked:
        return "worked";
    }
    return "digits";
}

ToyVerbosity parseToyVerbosity(std::string_view text)
{
    for (const ToyVerbosity v : {ToyVerbosity::Terse, ToyVerbosity::Digits, ToyVerbosity::Worked})
        if (text == toyVerbosityName(v))
            return v;
    throw Error(ErrorCode::InvalidArgument, "unknown toy verbosity '" + std::string(text) + "'",
                "use terse, digits or worked");
}

std::string ToyTrace::text() const
{
    return "<think>\n" + thinking + "\n</think>\n" + answer;
}

namespace {

// One column of a digit-wise addition or subtraction, as written: "3+4+1=8", "15-9=6".
struct Column {
    std::string lhs;  // "3+4+1", "15-9"
    int value = 0;    // written right-hand side (the full column sum for additions)
    int digit = 0;    // the result digit this column contributes
};

struct Step {
    long long a = 0;
    char op = '+';
    long long b = 0;
    std::vector<Column> columns;  // least significant first
    bool leadingCarry = false;    // an addition whose last column carried: the result starts with 1
    long long result = 0;         // as written, from the written digits
};

int digitAt(long long n, std::size_t i)
{
    for (; i > 0; --i)
        n /= 10;
    return int(n % 10);
}

std::size_t digitCount(long long n)
{
    std::size_t d = 1;
    while (n >= 10) {
        n /= 10;
        ++d;
    }
    return d;
}

// Columns of a op b (a >= b for '-'). `tweak` shifts the written digit of one column by `delta`
// (+1 or -1); the caller picks a column where that stays a single digit and keeps the carries.
Step computeStep(long long a, char op, long long b, std::optional<std::pair<std::size_t, int>> tweak = {})
{
    Step s{a, op, b, {}, false, 0};
    const std::size_t n = std::max(digitCount(a), digitCount(b));
    int carry = 0;
    for (std::size_t i = 0; i < n; ++i) {
        const int x = digitAt(a, i);
        const int y = digitAt(b, i);
        Column c;
        if (op == '+') {
            c.lhs = std::to_string(x);
            c.lhs += '+';
            c.lhs += std::to_string(y);
            if (carry)
                c.lhs += "+1";
            c.value = x + y + carry;
            c.digit = c.value % 10;
            carry = c.value / 10;
        } else {
            const bool borrow = x - carry < y;
            if (borrow)
                c.lhs = "1";
            c.lhs += std::to_string(x);
            c.lhs += '-';
            c.lhs += std::to_string(y);
            if (carry)
                c.lhs += "-1";
            c.value = (borrow ? 10 : 0) + x - y - carry;
            c.digit = c.value;
            carry = borrow ? 1 : 0;
        }
        if (tweak && tweak->first == i) {
            c.value += tweak->second;
            c.digit += tweak->second;
        }
        s.columns.push_back(std::move(c));
    }
    s.leadingCarry = op == '+' && carry == 1;
    long long place = 1;
    for (const Column& c : s.columns) {
        s.result += c.digit * place;
        place *= 10;
    }
    if (s.leadingCarry)
        s.result += place;
    return s;
}

std::string stepLine(const Step& s, ToyVerbosity verbosity)
{
    const std::string head = std::to_string(s.a) + s.op + std::to_string(s.b);
    if (verbosity == ToyVerbosity::Terse)
        return head + "=" + std::to_string(s.result);
    std::string line = head + ":";
    for (std::size_t i = 0; i < s.columns.size(); ++i)
        line += (i ? ", " : " ") + s.columns[i].lhs + "=" + std::to_string(s.columns[i].value);
    return line + ", so " + std::to_string(s.result) + ".";
}

// "Now 85 - 19 + 55.": the running total after step `s` and the operations still to do.
std::string remainingLine(const ToyExpression& e, const std::vector<Step>& steps, std::size_t s)
{
    std::string line = "Now " + std::to_string(steps[s].result);
    for (std::size_t i = s + 1; i < e.ops.size(); ++i)
        line += std::string(" ") + e.ops[i] + " " + std::to_string(e.operands[i + 1]);
    return line + ".";
}

std::string selfCheckLine(const Step& s)
{
    const char inverse = s.op == '+' ? '-' : '+';
    return "Wait, let me verify: " + std::to_string(s.result) + inverse + std::to_string(s.b) + "="
           + std::to_string(s.a) + ". Yes.";
}

std::vector<Step> computeSteps(const ToyExpression& e, std::size_t fromStep, long long start,
                               std::vector<Step> steps)
{
    long long total = start;
    for (std::size_t i = fromStep; i < e.ops.size(); ++i) {
        steps.push_back(computeStep(total, e.ops[i], e.operands[i + 1]));
        total = steps.back().result;
    }
    return steps;
}

}  // namespace

ToyTrace writeToyTrace(const ToyExpression& expression, const ToyTraceOptions& options,
                       std::uint64_t sampleIndex)
{
    if (expression.operands.size() < 2 || expression.ops.size() + 1 != expression.operands.size())
        throw Error(ErrorCode::InvalidArgument, "a toy expression needs two or more operands joined by ops");
    const std::string text = expression.text();
    util::SplitMix64 rng(XXH3_64bits_withSeed(text.data(), text.size(), options.seed) ^ (sampleIndex * 0x9E3779B97F4A7C15ULL));
    // Drawn only when asked for, so that traces without terse ones stay what they were.
    const ToyVerbosity verbosity
        = options.terseRate > 0.0 && rng.unit() < options.terseRate ? ToyVerbosity::Terse : options.verbosity;

    std::vector<Step> steps = computeSteps(expression, 0, expression.operands.front(), {});
    std::optional<std::size_t> wrongStep;
    if (rng.unit() < options.errorRate) {
        // Columns whose digit can go one up without changing a carry: +10^column on that step.
        std::vector<std::pair<std::size_t, std::size_t>> candidates;
        for (std::size_t s = 0; s < steps.size(); ++s)
            for (std::size_t c = 0; c < steps[s].columns.size(); ++c)
                if (steps[s].columns[c].digit <= 8)
                    candidates.emplace_back(s, c);
        std::pair<std::size_t, std::size_t> at{steps.size() - 1, 0};
        int delta = -1;  // every digit is 9: the last step's units digit goes one down instead
        if (!candidates.empty()) {
            at = candidates[rng.next() % candidates.size()];
            delta = 1;
        }
        const Step& right = steps[at.first];
        Step wrong = computeStep(right.a, right.op, right.b, std::make_pair(at.second, delta));
        std::vector<Step> prefix(steps.begin(), steps.begin() + std::ptrdiff_t(at.first));
        prefix.push_back(wrong);
        steps = computeSteps(expression, at.first + 1, wrong.result, std::move(prefix));
        wrongStep = at.first;
    }

    ToyTrace trace;
    for (std::size_t s = 0; s < steps.size(); ++s) {
        if (s)
            trace.thinking += '\n';
        trace.thinking += stepLine(steps[s], verbosity);
        const bool check = rng.unit() < options.selfCheckRate;
        if (check && wrongStep != s)
            trace.thinking += '\n' + selfCheckLine(steps[s]);
        if (verbosity == ToyVerbosity::Worked && s + 1 < steps.size())
            trace.thinking += '\n' + remainingLine(expression, steps, s);
    }
    trace.finalValue = steps.back().result;
    trace.answer = "\\boxed{" + std::to_string(trace.finalValue) + "}";
    trace.injectedError = wrongStep.has_value();
    return trace;
}

}  // namespace distill::toy
