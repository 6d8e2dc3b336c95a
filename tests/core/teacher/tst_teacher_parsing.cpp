// Tests of core/teacher that need no server: SSE and response parsing, Retry-After and backoff,
// usage and cost arithmetic, presets and config serialisation.
#include "tst_teacher.h"

#include "core/teacher/backoff.h"
#include "core/teacher/chat_response.h"
#include "core/teacher/teacher_config.h"
#include "core/teacher/usage_counter.h"
#include "core/util/error.h"

#include <QtTest>

#include <cmath>
#include <thread>

using namespace distill;
using namespace distill::teacher;

void compareTokenCounts(const UsageTotals& actual, const UsageTotals& expected)
{
    QCOMPARE(actual.requests, expected.requests);
    QCOMPARE(actual.promptTokens, expected.promptTokens);
    QCOMPARE(actual.completionTokens, expected.completionTokens);
    QCOMPARE(actual.reasoningTokens, expected.reasoningTokens);
    QCOMPARE(actual.cacheHitTokens, expected.cacheHitTokens);
}

void TestTeacher::sseDecoderHandlesSplitsCrlfCommentsAndMultiLineData()
{
    SseDecoder decoder;
    std::vector<std::string> events;
    for (const char* part : {": keep-alive\r\n\r\nda", "ta: {\"a\":1}\r\n", "\r\ndata: x\n",
                             "data: y\n\nevent: ping\ndata: [DONE]"}) {
        for (auto& e : decoder.feed(part))
            events.push_back(e);
    }
    for (auto& e : decoder.finish())
        events.push_back(e);
    QCOMPARE(events.size(), std::size_t(3));
    QCOMPARE(events[0], std::string("{\"a\":1}"));
    QCOMPARE(events[1], std::string("x\ny"));
    QCOMPARE(events[2], std::string("[DONE]"));
}

void TestTeacher::accumulatorCollectsDeltasReasoningAndUsage()
{
    ChatAccumulator acc("reasoning_content");
    acc.applyEvent(R"({"model":"m1","choices":[{"index":0,"delta":{"reasoning_content":"Let "}}]})");
    acc.applyEvent(R"({"choices":[{"index":1,"delta":{"reasoning":"Other "}}]})");
    acc.applyEvent(R"({"choices":[{"index":0,"delta":{"reasoning_content":"me see.","content":"4"}}]})");
    acc.applyEvent(R"({"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]})");
    QVERIFY(!acc.allFinished(2));
    acc.applyEvent(R"({"choices":[{"index":1,"delta":{"content":"5"},"finish_reason":"length"}]})");
    acc.applyEvent(R"({"choices":[],"usage":{"prompt_tokens":7,"completion_tokens":9}})");
    acc.applyEvent("[DONE]");
    QVERIFY(acc.sawDone());
    QVERIFY(acc.allFinished(2));
    QVERIFY(!acc.error());
    QCOMPARE(acc.model(), std::string("m1"));
    QCOMPARE(acc.choices().at(0).reasoning, std::string("Let me see."));
    QCOMPARE(acc.choices().at(0).content, std::string("4"));
    QCOMPARE(acc.choices().at(1).reasoning, std::string("Other "));  // fallback field name
    QCOMPARE(acc.choices().at(1).finishReason, std::string("length"));
    QCOMPARE(acc.usage().promptTokens, std::int64_t(7));
    QCOMPARE(acc.usage().completionTokens, std::int64_t(9));
}

void TestTeacher::accumulatorRecordsMalformedAndErrorEventsWithoutThrowing()
{
    ChatAccumulator broken("reasoning_content");
    broken.applyEvent("{\"choices\": [");
    QVERIFY(broken.error());
    QVERIFY(broken.error()->find("malformed") != std::string::npos);

    ChatAccumulator errored("reasoning_content");
    errored.applyEvent(R"({"error":{"message":"overloaded"}})");
    QVERIFY(errored.error());
    QVERIFY(errored.error()->find("overloaded") != std::string::npos);

    ChatAccumulator whole("reasoning_content");
    whole.applyResponse("<html>502 Bad Gateway</html>");
    QVERIFY(whole.error());
}

void TestTeacher::choicesMustBeIndexedFromZero()
{
    ChatAccumulator shifted("reasoning_content");
    shifted.applyResponse(R"({"choices":[{"index":3,"message":{"content":"x"},"finish_reason":"stop"}]})");
    QCOMPARE(shifted.choices().size(), std::size_t(1));
    QVERIFY(!shifted.hasChoices(1));  // would be delivered as the wrong sample
    QVERIFY(!shifted.allFinished(1));

    ChatAccumulator two("reasoning_content");
    two.applyResponse(R"({"choices":[{"index":1,"message":{"content":"b"},"finish_reason":"stop"},
                                      {"index":0,"message":{"content":"a"},"finish_reason":"stop"}]})");
    QVERIFY(two.hasChoices(2));
    QVERIFY(two.allFinished(2));
    QVERIFY(!two.hasChoices(3));
    QCOMPARE(two.choices().at(0).content, std::string("a"));
}

void TestTeacher::serverErrorMessageReadsCommonShapes()
{
    QCOMPARE(serverErrorMessage(R"({"error":{"message":"bad model"}})"), std::string("bad model"));
    QCOMPARE(serverErrorMessage(R"({"error":"quota"})"), std::string("quota"));
    QCOMPARE(serverErrorMessage(R"({"detail":"Not Found"})"), std::string("Not Found"));
    QCOMPARE(serverErrorMessage("  plain text  "), std::string("plain text"));
    QCOMPARE(serverErrorMessage(""), std::string("(empty body)"));
}

void TestTeacher::retryableStatuses()
{
    for (long s : {408L, 429L, 500L, 502L, 503L, 504L})
        QVERIFY2(isRetryableStatus(s), std::to_string(s).c_str());
    for (long s : {400L, 401L, 403L, 404L, 422L})
        QVERIFY2(!isRetryableStatus(s), std::to_string(s).c_str());
}

void TestTeacher::retryAfterSecondsAndHttpDate()
{
    const std::time_t now = 1445412480;  // Wed, 21 Oct 2015 07:28:00 GMT
    QCOMPARE(*parseRetryAfter("5", now), 5.0);
    QCOMPARE(*parseRetryAfter(" 120 ", now), 120.0);
    QCOMPARE(*parseRetryAfter("Wed, 21 Oct 2015 07:28:30 GMT", now), 30.0);
    QCOMPARE(*parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now), 0.0);  // in the past
    QVERIFY(!parseRetryAfter("soon", now));
    QVERIFY(!parseRetryAfter("", now));
}

void TestTeacher::backoffIsFullJitterWithinTheExponentialCap()
{
    RetryPolicy policy;
    policy.backoffBaseSeconds = 0.5;
    policy.backoffMaxSeconds = 4.0;
    policy.maxRetryAfterSeconds = 30.0;
    std::mt19937_64 rng(42);
    for (int attempt = 1; attempt <= 6; ++attempt) {
        const double cap = std::min(4.0, 0.5 * std::pow(2.0, attempt - 1));
        double lo = 1e9, hi = -1.0;
        for (int i = 0; i < 2000; ++i) {
            const double d = retryDelaySeconds(policy, attempt, std::nullopt, rng);
            lo = std::min(lo, d);
            hi = std::max(hi, d);
        }
        QVERIFY(lo >= 0.0 && hi <= cap);
        QVERIFY2(lo < 0.1 * cap && hi > 0.9 * cap, "delays spread over [0, cap]");
    }
    for (int i = 0; i < 100; ++i) {
        const double d = retryDelaySeconds(policy, 1, 7.0, rng);
        QVERIFY(d >= 7.0 && d <= 7.5);
        QVERIFY(retryDelaySeconds(policy, 1, 3600.0, rng) <= 30.5);  // clamped
    }
}

void TestTeacher::usageParsingAndCostArithmetic()
{
    const auto deepseek = nlohmann::json::parse(R"({"prompt_tokens":1000,"completion_tokens":500,
        "prompt_cache_hit_tokens":400,"prompt_cache_miss_tokens":600,
        "completion_tokens_details":{"reasoning_tokens":300}})");
    const Usage u = parseUsage(deepseek);
    QVERIFY(u.present);
    QCOMPARE(u.promptTokens, std::int64_t(1000));
    QCOMPARE(u.cacheHitTokens, std::int64_t(400));
    QCOMPARE(u.reasoningTokens, std::int64_t(300));
    const Prices prices{0.55, 0.14, 2.19};
    // 600 misses * 0.55 + 400 hits * 0.14 + 500 out * 2.19, per million.
    QCOMPARE(costOf(u, prices), (600 * 0.55 + 400 * 0.14 + 500 * 2.19) / 1e6);

    const Usage openai = parseUsage(nlohmann::json::parse(
        R"({"prompt_tokens":10,"completion_tokens":2,"prompt_tokens_details":{"cached_tokens":8}})"));
    QCOMPARE(openai.cacheHitTokens, std::int64_t(8));
    QVERIFY(!parseUsage(nullptr).present);
}

void TestTeacher::usageCounterIsThreadSafe()
{
    UsageCounter counter(Prices{1.0, 0.5, 2.0});
    Usage u;
    u.present = true;
    u.promptTokens = 3;
    u.cacheHitTokens = 1;
    u.completionTokens = 5;
    u.reasoningTokens = 2;
    std::vector<std::thread> threads;
    for (int t = 0; t < 8; ++t)
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i)
                counter.add(u);
        });
    for (auto& t : threads)
        t.join();
    counter.add(Usage{});  // no usage reported: not counted
    const UsageTotals totals = counter.totals();
    compareTokenCounts(totals, {8000, 24000, 40000, 16000, 8000, 0.0});
    QVERIFY(std::abs(totals.cost - 8000 * (2 * 1.0 + 1 * 0.5 + 5 * 2.0) / 1e6) < 1e-12);
}

void TestTeacher::presetsTable()
{
    QCOMPARE(findPreset("ollama").baseUrl, std::string("http://127.0.0.1:11434/v1"));
    QVERIFY(!findPreset("ollama").supportsN);
    QCOMPARE(findPreset("llamacpp").baseUrl, std::string("http://127.0.0.1:8080/v1"));
    QVERIFY(!findPreset("llamacpp").supportsN);
    QCOMPARE(findPreset("distillery").baseUrl, std::string("http://127.0.0.1:8000/v1"));
    QCOMPARE(findPreset("deepseek").apiKeyEnv, std::string("DEEPSEEK_API_KEY"));
    QCOMPARE(findPreset("deepseek").reasoningField, std::string("reasoning_content"));
    QVERIFY(findPreset("vllm").supportsN);
    QVERIFY(findPreset("sglang").supportsN);
    QVERIFY(findPreset("openai-compatible").baseUrl.empty());
    QVERIFY_THROWS_EXCEPTION(Error, findPreset("gpt-teacher"));

    TeacherConfig c;
    c.preset = "deepseek";
    const ResolvedTeacher r = resolveTeacher(c);
    QCOMPARE(r.chatUrl, std::string("https://api.deepseek.com/v1/chat/completions"));
    QCOMPARE(r.model, std::string("deepseek-reasoner"));
    c.preset = "openai-compatible";  // no base_url, no model
    QVERIFY_THROWS_EXCEPTION(Error, resolveTeacher(c));
}

void TestTeacher::configJsonRoundTripHasNoKeyAndRejectsUnknownKeys()
{
    TeacherConfig c;
    c.preset = "deepseek";
    c.sampling.n = 16;
    c.sampling.temperature = 0.6;
    c.sampling.seed = 7;
    c.sampling.stop = {"</answer>"};
    c.prices = {0.55, 0.14, 2.19};
    c.retry.maxAttempts = 9;
    const nlohmann::json j = toJson(c);
    const TeacherConfig back = teacherConfigFromJson(j);
    QCOMPARE(back.preset, c.preset);
    QCOMPARE(back.sampling.n, 16);
    QCOMPARE(*back.sampling.temperature, 0.6);
    QCOMPARE(*back.sampling.seed, 7LL);
    QVERIFY(!back.sampling.topP);
    QCOMPARE(back.sampling.stop, c.sampling.stop);
    QCOMPARE(back.prices.promptCacheHit, 0.14);
    QCOMPARE(back.retry.maxAttempts, 9);
    QCOMPARE(toJson(back), j);

    nlohmann::json bad = j;
    bad["api_key"] = "sk-should-not-be-here";
    QVERIFY_THROWS_EXCEPTION(Error, teacherConfigFromJson(bad));
    bad = j;
    bad["sampling"]["temprature"] = 0.7;
    QVERIFY_THROWS_EXCEPTION(Error, teacherConfigFromJson(bad));
}
