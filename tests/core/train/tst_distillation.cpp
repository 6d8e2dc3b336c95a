// Tests of logit distillation beyond the dense loss of tst_sft: the sparse (cached top-k) KD loss and
// its gradient against the formula on full logits, top-k with k = V against the on-the-fly teacher,
// the cache file (round trip, a resumed pass, the trainer reading it by example index), the
// temperature schedule (values, and a step's loss using that step's T), the vocabulary check, the
// spec keys, and an `sft` job distilling from a cache whose pass was stopped and resumed.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/run/job_runner.h"
#include "core/run/spec_map.h"
#include "core/store/workspace.h"
#include "core/train/sft_job.h"
#include "core/train/lr_schedule.h"
#include "core/train/sft_spec.h"
#include "core/train/sft_trainer.h"
#include "core/train/teacher_cache.h"
#include "core/train/token_loss.h"
#include "core/util/error.h"
#include "tests/core/train/random_examples.h"
#include "tests/support/stop_on_event.h"
#include "tests/support/tensor_checks.h"

#include <QTemporaryDir>
#include <QtTest>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

using namespace distill;
using namespace distill::train;
namespace fs = std::filesystem;
using namespace distill::test;

namespace {

fs::path fixtureModel()
{
    return fs::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/models/tiny-qwen2";
}

// k distinct random token ids per row [N, k] and arbitrary log-probs [N, k].
std::pair<at::Tensor, at::Tensor> randomTopK(std::int64_t n, std::int64_t vocab, std::int64_t k)
{
    const auto ids = torch::rand({n, vocab}).argsort(-1, false).narrow(1, 0, k).contiguous();  // [n, k]
    return {ids, torch::randn({n, k}) * 2.0 - 3.0};
}

std::string readBytes(const fs::path& file)
{
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), {}};
}

// A spec as the job registry reads it, with its resolved YAML.
struct ParsedSft : SftSpec {
    std::string yaml;
};

ParsedSft specFrom(const std::string& yaml)
{
    run::JobRegistry registry;
    registerSftJob(registry);
    const auto job = registry.parse(yaml);
    return {dynamic_cast<const SftJob&>(*job).spec(), job->resolvedYaml()};
}

std::string sftSpecYaml(const ParsedSft& spec)
{
    return spec.yaml;
}

}  // namespace

class TestDistillation : public QObject {
    Q_OBJECT

private slots:
    void sparseLossMatchesFormula()
    {
        torch::manual_seed(11);
        const std::int64_t N = 23, V = 30, H = 12, k = 7;
        const auto hidden = torch::randn({N, H}, torch::requires_grad());
        const auto weight = torch::randn({V, H}, torch::requires_grad());
        const auto targets = torch::randint(0, V, {N}, torch::kLong);
        const auto [ids, logProbs] = randomTopK(N, V, k);
        TokenLossOptions options;
        options.chunkTokens = 5;
        options.alpha = 0.3;
        options.temperature = 1.7;
        const auto fused = tokenLossSumTopK(hidden, weight, targets, options, ids, logProbs);
        fused.backward();
        const auto gh = takeGrad(hidden), gw = takeGrad(weight);

        // The formula on full logits: the teacher's k log-probs renormalised at T, zero elsewhere;
        // KL = sum over the support of p (log p - log q), q the student's full softmax at T.
        const double T = options.temperature, alpha = options.alpha;
        const auto student = hidden.matmul(weight.t());  // [N, V]
        const auto ce = torch::nn::functional::cross_entropy(
            student, targets, torch::nn::functional::CrossEntropyFuncOptions().reduction(torch::kSum));
        const auto topP = torch::exp(logProbs / T) / torch::exp(logProbs / T).sum(-1, true);  // [N, k]
        const auto p = torch::zeros({N, V}).scatter(1, ids, topP);                              // [N, V]
        const auto kl = (torch::xlogy(p, p) - p * torch::log_softmax(student / T, -1)).sum();
        const auto direct = alpha * ce + (1 - alpha) * T * T * kl;
        direct.backward();
        QVERIFY2(std::abs(fused.item<double>() - direct.item<double>()) < 1e-3,
                 qPrintable(QString("%1 vs %2").arg(fused.item<double>()).arg(direct.item<double>())));
        QVERIFY(maxAbsDiff(gh, hidden.grad()) < 1e-4);
        QVERIFY(maxAbsDiff(gw, weight.grad()) < 1e-4);
        // The KD term alone (alpha 0) is not zero: the test above exercises it.
        options.alpha = 0.0;
        QVERIFY(tokenLossSumTopK(hidden, weight, targets, options, ids, logProbs).item<double>() > 1.0);
    }

    void fullTopKEqualsOnTheFlyTeacher()
    {
        torch::manual_seed(12);
        const std::int64_t N = 19, V = 40;
        const auto hidden = torch::randn({N, 10}, torch::requires_grad());
        const auto weight = torch::randn({V, 10}, torch::requires_grad());
        const auto teacherHidden = torch::randn({N, 16});
        const auto teacherWeight = torch::randn({V, 16});
        const auto targets = torch::randint(0, V, {N}, torch::kLong);
        TokenLossOptions options;
        options.chunkTokens = 6;
        options.alpha = 0.4;
        options.temperature = 2.5;
        const auto onTheFly = tokenLossSum(hidden, weight, targets, options, teacherHidden, teacherWeight);
        onTheFly.backward();
        const auto gh = takeGrad(hidden), gw = takeGrad(weight);
        const auto [values, ids] = torch::log_softmax(teacherHidden.matmul(teacherWeight.t()), -1).topk(V, -1);
        const auto cached = tokenLossSumTopK(hidden, weight, targets, options, ids, values);
        cached.backward();
        QVERIFY2(std::abs(cached.item<double>() - onTheFly.item<double>()) < 1e-3,
                 qPrintable(QString("%1 vs %2").arg(cached.item<double>()).arg(onTheFly.item<double>())));
        QVERIFY(maxAbsDiff(gh, hidden.grad()) < 1e-5);
        QVERIFY(maxAbsDiff(gw, weight.grad()) < 1e-5);
    }

    void cacheFileRoundTrips()
    {
        QTemporaryDir dir;
        const fs::path file = fs::path(dir.path().toStdString()) / kTeacherCacheFile;
        const auto examples = randomExamples({9, 14, 6}, 50, 13);
        const auto header = teacherCacheHeader(50, 5, examples);
        QCOMPARE(header.offsets, (std::vector<std::int64_t>{0, 6, 16, 20}));  // trained tokens after the first
        QCOMPARE(header.headerBytes(), std::int64_t(8 + 4 + 4 + 8 + 8 + 4 * 8));
        torch::manual_seed(14);
        const auto [ids, logProbs] = randomTopK(header.offsets.back(), 50, header.k);
        {
            std::ofstream out(file, std::ios::binary);
            writeTeacherCacheHeader(out, header);
            writeTeacherRecords(out, ids, logProbs);
        }
        QCOMPARE(std::int64_t(fs::file_size(file)), header.headerBytes() + 20 * 5 * 8);
        QVERIFY(teacherCacheComplete(file, header));
        QVERIFY(!teacherCacheComplete(file, teacherCacheHeader(50, 4, examples)));
        TeacherCache cache(file);
        QVERIFY(cache.header() == header);
        for (std::int64_t e = 0; e < 3; ++e) {
            const auto [readIds, readLogProbs] = cache.read(e);
            const auto begin = header.offsets[std::size_t(e)], n = header.offsets[std::size_t(e + 1)] - begin;
            QVERIFY(torch::equal(readIds, ids.narrow(0, begin, n)));
            QVERIFY(torch::equal(readLogProbs, logProbs.narrow(0, begin, n)));
        }
        // A batch's rows of examples 2, 0 | 1: the records in the order of the batch's targets.
        TrainBatch batch;
        cache.attach(batch, {{2, 0}, {1}});
        QVERIFY(torch::equal(batch.teacherTopIds, torch::cat({ids.narrow(0, 16, 4), ids.narrow(0, 0, 6), ids.narrow(0, 6, 10)})));
        // A file cut short is refused with a clear error.
        fs::resize_file(file, fs::file_size(file) - 8);
        QVERIFY_THROWS_EXCEPTION(Error, TeacherCache{file});
    }

    void cachePassResumesAndTrainsLikeTheTeacher()
    {
        QTemporaryDir dir;
        const fs::path folder(dir.path().toStdString());
        auto student = model::loadModel(fixtureModel()).model;
        auto teacher = model::buildModel(model::ModelConfig::fromFile(fixtureModel() / "config.json"), {}, 7);
        const auto V = student->config().vocabSize;
        const auto examples = randomExamples({11, 7, 19, 13, 9, 16}, V, 15);
        const auto header = teacherCacheHeader(V, V, examples);  // k = V: the exact teacher
        TeacherPassOptions pass;
        pass.rowsPerBatch = 1;
        pass.maxSeqLen = 32;  // two or three examples per row, so three or more batches
        pass.chunkTokens = 7;

        // Stopped after the first batch: a partial file and no cache; a second call finishes it.
        int calls = 0;
        QVERIFY(!buildTeacherCache(folder / "a.bin", *teacher, examples, header, pass,
                                   [&](std::uint64_t done, std::uint64_t total) {
                                       ++calls;
                                       return done == total;
                                   }));
        QCOMPARE(calls, 1);
        QVERIFY(fs::exists(folder / "a.bin.partial") && !teacherCacheComplete(folder / "a.bin", header));
        std::vector<std::uint64_t> resumedFrom;
        QVERIFY(buildTeacherCache(folder / "a.bin", *teacher, examples, header, pass,
                                  [&](std::uint64_t done, std::uint64_t) {
                                      resumedFrom.push_back(done);
                                      return true;
                                  }));
        QVERIFY(resumedFrom.size() >= 2 && resumedFrom.back() == examples.size());
        QVERIFY(teacherCacheComplete(folder / "a.bin", header) && !fs::exists(folder / "a.bin.partial"));
        // The same bytes as one uninterrupted pass with other batching.
        pass.rowsPerBatch = 4;
        pass.maxSeqLen = 64;
        QVERIFY(buildTeacherCache(folder / "b.bin", *teacher, examples, header, pass, {}));
        std::ifstream a(folder / "a.bin", std::ios::binary), b(folder / "b.bin", std::ios::binary);
        const std::string bytesA{std::istreambuf_iterator<char>(a), {}}, bytesB{std::istreambuf_iterator<char>(b), {}};
        QCOMPARE(bytesA.size(), bytesB.size());
        const auto floatsA = torch::from_blob(const_cast<char*>(bytesA.data()) + header.headerBytes(),
                                              {header.offsets.back(), 2 * V}, torch::kInt);
        const auto floatsB = torch::from_blob(const_cast<char*>(bytesB.data()) + header.headerBytes(),
                                              {header.offsets.back(), 2 * V}, torch::kInt);
        const auto logProbsA = floatsA.narrow(1, V, V).contiguous().view(torch::kFloat);
        const auto logProbsB = floatsB.narrow(1, V, V).contiguous().view(torch::kFloat);
        const double scale = logProbsA.abs().max().item<double>();
        QVERIFY2(maxAbsDiff(logProbsA, logProbsB) < 1e-5 * scale,
                 qPrintable(QString("%1 of %2").arg(maxAbsDiff(logProbsA, logProbsB)).arg(scale)));

        // A shuffled packed batch: the cached teacher gives the loss and gradients of the model teacher.
        TrainerOptions options;
        options.loss.alpha = 0.25;
        options.loss.chunkTokens = 16;
        options.temperature = {ScheduleKind::Constant, 1.5, 1.5, 1};
        const MicroBatchPlan rows = {{4, 1}, {0, 5, 3}, {2}};
        SftTrainer withModel(student, options);
        withModel.setTeacher(teacher);
        const auto lossModel = withModel.lossSum(makeBatch(examples, rows, 0));
        lossModel.backward();
        const auto gradsModel = gradsOf(*student);
        zeroGrads(*student);
        SftTrainer withCache(student, options);
        TeacherCache cache(folder / "a.bin");
        auto batch = makeBatch(examples, rows, 0);
        cache.attach(batch, rows);
        const auto lossCache = withCache.lossSum(batch);
        lossCache.backward();
        const auto gradsCache = gradsOf(*student);
        zeroGrads(*student);
        QVERIFY2(std::abs(lossCache.item<double>() - lossModel.item<double>()) < 1e-3,
                 qPrintable(QString("%1 vs %2").arg(lossCache.item<double>()).arg(lossModel.item<double>())));
        for (std::size_t i = 0; i < gradsModel.size(); ++i)
            QVERIFY2(maxAbsDiff(gradsCache[i], gradsModel[i]) < 1e-5 * std::max(1.0, gradsModel[i].abs().max().item<double>()),
                     qPrintable(QString("%1: %2").arg(i).arg(maxAbsDiff(gradsCache[i], gradsModel[i]))));
    }

    void temperatureSchedules()
    {
        const TemperatureSchedule constant{ScheduleKind::Constant, 2.0, 2.0, 5};
        QCOMPARE(constant.at(0), 2.0);
        QCOMPARE(constant.at(4), 2.0);
        const TemperatureSchedule linear{ScheduleKind::Linear, 2.0, 1.0, 5};
        QCOMPARE(linear.at(0), 2.0);
        QCOMPARE(linear.at(1), 1.75);
        QCOMPARE(linear.at(2), 1.5);
        QCOMPARE(linear.at(4), 1.0);
        QCOMPARE(linear.at(9), 1.0);  // past the last step: the end value
        const TemperatureSchedule cosine{ScheduleKind::Cosine, 2.0, 1.0, 5};
        QCOMPARE(cosine.at(0), 2.0);
        QVERIFY(std::abs(cosine.at(1) - (1.0 + 0.5 * (1.0 + std::cos(M_PI / 4)))) < 1e-12);
        QVERIFY(std::abs(cosine.at(2) - 1.5) < 1e-12);
        QVERIFY(std::abs(cosine.at(4) - 1.0) < 1e-12);
        const TemperatureSchedule oneStep{ScheduleKind::Linear, 3.0, 1.0, 1};
        QCOMPARE(oneStep.at(0), 3.0);
    }

    void stepLossUsesTheStepsTemperature()
    {
        auto student = model::loadModel(fixtureModel()).model;
        const auto V = student->config().vocabSize;
        const auto examples = randomExamples({12, 17, 9}, V, 16);
        const MicroBatchPlan rows = {{0, 1}, {2}};
        auto batch = makeBatch(examples, rows, 0);
        torch::manual_seed(17);
        std::tie(batch.teacherTopIds, batch.teacherTopLogProbs) = randomTopK(batch.targetTokens, V, 8);
        TrainerOptions options;
        options.schedule = {ScheduleKind::Constant, 0.0, 0, 4};  // lr 0: the weights stay
        options.loss.alpha = 0.5;
        options.temperature = {ScheduleKind::Linear, 3.0, 1.0, 4};
        SftTrainer trainer(student, options);
        std::vector<double> losses;
        for (std::int64_t s = 0; s < 4; ++s) {
            const double T = 3.0 - 2.0 * double(s) / 3.0;
            TokenLossOptions at = options.loss;
            at.temperature = T;
            double want = 0.0;
            {
                const torch::NoGradGuard noGrad;
                const auto [hidden, targets] = targetHidden(*student, batch);
                want = tokenLossSumTopK(hidden, outputWeight(*student), targets, at, batch.teacherTopIds,
                                        batch.teacherTopLogProbs)
                           .item<double>()
                       / double(batch.targetTokens);
            }
            const auto stats = trainer.step({batch});
            QVERIFY(std::abs(stats.temperature - T) < 1e-12);
            QVERIFY2(std::abs(stats.loss - want) < 1e-5, qPrintable(QString("step %1: %2 vs %3").arg(s).arg(stats.loss).arg(want)));
            losses.push_back(stats.loss);
        }
        QVERIFY(std::abs(losses.front() - losses.back()) > 1e-3);  // T changes the loss
    }

    void vocabularyMismatchIsAClearError()
    {
        auto student = model::loadModel(fixtureModel()).model;
        auto config = model::ModelConfig::fromFile(fixtureModel() / "config.json");
        config.raw["vocab_size"] = 1000;
        auto teacher = model::buildModel(model::ModelConfig::fromJson(config.raw), {}, 1);
        QCOMPARE(teacher->config().vocabSize, std::int64_t(1000));
        SftTrainer trainer(student, {});
        try {
            trainer.setTeacher(teacher);
            QFAIL("no error");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(e.detail().find("teacher vocabulary (1000) differs from the student's (1024)") != std::string::npos,
                     e.detail().c_str());
        }
    }

    void specKeys()
    {
        const std::string base = "kind: sft\nname: t\ndata: {jsonl: x.jsonl}\nmodel: {path: m}\n";
        const auto spec = specFrom(base + "teacher: {path: T, alpha: 0.4, temperature: 2.0, temperature_end: 1.0, "
                                          "temperature_schedule: cosine, cache_top_k: 32}\n");
        QCOMPARE(spec.kdTemperature, 2.0);
        QCOMPARE(spec.kdTemperatureEnd, 1.0);
        QVERIFY(spec.kdTemperatureSchedule == ScheduleKind::Cosine);
        QCOMPARE(spec.kdCacheTopK, std::int64_t(32));
        const auto again = specFrom(sftSpecYaml(spec));
        QCOMPARE(again.kdTemperatureEnd, 1.0);
        QVERIFY(again.kdTemperatureSchedule == ScheduleKind::Cosine);
        QCOMPARE(again.kdCacheTopK, std::int64_t(32));
        const auto plain = specFrom(base + "teacher: {path: T, temperature: 3.0}\n");
        QCOMPARE(plain.kdTemperatureEnd, 3.0);
        QVERIFY(plain.kdTemperatureSchedule == ScheduleKind::Constant);
        QCOMPARE(plain.kdCacheTopK, std::int64_t(0));
        QVERIFY_THROWS_EXCEPTION(Error, specFrom(base + "teacher: {path: T, temperature_end: 1.0}\n"));
        QVERIFY_THROWS_EXCEPTION(Error, specFrom(base + "teacher: {path: T, temperature_schedule: step}\n"));
        QVERIFY_THROWS_EXCEPTION(Error, specFrom(base + "teacher: {path: T, cache_top_k: -1}\n"));
    }

    void cachedTeacherJobResumesItsPass()
    {
        QTemporaryDir dir;
        const fs::path folder(dir.path().toStdString());
        const fs::path toy = fs::path(DISTILLERY_SOURCE_DIR) / "resources/toy";
        {
            std::ofstream jsonl(folder / "data.jsonl");
            for (int a = 10; a < 50; ++a)
                jsonl << nlohmann::json{{"messages", {{{"role", "user"}, {"content", std::to_string(a) + "+7?"}},
                                                      {{"role", "assistant"},
                                                       {"content", "<think>" + std::to_string(a) + "+7=" + std::to_string(a + 7)
                                                                       + "</think>" + std::to_string(a + 7)}}}}}
                             .dump()
                      << "\n";
        }
        std::ifstream in(toy / "student_config.json");
        auto config = nlohmann::json::parse(in);
        config["hidden_size"] = 32;
        config["intermediate_size"] = 64;
        config["num_hidden_layers"] = 1;
        std::ofstream(folder / "student.json") << config.dump(1);
        auto teacher = model::buildModel(model::ModelConfig::fromJson(config), {}, 5);
        model::saveModel(*teacher, folder / "teacher");

        const auto spec = [&](const std::string& out) {
            return "kind: sft\nname: kd\ndata: {jsonl: " + (folder / "data.jsonl").string() + ", max_seq_len: 128, eval_fraction: 0}\n"
                   "model: {path: " + (folder / "student.json").string() + ", tokenizer: " + toy.string() + "}\n"
                   "teacher: {path: " + (folder / "teacher").string() + ", alpha: 0.5, temperature: 2.0,"
                   " temperature_end: 1.0, temperature_schedule: linear, cache_top_k: 8}\n"
                   "train: {seed: 1, max_steps: 4, micro_batch_size: 2, lr: 0.003}\n"
                   "checkpoints: {output_dir: " + out + "}\n";
        };
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::openOrCreate((folder / "w.distillery").string(), create);
        run::JobRegistry jobs;
        registerSftJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        const auto whole = (folder / "whole").string();
        const auto a = run::runJob(jobs, ws, {spec(whole), std::nullopt, "test"}, events, run::StopToken());
        QCOMPARE(a.status, std::string("finished"));
        QVERIFY(fs::exists(fs::path(whole) / kTeacherCacheFile));
        QVERIFY(sink.str().find("caching the teacher's top-8") != std::string::npos);
        const auto temperatures = ws.metrics(a.runId, "train/kd_temperature");
        QCOMPARE(temperatures.size(), std::size_t(4));
        for (std::size_t s = 0; s < 4; ++s)
            QVERIFY(std::abs(temperatures[s].value - (2.0 - double(temperatures[s].step) / 3.0)) < 1e-9);

        // Stopped during the cache pass: a partial cache and no step; the resumed run finishes the
        // same file and trains exactly as the uninterrupted run.
        const auto parts = (folder / "parts").string();
        run::StopToken stop;
        StopOnEvent buffer(stop, "progress");  // the teacher cache pass
        std::ostream stream(&buffer);
        run::EventSink stopping(stream);
        const auto b = run::runJob(jobs, ws, {spec(parts), std::nullopt, "test"}, stopping, stop);
        QCOMPARE(b.status, std::string("stopped"));
        QVERIFY(fs::exists(fs::path(parts) / (std::string(kTeacherCacheFile) + ".partial")));
        QVERIFY(!fs::exists(fs::path(parts) / kTeacherCacheFile));
        QVERIFY(ws.metrics(b.runId, "train/loss").empty());
        run::RunRequest resume;
        resume.resumeRunId = b.runId;
        const auto c = run::runJob(jobs, ws, resume, events, run::StopToken());
        QCOMPARE(c.status, std::string("finished"));
        QVERIFY(readBytes(fs::path(parts) / kTeacherCacheFile) == readBytes(fs::path(whole) / kTeacherCacheFile));
        const auto expected = ws.metrics(a.runId, "train/loss"), resumed = ws.metrics(b.runId, "train/loss");
        QCOMPARE(resumed.size(), expected.size());
        for (std::size_t s = 0; s < expected.size(); ++s)
            QVERIFY(std::abs(resumed[s].value - expected[s].value) < 1e-6);
    }
};

QTEST_GUILESS_MAIN(TestDistillation)
#include "tst_distillation.moc"
