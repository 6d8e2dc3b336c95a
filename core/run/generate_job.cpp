#include "core/run/generate_job.h"

#include "core/run/sample_assessor.h"
#include "core/store/workspace.h"
#include "core/toy/toy_teacher.h"
#include "core/util/error.h"
#include "core/util/progress.h"

#include "core/run/openai_teacher.h"
#include "core/run/local_teacher.h"

#include <algorithm>
#include <chrono>
#include <set>
#include <unordered_set>

namespace distill::run {

using nlohmann::json;

void registerGenerateJob(JobRegistry& registry)
{
    registry.add(generateSchema(), [](ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<Job> {
        return std::make_unique<GenerateJob>(readGenerateSpec(spec, name));
    });
}

std::unique_ptr<Teacher> makeTeacher(const TeacherChoice& choice, JobContext& ctx)
{
    switch (choice.kind) {
    case TeacherKind::Toy:
        return std::make_unique<toy::ToyTeacher>(choice.toy, choice.toyDelayMs);
    case TeacherKind::OpenAi:
        return std::make_unique<OpenAiTeacher>(choice.openai, &ctx.stop, &ctx.events);
    case TeacherKind::Local:
        return std::make_unique<LocalTeacher>(choice.local);
    }
    throw Error(ErrorCode::InvalidArgument, "unknown teacher type");
}

std::vector<store::Problem> ensureToyProblems(store::Workspace& ws, const toy::ToyProblemSet& set)
{
    std::vector<store::Problem> out;
    std::unordered_set<std::int64_t> seen;
    store::Workspace::Transaction tx(ws);
    for (const toy::ToyProblem& t : toy::makeToyProblems(set)) {
        std::optional<std::int64_t> id = ws.findProblem(kToySource, t.question);
        if (!id) {
            store::Problem p;
            p.source = kToySource;
            p.externalId = t.externalId();
            p.domain = "arithmetic";
            p.question = t.question;
            p.referenceAnswer = std::to_string(t.answer);
            p.difficulty = double(t.difficulty);
            p.tags = {std::string(toy::toySplitName(t.split)), "difficulty-" + std::to_string(t.difficulty)};
            id = ws.insertProblem(p);
        }
        if (seen.insert(*id).second)
            out.push_back(*ws.problem(*id));
    }
    tx.commit();
    return out;
}

namespace {

std::vector<store::Problem> selectProblems(store::Workspace& ws, const ProblemSelection& selection)
{
    std::vector<store::Problem> out;
    constexpr std::int64_t kPage = 1000;
    for (std::int64_t offset = 0;; offset += kPage) {
        const auto page = ws.listProblems(selection.source, offset, kPage);
        for (const store::Problem& p : page) {
            if (!selection.tag.empty() && std::find(p.tags.begin(), p.tags.end(), selection.tag) == p.tags.end())
                continue;
            out.push_back(p);
            if (selection.limit > 0 && std::int64_t(out.size()) >= selection.limit)
                return out;
        }
        if (std::int64_t(page.size()) < kPage)
            return out;
    }
}

json promptMessages(const PromptSpec& prompt, const std::string& question)
{
    std::string user = prompt.user;
    constexpr std::string_view kSlot = "{question}";
    for (std::size_t at = user.find(kSlot); at != std::string::npos; at = user.find(kSlot, at + question.size()))
        user.replace(at, kSlot.size(), question);
    json messages = json::array();
    if (!prompt.system.empty())
        messages.push_back({{"role", "system"}, {"content", prompt.system}});
    messages.push_back({{"role", "user"}, {"content", user}});
    return messages;
}

// (problem id, sample index) of the samples this teacher already wrote for these problems.
std::set<std::pair<std::int64_t, std::int64_t>> doneUnits(const store::Workspace& ws,
                                                         const std::vector<store::Problem>& problems,
                                                         const std::string& teacherName)
{
    std::set<std::pair<std::int64_t, std::int64_t>> done;
    for (const store::Problem& p : problems) {
        store::SampleQuery query;  // by problem only: the (problem_id, id) index answers it directly
        query.problemId = p.id;
        for (std::int64_t id : ws.sampleIds(query)) {
            const auto sample = ws.sample(id);
            if (!sample || sample->origin != store::Origin::Teacher || sample->originDetail != teacherName)
                continue;
            const json extras = json::parse(sample->extrasJson, nullptr, false);
            if (extras.is_object() && extras.contains("sample_index") && extras["sample_index"].is_number_integer())
                done.emplace(p.id, extras["sample_index"].get<std::int64_t>());
        }
    }
    return done;
}

struct Counters {
    std::uint64_t skipped = 0;    // done before this run started, or by another job meanwhile
    std::uint64_t written = 0;    // samples committed by this run
    std::uint64_t failed = 0;     // teacher failures (not written; a rerun retries them)
    std::uint64_t correct = 0;
    std::uint64_t incorrect = 0;
    std::uint64_t unverified = 0;
    std::uint64_t accepted = 0;   // by status (see SampleAssessor)
    std::uint64_t rejected = 0;
    std::uint64_t candidates = 0;
    std::int64_t promptTokens = 0;
    std::int64_t completionTokens = 0;
    double cost = 0.0;

    json toJson(std::uint64_t total) const
    {
        return {{"total_units", total}, {"skipped", skipped}, {"written", written}, {"failed", failed},
                {"correct", correct}, {"incorrect", incorrect}, {"unverified", unverified},
                {"accepted", accepted}, {"rejected", rejected}, {"candidates", candidates}, {"prompt_tokens", promptTokens},
                {"completion_tokens", completionTokens}, {"cost", cost}};
    }
};

struct Unit {
    std::size_t problem;  // index into the problem list
    std::int64_t sampleIndex;
};

}  // namespace

JobOutcome GenerateJob::run(JobContext& ctx)
{
    using Clock = std::chrono::steady_clock;
    store::Workspace& ws = ctx.workspace;

    const std::vector<store::Problem> problems =
        m_spec.toy ? ensureToyProblems(ws, *m_spec.toy) : selectProblems(ws, m_spec.problems);
    const std::unique_ptr<Teacher> teacher = makeTeacher(m_spec.teacher, ctx);
    const std::string teacherName = teacher->name();
    const auto done = doneUnits(ws, problems, teacherName);

    std::vector<Unit> pending;
    for (std::size_t i = 0; i < problems.size(); ++i)
        for (std::int64_t k = 0; k < m_spec.samplesPerProblem; ++k)
            if (!done.count({problems[i].id, k}))
                pending.push_back({i, k});
    const std::uint64_t total = std::uint64_t(problems.size()) * std::uint64_t(m_spec.samplesPerProblem);
    Counters c;
    c.skipped = total - pending.size();
    ctx.events.log("info", std::to_string(problems.size()) + " problems x " + std::to_string(m_spec.samplesPerProblem)
                               + " samples; " + std::to_string(c.skipped) + " already done; teacher " + teacherName);

    const SampleAssessor assessor(m_spec.verify, m_spec.rejectIncorrect, m_spec.filters);
    const std::size_t batchSize = std::size_t(m_spec.batchSize > 0 ? m_spec.batchSize : std::max(1, teacher->preferredBatch()));
    EtaEstimator eta;
    std::uint64_t doneCount = c.skipped;
    eta.update(doneCount);
    // The first batch goes out now.
    ctx.events.progress(doneCount, total, std::nullopt, std::nullopt, std::min(pending.size(), batchSize));
    auto lastProgress = Clock::now();
    auto lastMetrics = Clock::now();

    auto emitMetrics = [&] {
        const std::int64_t step = std::int64_t(doneCount);
        std::vector<store::Metric> metrics = {
            {ctx.runId, step, "teacher/prompt_tokens", double(c.promptTokens), 0},
            {ctx.runId, step, "teacher/completion_tokens", double(c.completionTokens), 0},
            {ctx.runId, step, "teacher/cost", c.cost, 0},
            {ctx.runId, step, "generate/written", double(c.written), 0},
            {ctx.runId, step, "generate/accepted", double(c.accepted), 0},
            {ctx.runId, step, "generate/failed", double(c.failed), 0},
        };
        if (c.correct + c.incorrect > 0)
            metrics.push_back({ctx.runId, step, "generate/correct_rate", double(c.correct) / double(c.correct + c.incorrect), 0});
        ws.addMetrics(metrics);
        for (const store::Metric& m : metrics)
            ctx.events.metric(m.name, m.value, m.step);
    };

    bool stopped = false;
    for (std::size_t next = 0; next < pending.size();) {
        if (ctx.stop.requested()) {
            stopped = true;
            break;
        }
        const std::size_t end = std::min(pending.size(), next + batchSize);
        std::vector<SampleRequest> batch;
        for (std::size_t u = next; u < end; ++u) {
            const store::Problem& p = problems[pending[u].problem];
            batch.push_back({std::to_string(p.id), promptMessages(m_spec.prompt, p.question), pending[u].sampleIndex,
                             m_spec.prompt.thinkPrefill});
        }
        const std::vector<SampleResult> results = teacher->generate(batch);
        if (results.size() != batch.size())
            throw Error(ErrorCode::Internal, "the teacher returned " + std::to_string(results.size()) + " results for "
                                                 + std::to_string(batch.size()) + " requests");
        for (std::size_t i = 0; i < results.size(); ++i) {
            const SampleResult& r = results[i];
            const store::Problem& p = problems[pending[next + i].problem];
            if (!r.ok && r.errorCode == ErrorCode::Cancelled) {
                stopped = true;  // never asked, or not retried: a rerun does it
                continue;
            }
            ++doneCount;
            if (!r.ok) {
                ++c.failed;
                ctx.events.error(std::string(errorCodeName(r.errorCode)),
                                 "problem " + std::to_string(p.id) + " sample " + std::to_string(r.sampleIndex) + ": " + r.error,
                                 "", false);
                continue;
            }
            store::Sample s;
            s.problemId = p.id;
            s.origin = store::Origin::Teacher;
            s.originDetail = teacherName;
            s.messagesJson = batch[i].messages.dump();
            s.thinking = r.thinking;
            s.answer = r.answer;
            s.rawText = r.rawText;
            s.thinkingTokens = r.thinkingTokens.value_or(0);
            s.answerTokens = r.answerTokens.value_or(0);
            s.extrasJson = json{{"run_id", ctx.runId}, {"sample_index", r.sampleIndex}, {"finish_reason", r.finishReason},
                                {"prompt_tokens", r.promptTokens}, {"completion_tokens", r.completionTokens}, {"cost", r.cost}}
                               .dump(-1, ' ', false, json::error_handler_t::replace);
            s.unitKey = store::generationUnitKey(teacherName, p.id, r.sampleIndex);
            assessor.assess(s, r, p.referenceAnswer);
            if (ws.insertSample(s) == 0) {  // one short transaction: a kill loses nothing committed
                ++c.skipped;  // another job of the same spec wrote this unit meanwhile
                continue;
            }
            ++c.written;
            c.promptTokens += r.promptTokens;
            c.completionTokens += r.completionTokens;
            c.cost += r.cost;
            (s.verdict == store::Verdict::Correct ? c.correct
             : s.verdict == store::Verdict::Incorrect ? c.incorrect : c.unverified)++;
            (s.status == store::SampleStatus::Rejected   ? c.rejected
             : s.status == store::SampleStatus::Accepted ? c.accepted : c.candidates)++;
        }
        next = end;
        const auto now = Clock::now();
        eta.update(doneCount, now);
        if (now - lastProgress >= std::chrono::milliseconds(250)) {
            // The next batch goes out at once: those requests are in flight until the next event.
            const std::uint64_t inFlight = ctx.stop.requested() ? 0 : std::min(pending.size() - end, batchSize);
            ctx.events.progress(doneCount, total, eta.secondsLeft(total), eta.rate(), inFlight);
            lastProgress = now;
        }
        if (now - lastMetrics >= std::chrono::seconds(2)) {
            emitMetrics();
            lastMetrics = now;
        }
    }
    eta.update(doneCount);
    ctx.events.progress(doneCount, total, eta.secondsLeft(total), eta.rate(), std::uint64_t(0));
    emitMetrics();
    JobOutcome outcome;
    outcome.stopped = stopped;
    outcome.summary = c.toJson(total);
    outcome.summary["problems"] = problems.size();
    outcome.summary["teacher"] = teacherName;
    return outcome;
}

}  // namespace distill::run
