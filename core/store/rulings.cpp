#include "core/store/rulings.h"

#include "core/store/statement.h"
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

std::optional<Ruling> rulingOf(std::int64_t sampleId, const std::string& flagsJson)
{
    const json flags = flagsObject(flagsJson);
    if (!flags.contains("ruling") || !flags["ruling"].is_object())
        return std::nullopt;
    const json& r = flags["ruling"];
    Ruling ruling;
    ruling.sampleId = sampleId;
    ruling.expert = parseVerdict(r.value("verdict", "unknown"));
    ruling.grader = parseVerdict(r.value("grader", "unknown"));
    ruling.judge = decided(r.value("judge", json()));
    return ruling;
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
    return rulingOf(sample.id, sample.flagsJson);
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
    // SQLite's JSON functions pick the samples whose flags hold a ruling object, so a workspace of a
    // million samples is not read into memory for the few hundred an expert ruled on.
    Statement rows(ws.handle(),
                   "SELECT s.id, s.flags_json, s.answer, coalesce(p.question, ''), coalesce(p.reference_answer, '') "
                   "FROM samples s LEFT JOIN problems p ON p.id = s.problem_id "
                   "WHERE CASE WHEN json_valid(s.flags_json) THEN json_type(s.flags_json, '$.ruling') END = 'object' "
                   "ORDER BY s.id");
    std::vector<RulingCase> out;
    while (rows.step())
        if (const std::optional<Ruling> ruling = rulingOf(rows.int64At(0), rows.textAt(1)))
            out.push_back({*ruling, rows.textAt(3), rows.textAt(2), rows.textAt(4)});
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
