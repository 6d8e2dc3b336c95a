#include "core/store/sample_query.h"

#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <array>

namespace distill::store {

namespace {
constexpr std::array<std::string_view, 8> kColumns = {"id", "problem", "verdict", "status",
                                                      "thinking_tokens", "answer_tokens", "origin", "flags"};
}

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
    if (!source.empty())
        j["source"] = source;
    if (problemId)
        j["problem_id"] = *problemId;
    if (minThinkingTokens)
        j["min_thinking_tokens"] = *minThinkingTokens;
    if (maxThinkingTokens)
        j["max_thinking_tokens"] = *maxThinkingTokens;
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
            else if (key == "source")
                q.source = value.get<std::string>();
            else if (key == "problem_id")
                q.problemId = value.get<std::int64_t>();
            else if (key == "min_thinking_tokens")
                q.minThinkingTokens = value.get<std::int64_t>();
            else if (key == "max_thinking_tokens")
                q.maxThinkingTokens = value.get<std::int64_t>();
            else if (key == "sort")
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
