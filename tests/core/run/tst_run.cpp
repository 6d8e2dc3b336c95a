// Tests of core/run: strict job specs, JSON events, the generation job end to end, and the CLI's
// `run` under SIGKILL (then --resume) and SIGTERM (graceful stop).
#include "core/run/event_sink.h"
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/toy/toy_problem.h"
#include "core/toy/toy_trace.h"
#include "core/util/error.h"
#include "tests/support/cli_events.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <fstream>
#include <map>
#include <set>
#include <sstream>

using namespace distill;
using nlohmann::json;

namespace {

run::JobRegistry registry()
{
    run::JobRegistry r;
    run::registerGenerateJob(r);
    return r;
}

// The error a spec text gives, or "" when it parses.
std::string specError(const std::string& yaml)
{
    try {
        registry().parse(yaml);
    } catch (const Error& e) {
        return e.detail();
    }
    return {};
}

std::string toySpec(int count, int samples, double errorRate, int delayMs)
{
    std::ostringstream s;
    s << "kind: generate\nname: toy-test\ntoy:\n  count: " << count << "\n  seed: 0\n  difficulty: 0\n"
      << "samples_per_problem: " << samples << "\nprompt:\n  user: \"{question}\"\nteacher:\n  type: toy\n"
      << "  error_rate: " << errorRate << "\n  seed: 9\n  delay_ms: " << delayMs << "\n";
    return s.str();
}

void writeFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}

// (problem question, sample index) -> correct? for the toy spec above, computed without the job.
std::map<std::pair<std::string, std::int64_t>, bool> expectedUnits(int count, int samples, double errorRate)
{
    std::map<std::pair<std::string, std::int64_t>, bool> out;
    toy::ToyTraceOptions options;
    options.errorRate = errorRate;
    options.seed = 9;
    for (const toy::ToyProblem& p : toy::makeToyProblems({count, 0, 0, toy::ToySplit::Train}))
        for (std::int64_t k = 0; k < samples; ++k)
            out[{p.question, k}] = toy::writeToyTrace(p.expression, options, std::uint64_t(k)).finalValue == p.answer;
    return out;
}

// (question, sample index) of every teacher sample in the workspace, with duplicates counted.
std::map<std::pair<std::string, std::int64_t>, int> storedUnits(const std::string& path)
{
    std::map<std::pair<std::string, std::int64_t>, int> out;
    store::Workspace ws = store::Workspace::open(path, store::OpenMode::ReadOnly);
    store::SampleQuery q;
    q.origin = store::Origin::Teacher;
    for (std::int64_t id : ws.sampleIds(q)) {
        const store::Sample s = *ws.sample(id);
        const json extras = json::parse(s.extrasJson);
        ++out[{ws.problem(s.problemId)->question, extras.at("sample_index").get<std::int64_t>()}];
    }
    return out;
}

QString cliPath()
{
    return qEnvironmentVariable("DISTILLERY_CLI");
}


std::vector<json> parseLines(const QByteArray& out)
{
    std::vector<json> events;
    for (const QByteArray& line : out.split('\n'))
        if (!line.trimmed().isEmpty())
            events.push_back(json::parse(line.toStdString()));  // throws if a line is not JSON
    return events;
}

}  // namespace

class TestRun : public QObject {
    Q_OBJECT
private slots:
    void unknownKeyNamesKeyAndLine()
    {
        const std::string spec = "kind: generate\n"
                                 "toy:\n"
                                 "  count: 5\n"
                                 "teacher:\n"
                                 "  type: toy\n"
                                 "  tempreature: 0.5\n";
        const std::string e = specError(spec);
        QVERIFY2(e.find("unknown key 'tempreature' in teacher") != std::string::npos, e.c_str());
        QVERIFY2(e.find("line 6") != std::string::npos, e.c_str());
        const std::string top = specError("kind: generate\ntoy: {count: 5}\nteacher: {type: toy}\nsamples: 3\n");
        QVERIFY2(top.find("line 4: unknown key 'samples'") != std::string::npos, top.c_str());
        const std::string nested = specError("kind: generate\ntoy:\n  count: 5\n  seeds: 3\nteacher: {type: toy}\n");
        QVERIFY2(nested.find("line 4: unknown key 'seeds' in toy") != std::string::npos, nested.c_str());
        // Sections read by other libraries (teacher config, filter thresholds) report lines too.
        const std::string openai = specError("kind: generate\ntoy: {count: 5}\nteacher:\n  type: openai\n"
                                             "  model: m\n  retry:\n    max_attempts: 2\n    backof_base_s: 1\n");
        QVERIFY2(openai.find("line 8: unknown key 'backof_base_s' in teacher.retry") != std::string::npos, openai.c_str());
        const std::string filters = specError("kind: generate\ntoy: {count: 5}\nteacher: {type: toy}\nfilters:\n"
                                              "  language: en\n  max_lenght: 3\n");
        QVERIFY2(filters.find("line 6: unknown key 'max_lenght' in filters") != std::string::npos, filters.c_str());
    }

    void missingRequiredKeysAreErrors()
    {
        QVERIFY(specError("name: x\ntoy: {count: 5}\nteacher: {type: toy}\n").find("missing required key 'kind'")
                != std::string::npos);
        QVERIFY(specError("kind: generate\ntoy: {count: 5}\n").find("missing required key 'teacher'") != std::string::npos);
        QVERIFY(specError("kind: generate\ntoy: {count: 5}\nteacher: {seed: 1}\n").find("missing required key 'type' in teacher")
                != std::string::npos);
        QVERIFY(specError("kind: generate\nteacher: {type: toy}\n").find("exactly one of 'problems' and 'toy'")
                != std::string::npos);
    }

    void badValuesAreErrors()
    {
        const std::string rate = specError("kind: generate\ntoy: {count: 5}\nteacher:\n  type: toy\n  error_rate: 2\n");
        QVERIFY2(rate.find("line 5: 'error_rate' in teacher must be in [") != std::string::npos, rate.c_str());
        const std::string count = specError("kind: generate\ntoy: {count: many}\nteacher: {type: toy}\n");
        QVERIFY2(count.find("'count' in toy must be an integer") != std::string::npos, count.c_str());
        const std::string kind = specError("kind: distil\n");
        QVERIFY2(kind.find("unknown job kind 'distil'") != std::string::npos, kind.c_str());
        QVERIFY(specError("kind: generate\ntoy: [1, 2\n").find("job spec line") != std::string::npos);
        QVERIFY(specError("kind: generate\ntoy: {count: 5}\nteacher: {type: oracle}\n").find("unknown teacher type 'oracle'")
                != std::string::npos);
    }

    void resolvedSpecFillsDefaultsAndRoundTrips()
    {
        const auto job = registry().parse("kind: generate\ntoy: {count: 5}\nteacher: {type: toy}\n");
        const std::string yaml = job->resolvedYaml();
        for (const char* expected : {"kind: generate", "name: generate", "samples_per_problem: 1", "verify: true",
                                     "reject_incorrect: true", "error_rate: 0", "verbosity: digits", "terse_rate: 0",
                                     "split: train"})
            QVERIFY2(yaml.find(expected) != std::string::npos, expected);
        QCOMPARE(registry().parse(yaml)->resolvedYaml(), yaml);
        // A JSON-configured section (the readability filters) is resolved by its owner library.
        const auto filtered = registry().parse(
            "kind: generate\ntoy: {count: 5}\nteacher: {type: toy}\nfilters: {language: en, max_code_blocks: 1}\n");
        QVERIFY(filtered->resolvedYaml().find("max_code_blocks: 1") != std::string::npos);
        QCOMPARE(registry().parse(filtered->resolvedYaml())->resolvedYaml(), filtered->resolvedYaml());
    }

    void eventsAreJsonLines()
    {
        std::ostringstream out;
        run::EventSink sink(out);
        sink.started(7, "generate", "n", false);
        sink.progress(120, 3000, std::nullopt, std::nullopt);
        sink.progress(240, 3000, 41.5, 70.25);
        sink.metric("teacher/cost", 0.5, 240);
        sink.log("info", "bad utf-8: \xff\xfe");
        sink.checkpoint("/runs/3/step-500", 500);
        sink.error("network", "timeout", "", false);
        sink.finished("finished", 7, {{"written", 3}});
        const auto events = parseLines(QByteArray::fromStdString(out.str()));
        QCOMPARE(events.size(), std::size_t(8));
        QCOMPARE(events[0]["event"], "started");
        QCOMPARE(events[0]["run_id"], 7);
        QCOMPARE(events[1]["done"], 120);
        QCOMPARE(events[1]["total"], 3000);
        QVERIFY(events[1]["eta_s"].is_null());
        QCOMPARE(events[2]["eta_s"].get<double>(), 41.5);
        QCOMPARE(events[2]["rate"].get<double>(), 70.25);
        QCOMPARE(events[3]["name"], "teacher/cost");
        QCOMPARE(events[4]["event"], "log");
        QCOMPARE(events[5]["step"], 500);
        QCOMPARE(events[6]["fatal"], false);
        QCOMPARE(events[7]["summary"]["written"], 3);
    }

    void generateJobEndToEnd()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        store::Workspace ws = store::Workspace::create(path, {false, {}});
        std::ostringstream out;
        run::EventSink events(out);
        run::StopToken stop;
        const int count = 30, samples = 3;
        const double errorRate = 0.3;
        run::RunRequest request{toySpec(count, samples, errorRate, 0), std::nullopt, "test"};
        const run::RunResult result = run::runJob(registry(), ws, request, events, stop);
        QCOMPARE(result.status, std::string("finished"));

        const auto expected = expectedUnits(count, samples, errorRate);
        const std::int64_t units = std::int64_t(expected.size());
        int expectedCorrect = 0;
        for (const auto& [unit, correct] : expected)
            expectedCorrect += correct;
        QVERIFY(expectedCorrect < units);  // the error rate produced something to reject
        QCOMPARE(result.summary["written"].get<std::int64_t>(), units);
        QCOMPARE(result.summary["correct"].get<int>(), expectedCorrect);
        QCOMPARE(ws.countProblems("toy"), std::int64_t(expected.size() / samples));
        store::SampleQuery all;
        QCOMPARE(ws.countSamples(all), units);
        store::SampleQuery correct;
        correct.verdict = store::Verdict::Correct;
        QCOMPARE(ws.countSamples(correct), std::int64_t(expectedCorrect));
        store::SampleQuery rejected;
        rejected.status = store::SampleStatus::Rejected;
        QCOMPARE(ws.countSamples(rejected), units - expectedCorrect);
        store::SampleQuery accepted;
        accepted.status = store::SampleStatus::Accepted;
        QCOMPARE(ws.countSamples(accepted), std::int64_t(expectedCorrect));
        QCOMPARE(result.summary["accepted"].get<int>(), expectedCorrect);
        // Each sample's verdict is the one its (question, index) deserves.
        for (std::int64_t id : ws.sampleIds(all)) {
            const store::Sample s = *ws.sample(id);
            const auto key = std::make_pair(ws.problem(s.problemId)->question,
                                            json::parse(s.extrasJson)["sample_index"].get<std::int64_t>());
            QCOMPARE(s.verdict == store::Verdict::Correct, expected.at(key));
            QCOMPARE(s.rejectReason, std::string(expected.at(key) ? "" : "incorrect"));
            QVERIFY(s.thinkingTokens > 0);
            QCOMPARE(json::parse(s.messagesJson)[0]["content"].get<std::string>(), key.first);
        }
        const auto run = ws.run(result.runId);
        QVERIFY(run);
        QCOMPARE(run->status, std::string("finished"));
        QCOMPARE(run->kind, store::RunKind::Generate);
        QVERIFY(run->config.find("error_rate: 0.3") != std::string::npos);
        QVERIFY(!ws.metrics(result.runId, "teacher/completion_tokens").empty());
        const auto lines = parseLines(QByteArray::fromStdString(out.str()));
        QCOMPARE(lines.front()["event"], "started");
        QCOMPARE(lines.back()["event"], "finished");
        QCOMPARE(lines.back()["status"], "finished");

        // A rerun (a new run of the same spec) finds every unit done.
        std::ostringstream out2;
        run::EventSink events2(out2);
        const run::RunResult again = run::runJob(registry(), ws, request, events2, stop);
        QCOMPARE(again.summary["written"].get<int>(), 0);
        QCOMPARE(again.summary["skipped"].get<std::int64_t>(), units);
        QCOMPARE(ws.countSamples(all), units);
    }

    void resumeRejectsADifferentSpec()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        store::Workspace ws = store::Workspace::create(path, {false, {}});
        std::ostringstream out;
        run::EventSink events(out);
        run::StopToken stop;
        const auto first = run::runJob(registry(), ws, {toySpec(3, 1, 0, 0), std::nullopt, ""}, events, stop);
        QVERIFY_THROWS_EXCEPTION(Error, run::runJob(registry(), ws, {toySpec(3, 2, 0, 0), first.runId, ""}, events, stop));
        QVERIFY_THROWS_EXCEPTION(Error, run::runJob(registry(), ws, {"", 999, ""}, events, stop));
        const auto resumed = run::runJob(registry(), ws, {"", first.runId, ""}, events, stop);
        QCOMPARE(resumed.runId, first.runId);
        QCOMPARE(resumed.summary["skipped"].get<int>(), 3);
    }

    void cliPrintsJsonEvents()
    {
        QVERIFY2(!cliPath().isEmpty(), "DISTILLERY_CLI is not set");
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite");
        store::Workspace::create(ws.toStdString(), {false, {}});
        writeFile(dir.filePath("job.yaml"), toySpec(10, 2, 0.0, 0));
        QProcess p;
        p.start(cliPath(), {"run", dir.filePath("job.yaml"), "--workspace", ws});
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const auto events = parseLines(p.readAllStandardOutput());
        QVERIFY(events.size() >= 3);
        QCOMPARE(events.front()["event"], "started");
        QCOMPARE(events.back()["event"], "finished");
        QCOMPARE(events.back()["status"], "finished");
        QCOMPARE(events.back()["summary"]["correct"], 20);
        bool sawProgress = false, sawMetric = false;
        for (const json& e : events) {
            QVERIFY(e.contains("event"));
            if (e["event"] == "progress") {
                sawProgress = true;
                QVERIFY(e["done"].get<int>() <= e["total"].get<int>());
                QCOMPARE(e["total"], 20);
                // Requests sent and not answered: never more than what is left to do.
                QVERIFY(e.contains("in_flight"));
                QVERIFY(e["in_flight"].get<std::int64_t>() <= e["total"].get<std::int64_t>() - e["done"].get<std::int64_t>());
            }
            sawMetric |= e["event"] == "metric";
        }
        QVERIFY(sawProgress && sawMetric);
        const auto lastProgress = std::find_if(events.rbegin(), events.rend(), [](const json& e) { return e["event"] == "progress"; });
        QCOMPARE((*lastProgress)["done"].get<int>(), 20);
        QCOMPARE((*lastProgress)["in_flight"].get<int>(), 0);  // all answered

        // A spec error is a non-zero exit with an error event on stdout.
        writeFile(dir.filePath("bad.yaml"), "kind: generate\ntoy: {count: 1}\nteacher: {type: toy, colour: red}\n");
        QProcess bad;
        bad.start(cliPath(), {"run", dir.filePath("bad.yaml"), "--workspace", ws});
        QVERIFY(bad.waitForFinished(30000));
        QCOMPARE(bad.exitCode(), 2);
        const auto errors = parseLines(bad.readAllStandardOutput());
        QCOMPARE(errors.size(), std::size_t(1));
        QCOMPARE(errors[0]["event"], "error");
        QVERIFY(errors[0]["detail"].get<std::string>().find("unknown key 'colour' in teacher") != std::string::npos);
    }

    void killNineThenResume()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite");
        store::Workspace::create(ws.toStdString(), {false, {}});
        const int count = 50, samples = 2;
        writeFile(dir.filePath("job.yaml"), toySpec(count, samples, 0.2, 20));
        const auto expected = expectedUnits(count, samples, 0.2);

        QProcess p;
        p.start(cliPath(), {"run", dir.filePath("job.yaml"), "--workspace", ws});
        QVERIFY(p.waitForStarted());
        std::int64_t runId = 0;
        const auto events = test::readEvents(p, [&](const json& e) {
            if (e["event"] == "started")
                runId = e["run_id"].get<std::int64_t>();
            return e["event"] == "progress" && e["done"].get<int>() >= 15;
        });
        QVERIFY(runId > 0);
        QCOMPARE(events.back()["event"], "progress");
        p.kill();  // SIGKILL: no chance to clean up
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::CrashExit);

        const auto firstPart = storedUnits(ws.toStdString());
        QVERIFY(firstPart.size() >= 15);
        QVERIFY(firstPart.size() < expected.size());
        {  // the row the killed process left "running" reads as crashed
            const auto killed = store::Workspace::open(ws.toStdString(), store::OpenMode::ReadOnly);
            QCOMPARE(killed.run(runId)->status, std::string("crashed"));
        }

        // Resume, and kill the resumed process again mid-way.
        QProcess second;
        second.start(cliPath(), {"run", "--workspace", ws, "--resume", QString::number(runId)});
        QVERIFY(second.waitForStarted());
        const auto secondEvents = test::readEvents(second, [&](const json& e) {
            return e["event"] == "progress" && e["done"].get<std::size_t>() >= firstPart.size() + 10;
        });
        QCOMPARE(secondEvents.back()["event"], "progress");
        second.kill();
        QVERIFY(second.waitForFinished(10000));
        const auto partial = storedUnits(ws.toStdString());
        QVERIFY(partial.size() >= firstPart.size() + 10);
        QVERIFY(partial.size() < expected.size());

        QProcess resume;
        resume.start(cliPath(), {"run", dir.filePath("job.yaml"), "--workspace", ws, "--resume", QString::number(runId)});
        QVERIFY(resume.waitForFinished(60000));
        QCOMPARE(resume.exitCode(), 0);
        const auto resumedEvents = parseLines(resume.readAllStandardOutput());
        QCOMPARE(resumedEvents.front()["resumed"], true);
        QCOMPARE(resumedEvents.back()["status"], "finished");
        QCOMPARE(resumedEvents.back()["summary"]["skipped"].get<std::size_t>(), partial.size());

        const auto stored = storedUnits(ws.toStdString());
        QCOMPARE(stored.size(), expected.size());  // none missing
        for (const auto& [unit, copies] : stored) {
            QVERIFY(expected.count(unit));         // nothing unexpected
            QCOMPARE(copies, 1);                   // no duplicates
        }
        store::Workspace check = store::Workspace::open(ws.toStdString(), store::OpenMode::ReadOnly);
        QCOMPARE(check.run(runId)->status, std::string("finished"));
        QCOMPARE(check.runs().size(), std::size_t(1));
    }

    // Two processes run one generation spec at once: every unit is written once.
    void concurrentRunsWriteEachUnitOnce()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite");
        store::Workspace::create(ws.toStdString(), {false, {}});
        const int count = 30, samples = 2;
        writeFile(dir.filePath("job.yaml"), toySpec(count, samples, 0.2, 10));
        QProcess a, b;
        a.start(cliPath(), {"run", dir.filePath("job.yaml"), "--workspace", ws});
        b.start(cliPath(), {"run", dir.filePath("job.yaml"), "--workspace", ws});
        QVERIFY(a.waitForFinished(120000));
        QVERIFY(b.waitForFinished(120000));
        QCOMPARE(a.exitCode(), 0);
        QCOMPARE(b.exitCode(), 0);
        const auto expected = expectedUnits(count, samples, 0.2);
        const auto stored = storedUnits(ws.toStdString());
        QCOMPARE(stored.size(), expected.size());
        for (const auto& [unit, copies] : stored)
            QCOMPARE(copies, 1);
    }

    // Any exception from a job (not only distill::Error) ends its run as failed, with the events.
    void anExceptionFailsTheRun()
    {
        struct Boom : run::Job {
            std::string kind() const override { return "generate"; }
            std::string name() const override { return "boom"; }
            run::JobOutcome run(run::JobContext&) override { throw std::runtime_error("out of bounds"); }
        };
        run::JobRegistry jobs;
        jobs.add(run::SpecSchema("generate", "a job that throws", {}),
                 [](run::ResolvedSpec&, const std::string&) -> std::unique_ptr<run::Job> { return std::make_unique<Boom>(); });
        QTemporaryDir dir;
        auto ws = store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), {false, {}});
        std::ostringstream out;
        run::EventSink events(out);
        const auto result = run::runJob(jobs, ws, {"kind: generate\n", std::nullopt, ""}, events, run::StopToken());
        QCOMPARE(result.status, std::string("failed"));
        QCOMPARE(ws.run(result.runId)->status, std::string("failed"));
        QVERIFY(out.str().find("\"detail\":\"out of bounds\"") != std::string::npos);
        QVERIFY(out.str().find("\"event\":\"finished\"") != std::string::npos);
    }

    void sigtermStopsGracefully()
    {
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite");
        store::Workspace::create(ws.toStdString(), {false, {}});
        writeFile(dir.filePath("job.yaml"), toySpec(30, 2, 0.0, 20));
        QProcess p;
        p.start(cliPath(), {"run", dir.filePath("job.yaml"), "--workspace", ws});
        QVERIFY(p.waitForStarted());
        std::int64_t runId = 0;
        test::readEvents(p, [&](const json& e) {
            if (e["event"] == "started")
                runId = e["run_id"].get<std::int64_t>();
            return e["event"] == "progress" && e["done"].get<int>() >= 5;
        });
        p.terminate();  // SIGTERM
        const auto rest = test::readEvents(p, [](const json& e) { return e["event"] == "finished"; });
        QVERIFY(p.waitForFinished(10000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 0);
        QVERIFY(!rest.empty());
        QCOMPARE(rest.back()["event"], "finished");
        QCOMPARE(rest.back()["status"], "stopped");
        const auto written = rest.back()["summary"]["written"].get<std::size_t>();
        QVERIFY(written >= 5 && written < 60);
        QCOMPARE(storedUnits(ws.toStdString()).size(), written);  // everything reported is committed
        {
            store::Workspace check = store::Workspace::open(ws.toStdString(), store::OpenMode::ReadOnly);
            QCOMPARE(check.run(runId)->status, std::string("stopped"));
        }
        QProcess resume;
        resume.start(cliPath(), {"run", "--workspace", ws, "--resume", QString::number(runId)});
        QVERIFY(resume.waitForFinished(60000));
        QCOMPARE(resume.exitCode(), 0);
        QCOMPARE(storedUnits(ws.toStdString()).size(), std::size_t(60));
    }
};

QTEST_GUILESS_MAIN(TestRun)
#include "tst_run.moc"
