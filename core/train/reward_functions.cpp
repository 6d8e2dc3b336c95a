#include "core/train/reward_functions.h"

#include "core/text/cot_template.h"
#include "core/text/language_share.h"
#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/regex.h"
#include "core/util/error.h"
#include "core/verify/grader.h"

#include <algorithm>

namespace distill::train {

namespace {

constexpr std::string_view kOpen = "<think>";
constexpr std::string_view kClose = "</think>";

// The content of the last \boxed{...} of text when its braces balance; false when there is none
// or it is unbalanced.
bool lastBoxedContent(std::string_view text, std::string_view& content)
{
    const auto at = text.rfind("\\boxed{");
    if (at == std::string_view::npos)
        return false;
    const std::size_t begin = at + 7;
    int depth = 1;
    for (std::size_t i = begin; i < text.size(); ++i) {
        if (text[i] == '{')
            ++depth;
        else if (text[i] == '}' && --depth == 0) {
            content = text.substr(begin, i - begin);
            return true;
        }
    }
    return false;
}

}  // namespace

double accuracyReward(std::string_view completion, std::string_view gold)
{
    if (gold.empty())
        return 0.0;
    try {
        return verify::grade(completion, gold).verdict == verify::Verdict::Equal ? 1.0 : 0.0;
    } catch (const std::exception&) {
        return 0.0;  // the grader does not throw; a completion must never end the run if it did
    }
}

double formatReward(std::string_view completion)
{
    const auto split = text::splitThinking(completion, kOpen, kClose);
    if (!split.hasCloseTag || split.thinking.empty())
        return 0.0;
    const auto close = completion.find(kClose);
    const std::string_view after = completion.substr(close + kClose.size());
    if (after.find(kClose) != std::string_view::npos || after.find(kOpen) != std::string_view::npos)
        return 0.0;
    // Text before the opening tag (when there is one) is not allowed either.
    if (split.hasOpenTag && !text::trimmed(completion.substr(0, completion.find(kOpen))).empty())
        return 0.0;
    std::string_view boxed;
    if (!lastBoxedContent(after, boxed) || text::trimmed(boxed).empty())
        return 0.0;
    return 1.0;
}

double languageReward(std::string_view completion, std::string_view language)
{
    const auto split = text::splitThinking(completion, kOpen, kClose);
    if (!split.hasCloseTag)
        return 0.0;
    return text::targetLanguageShare(split.thinking, language);
}

double overlongReward(std::int64_t tokens, bool truncated, std::int64_t maxTokens, std::int64_t buffer)
{
    if (maxTokens <= 0)
        return 0.0;
    if (truncated || tokens >= maxTokens)
        return -1.0;
    const std::int64_t safe = maxTokens - std::max<std::int64_t>(0, buffer);
    if (tokens <= safe)
        return 0.0;
    return double(safe - tokens) / double(buffer);
}

std::string_view rewardKindName(RewardKind kind)
{
    switch (kind) {
    case RewardKind::Accuracy: return "accuracy";
    case RewardKind::Format: return "format";
    case RewardKind::Language: return "language";
    case RewardKind::Overlong: return "overlong";
    case RewardKind::Regex: return "regex";
    }
    return "accuracy";
}

RewardKind parseRewardKind(std::string_view text)
{
    for (const auto kind : {RewardKind::Accuracy, RewardKind::Format, RewardKind::Language, RewardKind::Overlong,
                            RewardKind::Regex})
        if (rewardKindName(kind) == text)
            return kind;
    throw Error(ErrorCode::InvalidArgument, "unknown reward '" + std::string(text) + "'",
                "use accuracy, format, language, overlong or regex");
}

RewardSet::RewardSet(std::vector<RewardTerm> terms) : m_terms(std::move(terms))
{
    for (auto& term : m_terms) {
        if (term.name.empty())
            term.name = std::string(rewardKindName(term.kind));
        m_regexes.push_back(term.kind == RewardKind::Regex ? std::make_unique<tokenizer::Regex>(term.pattern) : nullptr);
    }
}

RewardSet::~RewardSet() = default;
RewardSet::RewardSet(RewardSet&&) noexcept = default;
RewardSet& RewardSet::operator=(RewardSet&&) noexcept = default;

std::vector<double> RewardSet::score(const RewardInput& input) const
{
    // Completions may hold broken UTF-8 (a cut multi-byte token); the regex needs valid text.
    std::string lossy;
    std::string_view completion = input.completion;
    if (!tokenizer::isValidUtf8(completion)) {
        lossy = tokenizer::utf8Lossy(completion);
        completion = lossy;
    }
    std::vector<double> scores;
    for (std::size_t i = 0; i < m_terms.size(); ++i) {
        const RewardTerm& term = m_terms[i];
        switch (term.kind) {
        case RewardKind::Accuracy:
            scores.push_back(input.truncated ? 0.0 : accuracyReward(completion, input.gold));
            break;
        case RewardKind::Format: scores.push_back(formatReward(completion)); break;
        case RewardKind::Language: scores.push_back(languageReward(completion, term.language)); break;
        case RewardKind::Overlong:
            scores.push_back(overlongReward(input.tokens, input.truncated, term.maxTokens, term.overlongBuffer));
            break;
        case RewardKind::Regex: {
            bool matched = false;
            m_regexes[i]->forEachMatch(completion, [&](std::size_t, std::size_t) { matched = true; });
            scores.push_back(matched ? 1.0 : 0.0);
            break;
        }
        }
    }
    return scores;
}

double RewardSet::total(const std::vector<double>& scores) const
{
    double sum = 0.0;
    for (std::size_t i = 0; i < scores.size() && i < m_terms.size(); ++i)
        sum += m_terms[i].weight * scores[i];
    return sum;
}

}  // namespace distill::train
