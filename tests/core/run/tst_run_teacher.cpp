// The generation job with an OpenAI-compatible teacher: against the fault-injecting loopback server,
// with rate limits and server errors (retried), a refused request (a failed unit that a rerun redoes),
// verdicts from the replies, and costs from the reported usage.
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/toy/toy_problem.h"
#include "tests/support/fault_server.h"

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <sstream>

using namespace distill;
using distill::testing::Behaviour;
using distill::testing::FaultKind;
using distill::testing::FaultServer;
using distill::testing::ReplyText;
using nlohmann::json;

namespace {

std::string lastUserMessage(const json& request)
{
    std::string text;
    for (const json& m : request.value("messages", json::array()))
        if (m.value("role", "") == "user")
            text = m.value("content", "");
    return text;
}

// The server's answer: right for even results, one too high for odd ones.
long long replyValue(long long answer)
{
    return answer % 2 == 0 ? answer : answer + 1;
}

std::vector<json> lines(const std::string& out)
{
    std::vector<json> events;
    std::istringstream in(out);
    for (std::string line; std::getline(in, line);)
        events.push_back(json::parse(line));
    return events;
}

}  // namespace

class TestRunTeacher : public QObject {
    Q_OBJECT
private slots:
    void generateAgainstFaultServer()
    {
        FaultServer server;
        server.setReply([](const json& request, int) {
            const auto e = toy::parseToyQuestion(lastUserMessage(request));
            ReplyText reply;
            reply.reasoning = "Adding column by column.";
            reply.content = e ? "\\boxed{" + std::to_string(replyValue(e->value())) + "}" : "no idea";
            return reply;
        });
        server.setUsage({{"prompt_tokens", 10}, {"completion_tokens", 20}});
        const auto problems = toy::makeToyProblems({12, 0, 1, toy::ToySplit::Train});
        const std::string refused = problems.front().question;
        std::atomic<bool> refuse{true};
        Behaviour rateLimited;
        rateLimited.kind = FaultKind::RateLimited;
        rateLimited.retryAfter = "0";
        Behaviour serverError;
        serverError.kind = FaultKind::ServerError;
        server.script({rateLimited, serverError});
        server.setChooser([&](const json& request, int) {
            Behaviour b;
            if (refuse && lastUserMessage(request) == refused) {
                b.kind = FaultKind::ClientError;
                b.status = 400;
            }
            return b;
        });

        const std::string spec = "kind: generate\n"
                                 "toy: {count: 12, seed: 0, difficulty: 1}\n"
                                 "samples_per_problem: 2\n"
                                 "prompt: {user: \"{question}\"}\n"
                                 "teacher:\n"
                                 "  type: openai\n"
                                 "  base_url: "
                                 + server.baseUrl()
                                 + "\n"
                                   "  model: fault-model\n"
                                   "  api_key_env: DISTILLERY_TEST_NO_SUCH_KEY\n"
                                   "  concurrency: 4\n"
                                   "  retry: {backoff_base_s: 0.01, backoff_max_s: 0.05}\n"
                                   "  prices: {prompt: 1.0, completion: 2.0}\n";
        QTemporaryDir dir;
        store::Workspace ws = store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), {false, {}});
        run::JobRegistry registry;
        run::registerGenerateJob(registry);
        std::ostringstream out;
        run::EventSink events(out);
        run::StopToken stop;
        const auto result = run::runJob(registry, ws, {spec, std::nullopt, ""}, events, stop);
        QCOMPARE(result.status, std::string("finished"));

        std::set<std::string> questions;
        int expectedCorrect = 0;
        for (const toy::ToyProblem& p : problems)
            if (questions.insert(p.question).second && p.question != refused)
                expectedCorrect += 2 * (p.answer % 2 == 0);
        const int units = 2 * int(questions.size());
        QCOMPARE(result.summary["failed"].get<int>(), 2);
        QCOMPARE(result.summary["written"].get<int>(), units - 2);
        QCOMPARE(result.summary["correct"].get<int>(), expectedCorrect);
        QCOMPARE(result.summary["incorrect"].get<int>(), units - 2 - expectedCorrect);
        QCOMPARE(result.summary["prompt_tokens"].get<int>(), 10 * (units - 2));
        QCOMPARE(result.summary["cost"].get<double>(), (units - 2) * (10 * 1.0 + 20 * 2.0) / 1e6);
        int failures = 0;
        for (const json& e : lines(out.str()))
            if (e["event"] == "error") {
                QCOMPARE(e["fatal"], false);
                ++failures;
            }
        QCOMPARE(failures, 2);

        store::SampleQuery all;
        for (std::int64_t id : ws.sampleIds(all)) {
            const store::Sample s = *ws.sample(id);
            QCOMPARE(s.originDetail, std::string("openai:openai-compatible:fault-model"));
            QCOMPARE(s.thinking, std::string("Adding column by column."));
            const long long answer = std::stoll(ws.problem(s.problemId)->referenceAnswer);
            QCOMPARE(s.verdict == store::Verdict::Correct, answer % 2 == 0);
        }
        const std::string config = ws.run(result.runId)->config;
        QVERIFY(config.find("base_url: " + server.baseUrl()) != std::string::npos);
        QVERIFY(config.find("model: fault-model") != std::string::npos);

        // The refused units are not done: a rerun asks for exactly those.
        refuse = false;
        const std::size_t before = server.requests().size();
        std::ostringstream out2;
        run::EventSink events2(out2);
        const auto again = run::runJob(registry, ws, {spec, std::nullopt, ""}, events2, stop);
        QCOMPARE(again.summary["written"].get<int>(), 2);
        QCOMPARE(again.summary["skipped"].get<int>(), units - 2);
        QCOMPARE(server.requests().size() - before, std::size_t(2));
        QCOMPARE(ws.countSamples(all), std::int64_t(units));
    }
};

QTEST_GUILESS_MAIN(TestRunTeacher)
#include "tst_run_teacher.moc"
