// tst_serve: the OpenAI-compatible server over loopback (tiny-qwen2 fixture weights with the toy
// byte-level tokenizer), compared with the engine run directly; the teacher client with preset
// `distillery` against it; and a generate job with the local teacher.
#include "core/infer/engine.h"
#include "core/run/generate_job.h"
#include "core/run/event_sink.h"
#include "core/run/job_runner.h"
#include "core/run/stop_token.h"
#include "core/serve/openai_server.h"
#include "core/serve/reply_split.h"
#include "core/serve/served_model.h"
#include "core/store/sample_query.h"
#include "core/store/workspace.h"
#include "core/teacher/chat_response.h"
#include "core/teacher/teacher_client.h"
#include "serve_fixtures.h"

#include <httplib.h>

#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <filesystem>
#include <sstream>
#include <thread>

using namespace distill;
using nlohmann::json;
namespace fs = std::filesystem;

namespace {

json userMessages(const std::string& text)
{
    return json::array({{{"role", "user"}, {"content", text}}});
}

struct Sse {
    std::vector<json> events;
    bool done = false;
};

Sse parseSse(const std::string& body)
{
    Sse out;
    teacher::SseDecoder decoder;
    auto data = decoder.feed(body);
    for (auto& d : decoder.finish())
        data.push_back(d);
    for (const std::string& d : data) {
        if (d == "[DONE]")
            out.done = true;
        else
            out.events.push_back(json::parse(d));
    }
    return out;
}

}  // namespace

class TestServe : public QObject {
    Q_OBJECT

    QTemporaryDir m_tmp;
    fs::path m_dir;
    std::unique_ptr<serve::ServedModel> m_served;     // behind the server
    std::unique_ptr<serve::ServedModel> m_reference;  // the engine run directly
    std::unique_ptr<serve::OpenAiServer> m_server;
    const std::string m_key = "sk-test-key";

    httplib::Client client() const
    {
        httplib::Client c("127.0.0.1", m_server->port());
        c.set_bearer_token_auth(m_key.c_str());
        c.set_read_timeout(60, 0);
        return c;
    }

    httplib::Result post(const std::string& path, const json& body) const
    {
        return client().Post(path.c_str(), body.dump(), "application/json");
    }

    // Greedy completions of the engine itself for a chat prompt.
    std::vector<infer::Completion> direct(const json& messages, std::int64_t maxTokens, int n = 1)
    {
        infer::GenerationRequest g;
        g.prompt = m_reference->chatPrompt(nlohmann::ordered_json(messages)).ids;
        g.sampling.temperature = 0;
        g.maxNewTokens = maxTokens;
        g.n = n;
        g.stopTokenIds = m_reference->stopTokenIds();
        return m_reference->engine().generate({g});
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_dir = test::makeServeModelDir(m_tmp);
        m_served = std::make_unique<serve::ServedModel>(serve::ServedModelOptions{m_dir, "cpu", 8});
        m_reference = std::make_unique<serve::ServedModel>(serve::ServedModelOptions{m_dir, "cpu", 8});
        serve::ServerOptions options;
        options.port = 0;
        options.apiKey = m_key;
        options.queue = 8;
        m_server = std::make_unique<serve::OpenAiServer>(*m_served, options);
        m_server->start();
        QVERIFY(m_server->port() > 0);
    }

    void cleanupTestCase() { m_server.reset(); }

    void replySplit()
    {
        auto parts = serve::splitReply("<think>\nstep one\n</think>\n\nThe answer is 4.", false);
        QVERIFY(parts.thinking);
        QCOMPARE(parts.reasoning, std::string("step one"));
        QCOMPARE(parts.content, std::string("The answer is 4."));
        parts = serve::splitReply("still thinking", true);
        QCOMPARE(parts.reasoning, std::string("still thinking"));
        QVERIFY(parts.content.empty());
        parts = serve::splitReply("plain answer ", false);
        QVERIFY(!parts.thinking);
        QCOMPARE(parts.content, std::string("plain answer "));

        // Streamed pieces add up to the whole split and never send a partial tag.
        const std::string text = "<think>\nab c</think>\nxyz";
        serve::ReplyStreamer streamer(false);
        std::string reasoning, content;
        for (std::size_t i = 1; i <= text.size(); ++i) {
            const serve::ReplyDelta d = streamer.update(std::string_view(text).substr(0, i), i == text.size());
            QVERIFY(d.reasoning.find('<') == std::string::npos);
            reasoning += d.reasoning;
            content += d.content;
        }
        QCOMPARE(reasoning, std::string("ab c"));
        QCOMPARE(content, std::string("xyz"));
        QCOMPARE(std::string(serve::streamableText("abc\xEF\xBF\xBD", {})), std::string("abc"));
        QCOMPARE(std::string(serve::streamableText("hello STO", {"STOP"})), std::string("hello "));
        QCOMPARE(std::string(serve::streamableText("hello STOP more", {"STOP"})), std::string("hello "));
    }

    void nonStreamingChatEqualsEngine()
    {
        const json messages = userMessages("What is 2+2?");
        const auto expected = direct(messages, 12);
        const auto res = post("/v1/chat/completions", {{"model", "tiny-serve"}, {"messages", messages}, {"temperature", 0}, {"max_tokens", 12}});
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json body = json::parse(res->body);
        QCOMPARE(body["object"], "chat.completion");
        QCOMPARE(body["model"], "tiny-serve");
        QCOMPARE(body["choices"].size(), std::size_t(1));
        const json& choice = body["choices"][0];
        QCOMPARE(choice["message"]["role"], "assistant");
        QCOMPARE(choice["message"]["content"].get<std::string>(), expected[0].text);
        QVERIFY(!choice["message"].contains("reasoning_content"));
        QCOMPARE(choice["finish_reason"].get<std::string>(), std::string(expected[0].finish == infer::FinishReason::Stop ? "stop" : "length"));
        const std::size_t promptTokens = m_reference->chatPrompt(nlohmann::ordered_json(messages)).ids.size();
        QCOMPARE(body["usage"]["prompt_tokens"].get<std::size_t>(), promptTokens);
        QCOMPARE(body["usage"]["completion_tokens"].get<std::size_t>(), expected[0].ids.size());
        QCOMPARE(body["usage"]["total_tokens"].get<std::size_t>(), promptTokens + expected[0].ids.size());
    }

    void textCompletionEqualsEngine()
    {
        infer::GenerationRequest g;
        g.prompt = m_reference->encode("Once upon a time");
        g.sampling.temperature = 0;
        g.maxNewTokens = 10;
        g.stopTokenIds = m_reference->stopTokenIds();
        const auto expected = m_reference->engine().generate({g});
        const auto res = post("/v1/completions", {{"prompt", "Once upon a time"}, {"temperature", 0}, {"max_tokens", 10}});
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json body = json::parse(res->body);
        QCOMPARE(body["object"], "text_completion");
        QCOMPARE(body["choices"][0]["text"].get<std::string>(), expected[0].text);
        QCOMPARE(body["usage"]["completion_tokens"].get<std::size_t>(), expected[0].ids.size());
    }

    void streamingEqualsNonStreaming()
    {
        const json messages = userMessages("Stream me");
        const auto expected = direct(messages, 16);
        const auto res = post("/v1/chat/completions", {{"messages", messages}, {"temperature", 0}, {"max_tokens", 16}, {"stream", true},
                                                       {"stream_options", {{"include_usage", true}}}});
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        QVERIFY(res->get_header_value("Content-Type").find("text/event-stream") != std::string::npos);
        const Sse sse = parseSse(res->body);
        QVERIFY(sse.done);
        QVERIFY(sse.events.size() >= 3);
        QCOMPARE(sse.events.front()["choices"][0]["delta"]["role"], "assistant");
        std::string content;
        std::string finish;
        for (const json& e : sse.events) {
            QCOMPARE(e["object"], "chat.completion.chunk");
            if (e["choices"].empty())
                continue;
            const json& c = e["choices"][0];
            content += c["delta"].value("content", "");
            if (!c["finish_reason"].is_null())
                finish = c["finish_reason"];
        }
        QCOMPARE(content, expected[0].text);
        QVERIFY(!finish.empty());
        const json& last = sse.events.back();
        QVERIFY(last["choices"].empty());
        QCOMPARE(last["usage"]["completion_tokens"].get<std::size_t>(), expected[0].ids.size());

        // Through the teacher library's own SSE reader, the same text.
        teacher::ChatAccumulator acc("reasoning_content");
        teacher::SseDecoder decoder;
        for (const std::string& d : decoder.feed(res->body))
            acc.applyEvent(d);
        QVERIFY(!acc.error());
        QVERIFY(acc.sawDone());
        QCOMPARE(acc.choices().at(0).content, expected[0].text);
        QCOMPARE(acc.usage().completionTokens, std::int64_t(expected[0].ids.size()));
    }

    void nSamples()
    {
        const auto res = post("/v1/chat/completions", {{"messages", userMessages("three please")}, {"n", 3}, {"temperature", 1.0},
                                                       {"seed", 7}, {"max_tokens", 8}});
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json body = json::parse(res->body);
        QCOMPARE(body["choices"].size(), std::size_t(3));
        std::size_t tokens = 0;
        for (int i = 0; i < 3; ++i)
            QCOMPARE(body["choices"][i]["index"].get<int>(), i);
        // Same seed, same samples; the engine directly with the same request agrees.
        infer::GenerationRequest g;
        g.prompt = m_reference->chatPrompt(nlohmann::ordered_json(userMessages("three please"))).ids;
        g.n = 3;
        g.sampling.temperature = 1.0;
        g.sampling.seed = 7;
        g.maxNewTokens = 8;
        g.stopTokenIds = m_reference->stopTokenIds();
        const auto expected = m_reference->engine().generate({g});
        for (int i = 0; i < 3; ++i) {
            QCOMPARE(body["choices"][i]["message"]["content"].get<std::string>(), expected[std::size_t(i)].text);
            tokens += expected[std::size_t(i)].ids.size();
        }
        QCOMPARE(body["usage"]["completion_tokens"].get<std::size_t>(), tokens);
    }

    void reasoningContentSplit()
    {
        // The assistant turn opened with "<think>\n" is continued; budget forcing closes the thinking
        // after 4 tokens with "</think>" (one token of the toy tokenizer, id 260).
        json messages = userMessages("think briefly");
        messages.push_back({{"role", "assistant"}, {"content", "<think>\n"}});
        const json request = {{"messages", messages}, {"temperature", 0}, {"max_tokens", 12}, {"max_thinking_tokens", 4}, {"ignore_eos", true}};
        const auto res = post("/v1/chat/completions", request);
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json body = json::parse(res->body);

        infer::GenerationRequest g;
        g.prompt = m_reference->chatPrompt(nlohmann::ordered_json(messages)).ids;
        g.sampling.temperature = 0;
        g.maxNewTokens = 12;
        g.budget = m_reference->budgetForcing(4, 0, 1);
        const auto expected = m_reference->engine().generate({g});
        const auto& ids = expected[0].ids;
        const auto close = std::find(ids.begin(), ids.end(), 260);
        QCOMPARE(close - ids.begin(), 4);
        const auto trim = [](std::string s) {
            s.erase(0, s.find_first_not_of(" \t\r\n"));
            s.erase(s.find_last_not_of(" \t\r\n") + 1);
            return s;
        };
        const std::string reasoning = trim(m_reference->decode({ids.begin(), close}));
        const std::string content = trim(m_reference->decode({close + 1, ids.end()}));
        const json& message = body["choices"][0]["message"];
        QVERIFY(message.contains("reasoning_content"));
        QCOMPARE(message["reasoning_content"].get<std::string>(), reasoning);
        QCOMPARE(message["content"].get<std::string>(), content);
        QCOMPARE(body["usage"]["completion_tokens_details"]["reasoning_tokens"].get<int>(), 4);

        // Streamed: every reasoning delta comes before the first content delta, and they add up.
        json streamed = request;
        streamed["stream"] = true;
        const auto sres = post("/v1/chat/completions", streamed);
        QVERIFY(sres);
        std::string r, c;
        bool contentStarted = false;
        for (const json& e : parseSse(sres->body).events) {
            const json& delta = e["choices"][0]["delta"];
            if (delta.contains("reasoning_content")) {
                QVERIFY(!contentStarted);
                r += delta["reasoning_content"].get<std::string>();
            }
            const std::string piece = delta.value("content", "");
            contentStarted = contentStarted || !piece.empty();
            c += piece;
        }
        QCOMPARE(r, reasoning);
        QCOMPARE(c, content);
    }

    void modelsAndAuth()
    {
        auto res = client().Get("/v1/models");
        QVERIFY(res);
        QCOMPARE(res->status, 200);
        const json models = json::parse(res->body);
        QCOMPARE(models["object"], "list");
        QCOMPARE(models["data"][0]["id"], "tiny-serve");

        httplib::Client anonymous("127.0.0.1", m_server->port());
        res = anonymous.Get("/v1/models");
        QVERIFY(res);
        QCOMPARE(res->status, 401);
        QCOMPARE(json::parse(res->body)["error"]["code"], "invalid_api_key");
        httplib::Client wrong("127.0.0.1", m_server->port());
        wrong.set_bearer_token_auth("sk-wrong");
        res = wrong.Post("/v1/chat/completions", json{{"messages", userMessages("hi")}}.dump(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 401);
        QVERIFY(!json::parse(res->body)["error"]["message"].get<std::string>().empty());
    }

    void badRequests_data()
    {
        QTest::addColumn<QString>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("malformed json") << "{\"messages\": [" << 400 << "JSON";
        QTest::newRow("not an object") << "[1, 2]" << 400 << "object";
        QTest::newRow("missing messages") << "{\"temperature\": 0}" << 400 << "messages";
        QTest::newRow("empty messages") << "{\"messages\": []}" << 400 << "messages";
        QTest::newRow("role missing") << "{\"messages\": [{\"content\": \"x\"}]}" << 400 << "role";
        QTest::newRow("temperature type") << "{\"messages\": [{\"role\":\"user\",\"content\":\"x\"}], \"temperature\": \"hot\"}" << 400 << "temperature";
        QTest::newRow("n zero") << "{\"messages\": [{\"role\":\"user\",\"content\":\"x\"}], \"n\": 0}" << 400 << "'n'";
        QTest::newRow("n too large") << "{\"messages\": [{\"role\":\"user\",\"content\":\"x\"}], \"n\": 1000}" << 400 << "'n'";
        QTest::newRow("max_tokens too large") << "{\"messages\": [{\"role\":\"user\",\"content\":\"x\"}], \"max_tokens\": 100000}" << 400 << "max_tokens";
        QTest::newRow("stop type") << "{\"messages\": [{\"role\":\"user\",\"content\":\"x\"}], \"stop\": 5}" << 400 << "stop";
        QTest::newRow("nested too deep") << "{\"messages\": " + QString(100000, '[') << 400 << "nested deeper than 64";
        QTest::newRow("unknown model") << "{\"model\": \"gpt-9\", \"messages\": [{\"role\":\"user\",\"content\":\"x\"}]}" << 404 << "gpt-9";
    }

    void badRequests()
    {
        QFETCH(QString, body);
        QFETCH(int, status);
        QFETCH(QString, mentions);
        const auto res = client().Post("/v1/chat/completions", body.toStdString(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, status);
        const json error = json::parse(res->body);
        QVERIFY(error["error"]["message"].is_string());
        QVERIFY2(error["error"]["message"].get<std::string>().find(mentions.toStdString()) != std::string::npos,
                 error["error"]["message"].get<std::string>().c_str());
        QVERIFY(error["error"]["type"].is_string());
    }

    void concurrentRequestsBatched()
    {
        // A long streamed request keeps the engine busy; two requests sent meanwhile wait together
        // and run as one engine batch, each with its own correct output.
        const auto before = m_server->stats();
        std::atomic<bool> firstChunk{false};
        std::thread longOne([&] {
            // 16 samples of 500 tokens on 8 engine slots: two waves of decoding.
            post("/v1/completions", {{"prompt", "long"}, {"n", 16}, {"max_tokens", 500}, {"ignore_eos", true}});
        });
        // Wait until the long request is being generated (it is the only one admitted).
        QTRY_VERIFY_WITH_TIMEOUT(m_server->stats().rounds > before.rounds, 20000);
        const json a = userMessages("first question"), b = userMessages("second, longer question");
        int statusA = 0, statusB = 0;
        std::string bodyA, bodyB;
        const auto send = [this](const json& messages, int& status, std::string& body) {
            if (const auto res = post("/v1/chat/completions", {{"messages", messages}, {"temperature", 0}, {"max_tokens", 10}})) {
                status = res->status;
                body = res->body;
            }
        };
        std::thread ta([&] { send(a, statusA, bodyA); });
        std::thread tb([&] { send(b, statusB, bodyB); });
        ta.join();
        tb.join();
        longOne.join();
        QCOMPARE(statusA, 200);
        QCOMPARE(statusB, 200);
        QCOMPARE(json::parse(bodyA)["choices"][0]["message"]["content"].get<std::string>(), direct(a, 10)[0].text);
        QCOMPARE(json::parse(bodyB)["choices"][0]["message"]["content"].get<std::string>(), direct(b, 10)[0].text);
        const auto after = m_server->stats();
        QCOMPARE(after.requests - before.requests, std::uint64_t(3));
        QCOMPARE(after.rounds - before.rounds, std::uint64_t(2));
        QVERIFY(after.largestRound >= 2);
    }

    void queueFull()
    {
        serve::ServedModel model(serve::ServedModelOptions{m_dir, "cpu", 4});
        serve::ServerOptions options;
        options.port = 0;
        options.queue = 1;
        serve::OpenAiServer server(model, options);
        server.start();
        std::thread longOne([&] {
            httplib::Client c("127.0.0.1", server.port());
            c.set_read_timeout(60, 0);
            // 16 samples of 500 tokens on 4 engine slots: four waves of decoding.
            c.Post("/v1/completions", json{{"prompt", "long"}, {"n", 16}, {"max_tokens", 500}, {"ignore_eos", true}}.dump(), "application/json");
        });
        QTRY_VERIFY_WITH_TIMEOUT(server.stats().rounds == 1, 20000);
        httplib::Client c("127.0.0.1", server.port());
        const auto res = c.Post("/v1/chat/completions", json{{"messages", userMessages("x")}, {"max_tokens", 2}}.dump(), "application/json");
        QVERIFY(res);
        QCOMPARE(res->status, 429);
        QCOMPARE(json::parse(res->body)["error"]["code"], "queue_full");
        longOne.join();
        QCOMPARE(server.stats().rejected, std::uint64_t(1));
        // Once the queue has room again, requests are served.
        const auto again = c.Post("/v1/chat/completions", json{{"messages", userMessages("x")}, {"max_tokens", 2}}.dump(), "application/json");
        QVERIFY(again);
        QCOMPARE(again->status, 200);
    }

    void stopAnswersEveryAdmittedRequest()
    {
        serve::ServedModel model(serve::ServedModelOptions{m_dir, "cpu", 4});
        serve::ServerOptions options;
        options.port = 0;
        options.queue = 4;
        serve::OpenAiServer server(model, options);
        server.start();
        const auto send = [&](const json& body, int& status, std::string& text) {
            httplib::Client c("127.0.0.1", server.port());
            c.set_read_timeout(60, 0);
            if (const auto res = c.Post("/v1/completions", body.dump(), "application/json")) {
                status = res->status;
                text = res->body;
            }
        };
        int statusA = 0, statusB = 0;
        std::string bodyA, bodyB;
        // A is generating (8 samples of 300 tokens on 4 slots), B waits behind it when the stop comes.
        std::thread a([&] {
            send({{"prompt", "long"}, {"n", 8}, {"max_tokens", 300}, {"ignore_eos", true}}, statusA, bodyA);
        });
        QTRY_VERIFY_WITH_TIMEOUT(server.stats().rounds == 1, 20000);
        std::thread b([&] { send({{"prompt", "short"}, {"max_tokens", 5}, {"ignore_eos", true}}, statusB, bodyB); });
        QTRY_VERIFY_WITH_TIMEOUT(server.stats().waiting == 1, 20000);
        server.stop();
        a.join();
        b.join();
        QCOMPARE(statusA, 200);
        QCOMPARE(statusB, 200);
        const json answerA = json::parse(bodyA), answerB = json::parse(bodyB);
        QCOMPARE(answerA["choices"].size(), std::size_t(8));
        QCOMPARE(answerA["usage"]["completion_tokens"], 8 * 300);
        QCOMPARE(answerB["usage"]["completion_tokens"], 5);
        // Nothing new is taken once stopped.
        httplib::Client late("127.0.0.1", server.port());
        const auto res = late.Post("/v1/completions", json{{"prompt", "late"}, {"max_tokens", 1}}.dump(), "application/json");
        QVERIFY(!res || res->status == 503);
        QCOMPARE(server.stats().requests, std::uint64_t(2));
    }

    void teacherClientWithDistilleryPreset()
    {
        qputenv("DISTILLERY_TEST_SERVE_KEY", QByteArray::fromStdString(m_key));
        teacher::TeacherConfig config;
        config.preset = "distillery";
        config.baseUrl = "http://127.0.0.1:" + std::to_string(m_server->port()) + "/v1";
        config.model = "tiny-serve";
        config.apiKeyEnv = "DISTILLERY_TEST_SERVE_KEY";
        config.sampling.temperature = 0.0;
        config.sampling.maxTokens = 12;
        config.sampling.n = 2;
        config.retry.maxAttempts = 1;
        for (const bool stream : {true, false}) {
            config.stream = stream;
            teacher::TeacherClient client(config);
            teacher::TeacherRequest request;
            request.id = "p1";
            request.messages = {{"user", "What is 2+2?"}};
            const auto completions = client.complete(request);
            QCOMPARE(completions.size(), std::size_t(2));
            const auto expected = direct(userMessages("What is 2+2?"), 12);
            for (const auto& c : completions) {
                QCOMPARE(c.rawText, expected[0].text);
                QCOMPARE(c.model, std::string("tiny-serve"));
            }
            QCOMPARE(client.usage().completionTokens, std::int64_t(2 * expected[0].ids.size()));
        }
    }

    void generateJobWithLocalTeacher()
    {
        QTemporaryDir dir;
        const std::string path = dir.filePath("ws.sqlite").toStdString();
        store::Workspace ws = store::Workspace::create(path, {false, {}});
        std::ostringstream out;
        run::EventSink events(out);
        run::StopToken stop;
        run::JobRegistry registry;
        run::registerGenerateJob(registry);
        const std::string spec = "kind: generate\nname: local\ntoy: {count: 3, seed: 0, difficulty: 0}\n"
                                 "samples_per_problem: 2\nprompt: {think_prefill: true}\nverify: true\nreject_incorrect: false\n"
                                 "teacher:\n  type: local\n  model: " + m_dir.string() +
                                 "\n  max_batch: 4\n  sampling: {temperature: 0, max_tokens: 16, max_thinking_tokens: 5}\n";
        const run::RunResult result = run::runJob(registry, ws, {spec, std::nullopt, "test"}, events, stop);
        QVERIFY2(result.status == "finished", out.str().c_str());
        QCOMPARE(result.summary["written"].get<int>(), 6);
        QVERIFY(result.summary["teacher"].get<std::string>().starts_with("local:tiny-serve:"));
        store::SampleQuery q;
        q.origin = store::Origin::Teacher;
        const auto ids = ws.sampleIds(q);
        QCOMPARE(ids.size(), std::size_t(6));
        // The prompt opened <think>; budget forcing closed every thinking span after 5 tokens.
        for (std::int64_t id : ids) {
            const store::Sample s = *ws.sample(id);
            QVERIFY(s.originDetail.starts_with("local:"));
            QCOMPARE(s.thinkingTokens, std::int64_t(5));
        }
        // A rerun finds every unit done.
        const run::RunResult again = run::runJob(registry, ws, {spec, std::nullopt, "test"}, events, stop);
        QCOMPARE(again.summary["written"].get<int>(), 0);

        // Unknown keys are errors that name the key.
        try {
            registry.parse("kind: generate\ntoy: {count: 1}\nteacher: {type: local, model: x, temprature: 1}\n");
            QFAIL("an unknown key was accepted");
        } catch (const Error& e) {
            QVERIFY(e.detail().find("temprature") != std::string::npos);
        }
    }
};

QTEST_GUILESS_MAIN(TestServe)
#include "tst_serve.moc"
