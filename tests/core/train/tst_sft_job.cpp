// Tests of the `sft` job on the toy domain: spec strictness and resolved round trip, a short SFT of a
// tiny student that must cut the loss substantially, metrics and checkpoints in the workspace and run
// folder, keep-last-K, and stop -> resume giving the same losses as an uninterrupted run; the same
// with LoRA (loss cut, merged HF checkpoint plus PEFT adapter, exact resume); early stopping on the
// held-out loss keeping the best checkpoint.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/train/run_folder.h"
#include "core/train/sft_job.h"
#include "core/util/error.h"
#include "tests/support/stop_on_event.h"

#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace distill;
namespace fs = std::filesystem;

namespace {

std::string sftSpec(const std::string& outputDir, int maxSteps, int saveEvery, const std::string& modelConfig,
                    const std::string& extra = {})
{
    return "kind: sft\nname: toy-sft\n"
           "data: {datasets: [{name: toy}], max_seq_len: 256, eval_fraction: 0.1}\n"
           "model: {path: " + modelConfig + ", tokenizer: " + std::string(DISTILLERY_SOURCE_DIR) + "/resources/toy}\n"
           "train: {seed: 3, max_steps: " + std::to_string(maxSteps) + ", micro_batch_size: 4, grad_accumulation: 2,"
           " lr: 0.003, warmup_steps: 3, schedule: cosine, loss_chunk_tokens: 300}\n"
           "checkpoints: {save_every: " + std::to_string(saveEvery) + ", keep_last: 2, output_dir: " + outputDir + "}\n"
           + extra;
}

// The benchmark hook: 3 held-out toy problems x 2 samples at step 0, every 100 steps and at the end.
const char* kBenchmarkEval = "benchmark_eval: {benchmarks: [toy], every: 100, limit: 3, samples: 2, max_tokens: 64,"
                             " prompt: \"{question}\"}\n";

// LoRA on every projection of the student.
const char* kLora = "lora: {rank: 8, alpha: 32}\n";

std::map<std::int64_t, double> losses(const store::Workspace& ws, std::int64_t runId)
{
    std::map<std::int64_t, double> out;
    for (const auto& m : ws.metrics(runId, "train/loss"))
        out[m.step] = m.value;
    return out;
}

}  // namespace

class TestSftJob : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    std::string m_workspace;
    std::string m_config;  // a smaller student than the demo's, for test time

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        m_workspace = m_dir.filePath("toy.distillery").toStdString();
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::openOrCreate(m_workspace, create);
        run::JobRegistry jobs;
        run::registerGenerateJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        const auto result = run::runJob(jobs, ws,
                                        {"kind: generate\nname: t\ntoy: {count: 300, difficulty: 1}\nprompt: {user: \"{question}\"}\n"
                                         "teacher: {type: toy, error_rate: 0.1}\n",
                                         std::nullopt, "test"},
                                        events, run::StopToken());
        QCOMPARE(result.status, std::string("finished"));
        store::SampleQuery accepted;
        accepted.status = store::SampleStatus::Accepted;
        const auto dataset = ws.freezeDataset("toy", accepted);
        QVERIFY(dataset.sampleIds.size() > 200);

        std::ifstream in(fs::path(DISTILLERY_SOURCE_DIR) / "resources/toy/student_config.json");
        auto config = nlohmann::json::parse(in);
        config["hidden_size"] = 64;
        config["intermediate_size"] = 192;
        config["num_hidden_layers"] = 2;
        m_config = m_dir.filePath("student.json").toStdString();
        std::ofstream(m_config) << config.dump(1);
    }

    void specIsStrict()
    {
        run::JobRegistry jobs;
        train::registerSftJob(jobs);
        const auto job = jobs.parse(sftSpec("/tmp/x", 5, 0, m_config));
        QCOMPARE(jobs.parse(job->resolvedYaml())->resolvedYaml(), job->resolvedYaml());
        try {
            jobs.parse(sftSpec("/tmp/x", 5, 0, m_config) + "train2: {}\n");
            QFAIL("unknown key accepted");
        } catch (const Error& e) {
            QVERIFY(e.detail().find("train2") != std::string::npos);
        }
        QVERIFY_THROWS_EXCEPTION(Error, jobs.parse("kind: sft\ndata: {jsonl: a.jsonl}\nmodel: {path: m}\ntrain: {lr: -1}\n"));
        QVERIFY_THROWS_EXCEPTION(Error, jobs.parse("kind: sft\ndata: {}\nmodel: {path: m}\n"));
        // The benchmark_eval section round-trips and is strict too.
        const auto hooked = jobs.parse(sftSpec("/tmp/x", 5, 0, m_config, kBenchmarkEval));
        QVERIFY(hooked->resolvedYaml().find("benchmark_eval") != std::string::npos);
        QCOMPARE(jobs.parse(hooked->resolvedYaml())->resolvedYaml(), hooked->resolvedYaml());
        QVERIFY_THROWS_EXCEPTION(Error, jobs.parse(sftSpec("/tmp/x", 5, 0, m_config, "benchmark_eval: {benchmarks: [toy], evry: 3}\n")));
        QVERIFY_THROWS_EXCEPTION(Error, jobs.parse(sftSpec("/tmp/x", 5, 0, m_config, "benchmark_eval: {limit: 3}\n")));
    }

    void shortToySftCutsTheLoss()
    {
        auto ws = store::Workspace::open(m_workspace);
        run::JobRegistry jobs;
        train::registerSftJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        const std::string out = m_dir.filePath("short").toStdString();
        const auto result = run::runJob(jobs, ws, {sftSpec(out, 150, 0, m_config, kBenchmarkEval), std::nullopt, "test"},
                                        events, run::StopToken());
        QCOMPARE(result.status, std::string("finished"));
        const auto curve = losses(ws, result.runId);
        QCOMPARE(curve.size(), std::size_t(150));
        const double first = curve.begin()->second, last = curve.rbegin()->second;
        QVERIFY2(last < 0.4 * first, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
        QVERIFY(!ws.metrics(result.runId, "eval/loss").empty());
        QVERIFY(!ws.metrics(result.runId, "train/tokens_per_s").empty());
        QVERIFY(sink.str().find("\"event\":\"checkpoint\"") != std::string::npos);
        const auto latest = train::RunFolder(out).latest();
        QVERIFY(latest.has_value());
        const fs::path* final = &latest->folder;
        QCOMPARE(final->filename().string(), std::string("checkpoint-150"));
        QVERIFY(fs::exists(*final / "model.safetensors"));
        QVERIFY(fs::exists(*final / "config.json"));
        QVERIFY(fs::exists(*final / "tokenizer.json"));
        QCOMPARE(result.summary.at("checkpoint").get<std::string>(), final->string());

        // The benchmark hook evaluated the weights at steps 0, 100 and 150, each response recorded.
        const auto pass = ws.metrics(result.runId, "eval/toy/pass@1");
        QCOMPARE(pass.size(), std::size_t(3));
        QCOMPARE(pass[0].step, std::int64_t(0));
        QCOMPARE(pass[1].step, std::int64_t(100));
        QCOMPARE(pass[2].step, std::int64_t(150));
        QCOMPARE(ws.evalResults(result.runId, "step-0").size(), std::size_t(6));
        QCOMPARE(ws.evalResults(result.runId, "step-150").size(), std::size_t(6));
        const auto& bench = result.summary.at("benchmarks");
        QCOMPARE(bench.at("first").at("step").get<std::int64_t>(), std::int64_t(0));
        QCOMPARE(bench.at("last").at("step").get<std::int64_t>(), std::int64_t(150));
        QCOMPARE(bench.at("last").at("toy").at("pass@1").at("value").get<double>(), pass[2].value);
    }

    void earlyStoppingKeepsTheBestCheckpoint()
    {
        auto ws = store::Workspace::open(m_workspace);
        run::JobRegistry jobs;
        train::registerSftJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        // min_delta 100: no evaluation after the first improves on it, so the patience of 2 runs out
        // at the third evaluation (step 15 of 60); keep_last 1 prunes all but the newest and the best.
        const std::string out = m_dir.filePath("early").toStdString();
        std::string spec = sftSpec(out, 60, 0, m_config, "early_stopping: {metric: eval_loss, patience: 2, min_delta: 100}\n");
        spec.replace(spec.find("keep_last: 2"), 12, "keep_last: 1, eval_every: 5");
        const auto result = run::runJob(jobs, ws, {spec, std::nullopt, "test"}, events, run::StopToken());
        QCOMPARE(result.status, std::string("finished"));
        QCOMPARE(result.summary.at("steps").get<std::int64_t>(), std::int64_t(15));
        const auto& early = result.summary.at("early_stopping");
        QCOMPARE(early.at("stopped_early").get<bool>(), true);
        QCOMPARE(early.at("best_step").get<std::int64_t>(), std::int64_t(5));
        QCOMPARE(early.at("metric").get<std::string>(), std::string("eval_loss"));
        QCOMPARE(losses(ws, result.runId).size(), std::size_t(15));
        const auto evals = ws.metrics(result.runId, "eval/loss");
        QCOMPARE(evals.size(), std::size_t(3));
        QCOMPARE(early.at("best").get<double>(), evals[0].value);
        QCOMPARE(result.summary.at("best_checkpoint").get<std::string>(), (fs::path(out) / "checkpoint-5").string());
        QVERIFY(fs::exists(fs::path(out) / "checkpoint-5" / "model.safetensors"));
        QVERIFY(!fs::exists(fs::path(out) / "checkpoint-10"));
        QVERIFY(fs::exists(fs::path(out) / "checkpoint-15" / "model.safetensors"));

        // Rerunning the finished run trains no further: the stop is part of its state.
        run::RunRequest again;
        again.resumeRunId = result.runId;
        const auto rerun = run::runJob(jobs, ws, again, events, run::StopToken());
        QCOMPARE(rerun.status, std::string("finished"));
        QCOMPARE(rerun.summary.at("steps").get<std::int64_t>(), std::int64_t(15));
        QCOMPARE(losses(ws, result.runId).size(), std::size_t(15));
        QCOMPARE(ws.metrics(result.runId, "eval/loss").size(), std::size_t(3));

        // Without a min_delta the best is the lowest held-out loss, and its checkpoint outlives keep_last.
        const std::string out2 = m_dir.filePath("early2").toStdString();
        std::string spec2 = sftSpec(out2, 20, 0, m_config, "early_stopping: {metric: eval_loss, patience: 5}\n");
        spec2.replace(spec2.find("keep_last: 2"), 12, "keep_last: 1, eval_every: 4");
        const auto full = run::runJob(jobs, ws, {spec2, std::nullopt, "test"}, events, run::StopToken());
        QCOMPARE(full.status, std::string("finished"));
        QCOMPARE(full.summary.at("steps").get<std::int64_t>(), std::int64_t(20));
        QCOMPARE(full.summary.at("early_stopping").at("stopped_early").get<bool>(), false);
        const auto curve = ws.metrics(full.runId, "eval/loss");
        QCOMPARE(curve.size(), std::size_t(5));
        const auto lowest = std::min_element(curve.begin(), curve.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
        QCOMPARE(full.summary.at("early_stopping").at("best_step").get<std::int64_t>(), lowest->step);
        QVERIFY(fs::exists(fs::path(full.summary.at("best_checkpoint").get<std::string>()) / "model.safetensors"));

        // The metric needs its evaluation.
        QVERIFY_THROWS_EXCEPTION(Error, jobs.parse(sftSpec(out, 5, 0, m_config, "early_stopping: {metric: pass@1}\n")));
        std::string noHeldOut = sftSpec(out, 5, 0, m_config, "early_stopping: {}\n");
        noHeldOut.replace(noHeldOut.find("eval_fraction: 0.1"), 18, "eval_fraction: 0");
        QVERIFY_THROWS_EXCEPTION(Error, jobs.parse(noHeldOut));
    }

    void stopThenResumeGivesTheSameLosses()
    {
        checkStopThenResume("full", {});
    }

    void shortLoraSftCutsTheLoss()
    {
        auto ws = store::Workspace::open(m_workspace);
        run::JobRegistry jobs;
        train::registerSftJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        // The base: the student after a short full fine-tuning, an HF folder.
        const std::string baseRun = m_dir.filePath("lora-base").toStdString();
        const auto base = run::runJob(jobs, ws, {sftSpec(baseRun, 40, 0, m_config), std::nullopt, "test"}, events,
                                      run::StopToken());
        QCOMPARE(base.status, std::string("finished"));
        const std::string baseFolder = base.summary.at("checkpoint").get<std::string>();

        const std::string out = m_dir.filePath("lora-short").toStdString();
        const auto result = run::runJob(jobs, ws, {sftSpec(out, 60, 0, baseFolder, kLora), std::nullopt, "test"}, events,
                                        run::StopToken());
        QCOMPARE(result.status, std::string("finished"));
        const auto curve = losses(ws, result.runId);
        QCOMPARE(curve.size(), std::size_t(60));
        // Mean loss of the first and the last 10 steps. Embeddings, norms and the tied lm_head stay
        // frozen, which limits this byte-level student far more than the rank: training all projection
        // weights alone cuts the loss about as much (2.36 -> 2.18), full fine-tuning to 0.99.
        double first = 0.0, last = 0.0;
        for (const auto& [step, loss] : curve) {
            if (step < 10)
                first += loss / 10.0;
            if (step >= 50)
                last += loss / 10.0;
        }
        qDebug("LoRA over a base at loss %g: mean %g over the first 10 steps, %g over the last 10",
               losses(ws, base.runId).rbegin()->second, first, last);
        QVERIFY2(last < first - 0.05, qPrintable(QString("loss %1 -> %2").arg(first).arg(last)));
        QVERIFY(sink.str().find(" parameters trained") != std::string::npos);

        // The checkpoint is a plain HF folder of the merged weights, with the PEFT adapter beside.
        const auto latest = train::RunFolder(out).latest();
        QVERIFY(latest.has_value());
        const fs::path* final = &latest->folder;
        QVERIFY(fs::exists(*final / "adapter" / "adapter_model.safetensors"));
        QVERIFY(fs::exists(*final / "adapter" / "adapter_config.json"));
        const auto merged = model::loadModel(*final);
        QVERIFY(!merged.model->lora());
        std::ifstream in(*final / "adapter" / "adapter_config.json");
        const auto config = nlohmann::json::parse(in);
        QCOMPARE(config.at("r").get<int>(), 8);
        QCOMPARE(config.at("base_model_name_or_path").get<std::string>(), baseFolder);
    }

    void loraStopThenResumeGivesTheSameLosses()
    {
        checkStopThenResume("lora", kLora);
    }

    // A second run given the first one's output_dir is refused: it would resume the first's checkpoints.
    void twoRunsCannotShareAnOutputDir()
    {
        auto ws = store::Workspace::open(m_workspace);
        run::JobRegistry jobs;
        train::registerSftJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        const std::string shared = m_dir.filePath("shared-out").toStdString();
        const auto first = run::runJob(jobs, ws, {sftSpec(shared, 2, 0, m_config, ""), std::nullopt, "test"}, events,
                                       run::StopToken());
        QCOMPARE(first.status, std::string("finished"));
        const auto second = run::runJob(jobs, ws, {sftSpec(shared, 2, 0, m_config, "") + "# another run\n", std::nullopt, "test"},
                                        events, run::StopToken());
        QCOMPARE(second.status, std::string("failed"));
        QVERIFY2(sink.str().find("holds another run's checkpoints") != std::string::npos, sink.str().c_str());
        run::RunRequest again;  // the first run itself may still resume there
        again.resumeRunId = first.runId;
        QCOMPARE(run::runJob(jobs, ws, again, events, run::StopToken()).status, std::string("finished"));
    }

private:
    // Runs 8 steps with a checkpoint every 2, then the same run stopped at its first checkpoint and
    // resumed by a fresh job: the resumed run's losses equal the uninterrupted one's.
    void checkStopThenResume(const std::string& tag, const std::string& extra)
    {
        auto ws = store::Workspace::open(m_workspace);
        run::JobRegistry jobs;
        train::registerSftJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        const std::string whole = m_dir.filePath(QString::fromStdString(tag + "-whole")).toStdString();
        const auto a = run::runJob(jobs, ws, {sftSpec(whole, 8, 2, m_config, extra), std::nullopt, "test"}, events,
                                   run::StopToken());
        QCOMPARE(a.status, std::string("finished"));
        // keep_last 2: checkpoint-6 and checkpoint-8 remain.
        QVERIFY(!fs::exists(fs::path(whole) / "checkpoint-4"));
        QVERIFY(fs::exists(fs::path(whole) / "checkpoint-6"));
        QVERIFY(fs::exists(fs::path(whole) / "checkpoint-8"));

        const std::string parts = m_dir.filePath(QString::fromStdString(tag + "-parts")).toStdString();
        run::StopToken stop;
        test::StopOnEvent buffer(stop, "checkpoint");
        std::ostream stream(&buffer);
        run::EventSink stopping(stream);
        const auto b = run::runJob(jobs, ws, {sftSpec(parts, 8, 2, m_config, extra), std::nullopt, "test"}, stopping, stop);
        QCOMPARE(b.status, std::string("stopped"));
        QCOMPARE(losses(ws, b.runId).size(), std::size_t(3));  // stopped after the step following checkpoint-2
        QVERIFY(fs::exists(fs::path(parts) / "checkpoint-3"));

        // Metrics a killed process wrote after its last checkpoint are recorded again, not twice.
        ws.addMetrics({{b.runId, 3, "train/loss", 99.0, 0}, {b.runId, 4, "train/loss", 99.0, 0}});
        // A fresh job object (as a new process would) continues from the latest checkpoint.
        run::RunRequest resume;
        resume.resumeRunId = b.runId;
        const auto c = run::runJob(jobs, ws, resume, events, run::StopToken());
        QCOMPARE(c.status, std::string("finished"));
        const auto expected = losses(ws, a.runId);
        const auto resumed = losses(ws, b.runId);
        QCOMPARE(resumed.size(), expected.size());
        QCOMPARE(ws.metrics(b.runId, "train/loss").size(), expected.size());  // one row per step
        for (const auto& [step, loss] : expected)
            QVERIFY2(std::abs(resumed.at(step) - loss) < 1e-6,
                     qPrintable(QString("step %1: %2 vs %3").arg(step).arg(resumed.at(step)).arg(loss)));
    }
};

QTEST_GUILESS_MAIN(TestSftJob)
#include "tst_sft_job.moc"
