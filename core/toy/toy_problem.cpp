#include "core/toy/toy_problem.h"

#include "core/util/split_mix64.h"
#include "core/util/error.h"

#include <xxhash.h>

#include <cctype>

namespace distill::toy {

std::string_view toySplitName(ToySplit split)
{
    return split == ToySplit::Train ? "train" : "heldout";
}

ToySplit parseToySplit(std::string_view text)
{
    if (text == "train")
        return ToySplit::Train;
    if (text == "heldout")
        return ToySplit::HeldOut;
    throw Error(ErrorCode::InvalidArgument, "unknown toy split '" + std::string(text) + "'",
                "use train or heldout");
}

ToySplit splitOfQuestion(std::string_view question)
{
    return XXH3_64bits(question.data(), question.size()) % 10 == 0 ? ToySplit::HeldOut : ToySplit::Train;
}

long long ToyExpression::value() const
{
    long long total = operands.empty() ? 0 : operands.front();
    for (std::size_t i = 0; i < ops.size(); ++i)
        total = ops[i] == '+' ? total + operands[i + 1] : total - operands[i + 1];
    return total;
}

std::string ToyExpression::text() const
{
    std::string out;
    for (std::size_t i = 0; i < operands.size(); ++i) {
        if (i > 0)
            out += std::string(" ") + ops[i - 1] + " ";
        out += std::to_string(operands[i]);
    }
    return out;
}

std::string toyQuestion(const ToyExpression& expression)
{
    return "Compute " + expression.text() + ".";
}

std::string ToyProblem::externalId() const
{
    const std::uint64_t offset = split == ToySplit::Train ? seed : seed - kHeldOutSeedBase;
    return std::string(toySplitName(split)) + "-" + std::to_string(offset);
}

static ToyExpression drawExpression(util::SplitMix64& rng, int operandCount)
{
    ToyExpression e;
    long long total = 0;
    for (int i = 0; i < operandCount; ++i) {
        const int operand = rng.between(10, 99);
        if (i == 0) {
            total = operand;
        } else {
            const char op = (total >= operand && rng.next() % 2 == 0) ? '-' : '+';
            e.ops.push_back(op);
            total = op == '+' ? total + operand : total - operand;
        }
        e.operands.push_back(operand);
    }
    return e;
}

ToyProblem makeToyProblem(std::uint64_t seed, int difficulty)
{
    if (difficulty < 0 || difficulty > kMaxDifficulty)
        throw Error(ErrorCode::InvalidArgument,
                    "toy difficulty " + std::to_string(difficulty) + " is outside 0.." + std::to_string(kMaxDifficulty),
                    "0 mixes the levels");
    util::SplitMix64 rng(seed * 0x2545F4914F6CDD1DULL + 0x5851F42D4C957F2DULL);
    ToyProblem p;
    p.seed = seed;
    p.split = seed >= kHeldOutSeedBase ? ToySplit::HeldOut : ToySplit::Train;
    p.difficulty = difficulty == 0 ? rng.between(kMinDifficulty, kMaxDifficulty) : difficulty;
    do {
        p.expression = drawExpression(rng, p.difficulty + 1);
        p.question = toyQuestion(p.expression);
    } while (splitOfQuestion(p.question) != p.split);
    p.answer = p.expression.value();
    return p;
}

std::vector<ToyProblem> makeToyProblems(const ToyProblemSet& set)
{
    if (set.count < 0)
        throw Error(ErrorCode::InvalidArgument, "toy problem count must be >= 0");
    const std::uint64_t base = set.split == ToySplit::Train ? 0 : kHeldOutSeedBase;
    if (set.split == ToySplit::Train && set.firstSeed + std::uint64_t(set.count) > kHeldOutSeedBase)
        throw Error(ErrorCode::InvalidArgument, "toy train seeds must stay below " + std::to_string(kHeldOutSeedBase));
    std::vector<ToyProblem> out;
    out.reserve(std::size_t(set.count));
    for (int i = 0; i < set.count; ++i)
        out.push_back(makeToyProblem(base + set.firstSeed + std::uint64_t(i), set.difficulty));
    return out;
}

// Reads an unsigned decimal at pos; nullopt when there is none or it has more than 4 digits.
static std::optional<int> readNumber(std::string_view s, std::size_t& pos)
{
    std::size_t start = pos;
    while (pos < s.size() && std::isdigit(static_cast<unsigned char>(s[pos])) && pos - start < 5)
        ++pos;
    if (pos == start || pos - start > 4)
        return std::nullopt;
    return std::stoi(std::string(s.substr(start, pos - start)));
}

std::optional<ToyExpression> parseToyQuestion(std::string_view text)
{
    constexpr std::string_view kLead = "Compute ";
    const std::size_t at = text.find(kLead);
    if (at == std::string_view::npos)
        return std::nullopt;
    std::size_t pos = at + kLead.size();
    ToyExpression e;
    auto first = readNumber(text, pos);
    if (!first)
        return std::nullopt;
    e.operands.push_back(*first);
    while (pos + 3 <= text.size() && text[pos] == ' ' && (text[pos + 1] == '+' || text[pos + 1] == '-')
           && text[pos + 2] == ' ') {
        const char op = text[pos + 1];
        pos += 3;
        auto n = readNumber(text, pos);
        if (!n)
            return std::nullopt;
        e.ops.push_back(op);
        e.operands.push_back(*n);
    }
    if (pos >= text.size() || text[pos] != '.' || e.ops.empty())
        return std::nullopt;
    long long total = e.operands.front();
    for (std::size_t i = 0; i < e.ops.size(); ++i) {
        total = e.ops[i] == '+' ? total + e.operands[i + 1] : total - e.operands[i + 1];
        if (total < 0)
            return std::nullopt;  // the toy domain never goes below zero
    }
    return e;
}

}  // namespace distill::toy
