// Tests of data-parallel SFT over c10d (Gloo on CPU, rendezvous through a FileStore): two ranks each
// taking half of the micro-batches of every step end with the parameters and losses of one process
// taking them all, and with identical parameters; `distillery-cli run` under torchrun's environment
// (two processes) trains like one process while only rank 0 records the run; other job kinds refuse
// several processes.
#include <torch/torch.h>

#include "core/model/checkpoint.h"
#include "core/model/safetensors.h"
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/train/distributed.h"
#include "core/train/sft_data.h"
#include "core/train/sft_trainer.h"
#include "core/util/error.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <exception>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <tuple>

using namespace distill;
using namespace distill::train;
namespace fs = std::filesystem;

namespace {

constexpr int kSteps = 3;
constexpr int kMicroBatches = 4;  // per step, over all ranks

model::CausalLM tinyModel()
{
    return model::loadModel(fs::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/models/tiny-qwen2").model;
}

TrainerOptions trainerOptions()
{
    TrainerOptions options;
    options.schedule = {ScheduleKind::Constant, 3e-3, 0, kSteps};
    options.maxGradNorm = 1.0;
    options.loss.chunkTokens = 16;
    return options;
}

// kSteps x kMicroBatches micro-batches of random samples of different lengths (so the ranks hold
// different numbers of target tokens), two packed rows each.
std::vector<std::vector<TrainBatch>> randomSteps(std::int64_t vocab)
{
    torch::manual_seed(11);
    std::vector<std::vector<TrainBatch>> steps(kSteps);
    for (auto& step : steps)
        for (int m = 0; m < kMicroBatches; ++m) {
            std::vector<TokenizedExample> examples;
            for (int s = 0; s < 4; ++s) {
                const int n = int(torch::randint(6, 24, {1}).item<std::int64_t>());
                TokenizedExample ex;
                for (int t = 0; t < n; ++t) {
                    ex.ids.push_back(torch::randint(3, vocab, {1}).item<std::int64_t>());
                    ex.trained.push_back(t >= n / 2 ? 1 : 0);
                }
                examples.push_back(ex);
            }
            step.push_back(makeBatch(examples, {{0, 1}, {2, 3}}, 0));
        }
    return steps;
}

std::vector<at::Tensor> parametersOf(model::CausalLMImpl& model)
{
    std::vector<at::Tensor> out;
    for (const auto& p : model.parameters())
        out.push_back(p.detach().clone());
    return out;
}

double maxAbsDiff(const std::vector<at::Tensor>& a, const std::vector<at::Tensor>& b)
{
    double diff = 0.0;
    for (std::size_t i = 0; i < a.size(); ++i)
        diff = std::max(diff, (a[i] - b[i]).abs().max().item<double>());
    return diff;
}

// A tiny instruction set in the chat format of `data: {jsonl: ...}`.
void writeJsonl(const std::string& path)
{
    std::ofstream out(path);
    for (int i = 0; i < 64; ++i) {
        const int a = 3 + i * 7 % 41, b = 5 + i * 13 % 37;
        const nlohmann::json record = {
            {"messages",
             {{{"role", "user"}, {"content", "What is " + std::to_string(a) + " + " + std::to_string(b) + "?"}},
              {{"role", "assistant"},
               {"content", "<think>" + std::to_string(a) + " + " + std::to_string(b) + " = " + std::to_string(a + b)
                               + "</think>" + std::to_string(a + b)}}}}};
        out << record.dump() << "\n";
    }
}

std::map<std::string, at::Tensor> checkpointTensors(const fs::path& checkpoint)
{
    const model::SafetensorsFile file(checkpoint / "model.safetensors");
    std::map<std::string, at::Tensor> out;
    for (const auto& name : file.names())
        out[name] = file.tensor(name);
    return out;
}

}  // namespace

class TestDataParallel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

private slots:
    void twoRanksTrainLikeOneProcess()
    {
        QVERIFY(m_dir.isValid());
        auto reference = tinyModel();
        const auto steps = randomSteps(reference->config().vocabSize);
        SftTrainer single(reference, trainerOptions());
        std::vector<double> expectedLoss;
        for (const auto& step : steps)
            expectedLoss.push_back(single.step(step).loss);

        // Rank 1 starts from other weights: joining copies rank 0's to it.
        std::vector<model::CausalLM> models{tinyModel(), tinyModel()};
        {
            const torch::NoGradGuard noGrad;
            for (auto& p : models[1]->parameters())
                p.add_(torch::randn_like(p));
        }
        std::vector<std::vector<double>> losses(2);
        std::vector<std::exception_ptr> errors(2);
        auto rank = [&](int r) {
            try {
                DistributedConfig config;
                config.rank = r;
                config.worldSize = 2;
                config.storeFile = m_dir.filePath("trainer-store").toStdString();
                config.timeout = std::chrono::seconds(60);
                DataParallel parallel(config, torch::kCPU);
                SftTrainer trainer(models[std::size_t(r)], trainerOptions());
                trainer.setDataParallel(parallel);
                const auto mine = std::size_t(r);
                for (const auto& step : steps)  // micro-batch i of each step on rank i % 2
                    losses[mine].push_back(trainer.step({step[mine], step[mine + 2]}).loss);
            } catch (...) {
                errors[std::size_t(r)] = std::current_exception();
            }
        };
        std::thread rank0(rank, 0), rank1(rank, 1);
        rank0.join();
        rank1.join();
        for (const auto& error : errors)
            if (error)
                std::rethrow_exception(error);

        const auto expected = parametersOf(*reference);
        const auto first = parametersOf(*models[0]), second = parametersOf(*models[1]);
        QVERIFY2(maxAbsDiff(first, expected) < 1e-5, qPrintable(QString::number(maxAbsDiff(first, expected))));
        QCOMPARE(maxAbsDiff(first, second), 0.0);
        QVERIFY(maxAbsDiff(first, parametersOf(*tinyModel())) > 1e-3);  // they did train
        for (std::size_t s = 0; s < std::size_t(kSteps); ++s) {
            QVERIFY2(std::abs(losses[0][s] - expectedLoss[s]) < 1e-5,
                     qPrintable(QString("step %1: %2 vs %3").arg(s).arg(losses[0][s]).arg(expectedLoss[s])));
            QCOMPARE(losses[1][s], losses[0][s]);
        }
    }

    void cliUnderTorchrunEnvironment()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        const std::string workspace = m_dir.filePath("ddp.distillery").toStdString();
        store::CreateOptions create;
        create.loadBenchmarks = false;
        store::Workspace::create(workspace, create);
        const std::string jsonl = m_dir.filePath("data.jsonl").toStdString();
        writeJsonl(jsonl);
        std::ifstream in(fs::path(DISTILLERY_SOURCE_DIR) / "resources/toy/student_config.json");
        auto config = nlohmann::json::parse(in);
        config["hidden_size"] = 32;
        config["intermediate_size"] = 64;
        config["num_hidden_layers"] = 2;
        const std::string student = m_dir.filePath("student.json").toStdString();
        std::ofstream(student) << config.dump(1);

        auto writeSpec = [&](const std::string& name) {
            const std::string path = m_dir.filePath(QString::fromStdString(name + ".yaml")).toStdString();
            std::ofstream(path) << "kind: sft\nname: " << name << "\n"
                                << "data: {jsonl: " << jsonl << ", max_seq_len: 128, eval_fraction: 0}\n"
                                << "model: {path: " << student << ", tokenizer: " << DISTILLERY_SOURCE_DIR
                                << "/resources/toy}\n"
                                << "train: {seed: 5, max_steps: 3, micro_batch_size: 2, grad_accumulation: 4, lr: 0.003,"
                                   " schedule: constant, loss_chunk_tokens: 32}\n"
                                << "checkpoints: {output_dir: " << m_dir.filePath(QString::fromStdString(name)).toStdString()
                                << "}\n";
            return QString::fromStdString(path);
        };
        auto start = [&](QProcess& process, const QString& spec, const QStringList& environment) {
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert("OMP_NUM_THREADS", "1");
            for (const auto& assignment : environment)
                env.insert(assignment.section('=', 0, 0), assignment.section('=', 1));
            process.setProcessEnvironment(env);
            process.start(cli, {"run", spec, "--workspace", QString::fromStdString(workspace)});
        };

        QProcess single;
        start(single, writeSpec("single"), {});
        QVERIFY(single.waitForFinished(120000));
        QCOMPARE(single.exitCode(), 0);

        const QString spec = writeSpec("parallel");
        const QString store = m_dir.filePath("cli-store");
        QProcess ranks[2];
        for (int r = 0; r < 2; ++r)
            start(ranks[r], spec, {"WORLD_SIZE=2", QString("RANK=%1").arg(r), QString("LOCAL_RANK=%1").arg(r),
                                   "DISTILLERY_RENDEZVOUS_FILE=" + store});
        for (auto& rank : ranks) {
            QVERIFY(rank.waitForFinished(120000));
            QVERIFY2(rank.exitCode() == 0, rank.readAllStandardError().constData());
        }
        const QByteArray events = ranks[0].readAllStandardOutput();
        QVERIFY(events.contains("\"status\":\"finished\""));
        QVERIFY(events.contains("data parallel over 2 processes"));
        QVERIFY(ranks[1].readAllStandardOutput().isEmpty());  // a worker's events go to stderr

        // One run per job: the worker recorded nothing; the losses and final weights are the single process's.
        const auto ws = store::Workspace::open(workspace, store::OpenMode::ReadOnly);
        const auto runs = ws.runs();
        QCOMPARE(runs.size(), std::size_t(2));
        const auto singleLoss = ws.metrics(runs[0].id, "train/loss");
        const auto parallelLoss = ws.metrics(runs[1].id, "train/loss");
        QCOMPARE(parallelLoss.size(), std::size_t(3));
        QCOMPARE(singleLoss.size(), parallelLoss.size());
        for (std::size_t s = 0; s < singleLoss.size(); ++s)
            QVERIFY2(std::abs(singleLoss[s].value - parallelLoss[s].value) < 1e-5,
                     qPrintable(QString("step %1: %2 vs %3").arg(s).arg(parallelLoss[s].value).arg(singleLoss[s].value)));
        const auto expected = checkpointTensors(m_dir.filePath("single/checkpoint-3").toStdString());
        const auto trained = checkpointTensors(m_dir.filePath("parallel/checkpoint-3").toStdString());
        QCOMPARE(trained.size(), expected.size());
        for (const auto& [name, tensor] : expected) {
            const double diff = (trained.at(name) - tensor).abs().max().item<double>();
            QVERIFY2(diff < 1e-5, qPrintable(QString("%1: %2").arg(QString::fromStdString(name)).arg(diff)));
        }
    }

    // `run --gpus 0,1` starts the ranks itself (here CPU processes over Gloo): the losses and weights
    // of the single process, for SFT, and for GRPO, whose ranks each roll out half of a step's prompts.
    void launcherRunsOneProcessPerDevice_data()
    {
        QTest::addColumn<QString>("kind");
        QTest::newRow("sft") << "sft";
        QTest::newRow("grpo") << "grpo";
    }

    void launcherRunsOneProcessPerDevice()
    {
        QFETCH(QString, kind);
        const QString cli = QString::fromLocal8Bit(qgetenv("DISTILLERY_CLI"));
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        const std::string workspace = m_dir.filePath("launcher-" + kind + ".distillery").toStdString();
        std::ifstream in(std::string(DISTILLERY_SOURCE_DIR) + "/resources/toy/student_config.json");
        auto config = nlohmann::json::parse(in);
        config["hidden_size"] = 32;
        config["intermediate_size"] = 64;
        config["num_hidden_layers"] = 2;
        const std::string student = m_dir.filePath("launcher-student.json").toStdString();
        std::ofstream(student) << config.dump(1);
        auto writeSpec = [&](const std::string& name) {
            const std::string path = m_dir.filePath(QString::fromStdString(name + ".yaml")).toStdString();
            std::ofstream out(path);
            out << "kind: " << kind.toStdString() << "\nname: " << name << "\n";
            if (kind == "sft")
                out << "data: {jsonl: " << DISTILLERY_SOURCE_DIR << "/tests/fixtures/jobs/toy-sft.jsonl, max_seq_len: 128, "
                    << "eval_fraction: 0}\n"
                    << "train: {seed: 5, max_steps: 3, micro_batch_size: 2, grad_accumulation: 4, lr: 0.003}\n";
            else
                out << "problems: {toy: {count: 16}}\nrollout: {prompts_per_step: 4, num_generations: 4, max_new_tokens: 8}\n"
                    << "train: {seed: 5, max_steps: 2, micro_batch_size: 4, lr: 0.003}\n";
            out << "model: {path: " << student << ", tokenizer: " << DISTILLERY_SOURCE_DIR << "/resources/toy}\n"
                << "checkpoints: {output_dir: " << m_dir.filePath(QString::fromStdString(name)).toStdString() << "}\n";
            return QString::fromStdString(path);
        };
        auto run = [&](const QStringList& args) {
            QProcess p;
            auto env = QProcessEnvironment::systemEnvironment();
            env.insert("OMP_NUM_THREADS", "1");
            p.setProcessEnvironment(env);
            p.start(cli, args);
            const bool done = p.waitForFinished(240000);
            return std::tuple{done, p.exitCode(), p.readAllStandardOutput(), p.readAllStandardError()};
        };
        const QString ws = QString::fromStdString(workspace);
        const auto [singleDone, singleCode, singleOut, singleErr] = run({"run", writeSpec(kind.toStdString() + "-single"), "--workspace", ws});
        QVERIFY(singleDone);
        QVERIFY2(singleCode == 0, singleErr.constData());
        const auto [done, code, out, err] = run({"run", "--gpus", "0,1", writeSpec(kind.toStdString() + "-ranks"), "--workspace", ws});
        QVERIFY(done);
        QVERIFY2(code == 0, err.constData());
        QVERIFY(out.contains("\"status\":\"finished\""));

        const auto wsRead = store::Workspace::open(workspace, store::OpenMode::ReadOnly);
        const auto runs = wsRead.runs();
        QCOMPARE(runs.size(), std::size_t(2));  // the second rank recorded nothing
        const std::string metric = kind == "sft" ? "train/loss" : "grpo/reward_mean";
        const auto a = wsRead.metrics(runs[0].id, metric), b = wsRead.metrics(runs[1].id, metric);
        QVERIFY(!a.empty());
        QCOMPARE(a.size(), b.size());
        for (std::size_t s = 0; s < a.size(); ++s)
            QVERIFY2(std::abs(a[s].value - b[s].value) < 1e-5, qPrintable(QString("step %1: %2 vs %3").arg(s).arg(b[s].value).arg(a[s].value)));
        const int steps = kind == "sft" ? 3 : 2;
        const auto expected = checkpointTensors(m_dir.filePath(kind + "-single/checkpoint-%1").arg(steps).toStdString());
        const auto trained = checkpointTensors(m_dir.filePath(kind + "-ranks/checkpoint-%1").arg(steps).toStdString());
        for (const auto& [name, tensor] : expected) {
            const double diff = (trained.at(name) - tensor).abs().max().item<double>();
            QVERIFY2(diff < 1e-5, qPrintable(QString("%1: %2").arg(QString::fromStdString(name)).arg(diff)));
        }
    }

    void otherJobsRefuseSeveralProcesses()
    {
        store::CreateOptions create;
        create.loadBenchmarks = false;
        auto ws = store::Workspace::create(m_dir.filePath("refuse.distillery").toStdString(), create);
        run::JobRegistry jobs;
        run::registerGenerateJob(jobs);
        std::ostringstream sink;
        run::EventSink events(sink);
        run::RunRequest request;
        request.specText =
            "kind: generate\nname: t\ntoy: {count: 3}\nprompt: {user: \"{question}\"}\nteacher: {type: toy}\n";
        request.processes = 2;
        try {
            run::runJob(jobs, ws, request, events, run::StopToken());
            QFAIL("a generate job accepted two processes");
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::Unsupported);
        }
        QVERIFY(ws.runs().empty());
    }
};

QTEST_GUILESS_MAIN(TestDataParallel)
#include "tst_data_parallel.moc"
