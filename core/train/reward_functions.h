// Rule-based rewards of GRPO rollouts (R1 / DAPO style): accuracy by the grader, the <think>…</think>
// + \boxed{} format, language consistency of the thinking, soft overlong punishment, and custom regex
// rewards. Completions are untrusted text: every function returns a number and never throws.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {
class Regex;
}

namespace distill::train {

// One completion as the rewards see it.
struct RewardInput {
    std::string_view completion;  // generated text (after the prompt, which may end in "<think>\n")
    std::string_view gold;        // reference answer of the problem (may be empty)
    std::int64_t tokens = 0;      // generated tokens
    bool truncated = false;       // generation hit its token limit
};

// 1 when the grader finds the completion's answer equal to gold; 0 for NotEqual, Unknown (no answer,
// unparseable) and a truncated completion.
double accuracyReward(std::string_view completion, std::string_view gold);
// 1 for "[<think>] thinking </think> answer" with non-empty thinking, exactly one closing tag, no tag
// after it, and a final \boxed{...} with balanced braces and non-empty content in the answer; else 0.
double formatReward(std::string_view completion);
// R1's language-consistency reward: the share of the thinking's words in the target language
// (text::targetLanguageShare); 0 when the thinking is not closed by </think>.
double languageReward(std::string_view completion, std::string_view language);
// DAPO's soft overlong punishment: 0 up to maxTokens - buffer, then falling linearly to -1 at
// maxTokens, -1 beyond (and for a truncated completion).
double overlongReward(std::int64_t tokens, bool truncated, std::int64_t maxTokens, std::int64_t buffer);

enum class RewardKind { Accuracy, Format, Language, Overlong, Regex };
std::string_view rewardKindName(RewardKind kind);  // "accuracy", "format", "language", "overlong", "regex"
RewardKind parseRewardKind(std::string_view text);  // InvalidArgument on other text

// One weighted term of the total reward.
struct RewardTerm {
    RewardKind kind = RewardKind::Accuracy;
    std::string name;           // metric name (default: the kind's name)
    double weight = 1.0;
    std::string language = "en";        // Language
    std::int64_t maxTokens = 0;         // Overlong: the generation limit
    std::int64_t overlongBuffer = 0;    // Overlong: the soft zone before the limit
    std::string pattern;                // Regex: PCRE2 pattern; 1 when it matches the completion
};

// The reward terms of a run; scores a completion term by term and weights them into a total.
class RewardSet {
public:
    explicit RewardSet(std::vector<RewardTerm> terms);  // Parse error on a bad regex
    ~RewardSet();
    RewardSet(RewardSet&&) noexcept;
    RewardSet& operator=(RewardSet&&) noexcept;

    const std::vector<RewardTerm>& terms() const { return m_terms; }
    // The unweighted score of each term, in order.
    std::vector<double> score(const RewardInput& input) const;
    // The weighted sum of scores.
    double total(const std::vector<double>& scores) const;

private:
    std::vector<RewardTerm> m_terms;
    std::vector<std::unique_ptr<tokenizer::Regex>> m_regexes;  // per term; null unless Regex
};

}  // namespace distill::train
