// tst_teacher_job: the generation job with an HTTP teacher that only fails: a stop request during
// its retries ends the run at once as "stopped", and every retry is a log event.
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "tests/support/fault_server.h"

#include <QTemporaryDir>
#include <QtTest>

#include <chrono>
#include <sstream>
#include <thread>

using namespace distill;
using distill::testing::Behaviour;
using distill::testing::FaultKind;
using distill::testing::FaultServer;
using nlohmann::json;

class TestTeacherJob : public QObject {
    Q_OBJECT
private slots:
    void stopDuringRetriesEndsTheRunAsStopped()
    {
        FaultServer server;
        Behaviour failing;
        failing.kind = FaultKind::ServerError;
        server.setDefault(failing);
        // Six attempts with waits of up to 2, 4, 8 … s: about 20 s of retries per sample.
        const std::string spec = "kind: generate\n"
                                 "toy: {count: 4, seed: 0, difficulty: 1}\n"
                                 "samples_per_problem: 1\n"
                                 "prompt: {user: \"{question}\"}\n"
                                 "teacher:\n"
                                 "  type: openai\n"
                                 "  base_url: " + server.baseUrl() + "\n"
                                 "  model: failing-model\n"
                                 "  concurrency: 4\n"
                                 "  retry: {max_attempts: 6, backoff_base_s: 2, backoff_max_s: 8}\n";
        QTemporaryDir dir;
        store::Workspace ws = store::Workspace::create(dir.filePath("ws.sqlite").toStdString(), {false, {}});
        run::JobRegistry registry;
        run::registerGenerateJob(registry);
        std::ostringstream out;
        run::EventSink events(out);
        run::StopToken stop;
        // The stop comes once every sample's first attempt has failed, as SIGTERM would.
        std::thread stopper([&] {
            while (server.requests().size() < 4)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            stop.request();
        });
        const auto start = std::chrono::steady_clock::now();
        const auto result = run::runJob(registry, ws, {spec, std::nullopt, ""}, events, stop);
        const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
        stopper.join();

        QCOMPARE(result.status, std::string("stopped"));
        QVERIFY2(seconds < 3.0, std::to_string(seconds).c_str());
        QCOMPARE(result.summary["written"].get<int>(), 0);
        QCOMPARE(result.summary["failed"].get<int>(), 0);  // not failures: a rerun asks for them
        int retries = 0, errors = 0;
        std::istringstream lines(out.str());
        for (std::string line; std::getline(lines, line);) {
            const json e = json::parse(line);
            if (e["event"] == "log" && e["message"].get<std::string>().find("retry in") != std::string::npos) {
                ++retries;
                QVERIFY2(e["message"].get<std::string>().find("HTTP 500") != std::string::npos, line.c_str());
            }
            errors += e["event"] == "error";
        }
        QVERIFY2(retries >= 4, out.str().c_str());
        QCOMPARE(errors, 0);
    }
};

QTEST_GUILESS_MAIN(TestTeacherJob)
#include "tst_teacher_job.moc"
