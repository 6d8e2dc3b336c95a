// Tests of the teacher client against a fault-injecting OpenAI-compatible server on loopback:
// retries, Retry-After, n and its emulation, costs, key redaction, cancel.
#include "tst_teacher.h"

#include "core/teacher/teacher_client.h"
#include "core/teacher/teacher_config.h"
#include "tests/support/fault_server.h"

#include <QtTest>

#include <cstdlib>
#include <ctime>
#include <map>
#include <random>
#include <set>

using namespace distill;
using namespace distill::teacher;
using distill::testing::Behaviour;
using distill::testing::FaultKind;
using distill::testing::FaultServer;
using distill::testing::ReplyText;

namespace {

using Clock = std::chrono::steady_clock;

double secondsBetween(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// Gathers what the client delivers, from any worker thread.
struct Collector {
    std::mutex mutex;
    std::vector<Completion> completions;
    std::vector<Failure> failures;
    std::vector<LogEvent> logs;

    CompletionFn onCompletion()
    {
        return [this](const Completion& c) {
            std::lock_guard lock(mutex);
            completions.push_back(c);
        };
    }
    FailureFn onFailure()
    {
        return [this](const Failure& f) {
            std::lock_guard lock(mutex);
            failures.push_back(f);
        };
    }
    LogFn onLog()
    {
        return [this](const LogEvent& e) {
            std::lock_guard lock(mutex);
            logs.push_back(e);
        };
    }
    std::size_t completed()
    {
        std::lock_guard lock(mutex);
        return completions.size();
    }
};

TeacherConfig configFor(const FaultServer& server, const std::string& preset = "vllm")
{
    TeacherConfig c;
    c.preset = preset;
    c.baseUrl = server.baseUrl();
    c.model = "test-model";
    c.concurrency = 4;
    c.retry.maxAttempts = 4;
    c.retry.backoffBaseSeconds = 0.01;
    c.retry.backoffMaxSeconds = 0.05;
    c.timeouts.connectSeconds = 2.0;
    c.timeouts.idleSeconds = 5.0;
    c.timeouts.totalSeconds = 10.0;
    return c;
}

TeacherRequest prompt(const std::string& id, const std::string& text, int n = 1, int first = 0)
{
    return TeacherRequest{id, {{"system", "Reason step by step."}, {"user", text}}, first, n};
}

// stem followed by the number (spelled out this way to dodge a GCC 12 -Wrestrict false positive).
std::string numbered(const char* stem, int i)
{
    return std::string(stem).append(std::to_string(i));
}

std::string userText(const nlohmann::json& body)
{
    return body.is_object() ? body["messages"].back()["content"].get<std::string>() : std::string();
}

}  // namespace

void TestTeacher::nonStreamingRequestCarriesSamplingAndReturnsSplitResult()
{
    FaultServer server;
    TeacherConfig c = configFor(server);
    c.stream = false;
    c.sampling.temperature = 0.6;
    c.sampling.topP = 0.95;
    c.sampling.maxTokens = 2048;
    c.sampling.stop = {"<|im_end|>"};
    c.sampling.seed = 11;
    c.extraBody = {{"chat_template_kwargs", {{"enable_thinking", true}}}};
    TeacherClient client(c);
    const auto out = client.complete(prompt("p1", "What is 2+2?"));
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out[0].requestId, std::string("p1"));
    QCOMPARE(out[0].thinking, std::string("Thinking about What is 2+2?."));
    QCOMPARE(out[0].answer, std::string("Answer to What is 2+2? #0"));
    QCOMPARE(out[0].rawText, std::string("Answer to What is 2+2? #0"));
    QCOMPARE(out[0].finishReason, std::string("stop"));
    QCOMPARE(out[0].model, std::string("test-model"));
    QCOMPARE(out[0].attempts, 1);
    QVERIFY(out[0].usage.present);
    QVERIFY(out[0].latencySeconds > 0.0);

    const auto requests = server.requests();
    QCOMPARE(requests.size(), std::size_t(1));
    const auto& body = requests[0].body;
    QCOMPARE(body["model"], nlohmann::json("test-model"));
    QCOMPARE(body["stream"], nlohmann::json(false));
    QCOMPARE(body["temperature"].get<double>(), 0.6);
    QCOMPARE(body["top_p"].get<double>(), 0.95);
    QCOMPARE(body["max_tokens"].get<int>(), 2048);
    QCOMPARE(body["stop"], nlohmann::json::array({"<|im_end|>"}));
    QCOMPARE(body["seed"].get<long long>(), 11LL);
    QCOMPARE(body["messages"][0]["role"], nlohmann::json("system"));
    QCOMPARE(body["chat_template_kwargs"]["enable_thinking"], nlohmann::json(true));
    QVERIFY(!body.contains("n"));
    QVERIFY(requests[0].authorization.empty());  // a local server needs no key
}

void TestTeacher::streamingCapturesReasoningContentAndUsage()
{
    FaultServer server;
    server.setReply([](const nlohmann::json&, int) {
        return ReplyText{"First, 2+2 is 4. Ünïcode ✓ survives chunking.", "\n\n**4**", "stop"};
    });
    TeacherClient client(configFor(server));
    const auto out = client.complete(prompt("p1", "2+2?"));
    QCOMPARE(out.size(), std::size_t(1));
    QCOMPARE(out[0].thinking, std::string("First, 2+2 is 4. Ünïcode ✓ survives chunking."));
    QCOMPARE(out[0].answer, std::string("**4**"));
    QVERIFY(!out[0].thinkingTruncated);
    QVERIFY(out[0].usage.present);
    QCOMPARE(out[0].usage.completionTokens, std::int64_t(20));
    const auto body = server.requests().at(0).body;
    QCOMPARE(body["stream"], nlohmann::json(true));
    QCOMPARE(body["stream_options"]["include_usage"], nlohmann::json(true));
    QCOMPARE(client.usage().requests, std::int64_t(1));
}

void TestTeacher::thinkTagsInContentAreSplit_data()
{
    QTest::addColumn<bool>("stream");
    QTest::newRow("stream") << true;
    QTest::newRow("whole") << false;
}

void TestTeacher::thinkTagsInContentAreSplit()
{
    QFETCH(bool, stream);
    FaultServer server;
    server.setReply([](const nlohmann::json& request, int) {
        const std::string user = userText(request);
        if (user == "closed")
            return ReplyText{"", "<think>\nadd the numbers\n</think>\n\nThe answer is 4.", "stop"};
        if (user == "template-opened")
            return ReplyText{"", "count up\n</think>\n\n5", "stop"};
        return ReplyText{"", "<think>\nstill counting and coun", "length"};
    });
    TeacherConfig c = configFor(server, "llamacpp");
    c.stream = stream;
    TeacherClient client(c);
    const auto closed = client.complete(prompt("a", "closed")).at(0);
    QCOMPARE(closed.thinking, std::string("add the numbers"));
    QCOMPARE(closed.answer, std::string("The answer is 4."));
    QVERIFY(!closed.thinkingTruncated);
    QCOMPARE(closed.rawText, std::string("<think>\nadd the numbers\n</think>\n\nThe answer is 4."));

    const auto opened = client.complete(prompt("b", "template-opened")).at(0);
    QCOMPARE(opened.thinking, std::string("count up"));
    QCOMPARE(opened.answer, std::string("5"));

    const auto cut = client.complete(prompt("c", "unclosed")).at(0);
    QVERIFY(cut.thinkingTruncated);
    QCOMPARE(cut.thinking, std::string("still counting and coun"));
    QVERIFY(cut.answer.empty());
    QCOMPARE(cut.finishReason, std::string("length"));
    if (stream)  // llamacpp: no stream_options, so no usage in streams
        QVERIFY(!server.requests().at(0).body.contains("stream_options"));
}

void TestTeacher::nativeNIsOneRequest()
{
    FaultServer server;
    TeacherClient client(configFor(server, "vllm"));
    const auto out = client.complete(prompt("p7", "Q", 4, 8));
    QCOMPARE(out.size(), std::size_t(4));
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(out[i].sampleIndex, 8 + i);
        QCOMPARE(out[i].answer, "Answer to Q #" + std::to_string(i));
        QCOMPARE(out[i].usageSharedBy, 4);
    }
    const auto requests = server.requests();
    QCOMPARE(requests.size(), std::size_t(1));
    QCOMPARE(requests[0].body["n"].get<int>(), 4);
    QCOMPARE(client.usage().requests, std::int64_t(1));
}

void TestTeacher::nIsEmulatedForPresetsWithoutIt()
{
    FaultServer server;
    TeacherConfig c = configFor(server, "ollama");
    c.sampling.seed = 100;
    TeacherClient client(c);
    const auto out = client.complete(prompt("p9", "Q", 4, 2));
    QCOMPARE(out.size(), std::size_t(4));
    std::set<long long> seeds;
    for (const auto& r : server.requests()) {
        QVERIFY(!r.body.contains("n"));
        seeds.insert(r.body["seed"].get<long long>());
    }
    QCOMPARE(server.requests().size(), std::size_t(4));
    QCOMPARE(seeds, (std::set<long long>{102, 103, 104, 105}));  // seed + sample index
    for (int i = 0; i < 4; ++i) {
        QCOMPARE(out[i].sampleIndex, 2 + i);
        QCOMPARE(out[i].usageSharedBy, 1);
        QCOMPARE(out[i].thinking, std::string("Thinking about Q."));  // `reasoning` preset
    }
    QCOMPARE(client.usage().requests, std::int64_t(4));
}

void TestTeacher::retryAfterIsHonoured_data()
{
    QTest::addColumn<bool>("httpDate");
    QTest::newRow("seconds") << false;
    QTest::newRow("http-date") << true;
}

void TestTeacher::retryAfterIsHonoured()
{
    QFETCH(bool, httpDate);
    FaultServer server;
    std::string value = "1";
    double atLeast = 1.0;
    if (httpDate) {
        // Two whole seconds from now; the date's 1 s resolution can cost up to one of them.
        const std::time_t when = std::time(nullptr) + 2;
        char text[64];
        std::strftime(text, sizeof text, "%a, %d %b %Y %H:%M:%S GMT", std::gmtime(&when));
        value = text;
    }
    Behaviour limited;
    limited.kind = FaultKind::RateLimited;
    limited.retryAfter = value;
    server.script({limited});
    Collector collected;
    TeacherClient client(configFor(server), {}, collected.onLog());
    const auto out = client.complete(prompt("p", "Q"));
    QCOMPARE(out.at(0).attempts, 2);
    const auto requests = server.requests();
    QCOMPARE(requests.size(), std::size_t(2));
    const double gap = secondsBetween(requests[0].at, requests[1].at);
    QVERIFY2(gap >= atLeast, std::to_string(gap).c_str());
    QVERIFY2(gap < 4.0, std::to_string(gap).c_str());
    bool logged = false;
    for (const auto& e : collected.logs)
        logged = logged
            || (e.kind == LogKind::Retry && e.delaySeconds >= atLeast
                && e.message.find("HTTP 429") != std::string::npos);
    QVERIFY(logged);
}

void TestTeacher::nonRetryableStatusFailsFastWithServerMessage_data()
{
    QTest::addColumn<int>("status");
    for (int s : {400, 401, 403, 404, 422})
        QTest::newRow(std::to_string(s).c_str()) << s;
}

void TestTeacher::nonRetryableStatusFailsFastWithServerMessage()
{
    QFETCH(int, status);
    FaultServer server;
    Behaviour bad;
    bad.kind = FaultKind::ClientError;
    bad.status = status;
    bad.errorMessage = "max_tokens must be at most 32768";
    server.script({bad});  // then OK: a retry would succeed
    TeacherConfig c = configFor(server);
    c.retry.backoffBaseSeconds = 1.0;
    TeacherClient client(c);
    Collector collected;
    const auto start = Clock::now();
    client.submit(prompt("p", "Q"), collected.onCompletion(), collected.onFailure());
    client.wait();
    QVERIFY(secondsBetween(start, Clock::now()) < 1.0);
    QCOMPARE(server.requests().size(), std::size_t(1));
    QVERIFY(collected.completions.empty());
    QCOMPARE(collected.failures.size(), std::size_t(1));
    const Failure& f = collected.failures[0];
    QCOMPARE(f.httpStatus, long(status));
    QCOMPARE(f.attempts, 1);
    QCOMPARE(f.code, ErrorCode::Network);
    QVERIFY2(f.message.find("max_tokens must be at most 32768") != std::string::npos,
             f.message.c_str());
    try {
        server.script({bad});
        client.complete(prompt("p", "Q"));
        QFAIL("complete() did not throw");
    } catch (const Error& e) {
        QVERIFY(std::string(e.what()).find("max_tokens must be at most 32768") != std::string::npos);
    }
}

void TestTeacher::transientFaultsAreRetried_data()
{
    QTest::addColumn<int>("kind");
    QTest::addColumn<bool>("stream");
    QTest::newRow("500") << int(FaultKind::ServerError) << true;
    QTest::newRow("stream cut") << int(FaultKind::StreamCut) << true;
    QTest::newRow("stream cut before any event") << int(FaultKind::StreamCut) << true;
    QTest::newRow("slow past the timeout") << int(FaultKind::Slow) << true;
    QTest::newRow("malformed JSON") << int(FaultKind::MalformedJson) << false;
    QTest::newRow("malformed for a stream") << int(FaultKind::MalformedJson) << true;
}

void TestTeacher::transientFaultsAreRetried()
{
    QFETCH(int, kind);
    QFETCH(bool, stream);
    FaultServer server;
    Behaviour fault;
    fault.kind = FaultKind(kind);
    fault.delayMs = 3000;
    fault.eventsBeforeCut = QByteArray(QTest::currentDataTag()).endsWith("event") ? 0 : 3;
    server.script({fault, fault});
    TeacherConfig c = configFor(server);
    c.stream = stream;
    c.timeouts.totalSeconds = 0.5;
    Collector collected;
    TeacherClient client(c, {}, collected.onLog());
    const auto start = Clock::now();
    const auto out = client.complete(prompt("p", "Q"));
    QVERIFY(secondsBetween(start, Clock::now()) < 2.5);
    QCOMPARE(out.at(0).attempts, 3);
    QCOMPARE(out.at(0).answer, std::string("Answer to Q #0"));  // nothing left from a cut try
    QCOMPARE(out.at(0).thinking, std::string("Thinking about Q."));
    QCOMPARE(server.requests().size(), std::size_t(3));
    int retries = 0;
    for (const auto& e : collected.logs)
        retries += e.kind == LogKind::Retry;
    QCOMPARE(retries, 2);
}

void TestTeacher::givesUpAfterMaxAttempts()
{
    FaultServer server;
    Behaviour down;
    down.kind = FaultKind::ServerError;
    down.errorMessage = "the model is overloaded";
    server.setDefault(down);
    TeacherConfig c = configFor(server);
    c.retry.maxAttempts = 3;
    TeacherClient client(c);
    Collector collected;
    client.submit(prompt("p", "Q", 2), collected.onCompletion(), collected.onFailure());
    client.wait();
    QCOMPARE(server.requests().size(), std::size_t(3));
    QCOMPARE(collected.failures.size(), std::size_t(2));  // one per sample
    for (const auto& f : collected.failures) {
        QCOMPARE(f.attempts, 3);
        QCOMPARE(f.httpStatus, 500L);
        QVERIFY(f.message.find("the model is overloaded") != std::string::npos);
    }
}

void TestTeacher::stalledStreamHitsTheIdleTimeout()
{
    FaultServer server;
    Behaviour stall;
    stall.delayMs = 4000;  // a stream that goes quiet after its first event
    server.script({stall});
    TeacherConfig c = configFor(server);
    c.timeouts.idleSeconds = 1.0;
    c.timeouts.totalSeconds = 30.0;
    Collector collected;
    TeacherClient client(c, {}, collected.onLog());
    const auto start = Clock::now();
    const auto out = client.complete(prompt("p", "Q"));
    const double took = secondsBetween(start, Clock::now());
    QVERIFY2(took >= 1.0 && took < 3.9, std::to_string(took).c_str());
    QCOMPARE(out.at(0).attempts, 2);
    QCOMPARE(out.at(0).answer, std::string("Answer to Q #0"));
    QCOMPARE(server.requests().size(), std::size_t(2));
}

void TestTeacher::unreachableServerIsRetriedThenFails()
{
    TeacherConfig c;
    {
        FaultServer gone;  // its port is free again once it is destroyed
        c = configFor(gone);
    }
    c.retry.maxAttempts = 3;
    TeacherClient client(c);
    Collector collected;
    client.submit(prompt("p", "Q", 2), collected.onCompletion(), collected.onFailure());
    client.wait();
    QVERIFY(collected.completions.empty());
    QCOMPARE(collected.failures.size(), std::size_t(2));
    for (const auto& f : collected.failures) {
        QCOMPARE(f.code, ErrorCode::Network);
        QCOMPARE(f.httpStatus, 0L);
        QCOMPARE(f.attempts, 3);
        QCOMPARE(f.attemptsSent, 0);  // nothing reached a server: nothing was paid for
        QVERIFY2(f.message.find("connect") != std::string::npos, f.message.c_str());
    }
}

void TestTeacher::everySampleLandsExactlyOnceUnderRandomFaults_data()
{
    QTest::addColumn<QString>("preset");
    QTest::addColumn<bool>("stream");
    QTest::newRow("vllm, streamed, native n") << "vllm" << true;
    QTest::newRow("ollama, whole, emulated n") << "ollama" << false;
}

void TestTeacher::everySampleLandsExactlyOnceUnderRandomFaults()
{
    QFETCH(QString, preset);
    QFETCH(bool, stream);
    constexpr int kPrompts = 50;
    constexpr int kSamples = 2;
    std::mt19937 rng(1234);
    std::map<FaultKind, int> injected;
    FaultServer server;
    server.setChooser([&](const nlohmann::json&, int) {  // runs under the server's lock
        Behaviour b;
        if (std::uniform_real_distribution<double>(0, 1)(rng) < 0.3) {
            const FaultKind kinds[] = {FaultKind::RateLimited, FaultKind::ServerError,
                                       FaultKind::StreamCut, FaultKind::Slow,
                                       FaultKind::MalformedJson};
            b.kind = kinds[std::uniform_int_distribution<int>(0, 4)(rng)];
            b.retryAfter = "0";
            b.delayMs = 1500;
            b.eventsBeforeCut = std::uniform_int_distribution<int>(0, 4)(rng);
            ++injected[b.kind];
        }
        return b;
    });
    TeacherConfig c = configFor(server, preset.toStdString());
    c.stream = stream;
    c.concurrency = 8;
    c.retry.maxAttempts = 12;
    c.timeouts.totalSeconds = 0.5;
    Collector collected;
    TeacherClient client(c);
    for (int p = 0; p < kPrompts; ++p)
        client.submit(prompt(numbered("id-", p), numbered("problem-", p), kSamples),
                      collected.onCompletion(), collected.onFailure());
    client.wait();

    QVERIFY(collected.failures.empty());
    QCOMPARE(collected.completions.size(), std::size_t(kPrompts * kSamples));
    std::map<std::pair<std::string, int>, const Completion*> bySample;
    for (const auto& comp : collected.completions) {
        QVERIFY2(bySample.emplace(std::pair(comp.requestId, comp.sampleIndex), &comp).second,
                 "a sample was delivered twice");
    }
    // Server side: HTTP requests per prompt, to match against the attempts reported.
    std::map<std::string, int> requestsPerPrompt;
    int faults = 0;
    for (const auto& r : server.requests()) {
        ++requestsPerPrompt[userText(r.body)];
        faults += r.behaviour != FaultKind::Ok;
    }
    QVERIFY2(faults >= 10, "the fault rate was not applied");
    QVERIFY(injected.size() >= 4);
    // The server saw exactly the attempts whose request left the client; the others
    // failed to connect (the fault server's listen backlog is 5 for 8 workers).
    int attemptsSent = 0;
    for (int p = 0; p < kPrompts; ++p) {
        const std::string id = numbered("id-", p);
        int sentOfPrompt = 0;
        for (int s = 0; s < kSamples; ++s) {
            const auto it = bySample.find({id, s});
            QVERIFY2(it != bySample.end(), "a sample is missing");
            const Completion& comp = *it->second;
            // Native n: the choice index is the sample index. Emulated: each is choice 0.
            const int choice = preset == "vllm" ? s : 0;
            QCOMPARE(comp.answer, "Answer to problem-" + std::to_string(p) + " #"
                                      + std::to_string(choice));
            QVERIFY(comp.attemptsSent >= 1 && comp.attemptsSent <= comp.attempts);
            if (preset == "vllm")
                sentOfPrompt = comp.attemptsSent;  // both samples came in one request
            else
                sentOfPrompt += comp.attemptsSent;
        }
        QCOMPARE(requestsPerPrompt[numbered("problem-", p)], sentOfPrompt);
        attemptsSent += sentOfPrompt;
    }
    QCOMPARE(int(server.requests().size()), attemptsSent);
    const std::int64_t responses = preset == "vllm" ? kPrompts : kPrompts * kSamples;
    QCOMPARE(client.usage().requests, responses);
    QCOMPARE(client.usage().completionTokens, 20 * responses);
}

void TestTeacher::costCounterAddsDeepSeekUsage()
{
    FaultServer server;
    server.setUsage({{"prompt_tokens", 100},
                     {"completion_tokens", 50},
                     {"prompt_cache_hit_tokens", 40},
                     {"prompt_cache_miss_tokens", 60},
                     {"completion_tokens_details", {{"reasoning_tokens", 30}}}});
    TeacherConfig c = configFor(server, "deepseek");
    c.prices = {0.55, 0.14, 2.19};
    TeacherClient client(c);
    Collector collected;
    for (int i = 0; i < 3; ++i)
        client.submit(prompt(numbered("p", i), "Q"), collected.onCompletion(),
                      collected.onFailure());
    client.wait();
    const UsageTotals t = client.usage();
    compareTokenCounts(t, {3, 300, 150, 90, 120, 0.0});
    QVERIFY(std::abs(t.cost - 3 * (60 * 0.55 + 40 * 0.14 + 50 * 2.19) / 1e6) < 1e-15);
}

void TestTeacher::apiKeyNeverAppearsInLogsOrErrors()
{
    const std::string key = "sk-test-9f8e7d6c5b4a";
    FaultServer server;
    Behaviour limited;
    limited.kind = FaultKind::RateLimited;
    limited.retryAfter = "0";
    Behaviour echo;
    echo.kind = FaultKind::EchoAuth;
    server.script({limited, echo});
    Collector collected;
    TeacherConfig c = configFor(server, "deepseek");
    TeacherClient client(c, key, collected.onLog());
    client.submit(prompt("p", "Q"), collected.onCompletion(), collected.onFailure());
    client.wait();

    const auto requests = server.requests();
    QCOMPARE(requests.size(), std::size_t(2));
    QCOMPARE(requests[1].authorization, "Bearer " + key);  // the key was sent
    QCOMPARE(collected.failures.size(), std::size_t(1));
    QCOMPARE(collected.failures[0].httpStatus, 401L);
    QVERIFY(collected.failures[0].message.find("Incorrect API key provided") != std::string::npos);
    QVERIFY(collected.logs.size() >= 3);
    for (const auto& e : collected.logs)
        QVERIFY2(e.message.find(key) == std::string::npos, e.message.c_str());
    for (const auto& f : collected.failures)
        QVERIFY2(f.message.find(key) == std::string::npos, f.message.c_str());
    server.script({echo});
    try {
        client.complete(prompt("p", "Q"));
        QFAIL("complete() did not throw");
    } catch (const Error& e) {
        QVERIFY(std::string(e.what()).find(key) == std::string::npos);
    }
    QVERIFY(toJson(c).dump().find(key) == std::string::npos);

    // From the environment variable the config names.
    ::setenv("DISTILLERY_TEST_TEACHER_KEY", key.c_str(), 1);
    c.apiKeyEnv = "DISTILLERY_TEST_TEACHER_KEY";
    TeacherClient fromEnv(c);
    fromEnv.complete(prompt("p", "Q"));
    QCOMPARE(server.requests().back().authorization, "Bearer " + key);
    QVERIFY(toJson(c).dump().find(key) == std::string::npos);
    ::unsetenv("DISTILLERY_TEST_TEACHER_KEY");
}

void TestTeacher::gracefulStopStartsNothingNew()
{
    FaultServer server;
    Behaviour slowStream;
    slowStream.delayMs = 50;  // ~0.5 s per streamed answer
    server.setDefault(slowStream);
    TeacherConfig c = configFor(server);
    c.concurrency = 2;
    TeacherClient client(c);
    Collector collected;
    constexpr int kRequests = 20;
    for (int i = 0; i < kRequests; ++i)
        client.submit(prompt(numbered("p", i), "Q"), collected.onCompletion(),
                      collected.onFailure());
    QTRY_VERIFY_WITH_TIMEOUT(collected.completed() >= 1, 10000);
    client.stop(StopMode::Graceful);
    client.wait();
    QVERIFY(client.stopped());
    // Requests already sent finished normally; nothing new was sent; the rest were
    // cancelled; none was lost.
    const std::size_t sent = server.requests().size();
    QVERIFY2(sent <= 5, std::to_string(sent).c_str());
    QCOMPARE(collected.completions.size(), sent);
    QCOMPARE(collected.completions.size() + collected.failures.size(), std::size_t(kRequests));
    for (const auto& f : collected.failures)
        QCOMPARE(f.code, ErrorCode::Cancelled);

    Collector late;
    client.submit(prompt("late", "Q"), late.onCompletion(), late.onFailure());
    QCOMPARE(late.failures.size(), std::size_t(1));
    QCOMPARE(late.failures[0].code, ErrorCode::Cancelled);
    QCOMPARE(server.requests().size(), sent);
}

void TestTeacher::hardStopAbortsRequestsInFlight()
{
    FaultServer server;
    Behaviour crawl;
    crawl.delayMs = 1000;  // ~10 s per streamed answer
    server.setDefault(crawl);
    TeacherConfig c = configFor(server);
    c.concurrency = 2;
    c.timeouts.totalSeconds = 60;
    TeacherClient client(c);
    Collector collected;
    for (int i = 0; i < 3; ++i)
        client.submit(prompt(numbered("p", i), "Q"), collected.onCompletion(),
                      collected.onFailure());
    QTRY_COMPARE_WITH_TIMEOUT(server.requests().size(), std::size_t(2), 5000);
    const auto start = Clock::now();
    client.stop(StopMode::Hard);
    client.wait();
    QVERIFY(secondsBetween(start, Clock::now()) < 3.0);
    QVERIFY(collected.completions.empty());
    QCOMPARE(collected.failures.size(), std::size_t(3));
    for (const auto& f : collected.failures)
        QCOMPARE(f.code, ErrorCode::Cancelled);
    QCOMPARE(server.requests().size(), std::size_t(2));
}

QTEST_GUILESS_MAIN(TestTeacher)
