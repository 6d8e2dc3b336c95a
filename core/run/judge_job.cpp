#include "core/run/judge_job.h"

#include "core/run/freeze_job.h"
#include "core/run/generate_job.h"
#include "core/run/teacher.h"
#include "core/store/workspace.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include <algorithm>
#include <cctype>
#include <unordered_map>

namespace distill::run {

using nlohmann::json;

const char* const kDefaultJudgePrompt =
    "You check a student's answer to a problem against the reference answer.\n\n"
    "Problem:\n{question}\n\n"
    "Reference answer:\n{reference}\n\n"
    "Student's answer:\n{answer}\n\n"
    "Does the student's final result mean the same as the reference answer (equal value, equivalent "
    "expression, same choice; ignore wording and formatting)? Reason briefly, then end with one line: "
    "VERDICT: CORRECT or VERDICT: INCORRECT";

namespace {

constexpr std::size_t kMaxReasoningChars = 4000;

std::string upper(std::string text)
{
    std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) { return char(std::toupper(c)); });
    return text;
}

std::string fill(std::string prompt, const std::string& key, const std::string& value)
{
    for (auto at = prompt.find(key); at != std::string::npos; at = prompt.find(key, at + value.size()))
        prompt.replace(at, key.size(), value);
    return prompt;
}

json flagsOf(const store::Sample& s)
{
    json flags = json::parse(s.flagsJson, nullptr, false);
    return flags.is_object() ? flags : json::object();
}

}  // namespace

std::optional<bool> parseJudgeVerdict(const std::string& reply)
{
    const std::string text = upper(reply);
    const auto at = text.rfind("VERDICT:");
    if (at == std::string::npos)
        return std::nullopt;
    std::size_t word = at + 8;
    while (word < text.size() && (text[word] == ' ' || text[word] == '*' || text[word] == '\t'))
        ++word;
    if (text.compare(word, 9, "INCORRECT") == 0)
        return false;
    if (text.compare(word, 7, "CORRECT") == 0)
        return true;
    return std::nullopt;
}

const SpecSchema& judgeSchema()
{
    static const SpecSchema schema = [] {
        KeyDoc judge = key::section("judge", "Judge", teacherSectionKeys(false), "the model that judges");
        judge.required = true;
        judge.discriminator = "type";
        KeyDoc prompt = key::advanced(key::text("prompt", kDefaultJudgePrompt,
                                                "the judge's message; {question}, {reference} and {answer} are replaced"));
        prompt.group = "Judge";
        KeyDoc batch = key::advanced(key::integer("batch_size", 0, 0, 4096, "requests per call; 0: the judge's"));
        batch.group = "Judge";
        return SpecSchema("judge",
                          "A model judges the answers the rule grader cannot decide against the reference answers; its "
                          "verdict and reasoning are kept, and where it disagrees with the rules an expert rules.",
                          {sampleQuerySection("Samples", "any", "unknown"), judge, prompt, batch});
    }();
    return schema;
}

JudgeSpec readJudgeSpec(const ResolvedSpec& spec, const std::string& name)
{
    JudgeSpec s;
    s.name = name;
    s.query = readSampleQuery(spec.values.at("query"));
    try {
        s.judge = readTeacherChoice(spec.values.at("judge"));
    } catch (const Error& e) {
        failAt(spec, "judge", "judge: " + e.detail(), e.hint());
    }
    s.prompt = spec.values.at("prompt").get<std::string>();
    if (s.prompt.find("{answer}") == std::string::npos || s.prompt.find("{reference}") == std::string::npos)
        failAt(spec, "prompt", "the judge's prompt must contain {answer} and {reference}");
    s.batchSize = spec.values.at("batch_size").get<int>();
    return s;
}

void registerJudgeJob(JobRegistry& registry)
{
    registry.add(judgeSchema(), [](ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<Job> {
        return std::make_unique<JudgeJob>(readJudgeSpec(spec, name));
    });
}

JobOutcome JudgeJob::run(JobContext& ctx)
{
    store::Workspace& ws = ctx.workspace;
    const std::unique_ptr<Teacher> judge = makeTeacher(m_spec.judge, ctx);
    const std::string model = judge->name();

    // The samples to judge: those of the query this judge has no verdict on yet, with a reference answer.
    // Their problems are read once each (a problem has many samples).
    std::vector<store::Sample> pending;
    std::unordered_map<std::int64_t, store::Problem> problems;
    std::int64_t skipped = 0, selected = 0;
    for (const std::int64_t id : ws.sampleIds(m_spec.query)) {
        std::optional<store::Sample> s = ws.sample(id);
        if (!s)
            continue;  // deleted since the query ran
        auto p = problems.find(s->problemId);
        if (p == problems.end()) {
            std::optional<store::Problem> read = ws.problem(s->problemId);
            if (!read)
                continue;
            p = problems.emplace(s->problemId, std::move(*read)).first;
        }
        if (p->second.referenceAnswer.empty())
            continue;
        ++selected;
        const json flags = flagsOf(*s);
        if (flags.contains("judge") && flags["judge"].value("model", "") == model)
            ++skipped;
        else
            pending.push_back(std::move(*s));
    }
    ctx.events.log("info", std::to_string(selected) + " samples with a reference answer; " + std::to_string(skipped)
                               + " judged before; judge " + model);

    std::int64_t judged = 0, correct = 0, incorrect = 0, noVerdict = 0, failed = 0, decided = 0;
    std::int64_t rulesDecided = 0, agree = 0, disagree = 0;
    const std::size_t batchSize = std::size_t(m_spec.batchSize > 0 ? m_spec.batchSize : std::max(1, judge->preferredBatch()));
    const std::uint64_t total = std::uint64_t(selected);
    std::uint64_t done = std::uint64_t(skipped);
    EtaEstimator eta;
    eta.update(done);
    ctx.events.progress(done, total, std::nullopt, std::nullopt);
    bool stopped = false;
    for (std::size_t next = 0; next < pending.size() && !stopped; next += batchSize) {
        if (ctx.stop.requested()) {
            stopped = true;
            break;
        }
        const std::size_t end = std::min(pending.size(), next + batchSize);
        std::vector<SampleRequest> batch;
        for (std::size_t i = next; i < end; ++i) {
            const store::Problem& problem = problems.at(pending[i].problemId);
            std::string prompt = fill(m_spec.prompt, "{question}", problem.question);
            prompt = fill(prompt, "{reference}", problem.referenceAnswer);
            prompt = fill(prompt, "{answer}", pending[i].answer);
            batch.push_back({std::to_string(pending[i].id), json::array({{{"role", "user"}, {"content", prompt}}}), 0, false});
        }
        const std::vector<SampleResult> results = judge->generate(batch);
        for (std::size_t i = 0; i < results.size(); ++i) {
            const SampleResult& r = results[i];
            const store::Sample& s = pending[next + i];
            if (!r.ok && r.errorCode == ErrorCode::Cancelled) {
                stopped = true;
                continue;
            }
            ++done;
            if (!r.ok) {
                ++failed;
                ctx.events.error(std::string(errorCodeName(r.errorCode)), "sample " + std::to_string(s.id) + ": " + r.error, "", false);
                continue;
            }
            const std::string reply = r.answer.empty() ? r.rawText : r.answer;
            const std::optional<bool> verdict = parseJudgeVerdict(reply);
            std::string reasoning = r.thinking.empty() ? reply : r.thinking + "\n\n" + reply;
            if (reasoning.size() > kMaxReasoningChars)
                reasoning = reasoning.substr(0, kMaxReasoningChars) + "…";
            json flags = flagsOf(s);
            const std::string rules(store::verdictName(s.verdict));
            json record = {{"verdict", verdict ? (*verdict ? "correct" : "incorrect") : "unknown"},
                           {"reasoning", reasoning},
                           {"model", model},
                           {"rules", rules}};
            ++judged;
            if (!verdict) {
                ++noVerdict;
            } else {
                (*verdict ? correct : incorrect)++;
                const store::Verdict judgeVerdict = *verdict ? store::Verdict::Correct : store::Verdict::Incorrect;
                if (s.verdict == store::Verdict::Unknown) {
                    ++decided;
                    flags["verify_reason"] = "judged";
                    ws.setVerdict(s.id, judgeVerdict, s.rejectReason);
                } else {
                    ++rulesDecided;
                    const bool same = s.verdict == judgeVerdict;
                    (same ? agree : disagree)++;
                    if (!same)
                        record["disagrees"] = true;  // for an expert's ruling
                }
            }
            flags["judge"] = std::move(record);
            ws.setFlags(s.id, flags.dump(-1, ' ', false, json::error_handler_t::replace));
        }
        eta.update(done);
        ctx.events.progress(done, total, eta.secondsLeft(total), eta.rate());
    }
    JobOutcome outcome;
    outcome.stopped = stopped;
    outcome.summary = {{"judge", model},
                       {"samples", selected},
                       {"judged", judged},
                       {"correct", correct},
                       {"incorrect", incorrect},
                       {"no_verdict", noVerdict},
                       {"failed", failed},
                       {"skipped", skipped},
                       {"decided", decided},
                       {"rules_decided", rulesDecided},
                       {"agree", agree},
                       {"disagree", disagree},
                       {"agreement", rulesDecided > 0 ? json(double(agree) / double(rulesDecided)) : json()}};
    return outcome;
}

}  // namespace distill::run
