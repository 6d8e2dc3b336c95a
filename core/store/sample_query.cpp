#include "core/store/sample_query.h"

#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>

namespace distill::store {

namespace {
constexpr std::array<std::string_view, 12> kColumns = {
    "id",     "problem", "verdict",       "status",       "thinking_tokens", "answer_tokens",
    "origin", "flags",   "reject_reason", "language_mix", "paragraph_words", "repetition"};
}  // namespace

std::string_view sampleColumnName(SampleColumn column)
{
    return kColumns[std::size_t(column)];
}

SampleColumn parseSampleColumn(std::string_view text)
{
    for (std::size_t i = 0; i < kColumns.size(); ++i)
        if (kColumns[i] == text)
            return SampleColumn(i);
    throw Error(ErrorCode::InvalidArgument, "unknown sample column '" + std::string(text) + "'");
}

bool isScoreName(std::string_view name)
{
    return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_';
    });
}

std::string_view sampleColumnScore(SampleColumn column)
{
    switch (column) {
    case SampleColumn::LanguageMix: return "language_mix";
    case SampleColumn::ParagraphWords: return "longest_paragraph_words";
    case SampleColumn::Repetition: return "repeated_ngram_share";
    default: return {};
    }
}

nlohmann::json SampleQuery::toJson() const
{
    nlohmann::json j = nlohmann::json::object();
    if (!search.empty())
        j["search"] = search;
    if (verdict)
        j["verdict"] = verdictName(*verdict);
    if (status)
        j["status"] = statusName(*status);
    if (origin)
        j["origin"] = originName(*origin);
    if (!originDetail.empty())
        j["origin_detail"] = originDetail;
    if (!source.empty())
        j["source"] = source;
    if (problemId)
        j["problem_id"] = *problemId;
    if (minThinkingTokens)
        j["min_thinking_tokens"] = *minThinkingTokens;
    if (maxThinkingTokens)
        j["max_thinking_tokens"] = *maxThinkingTokens;
    if (rejectReason)
        j["reject_reason"] = *rejectReason;
    if (score) {
        nlohmann::json range = {{"name", score->name}};
        if (score->min)
            range["min"] = *score->min;
        if (score->max)
            range["max"] = *score->max;
        j["score"] = range;
    }
    j["sort"] = sampleColumnName(sortBy);
    j["descending"] = descending;
    return j;
}

SampleQuery SampleQuery::fromJson(const nlohmann::json& j)
{
    if (!j.is_object())
        throw Error(ErrorCode::InvalidArgument, "a sample query must be a JSON object");
    SampleQuery q;
    try {
        for (const auto& [key, value] : j.items()) {
            if (key == "search")
                q.search = value.get<std::string>();
            else if (key == "verdict")
                q.verdict = parseVerdict(value.get<std::string>());
            else if (key == "status")
                q.status = parseStatus(value.get<std::string>());
            else if (key == "origin")
                q.origin = parseOrigin(value.get<std::string>());
            else if (key == "origin_detail")
                q.originDetail = value.get<std::string>();
            else if (key == "source")
                q.source = value.get<std::string>();
            else if (key == "problem_id")
                q.problemId = value.get<std::int64_t>();
            else if (key == "min_thinking_tokens")
                q.minThinkingTokens = value.get<std::int64_t>();
            else if (key == "max_thinking_tokens")
                q.maxThinkingTokens = value.get<std::int64_t>();
            else if (key == "reject_reason")
                q.rejectReason = value.get<std::string>();
            else if (key == "score") {
                ScoreRange range;
                for (const auto& [k, v] : value.items()) {
                    if (k == "name")
                        range.name = v.get<std::string>();
                    else if (k == "min")
                        range.min = v.get<double>();
                    else if (k == "max")
                        range.max = v.get<double>();
                    else
                        throw Error(ErrorCode::InvalidArgument, "unknown sample query score key '" + k + "'");
                }
                if (!isScoreName(range.name))
                    throw Error(ErrorCode::InvalidArgument, "invalid score name '" + range.name + "'");
                q.score = std::move(range);
            } else if (key == "sort")
                q.sortBy = parseSampleColumn(value.get<std::string>());
            else if (key == "descending")
                q.descending = value.get<bool>();
            else
                throw Error(ErrorCode::InvalidArgument, "unknown sample query key '" + key + "'");
        }
    } catch (const nlohmann::json::exception& e) {
        throw Error(ErrorCode::InvalidArgument, std::string("sample query: ") + e.what());
    }
    return q;
}

}  // namespace distill::store
