// The toy reasoning domain: seeded multi-step integer arithmetic problems ("Compute 37 + 48 - 19.")
// with exact answers, difficulty levels and a train / held-out split that never shares a question.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::toy {

// Train problems come from seeds [0, kHeldOutSeedBase), held-out problems from seeds at or above it.
// On top of the seed ranges, a question belongs to exactly one split (a hash bucket of its text), so
// no held-out question ever appears among the train problems.
enum class ToySplit { Train, HeldOut };
inline constexpr std::uint64_t kHeldOutSeedBase = 1'000'000'000ULL;

std::string_view toySplitName(ToySplit split);  // "train", "heldout"
ToySplit parseToySplit(std::string_view text);  // InvalidArgument on other text
// The split a question text belongs to (its hash bucket: one question in ten is held out).
ToySplit splitOfQuestion(std::string_view question);

// A chain of two-digit operands joined by + and -, evaluated left to right. Every running total
// stays >= 0: a '-' is only drawn when the running total is at least the operand.
struct ToyExpression {
    std::vector<int> operands;  // 2 to 4 values in [10, 99]
    std::vector<char> ops;      // ops[i] joins operands[i] and operands[i + 1]; '+' or '-'

    long long value() const;
    std::string text() const;  // "37 + 48 - 19"
};

inline constexpr int kMinDifficulty = 1;
inline constexpr int kMaxDifficulty = 3;  // difficulty d has d + 1 operands

struct ToyProblem {
    std::uint64_t seed = 0;
    int difficulty = 1;
    ToySplit split = ToySplit::Train;
    ToyExpression expression;
    std::string question;  // "Compute 37 + 48 - 19."
    long long answer = 0;
    std::string externalId() const;  // "train-<seed>" / "heldout-<seed>", unique per seed
};

// The problem of one seed. difficulty 0 draws a level in [1, 3] from the seed. The seed decides
// the split (see kHeldOutSeedBase). Throws InvalidArgument for a difficulty outside [0, 3].
ToyProblem makeToyProblem(std::uint64_t seed, int difficulty);

// A reproducible set of problems: seeds firstSeed .. firstSeed + count - 1 of the split's range.
struct ToyProblemSet {
    int count = 100;
    std::uint64_t firstSeed = 0;  // offset within the split's seed range
    int difficulty = 0;           // 0 = mixed levels
    ToySplit split = ToySplit::Train;
};
std::vector<ToyProblem> makeToyProblems(const ToyProblemSet& set);

std::string toyQuestion(const ToyExpression& expression);  // "Compute " + text + "."
// Finds "Compute <a> (+|-) <b> ... ." in a prompt and parses the expression; nullopt when the
// text has none or it is not a valid toy expression.
std::optional<ToyExpression> parseToyQuestion(std::string_view text);

}  // namespace distill::toy
