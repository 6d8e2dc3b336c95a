// Tests of the toy pipeline behind `distillery-cli demo`, at a size that runs in seconds: the bundled
// distillation recipe plus a GRPO stage runs as one pipeline run whose stages are child runs, the report ends in the JSON line with the before/after numbers read
// from the training runs' benchmark metrics, a rerun resumes the same runs instead of starting new
// ones, and --fresh starts new runs.
#include "core/store/workspace.h"
#include "core/train/toy_demo.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <sstream>

using namespace distill;

namespace {

train::ToyDemoOptions smallDemo()
{
    train::ToyDemoOptions o;
    o.problems = 40;
    o.samplesPerProblem = 2;
    o.sftSteps = 4;
    o.grpoSteps = 2;
    o.evalProblems = 3;
    o.evalSamples = 2;
    o.buildVersion = "test";
    return o;
}

nlohmann::json lastLine(const std::string& report)
{
    const auto end = report.find_last_not_of('\n');
    const auto begin = report.rfind('\n', end);
    return nlohmann::json::parse(report.substr(begin == std::string::npos ? 0 : begin + 1, end - begin));
}

}  // namespace

class TestToyDemo : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void initTestCase() { qputenv("DISTILLERY_RESOURCES", DISTILLERY_SOURCE_DIR "/resources"); }

    void pipelineReportsAndResumes()
    {
        QVERIFY(m_dir.isValid());
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::openOrCreate(m_dir.filePath("demo.distillery").toStdString(), create);
        std::ostringstream events, report;
        run::EventSink sink(events);
        const auto out = train::runToyDemo(ws, smallDemo(), sink, report, run::StopToken());
        QCOMPARE(out.at("status").get<std::string>(), std::string("finished"));
        QCOMPARE(lastLine(report.str()), out);
        QCOMPARE(out.at("demo").get<std::string>(), std::string("toy"));
        for (const char* key : {"pass_at_1_before", "pass_at_1_after_sft", "pass_at_1_after_grpo"}) {
            const double v = out.at(key).get<double>();
            QVERIFY2(v >= 0.0 && v <= 1.0, key);
        }
        // The numbers are the training runs' benchmark metrics at their first and last steps.
        const auto sftRun = out.at("sft_run").get<std::int64_t>(), grpoRun = out.at("grpo_run").get<std::int64_t>();
        const auto sftPass = ws.metrics(sftRun, "eval/toy/pass@1");
        QCOMPARE(sftPass.size(), std::size_t(2));
        QCOMPARE(sftPass.front().step, std::int64_t(0));
        QCOMPARE(sftPass.front().value, out.at("pass_at_1_before").get<double>());
        QCOMPARE(sftPass.back().step, std::int64_t(4));
        QCOMPARE(sftPass.back().value, out.at("pass_at_1_after_sft").get<double>());
        const auto grpoPass = ws.metrics(grpoRun, "eval/toy/pass@1");
        QCOMPARE(grpoPass.back().step, std::int64_t(2));
        QCOMPARE(grpoPass.back().value, out.at("pass_at_1_after_grpo").get<double>());
        // The GRPO run starts from the SFT weights: its step-0 evaluation repeats the SFT's last one.
        QCOMPARE(grpoPass.front().step, std::int64_t(0));
        QCOMPARE(grpoPass.front().value, sftPass.back().value);
        // The paired gain: both evaluations cover the same problems with the same k, so its mean is
        // the plain difference of the two pass@1 values, and its interval contains it.
        const auto& gain = out.at("grpo_pass_at_1_gain");
        const double gainValue = gain.at("value").get<double>();
        QVERIFY(std::abs(gainValue - (grpoPass.back().value - grpoPass.front().value)) < 1e-12);
        QVERIFY(gain.at("ci").at(0).get<double>() <= gainValue + 1e-12);
        QVERIFY(gainValue <= gain.at("ci").at(1).get<double>() + 1e-12);
        // The curves' start and end: means of up to five steps, here both over the two steps.
        for (const auto& [key, metric] : {std::pair<const char*, const char*>{"grpo_reward_mean", "grpo/reward_mean"},
                                          {"grpo_response_length", "grpo/length_mean"}}) {
            const auto values = ws.metrics(grpoRun, metric);
            QCOMPARE(values.size(), std::size_t(2));
            const double mean = (values[0].value + values[1].value) / 2.0;
            QVERIFY2(std::abs(out.at(key).at(0).get<double>() - mean) < 1e-12, key);
            QVERIFY2(std::abs(out.at(key).at(1).get<double>() - mean) < 1e-12, key);
        }
        // Samples: all toy samples of the workspace, the kept ones frozen as the SFT dataset.
        const auto generated = out.at("samples_generated").get<std::int64_t>();
        const auto kept = out.at("samples_kept").get<std::int64_t>();
        QVERIFY(generated >= 70 && generated <= 80);  // 40 seeds x 2, less repeated questions
        QVERIFY(kept > 0 && kept < generated);        // the teacher's wrong traces were rejected
        QVERIFY(ws.dataset("distill-toy-" + std::to_string(kept)).has_value());
        QCOMPARE(out.at("dataset").get<std::string>(), "distill-toy-" + std::to_string(kept));
        // The evaluation stage: the SFT checkpoint on the same held-out problems.
        const double evalPass = out.at("eval_pass_at_1").at("value").get<double>();
        QVERIFY(evalPass >= 0.0 && evalPass <= 1.0);
        // The pipeline and its five stages, each a child run.
        QCOMPARE(ws.runs().size(), std::size_t(6));
        const auto stages = ws.childRuns(out.at("pipeline_run").get<std::int64_t>());
        QCOMPARE(stages.size(), std::size_t(5));
        QStringList names;
        for (const auto& r : stages)
            names << QString::fromStdString(r.stage);
        QCOMPARE(names, QStringList({"teacher", "data", "sft", "eval", "grpo"}));

        // A rerun resumes the pipeline (nothing new) and reports the same numbers.
        std::ostringstream again;
        const auto rerun = train::runToyDemo(ws, smallDemo(), sink, again, run::StopToken());
        QCOMPARE(ws.runs().size(), std::size_t(6));
        QCOMPARE(rerun.at("pipeline_run"), out.at("pipeline_run"));
        QCOMPARE(rerun.at("sft_run"), out.at("sft_run"));
        QCOMPARE(rerun.at("pass_at_1_after_sft"), out.at("pass_at_1_after_sft"));
        QCOMPARE(rerun.at("pass_at_1_after_grpo"), out.at("pass_at_1_after_grpo"));
        QCOMPARE(rerun.at("samples_generated"), out.at("samples_generated"));

        // --fresh: new runs; the deterministic pipeline gives the same numbers again.
        auto fresh = smallDemo();
        fresh.fresh = true;
        fresh.grpoSteps = 0;
        std::ostringstream third;
        const auto f = train::runToyDemo(ws, fresh, sink, third, run::StopToken());
        QCOMPARE(ws.runs().size(), std::size_t(11));  // a new pipeline with four stages
        QVERIFY(f.at("sft_run").get<std::int64_t>() != out.at("sft_run").get<std::int64_t>());
        QVERIFY(!f.contains("pass_at_1_after_grpo"));
        QCOMPARE(f.at("pass_at_1_after_sft"), out.at("pass_at_1_after_sft"));
    }

    void stopEndsTheStageInFlight()
    {
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::openOrCreate(m_dir.filePath("stopped.distillery").toStdString(), create);
        std::ostringstream events, report;
        run::EventSink sink(events);
        run::StopToken stop;
        stop.request();
        const auto out = train::runToyDemo(ws, smallDemo(), sink, report, stop);
        QCOMPARE(out.at("status").get<std::string>(), std::string("stopped"));
        QVERIFY(!out.contains("pass_at_1_after_sft"));
    }
};

QTEST_GUILESS_MAIN(TestToyDemo)
#include "tst_toy_demo.moc"
