// The bundled recipes (resources/recipes) end to end on the toy domain, shortened: each runs as one
// pipeline whose stages hand on their outputs (datasets, checkpoints, the local teacher).
// The full-size distillation recipe is the toy demo (tst_toy_demo runs it with a GRPO stage).
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/train/job_kinds.h"

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <QTemporaryDir>
#include <QtTest>

#include <map>
#include <sstream>

using namespace distill;
using nlohmann::json;

namespace {

// The recipe with some vars replaced.
std::string recipe(const std::string& name, const std::map<std::string, std::string>& vars)
{
    YAML::Node spec = YAML::LoadFile(std::string(DISTILLERY_SOURCE_DIR) + "/resources/recipes/" + name + ".yaml");
    for (const auto& [key, value] : vars) {
        if (!spec["vars"][key])
            throw std::runtime_error("the recipe has no var " + key);
        spec["vars"][key] = value;
    }
    YAML::Emitter out;
    out << spec;
    return out.c_str();
}

run::RunResult runRecipe(store::Workspace& ws, const std::string& spec)
{
    std::ostringstream log;
    run::EventSink events(log);
    run::RunRequest request;
    request.specText = spec;
    return run::runJob(train::allJobKinds(), ws, request, events, run::StopToken());
}

std::map<std::string, json> stageSummaries(const run::RunResult& result)
{
    std::map<std::string, json> out;
    for (const json& s : result.summary.at("stages")) {
        if (s.at("status") != "finished")
            throw std::runtime_error("stage " + s.at("stage").get<std::string>() + " did not finish");
        out[s.at("stage").get<std::string>()] = s.at("summary");
    }
    return out;
}

}  // namespace

class TestRecipes : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        qputenv("DISTILLERY_RESOURCES", DISTILLERY_SOURCE_DIR "/resources");
        QVERIFY(m_dir.isValid());
    }

    void everyRecipeParses()
    {
        for (const char* name : {"distillation", "r1", "s1"}) {
            const auto job = train::allJobKinds().parse(recipe(name, {}));
            QCOMPARE(job->kind(), std::string("pipeline"));
            QCOMPARE(job->name(), std::string(name));
        }
    }

    void r1ChainRunsEndToEnd()
    {
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::openOrCreate(m_dir.filePath("r1.distillery").toStdString(), create);
        const auto result = runRecipe(ws, recipe("r1", {{"cold_problems", "40"}, {"cold_steps", "3"}, {"rl_steps", "1"},
                                                        {"rs_problems", "6"}, {"rs_samples", "2"}, {"rs_status", "any"},
                                                        {"sft_steps", "3"}, {"eval_problems", "3"}, {"eval_samples", "2"}}));
        QVERIFY2(result.status == "finished", result.summary.dump().c_str());
        const auto stages = stageSummaries(result);
        QCOMPARE(stages.size(), std::size_t(9));
        // The rejection-sampling stage ran the RL checkpoint as a local teacher on 6 x 2 samples, and
        // the final SFT trained on its samples plus the cold start.
        const std::string rlCheckpoint = stages.at("rl").at("checkpoint").get<std::string>();
        QVERIFY(stages.at("rs").at("teacher").get<std::string>().find("local:") == 0);
        const auto rsData = ws.dataset(stages.at("rs_data").at("dataset").get<std::string>());
        const auto coldData = ws.dataset(stages.at("cold_data").at("dataset").get<std::string>());
        QVERIFY(rsData && coldData);
        QCOMPARE(rsData->sampleIds.size(), std::size_t(12));
        QVERIFY(coldData->sampleIds.size() > 20);
        // The cold start is in R1's readable pattern: every answer a summary above the result.
        QVERIFY(stages.at("cold_format").at("samples").at("summarized").get<int>() > 20);
        for (std::int64_t id : coldData->sampleIds)
            QVERIFY(ws.sample(id)->answer.starts_with("**Summary.** "));
        for (std::int64_t id : rsData->sampleIds)  // no cold-start sample in the rejection-sampled set
            QCOMPARE(ws.sample(id)->originDetail, stages.at("rs").at("teacher").get<std::string>());
        QVERIFY(stages.at("eval").at("toy").at("pass@1").at("value").get<double>() >= 0.0);
        // The GRPO stage started from the cold-start SFT checkpoint.
        const auto children = ws.childRuns(result.runId);
        QCOMPARE(children.size(), std::size_t(9));
        QVERIFY(children[4].config.find(stages.at("cold_sft").at("checkpoint").get<std::string>()) != std::string::npos);
        QVERIFY(children[5].config.find(rlCheckpoint) != std::string::npos);
    }

    void s1SelectionAndBudgetSweepRun()
    {
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::openOrCreate(m_dir.filePath("s1.distillery").toStdString(), create);
        const auto result = runRecipe(ws, recipe("s1", {{"problems", "60"}, {"select", "10"}, {"sft_steps", "3"},
                                                        {"eval_problems", "3"}, {"eval_samples", "2"}}));
        QVERIFY2(result.status == "finished", result.summary.dump().c_str());
        const auto stages = stageSummaries(result);
        const auto data = ws.dataset(stages.at("data").at("dataset").get<std::string>());
        QVERIFY(data.has_value());
        QCOMPARE(data->sampleIds.size(), std::size_t(10));  // one kept sample per selected problem
        // Three evaluations of the same checkpoint, labelled by budget.
        const auto children = ws.childRuns(result.runId);
        QCOMPARE(children.size(), std::size_t(7));
        for (const char* label : {"budget-24", "budget-64", "no-budget"}) {
            bool found = false;
            for (const auto& r : children)
                found = found || !ws.evalResults(r.id, label).empty();
            QVERIFY2(found, label);
        }
    }
};

QTEST_GUILESS_MAIN(TestRecipes)
#include "tst_recipes.moc"
