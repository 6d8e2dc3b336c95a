// The bundled recipes (resources/recipes) end to end on the toy domain, shortened: each runs as one
// pipeline whose stages hand on their outputs (datasets, checkpoints, the local teacher).
// The full-size distillation recipe is the toy demo (tst_toy_demo runs it with a GRPO stage). A stage
// edited with its form is written back into the recipe's text.
#include "core/run/job_runner.h"
#include "core/run/yaml_json.h"
#include "core/run/pipeline_edit.h"
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

    // A stage edited with its kind's form (simulated: the resolved values, one key changed, one
    // optional section switched on and one off) is written back into the recipe's text: the other
    // lines stay as written, and the values left alone keep their ${vars.*} references.
    void stageEditKeepsTheRestOfTheText()
    {
        QFile file(DISTILLERY_SOURCE_DIR "/resources/recipes/distillation.yaml");
        QVERIFY(file.open(QIODevice::ReadOnly));
        const std::string text = file.readAll().toStdString();
        const run::JobRegistry kinds = train::stageJobKinds();
        const auto stages = run::editableStages(text, kinds);
        QCOMPARE(stages.size(), std::size_t(4));
        const run::EditableStage& sft = stages[2];
        QCOMPARE(sft.kind, std::string("sft"));
        QCOMPARE(sft.written.at("train").at("max_steps").get<std::string>(), std::string("${vars.sft_steps}"));
        QCOMPARE(sft.shown.at("train").at("max_steps").get<int>(), 1000);

        YAML::Node shownNode = run::jsonToYaml(sft.shown);
        shownNode.remove("kind");
        shownNode.remove("name");
        nlohmann::ordered_json full = kinds.schema("sft").resolve(shownNode).values;
        full["train"]["lr"] = 0.001;
        full.erase("benchmark_eval");
        full["early_stopping"] = {{"metric", "eval_loss"}, {"patience", 4}, {"min_delta", 0.0}};
        const nlohmann::ordered_json changed = {{"train", {{"lr", 0.001}}}, {"early_stopping", {{"patience", 4}}}};
        const std::string edited = run::withStageSpec(text, 2, run::mergeStageEdit(sft, full, changed));

        // The text before the stage and the stages after it are unchanged, line for line.
        const std::string before = text.substr(0, text.find("  - name: sft"));
        QCOMPARE(edited.substr(0, before.size()), before);
        const std::string evalStage = text.substr(text.find("  - name: eval"));
        QCOMPARE(edited.substr(edited.size() - evalStage.size()), evalStage);
        // The edited stage: the change, the references kept, the section switched off gone.
        QVERIFY(edited.find("lr: 0.001") != std::string::npos);
        QVERIFY(edited.find("max_steps: ${vars.sft_steps}") != std::string::npos);
        QVERIFY(edited.find("save_every: ${vars.eval_every}") != std::string::npos);
        QVERIFY(edited.find("- name: ${data.dataset}") != std::string::npos);
        QVERIFY(edited.find("benchmark_eval") == std::string::npos);
        QVERIFY(edited.find("early_stopping:") != std::string::npos);

        // It reads back as the pipeline it should be.
        const auto reread = run::editableStages(edited, kinds);
        QCOMPARE(reread.size(), std::size_t(4));
        QCOMPARE(reread[2].shown.at("train").at("lr").get<double>(), 0.001);
        QCOMPARE(reread[2].shown.at("train").at("max_steps").get<int>(), 1000);
        QCOMPARE(reread[2].shown.at("early_stopping").at("patience").get<int>(), 4);
        QCOMPARE(reread[2].shown.at("data"), sft.shown.at("data"));
        QCOMPARE(reread[0].written, stages[0].written);
        QCOMPARE(reread[3].written, stages[3].written);
        QCOMPARE(train::allJobKinds().parse(edited)->kind(), std::string("pipeline"));

        // An edit that changes nothing gives the text back.
        nlohmann::ordered_json unchanged = kinds.schema("sft").resolve(shownNode).values;
        const std::string same = run::withStageSpec(text, 2, run::mergeStageEdit(sft, unchanged, {}));
        QCOMPARE(run::editableStages(same, kinds)[2].written, sft.written);
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
