#include "core/store/rulings.h"

#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

namespace distill::store {

using nlohmann::json;

namespace {

json flagsObject(const std::string& flagsJson)
{
    json flags = json::parse(flagsJson, nullptr, false);
    return flags.is_object() ? flags : json::object();
}

std::optional<Verdict> decided(const json& value)
{
    if (!value.is_string())
        return std::nullopt;
    const std::string name = value.get<std::string>();
    if (name == "correct")
        return Verdict::Correct;
    if (name == "incorrect")
        return Verdict::Incorrect;
    return std::nullopt;
}

}  // namespace

std::optional<Verdict> judgeVerdict(const std::string& flagsJson)
{
    const json flags = flagsObject(flagsJson);
    return flags.contains("judge") && flags["judge"].is_object() ? decided(flags["judge"].value("verdict", json()))
                                                                 : std::nullopt;
}

std::optional<Ruling> rulingOf(const Sample& sample)
{
    const json flags = flagsObject(sample.flagsJson);
    if (!flags.contains("ruling") || !flags["ruling"].is_object())
        return std::nullopt;
    const json& r = flags["ruling"];
    Ruling ruling;
    ruling.sampleId = sample.id;
    ruling.expert = parseVerdict(r.value("verdict", "unknown"));
    ruling.grader = parseVerdict(r.value("grader", "unknown"));
    ruling.judge = decided(r.value("judge", json()));
    return ruling;
}

void recordRuling(Workspace& ws, const Ruling& ruling)
{
    const std::optional<Sample> sample = ws.sample(ruling.sampleId);
    if (!sample)
        return;
    json flags = flagsObject(sample->flagsJson);
    flags["ruling"] = {{"verdict", verdictName(ruling.expert)},
                       {"grader", verdictName(ruling.grader)},
                       {"judge", ruling.judge ? json(verdictName(*ruling.judge)) : json()}};
    Workspace::Transaction tx(ws);
    ws.setVerdict({ruling.sampleId}, ruling.expert);
    ws.setFlags(ruling.sampleId, flags.dump(-1, ' ', false, json::error_handler_t::replace));
    tx.commit();
}

std::vector<RulingCase> rulingCases(const Workspace& ws)
{
    std::vector<RulingCase> out;
    for (const std::int64_t id : ws.sampleIds(SampleQuery{})) {
        const std::optional<Sample> sample = ws.sample(id);
        const std::optional<Ruling> ruling = sample ? rulingOf(*sample) : std::nullopt;
        if (!ruling)
            continue;
        const std::optional<Problem> problem = ws.problem(sample->problemId);
        out.push_back({*ruling, problem ? problem->question : std::string(), sample->answer,
                       problem ? problem->referenceAnswer : std::string()});
    }
    return out;
}

RulingAccuracy rulingAccuracy(const std::vector<RulingCase>& cases)
{
    RulingAccuracy a;
    for (const RulingCase& c : cases) {
        ++a.rulings;
        a.graderRight += c.ruling.grader == c.ruling.expert;
        if (c.ruling.judge) {
            ++a.judged;
            a.judgeRight += *c.ruling.judge == c.ruling.expert;
        }
    }
    return a;
}

}  // namespace distill::store
