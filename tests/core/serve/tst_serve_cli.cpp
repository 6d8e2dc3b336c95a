// tst_serve_cli: `distillery-cli serve` and `eval` as processes: SIGTERM/SIGINT drain the requests
// in flight and exit 0, the key from a file, the warnings, error output for option values that are
// not UTF-8, and eval's scratch workspace in a private folder.
#include "serve_fixtures.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <csignal>
#include <fstream>
#include <thread>

using nlohmann::json;

namespace {

QString cli()
{
    return qEnvironmentVariable("DISTILLERY_CLI");
}

// A running `serve` on a free port of 127.0.0.1 (or `host`); the port is read from its first line.
class ServeProcess {
public:
    explicit ServeProcess(const std::filesystem::path& model, QStringList extra = {})
    {
        m_process.setProgram(cli());
        m_process.setArguments(QStringList{"serve", "--model", QString::fromStdString(model.string()), "--port", "0"}
                               + extra);
        m_process.start();
    }
    ~ServeProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10000);
        }
    }

    // Waits for "serving <id> on http://HOST:PORT/v1"; 0 when it did not come.
    int waitForPort()
    {
        QByteArray out;
        for (int i = 0; i < 600 && !out.contains('\n'); ++i) {
            m_process.waitForReadyRead(100);
            out += m_process.readAllStandardOutput();
        }
        const int colon = out.lastIndexOf(':');
        return colon < 0 ? 0 : out.mid(colon + 1).split('/').front().toInt();
    }
    void signal(int number) { ::kill(pid_t(m_process.processId()), number); }
    bool finished(int ms) { return m_process.waitForFinished(ms); }
    QProcess& process() { return m_process; }

private:
    QProcess m_process;
};

}  // namespace

class TestServeCli : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    std::filesystem::path m_model;

private slots:
    void initTestCase()
    {
        QVERIFY2(!cli().isEmpty(), "DISTILLERY_CLI is not set");
        QVERIFY(m_tmp.isValid());
        m_model = distill::test::makeServeModelDir(m_tmp);
    }

    void stopSignalDrainsTheRequestInFlight_data()
    {
        QTest::addColumn<int>("signal");
        QTest::newRow("SIGTERM") << int(SIGTERM);
        QTest::newRow("SIGINT") << int(SIGINT);
    }

    void stopSignalDrainsTheRequestInFlight()
    {
        QFETCH(int, signal);
        ServeProcess serve(m_model, {"--max-batch", "4"});
        const int port = serve.waitForPort();
        QVERIFY2(port > 0, serve.process().readAllStandardError().constData());

        // A streamed request of 4 x 450 tokens: the signal comes once its first chunk arrived.
        std::atomic<bool> firstChunk{false};
        std::atomic<bool> ended{false};
        std::string stream;
        bool ok = false;
        std::thread request([&] {
            httplib::Client c("127.0.0.1", port);
            c.set_read_timeout(120, 0);
            const json body = {{"prompt", "long"}, {"n", 4}, {"max_tokens", 450}, {"ignore_eos", true}, {"stream", true}};
            httplib::Request req;  // this cpp-httplib's Post takes no content receiver
            req.method = "POST";
            req.path = "/v1/completions";
            req.body = body.dump();
            req.set_header("Content-Type", "application/json");
            req.content_receiver = [&](const char* data, std::size_t size, std::uint64_t, std::uint64_t) {
                stream.append(data, size);
                firstChunk = true;
                return true;
            };
            const auto res = c.send(req);
            ok = res && res->status == 200;
            if (!res)
                qWarning("request ended with httplib error %d", int(res.error()));
            ended = true;
        });
        QTRY_VERIFY_WITH_TIMEOUT(firstChunk.load(), 60000);
        const bool unfinishedAtSignal = !ended.load();
        serve.signal(signal);
        request.join();
        QVERIFY(unfinishedAtSignal);
        QVERIFY(serve.finished(60000));
        const QByteArray err = serve.process().readAllStandardError();
        QCOMPARE(serve.process().exitStatus(), QProcess::NormalExit);
        QCOMPARE(serve.process().exitCode(), 0);
        QVERIFY2(err.contains(QByteArray("stopping (signal ") + QByteArray::number(signal) + ")"), err.constData());
        QVERIFY(ok);
        QVERIFY2(stream.find("data: [DONE]") != std::string::npos, stream.substr(stream.size() > 300 ? stream.size() - 300 : 0).c_str());
        std::size_t finished = 0;
        for (std::size_t at = stream.find("\"finish_reason\":\"length\""); at != std::string::npos;
             at = stream.find("\"finish_reason\":\"length\"", at + 1))
            ++finished;
        QCOMPARE(finished, std::size_t(4));
    }

    void keyFromAFileAndWarnings()
    {
        const std::string keyFile = m_tmp.filePath("key.txt").toStdString();
        std::ofstream(keyFile) << "sk-from-a-file\n";
        {
            ServeProcess serve(m_model, {"--api-key-file", QString::fromStdString(keyFile)});
            const int port = serve.waitForPort();
            QVERIFY(port > 0);
            httplib::Client anonymous("127.0.0.1", port);
            auto res = anonymous.Get("/v1/models");
            QVERIFY(res);
            QCOMPARE(res->status, 401);
            httplib::Client keyed("127.0.0.1", port);
            keyed.set_bearer_token_auth("sk-from-a-file");
            res = keyed.Get("/v1/models");
            QVERIFY(res);
            QCOMPARE(res->status, 200);
            serve.signal(SIGTERM);
            QVERIFY(serve.finished(30000));
            QCOMPARE(serve.process().exitCode(), 0);
            QVERIFY(!serve.process().readAllStandardError().contains("warning"));
        }
        {
            ServeProcess serve(m_model, {"--host", "0.0.0.0"});
            QVERIFY(serve.waitForPort() > 0);
            serve.signal(SIGTERM);
            QVERIFY(serve.finished(30000));
            const QByteArray err = serve.process().readAllStandardError();
            QVERIFY2(err.contains("listening on 0.0.0.0 without an API key"), err.constData());
        }
        {
            ServeProcess serve(m_model, {"--api-key", "sk-in-the-process-list"});
            QVERIFY(serve.waitForPort() > 0);
            serve.signal(SIGTERM);
            QVERIFY(serve.finished(30000));
            const QByteArray err = serve.process().readAllStandardError();
            QVERIFY2(err.contains("prefer --api-key-env or --api-key-file"), err.constData());
        }
    }

    void errorsQuotingBytesThatAreNotUtf8()
    {
        // The option value is one 0xFF byte: the error JSON must still be printed.
        QProcess p;
        p.start("sh", {"-c", "exec \"$0\" serve --model \"$1\" --port \"$(printf '8\\377')\"", cli(),
                       QString::fromStdString(m_model.string())});
        QVERIFY(p.waitForFinished(30000));
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QCOMPARE(p.exitCode(), 2);
        const json error = json::parse(p.readAllStandardError().trimmed().toStdString());
        QCOMPARE(error["error"], "invalid_argument");
        QVERIFY(error["detail"].get<std::string>().find("8\xEF\xBF\xBD") != std::string::npos);
    }

    void evalScratchWorkspaceIsNotAtAGuessableName()
    {
        // Another user plants a link where `eval` put its scratch workspace (/tmp/distillery-eval-<pid>
        // .sqlite): `exec` keeps the shell's pid, so the name is known before the program starts.
        QTemporaryDir tmp;
        const QString victim = tmp.filePath("victim.sqlite");
        QProcess p;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert("TMPDIR", tmp.path());
        p.setProcessEnvironment(env);
        const QString source = QString::fromUtf8(DISTILLERY_SOURCE_DIR);
        p.start("sh", {"-c", "ln -s \"$1\" \"$TMPDIR/distillery-eval-$$.sqlite\" && exec \"$0\" eval --model \"$2\" "
                             "--tokenizer \"$3\" --benchmark toy --k 1 --limit 1 --max-tokens 4",
                       cli(), victim, source + "/tests/fixtures/models/tiny-qwen2", source + "/resources/toy"});
        QVERIFY(p.waitForFinished(120000));
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY(!QFileInfo::exists(victim));  // nothing was written through the link
        QCOMPARE(QDir(tmp.path()).entryList(QDir::Dirs | QDir::NoDotAndDotDot), QStringList());  // removed on exit
        QCOMPARE(nlohmann::json::parse(p.readAllStandardOutput().toStdString())["problems"].get<int>(), 1);
    }
};

QTEST_GUILESS_MAIN(TestServeCli)
#include "tst_serve_cli.moc"
