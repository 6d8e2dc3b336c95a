// Tests of `kind: pipeline`: stage specs checked at parse time with their lines, ${vars.*} and
// ${STAGE.KEY} references, stage outputs passed on at run time, and a pipeline killed (SIGKILL) in
// the middle of a stage, twice, that resumes with no stage run twice and no sample written twice.
#include "core/run/job_runner.h"
#include "core/run/pipeline_job.h"
#include "core/store/workspace.h"
#include "core/train/job_kinds.h"
#include "core/util/error.h"
#include "tests/support/cli_events.h"

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

// The error a spec gives: its detail, then its hint.
std::string specError(const std::string& yaml)
{
    try {
        train::allJobKinds().parse(yaml);
    } catch (const Error& e) {
        return e.detail() + "\n" + e.hint();
    }
    return {};
}

// Two toy generation stages around a freeze: the second stage's problems are the held-out split, so
// the two stages write different samples.
std::string toyPipeline(int count, int delayMs)
{
    std::ostringstream s;
    s << "kind: pipeline\n"
         "name: toy-chain\n"
         "vars:\n"
         "  count: " << count << "\n"
         "  delay: " << delayMs << "\n"
         "stages:\n"
         "  - name: teacher\n"
         "    spec:\n"
         "      kind: generate\n"
         "      toy:\n"
         "        count: ${vars.count}\n"
         "      samples_per_problem: 2\n"
         "      prompt:\n"
         "        user: \"{question}\"\n"
         "      teacher:\n"
         "        type: toy\n"
         "        error_rate: 0.2\n"
         "        seed: 3\n"
         "        delay_ms: ${vars.delay}\n"
         "      verify: true\n"
         "      reject_incorrect: true\n"
         "  - name: data\n"
         "    spec:\n"
         "      kind: freeze\n"
         "      dataset: chain-{count}\n"
         "      query:\n"
         "        source: toy\n"
         "        status: accepted\n"
         "  - name: more\n"
         "    spec:\n"
         "      kind: generate\n"
         "      name: more-after-${data.dataset}\n"
         "      toy:\n"
         "        count: ${vars.count}\n"
         "        split: heldout\n"
         "      samples_per_problem: 2\n"
         "      prompt:\n"
         "        user: \"{question}\"\n"
         "      teacher:\n"
         "        type: toy\n"
         "        seed: 4\n"
         "        delay_ms: ${vars.delay}\n";
    return s.str();
}

void writeFile(const QString& path, const std::string& text)
{
    std::ofstream out(path.toStdString(), std::ios::binary);
    out << text;
}


// Teacher samples per (question, sample index, origin detail): each must be written once.
std::map<std::string, int> sampleCopies(const store::Workspace& ws)
{
    std::map<std::string, int> out;
    store::SampleQuery q;
    q.origin = store::Origin::Teacher;
    for (std::int64_t id : ws.sampleIds(q)) {
        const store::Sample s = *ws.sample(id);
        const json extras = json::parse(s.extrasJson);
        ++out[ws.problem(s.problemId)->question + "#" + std::to_string(extras.at("sample_index").get<int>())];
    }
    return out;
}

bool isStage(const json& e, const std::string& stage, const std::string& status)
{
    return e.value("event", "") == "stage" && e.value("stage", "") == stage && e.value("status", "") == status;
}

}  // namespace

class TestPipeline : public QObject {
    Q_OBJECT
private slots:
    void stageSpecsAreCheckedWithTheirLines()
    {
        // A stage's unknown key: its line in the pipeline's file.
        std::string spec = toyPipeline(5, 0);
        spec.replace(spec.find("        seed: 3\n"), 16, "        sed: 3\n");
        const std::string e = specError(spec);
        QVERIFY2(e.find("line 18") != std::string::npos && e.find("unknown key 'sed' in teacher") != std::string::npos, e.c_str());
        // A reference to a later stage, to a missing var, and a bad stage name.
        std::string later = toyPipeline(5, 0);
        later.replace(later.find("chain-{count}"), 13, "${more.dataset}");
        const std::string l = specError(later);
        QVERIFY2(l.find("'more' is not an earlier stage") != std::string::npos && l.find("earlier stages: teacher") != std::string::npos,
                 l.c_str());
        std::string var = toyPipeline(5, 0);
        var.replace(var.find("${vars.delay}"), 13, "${vars.pause}");
        QVERIFY(specError(var).find("no value 'pause' in vars") != std::string::npos);
        std::string dup = toyPipeline(5, 0);
        dup.replace(dup.find("name: more\n"), 10, "name: data");
        QVERIFY(specError(dup).find("two stages are named 'data'") != std::string::npos);
        QVERIFY(specError("kind: pipeline\nstages: []\n").find("at least one stage") != std::string::npos);
        // A stage of an unknown kind names the kind.
        QVERIFY(specError("kind: pipeline\nstages:\n  - name: a\n    spec:\n      kind: distil\n").find("unknown job kind 'distil'")
                != std::string::npos);
    }

    void referencesTakeTheSummarysValues()
    {
        const json outputs = {{"sft", {{"checkpoint", "/runs/run-3/checkpoint-40"}, {"steps", 40}, {"eval", {{"loss", 0.5}}}}}};
        const json spec = {{"model", "${sft.checkpoint}"},
                           {"steps", "${sft.steps}"},
                           {"loss", "${sft.eval.loss}"},
                           {"label", "after ${sft.steps} steps"},
                           {"list", {"${sft.checkpoint}/config.json"}}};
        const json out = run::resolveStageReferences(spec, outputs, "eval");
        QCOMPARE(out["model"], json("/runs/run-3/checkpoint-40"));
        QCOMPARE(out["steps"], json(40));  // a whole-value reference keeps its type
        QCOMPARE(out["loss"], json(0.5));
        QCOMPARE(out["label"], json("after 40 steps"));
        QCOMPARE(out["list"][0], json("/runs/run-3/checkpoint-40/config.json"));
        try {
            run::resolveStageReferences(json{{"model", "${sft.best}"}}, outputs, "eval");
            QFAIL("a missing summary key must fail");
        } catch (const Error& e) {
            QVERIFY(e.detail().find("stage 'sft' left no 'best'") != std::string::npos);
            QVERIFY(e.hint().find("checkpoint") != std::string::npos);
        }
    }

    void stagesRunInOrderAndPassTheirOutputs()
    {
        QTemporaryDir dir;
        auto ws = store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), {false, {}});
        std::ostringstream log;
        run::EventSink events(log);
        run::RunRequest request;
        request.specText = toyPipeline(6, 0);
        const run::RunResult result = run::runJob(train::allJobKinds(), ws, request, events, run::StopToken());
        QCOMPARE(result.status, std::string("finished"));
        const auto children = ws.childRuns(result.runId);
        QCOMPARE(children.size(), std::size_t(3));
        QCOMPARE(children[0].stage, std::string("teacher"));
        QCOMPARE(children[2].stage, std::string("more"));
        // The freeze stage's dataset name reached the third stage's spec.
        const std::string dataset = result.summary["stages"][1]["summary"]["dataset"].get<std::string>();
        QVERIFY(dataset.starts_with("chain-"));
        QVERIFY(ws.dataset(dataset).has_value());
        QCOMPARE(children[2].name, "more-after-" + dataset);
        // Every stage's events are tagged with its name.
        std::istringstream lines(log.str());
        std::string line;
        int tagged = 0;
        while (std::getline(lines, line)) {
            const json e = json::parse(line);
            if (e.value("event", "") == "progress")
                tagged += e.contains("stage");
        }
        QVERIFY(tagged > 0);
    }

    void killNineMidStageThenResume()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        QVERIFY2(!cli.isEmpty(), "DISTILLERY_CLI is not set");
        QTemporaryDir dir;
        const QString ws = dir.filePath("ws.sqlite");
        store::Workspace::create(ws.toStdString(), {false, {}});
        const int count = 30;
        writeFile(dir.filePath("chain.yaml"), toyPipeline(count, 15));

        // Killed in the first stage.
        QProcess first;
        first.start(cli, {"run", dir.filePath("chain.yaml"), "--workspace", ws});
        QVERIFY(first.waitForStarted());
        std::int64_t pipelineRun = 0;
        auto events = test::readEvents(first, [&](const json& e) {
            if (e.value("event", "") == "started" && !e.contains("stage"))
                pipelineRun = e["run_id"].get<std::int64_t>();
            return e.value("event", "") == "progress" && e.value("stage", "") == "teacher" && e["done"].get<int>() >= 10;
        }, 60000);
        QVERIFY(pipelineRun > 0);
        QCOMPARE(events.back()["event"], "progress");
        first.kill();
        QVERIFY(first.waitForFinished(10000));

        // Resumed, then killed again in the third stage.
        QProcess second;
        second.start(cli, {"run", "--workspace", ws, "--resume", QString::number(pipelineRun)});
        QVERIFY(second.waitForStarted());
        events = test::readEvents(second, [](const json& e) {
            return e.value("event", "") == "progress" && e.value("stage", "") == "more" && e["done"].get<int>() >= 10;
        }, 60000);
        QCOMPARE(events.back()["event"], "progress");
        QVERIFY(std::any_of(events.begin(), events.end(), [](const json& e) { return isStage(e, "teacher", "resumed"); }));
        QVERIFY(std::any_of(events.begin(), events.end(), [](const json& e) { return isStage(e, "data", "started"); }));
        second.kill();
        QVERIFY(second.waitForFinished(10000));

        // Resumed to the end: the finished stages are skipped, the third resumes.
        QProcess third;
        third.start(cli, {"run", "--workspace", ws, "--resume", QString::number(pipelineRun)});
        QVERIFY(third.waitForFinished(120000));
        QCOMPARE(third.exitCode(), 0);
        events = test::readEvents(third, [](const json&) { return false; });
        QVERIFY(std::any_of(events.begin(), events.end(), [](const json& e) { return isStage(e, "teacher", "skipped"); }));
        QVERIFY(std::any_of(events.begin(), events.end(), [](const json& e) { return isStage(e, "data", "skipped"); }));
        QVERIFY(std::any_of(events.begin(), events.end(), [](const json& e) { return isStage(e, "more", "resumed"); }));
        QCOMPARE(events.back()["event"], "finished");
        QCOMPARE(events.back()["status"], "finished");

        const auto check = store::Workspace::open(ws.toStdString(), store::OpenMode::ReadOnly);
        QCOMPARE(check.run(pipelineRun)->status, std::string("finished"));
        // One run per stage, all finished.
        const auto children = check.childRuns(pipelineRun);
        QCOMPARE(children.size(), std::size_t(3));
        std::set<std::string> stages;
        for (const auto& r : children) {
            stages.insert(r.stage);
            QCOMPARE(r.status, std::string("finished"));
        }
        QCOMPARE(stages.size(), std::size_t(3));
        QCOMPARE(check.runs().size(), std::size_t(4));
        // The samples of the same pipeline run without interruption, each written once.
        auto reference = store::Workspace::create(dir.filePath("reference.sqlite").toStdString(), {false, {}});
        std::ostringstream log;
        run::EventSink sink(log);
        run::RunRequest request;
        request.specText = toyPipeline(count, 0);
        QCOMPARE(run::runJob(train::allJobKinds(), reference, request, sink, run::StopToken()).status, std::string("finished"));
        const auto copies = sampleCopies(check);
        QCOMPARE(copies, sampleCopies(reference));
        QVERIFY(copies.size() > std::size_t(3 * count));
        for (const auto& [unit, n] : copies)
            QVERIFY2(n == 1, unit.c_str());
    }
};

QTEST_GUILESS_MAIN(TestPipeline)
#include "tst_pipeline.moc"
