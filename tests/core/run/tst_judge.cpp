// The generative judge (`kind: judge`) against a scripted OpenAI-compatible endpoint on 127.0.0.1:
// answers the rules left undecided take the judge's verdict with its reasoning, a judge that
// disagrees with the rules marks the sample for an expert, a reply without a verdict decides
// nothing, and a rerun judges nothing twice.
#include "core/run/job_runner.h"
#include "core/run/judge_job.h"
#include "core/store/workspace.h"
#include "core/train/job_kinds.h"
#include "tests/support/fault_server.h"

#include <QTemporaryDir>
#include <QtTest>

#include <sstream>

using namespace distill;
using namespace distill::testing;
using nlohmann::json;

namespace {

std::int64_t addSample(store::Workspace& ws, const std::string& question, const std::string& reference,
                       const std::string& answer, store::Verdict verdict)
{
    store::Problem p;
    p.source = "free-form";
    p.question = question;
    p.referenceAnswer = reference;
    store::Sample s;
    s.problemId = ws.insertProblem(p);
    s.origin = store::Origin::Teacher;
    s.thinking = "Working it out.";
    s.answer = answer;
    s.verdict = verdict;
    return ws.insertSample(s);
}

std::string userMessage(const json& request)
{
    return request.at("messages").back().value("content", "");
}

json judgeFlags(const store::Workspace& ws, std::int64_t id)
{
    return json::parse(ws.sample(id)->flagsJson);
}

}  // namespace

class TestJudge : public QObject {
    Q_OBJECT
private slots:
    void verdictLineIsRead()
    {
        QCOMPARE(run::parseJudgeVerdict("Same value.\nVERDICT: CORRECT"), std::optional<bool>(true));
        QCOMPARE(run::parseJudgeVerdict("verdict: **incorrect** since 4 is not 3"), std::optional<bool>(false));
        // The last verdict line counts (a judge quoting the instructions first).
        QCOMPARE(run::parseJudgeVerdict("End with VERDICT: CORRECT or ... they differ.\nVERDICT: INCORRECT"),
                 std::optional<bool>(false));
        QCOMPARE(run::parseJudgeVerdict("I cannot tell."), std::optional<bool>());
        QCOMPARE(run::parseJudgeVerdict("VERDICT: maybe"), std::optional<bool>());
    }

    void judgesWhatTheRulesCannot()
    {
        FaultServer server;
        server.setReply([](const json& request, int) {
            const std::string prompt = userMessage(request);
            ReplyText reply;
            reply.reasoning = "Comparing the student's result with the reference.";
            if (prompt.find("one half") != std::string::npos)
                reply.content = "One half is 1/2.\nVERDICT: CORRECT";
            else if (prompt.find("the value is 4") != std::string::npos)
                reply.content = "4 is not 3.\nVERDICT: INCORRECT";
            else if (prompt.find("\\boxed{12}") != std::string::npos)
                reply.content = "The student wrote twelve dozen.\nVERDICT: INCORRECT";  // wrong, on purpose
            else
                reply.content = "I cannot tell.";
            return reply;
        });
        QTemporaryDir dir;
        auto ws = store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), {false, {}});
        const std::int64_t half = addSample(ws, "What fraction of the pie is left?", "1/2", "one half of it", store::Verdict::Unknown);
        const std::int64_t four = addSample(ws, "Solve x + 1 = 4.", "x = 3", "the value is 4", store::Verdict::Unknown);
        const std::int64_t mumble = addSample(ws, "Name the theorem.", "Pythagoras", "mumble", store::Verdict::Unknown);
        const std::int64_t twelve = addSample(ws, "What is 3 * 4?", "12", "\\boxed{12}", store::Verdict::Correct);

        const std::string judge = "judge:\n  type: openai\n  base_url: " + server.baseUrl()
                                  + "\n  model: judge-model\n  api_key_env: DISTILLERY_TEST_NO_SUCH_KEY\n  stream: false\n"
                                    "  retry: {backoff_base_s: 0.01, backoff_max_s: 0.05}\n";
        const auto run = [&](const std::string& spec) {
            std::ostringstream out;
            run::EventSink events(out);
            run::RunRequest request;
            request.specText = spec;
            return run::runJob(train::allJobKinds(), ws, request, events, run::StopToken());
        };

        // By default the samples the rules left unknown.
        const run::RunResult first = run("kind: judge\n" + judge);
        QVERIFY2(first.status == "finished", first.summary.dump().c_str());
        QCOMPARE(first.summary.at("samples").get<int>(), 3);
        QCOMPARE(first.summary.at("judged").get<int>(), 3);
        QCOMPARE(first.summary.at("decided").get<int>(), 2);
        QCOMPARE(first.summary.at("no_verdict").get<int>(), 1);
        QCOMPARE(first.summary.at("judge").get<std::string>(), std::string("openai:openai-compatible:judge-model"));
        QCOMPARE(ws.sample(half)->verdict, store::Verdict::Correct);
        QCOMPARE(ws.sample(four)->verdict, store::Verdict::Incorrect);
        QCOMPARE(ws.sample(mumble)->verdict, store::Verdict::Unknown);
        const json halfFlags = judgeFlags(ws, half);
        QCOMPARE(halfFlags.at("verify_reason").get<std::string>(), std::string("judged"));
        QCOMPARE(halfFlags.at("judge").at("verdict").get<std::string>(), std::string("correct"));
        QCOMPARE(halfFlags.at("judge").at("rules").get<std::string>(), std::string("unknown"));
        const std::string reasoning = halfFlags.at("judge").at("reasoning").get<std::string>();
        QVERIFY2(reasoning.find("Comparing") != std::string::npos && reasoning.find("One half is 1/2.") != std::string::npos,
                 reasoning.c_str());
        QCOMPARE(judgeFlags(ws, mumble).at("judge").at("verdict").get<std::string>(), std::string("unknown"));
        // The judge saw the problem, the reference and the answer.
        const auto requests = server.requests();
        QCOMPARE(requests.size(), std::size_t(3));
        const std::string prompt = userMessage(requests.front().body);
        QVERIFY(prompt.find("Reference answer:\n") != std::string::npos);

        // Every sample: the ones judged before are skipped; a judge that disagrees with the rules
        // leaves their verdict and marks the sample for an expert.
        const run::RunResult all = run("kind: judge\nquery: {verdict: any}\n" + judge);
        QVERIFY2(all.status == "finished", all.summary.dump().c_str());
        QCOMPARE(all.summary.at("skipped").get<int>(), 3);
        QCOMPARE(all.summary.at("judged").get<int>(), 1);
        QCOMPARE(all.summary.at("rules_decided").get<int>(), 1);
        QCOMPARE(all.summary.at("disagree").get<int>(), 1);
        QCOMPARE(all.summary.at("agreement").get<double>(), 0.0);
        QCOMPARE(ws.sample(twelve)->verdict, store::Verdict::Correct);
        QCOMPARE(judgeFlags(ws, twelve).at("judge").at("disagrees").get<bool>(), true);
        QCOMPARE(server.requests().size(), std::size_t(4));

        // A rerun asks nothing.
        const run::RunResult again = run("kind: judge\nquery: {verdict: any}\n" + judge);
        QCOMPARE(again.summary.at("judged").get<int>(), 0);
        QCOMPARE(server.requests().size(), std::size_t(4));
    }

    void specErrorsNameTheirLine()
    {
        try {
            train::allJobKinds().parse("kind: judge\njudge:\n  type: toy\n");
            QFAIL("a toy judge must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.detail().find("line 3") != std::string::npos, e.detail().c_str());
        }
        try {
            train::allJobKinds().parse("kind: judge\njudge: {type: openai, model: m}\nprompt: \"Is {answer} right?\"\n");
            QFAIL("a prompt without {reference} must be refused");
        } catch (const Error& e) {
            QVERIFY2(e.detail().find("{reference}") != std::string::npos, e.detail().c_str());
        }
    }
};

QTEST_GUILESS_MAIN(TestJudge)
#include "tst_judge.moc"
