// Tests of the teacher client against hostile servers and specs: a key echoed in a long error body,
// a spec naming any environment variable, a key over plain http, oversized bodies and stream lines.
#include "tst_teacher.h"

#include "core/teacher/chat_response.h"
#include "core/teacher/http_attempt.h"
#include "core/teacher/teacher_client.h"
#include "core/teacher/teacher_config.h"
#include "core/util/error.h"

#include <httplib.h>

#include <QtTest>

#include <cstdlib>
#include <mutex>
#include <thread>

using namespace distill;
using namespace distill::teacher;

namespace {

// A chat-completions endpoint on 127.0.0.1 that answers every request with one fixed response.
class RawServer {
public:
    RawServer(int status, std::string body, std::string contentType)
    {
        m_server.Post("/v1/chat/completions", [=, this](const httplib::Request&, httplib::Response& res) {
            {
                std::lock_guard lock(m_mutex);
                ++m_requests;
            }
            res.status = status;
            res.set_content(body, contentType);
        });
        m_port = m_server.bind_to_any_port("127.0.0.1");
        m_thread = std::thread([this] { m_server.listen_after_bind(); });
        while (!m_server.is_running())  // this cpp-httplib has no wait_until_ready
            std::this_thread::yield();
    }
    ~RawServer()
    {
        m_server.stop();
        m_thread.join();
    }

    std::string baseUrl() const { return "http://127.0.0.1:" + std::to_string(m_port) + "/v1"; }
    int requests() const
    {
        std::lock_guard lock(m_mutex);
        return m_requests;
    }

private:
    httplib::Server m_server;
    std::thread m_thread;
    int m_port = 0;
    mutable std::mutex m_mutex;
    int m_requests = 0;
};

TeacherConfig rawConfig(const RawServer& server)
{
    TeacherConfig c;
    c.preset = "vllm";
    c.baseUrl = server.baseUrl();
    c.model = "test-model";
    c.stream = false;
    c.concurrency = 2;
    c.retry.maxAttempts = 2;
    c.retry.backoffBaseSeconds = 0.01;
    c.timeouts.totalSeconds = 20.0;
    return c;
}

struct Outcome {
    std::vector<Failure> failures;
    std::vector<LogEvent> logs;
};

// Four samples through a fresh client, each ending in a failure here.
Outcome runFour(const TeacherConfig& config, const std::string& key)
{
    Outcome out;
    std::mutex mutex;
    TeacherClient client(config, key, [&](const LogEvent& e) {
        std::lock_guard lock(mutex);
        out.logs.push_back(e);
    });
    for (int i = 0; i < 4; ++i)
        client.submit(TeacherRequest{std::string("p") + std::to_string(i), {{"user", "Q"}}, 0, 1}, [](const Completion&) {},
                      [&](const Failure& f) {
                          std::lock_guard lock(mutex);
                          out.failures.push_back(f);
                      });
    client.wait();
    return out;
}

}  // namespace

void TestTeacher::keyEchoedInALongErrorBodyIsRedactedBeforeItIsCut_data()
{
    QTest::addColumn<std::string>("body");
    QTest::addColumn<std::string>("contentType");
    const std::string key = "sk-live-7Hq2Zx9Wm4Lp6Rt8Vb3Nc5Dj1Ka0";
    // The key starts at byte 285: a cut at 300 bytes keeps its first 15 characters.
    QTest::newRow("text") << std::string(267, '.') + " Forbidden: key " + key + " is not allowed here"
                          << std::string("text/plain");
    QTest::newRow("json error object") << R"({"error":{"code":403,"detail":")" + std::string(250, '.') + key + R"("}})"
                                       << std::string("application/json");
}

void TestTeacher::keyEchoedInALongErrorBodyIsRedactedBeforeItIsCut()
{
    QFETCH(std::string, body);
    QFETCH(std::string, contentType);
    const std::string key = "sk-live-7Hq2Zx9Wm4Lp6Rt8Vb3Nc5Dj1Ka0";
    RawServer server(403, body, contentType);
    const Outcome out = runFour(rawConfig(server), key);
    QCOMPARE(out.failures.size(), std::size_t(4));
    QVERIFY(!out.logs.empty());
    // No piece of the key longer than its "sk-live-" prefix may appear anywhere.
    const std::string piece = key.substr(0, 10);
    for (const Failure& f : out.failures) {
        QCOMPARE(f.httpStatus, 403L);
        QVERIFY2(f.message.find(piece) == std::string::npos, f.message.c_str());
        QVERIFY2(f.message.find("[redacted]") != std::string::npos, f.message.c_str());
    }
    for (const LogEvent& e : out.logs)
        QVERIFY2(e.message.find(piece) == std::string::npos, e.message.c_str());
    QCOMPARE(serverErrorMessage(body, key).find(piece), std::string::npos);
}

void TestTeacher::apiKeyEnvMustNameAKeyVariable()
{
    RawServer server(200, "{}", "application/json");
    TeacherConfig c = rawConfig(server);
    for (const char* name : {"HOME", "PATH", "home_KEY", "_KEY", "SSH_AUTH_SOCK"}) {
        c.apiKeyEnv = name;
        try {
            TeacherClient client(c);
            QFAIL(qPrintable(QString("api_key_env %1 was accepted").arg(name)));
        } catch (const Error& e) {
            QCOMPARE(e.code(), ErrorCode::InvalidArgument);
            QVERIFY2(e.detail().find(name) != std::string::npos, e.detail().c_str());
        }
    }
    QCOMPARE(server.requests(), 0);
    ::setenv("DISTILLERY_TEST_HARDENING_TOKEN", "tok-123", 1);
    c.apiKeyEnv = "DISTILLERY_TEST_HARDENING_TOKEN";
    const ResolvedTeacher resolved = resolveTeacher(c);
    QCOMPARE(resolveApiKey(c, resolved), std::string("tok-123"));
    ::unsetenv("DISTILLERY_TEST_HARDENING_TOKEN");
}

void TestTeacher::keyIsNeverSentInClearTextOffThisMachine_data()
{
    QTest::addColumn<std::string>("baseUrl");
    QTest::addColumn<bool>("allowed");
    QTest::newRow("https") << std::string("https://api.deepseek.com/v1") << true;
    QTest::newRow("loopback v4") << std::string("http://127.0.0.1:8000/v1") << true;
    QTest::newRow("loopback 127/8") << std::string("http://127.3.2.1/v1") << true;
    QTest::newRow("localhost") << std::string("http://LocalHost:11434/v1") << true;
    QTest::newRow("loopback v6") << std::string("http://[::1]:8000/v1") << true;
    QTest::newRow("remote http") << std::string("http://example.com/v1") << false;
    QTest::newRow("private network") << std::string("http://10.0.0.7:8000/v1") << false;
    QTest::newRow("loopback-looking name") << std::string("http://127.0.0.1.example.com/v1") << false;
    QTest::newRow("user info") << std::string("http://127.0.0.1@example.com/v1") << false;
    QTest::newRow("remote v6") << std::string("http://[2001:db8::1]:8000/v1") << false;
}

void TestTeacher::keyIsNeverSentInClearTextOffThisMachine()
{
    QFETCH(std::string, baseUrl);
    QFETCH(bool, allowed);
    TeacherConfig c;
    c.preset = "openai-compatible";
    c.baseUrl = baseUrl;
    c.model = std::string("m");
    const ResolvedTeacher resolved = resolveTeacher(c);
    QCOMPARE(resolveApiKey(c, resolved, ""), std::string());  // without a key anything goes
    try {
        QCOMPARE(resolveApiKey(c, resolved, "sk-secret"), std::string("sk-secret"));
        QVERIFY2(allowed, "the key would go out in clear text");
    } catch (const Error& e) {
        QVERIFY2(!allowed, e.detail().c_str());
        QCOMPARE(e.code(), ErrorCode::InvalidArgument);
        QVERIFY(e.detail().find("sk-secret") == std::string::npos);
    }
}

void TestTeacher::oversizedResponsesFailWithoutRetry()
{
    {
        RawServer server(200, std::string(kMaxResponseBytes + 1, ' '), "application/json");
        const Outcome out = runFour(rawConfig(server), "");
        QCOMPARE(out.failures.size(), std::size_t(4));
        for (const Failure& f : out.failures) {
            QCOMPARE(f.attempts, 1);
            QVERIFY2(f.message.find("larger than 64 MiB") != std::string::npos, f.message.c_str());
        }
    }
    {
        RawServer server(200, "data: " + std::string(kMaxSseLineBytes, 'x'), "text/event-stream");
        TeacherConfig c = rawConfig(server);
        c.stream = true;
        const Outcome out = runFour(c, "");
        QCOMPARE(out.failures.size(), std::size_t(4));
        for (const Failure& f : out.failures)
            QVERIFY2(f.message.find("stream line is longer than 16 MiB") != std::string::npos, f.message.c_str());
    }
    SseDecoder decoder;
    QVERIFY(decoder.feed("data: a\n\n").size() == 1);
    QVERIFY(decoder.feed(std::string(kMaxSseLineBytes + 1, 'y')).empty());
    QVERIFY(decoder.overflowed());
    QVERIFY(decoder.feed("\n\ndata: b\n\n").empty());
    QVERIFY(decoder.finish().empty());
}
