// Tests of core/infer: greedy continuations identical to transformers (alone, batched, with slot
// reuse, left padding), sampling filters and statistics, seeds, n samples, stops, budget forcing.
#include <torch/torch.h>

#include "core/infer/engine.h"
#include "core/infer/sampler.h"
#include "core/model/checkpoint.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "tests/support/model_fixtures.h"

#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <filesystem>
#include <fstream>
#include <sstream>

using namespace distill;
using namespace distill::infer;
namespace fs = std::filesystem;
using distill::test::modelFixture;

namespace {

struct Reference {
    std::vector<std::int64_t> prompt, greedy;
};

std::vector<Reference> greedyReferences(const std::string& name)
{
    std::ifstream in(modelFixture(name) / "reference.json");
    const auto j = nlohmann::json::parse(in);
    std::vector<Reference> out;
    for (const auto& g : j["greedy"])
        out.push_back({g["prompt"].get<std::vector<std::int64_t>>(), g["greedy"].get<std::vector<std::int64_t>>()});
    return out;
}

GenerationRequest greedyRequest(const std::vector<std::int64_t>& prompt, std::int64_t maxNew)
{
    GenerationRequest r;
    r.prompt = prompt;
    r.sampling.temperature = 0.0;
    r.maxNewTokens = maxNew;
    return r;
}

}  // namespace

class TestInfer : public QObject {
    Q_OBJECT
private slots:
    void greedyMatchesTransformers_data()
    {
        QTest::addColumn<QString>("name");
        for (const char* n : {"tiny-qwen2", "tiny-qwen3", "tiny-llama3", "tiny-qwen2.5-bf16-sharded"})
            QTest::newRow(n) << QString(n);
    }
    void greedyMatchesTransformers()
    {
        QFETCH(QString, name);
        const auto refs = greedyReferences(name.toStdString());
        auto loaded = model::loadModel(modelFixture(name.toStdString()));
        std::vector<GenerationRequest> all;
        for (const Reference& r : refs)
            all.push_back(greedyRequest(r.prompt, std::int64_t(r.greedy.size())));
        // One at a time.
        Engine single(loaded.model.ptr(), {1, {}});
        for (std::size_t i = 0; i < refs.size(); ++i) {
            const auto c = single.generate({all[i]});
            QCOMPARE(c.size(), std::size_t(1));
            QCOMPARE(c[0].ids, refs[i].greedy);
            QVERIFY(c[0].finish == FinishReason::Length);
        }
        // All prompts (different lengths) in one batch, and with fewer slots than prompts so a
        // finished sequence's slot is reused by a waiting prompt (continuous batching).
        for (std::int64_t slotCount : {std::int64_t(8), std::int64_t(2)}) {
            Engine batched(loaded.model.ptr(), {slotCount, {}});
            const auto cs = batched.generate(all);
            QCOMPARE(cs.size(), refs.size());
            for (std::size_t i = 0; i < refs.size(); ++i)
                QCOMPARE(cs[i].ids, refs[i].greedy);
        }
        // n samples share one prefill; greedy samples are all the reference.
        GenerationRequest shared = all.back();
        shared.n = 3;
        const auto cs = single.generate({shared});  // n may exceed maxBatch: slots grow to n
        QCOMPARE(cs.size(), std::size_t(3));
        for (const Completion& c : cs)
            QCOMPARE(c.ids, refs.back().greedy);
    }

    void greedyWithLeftPaddingMatchesTransformers()
    {
        const auto refs = greedyReferences("tiny-llama3");
        auto loaded = model::loadModel(modelFixture("tiny-llama3"));
        torch::NoGradGuard noGrad;
        // Full recomputation each step on a left-padded batch with an attention mask.
        std::vector<std::vector<std::int64_t>> seqs;
        for (const Reference& r : refs)
            seqs.push_back(r.prompt);
        for (std::size_t step = 0; step < refs[0].greedy.size(); ++step) {
            std::size_t L = 0;
            for (const auto& s : seqs)
                L = std::max(L, s.size());
            auto ids = torch::zeros({std::int64_t(seqs.size()), std::int64_t(L)}, torch::kLong);
            auto mask = torch::zeros_like(ids);
            for (std::size_t b = 0; b < seqs.size(); ++b) {
                const auto pad = std::int64_t(L - seqs[b].size());
                ids[std::int64_t(b)].narrow(0, pad, std::int64_t(seqs[b].size())).copy_(torch::tensor(seqs[b], torch::kLong));
                mask[std::int64_t(b)].narrow(0, pad, std::int64_t(seqs[b].size())).fill_(1);
            }
            const auto next = loaded.model->forward(ids, mask).select(1, std::int64_t(L) - 1).argmax(-1);
            for (std::size_t b = 0; b < seqs.size(); ++b)
                seqs[b].push_back(next[std::int64_t(b)].item<std::int64_t>());
        }
        for (std::size_t b = 0; b < refs.size(); ++b)
            QCOMPARE(std::vector<std::int64_t>(seqs[b].begin() + std::ptrdiff_t(refs[b].prompt.size()), seqs[b].end()),
                     refs[b].greedy);
    }

    void filtersShapeTheDistribution()
    {
        // p = [0.4, 0.3, 0.2, 0.1] over a 4-token vocabulary.
        const auto logits = torch::log(torch::tensor({0.1, 0.4, 0.2, 0.3}, torch::kFloat)).unsqueeze(0);
        SamplingParams p;
        const auto dist = [&](const SamplingParams& params) {
            return samplingDistribution(logits, {{&params, nullptr, nullptr}})[0];
        };
        QVERIFY(torch::allclose(dist(p), torch::tensor({0.1, 0.4, 0.2, 0.3}, torch::kFloat), 1e-6, 1e-6));
        p.topP = 0.6;  // 0.4 + 0.3 reaches 0.6: keep tokens 1 and 3
        QVERIFY(torch::allclose(dist(p), torch::tensor({0.0, 4.0 / 7, 0.0, 3.0 / 7}, torch::kFloat), 1e-6, 1e-6));
        p.topP = 1.0;
        p.topK = 3;
        QVERIFY(torch::allclose(dist(p), torch::tensor({0.0, 4.0 / 9, 2.0 / 9, 3.0 / 9}, torch::kFloat), 1e-6, 1e-6));
        p.topK = 0;
        p.minP = 0.6;  // keep p >= 0.24
        QVERIFY(torch::allclose(dist(p), torch::tensor({0.0, 4.0 / 7, 0.0, 3.0 / 7}, torch::kFloat), 1e-6, 1e-6));
        p.minP = 0.0;
        p.temperature = 0.0;
        QVERIFY(torch::equal(dist(p), torch::tensor({0.0, 1.0, 0.0, 0.0}, torch::kFloat)));
        // Repetition penalty 2 on token 1: logit log(0.4) < 0 is doubled -> weight 0.16.
        p.temperature = 1.0;
        p.repetitionPenalty = 2.0;
        const std::vector<std::int64_t> seen{1, 1};
        const auto penalised = samplingDistribution(logits, {{&p, &seen, nullptr}})[0];
        QVERIFY(torch::allclose(penalised, torch::tensor({0.1, 0.16, 0.2, 0.3}, torch::kFloat) / 0.76, 1e-5, 1e-6));
    }

    void samplesFollowTheFilteredDistribution()
    {
        const auto logits = torch::log(torch::tensor({0.1, 0.4, 0.2, 0.3}, torch::kFloat)).unsqueeze(0).repeat({4000, 1});
        SamplingParams p;
        p.topP = 0.6;
        std::vector<SequenceRng> rngs;
        for (int i = 0; i < 4000; ++i)
            rngs.emplace_back(7, std::uint64_t(i));
        std::vector<SampleRow> rows;
        for (auto& r : rngs)
            rows.push_back({&p, nullptr, &r});
        std::array<int, 4> count{};
        for (int round = 0; round < 5; ++round)
            for (std::int64_t t : sampleTokens(logits, rows))
                ++count[std::size_t(t)];
        // Top-p mass respected: tokens outside the nucleus never appear; 4/7 vs 3/7 within 2%.
        QCOMPARE(count[0], 0);
        QCOMPARE(count[2], 0);
        QVERIFY(std::abs(count[1] / 20000.0 - 4.0 / 7) < 0.02);
        QVERIFY(std::abs(count[3] / 20000.0 - 3.0 / 7) < 0.02);
    }

    void seedsAreReproducible()
    {
        auto loaded = model::loadModel(modelFixture("tiny-qwen3"));
        Engine engine(loaded.model.ptr());
        GenerationRequest r;
        r.prompt = greedyReferences("tiny-qwen3")[1].prompt;
        r.maxNewTokens = 32;
        r.sampling.temperature = 1.0;
        r.sampling.seed = 42;
        const auto a = engine.generate({r});
        const auto b = engine.generate({r});
        QCOMPARE(a[0].ids, b[0].ids);
        r.sampling.seed = 43;
        QVERIFY(engine.generate({r})[0].ids != a[0].ids);
        // Sample 0 of n draws from the same stream as a lone request; the n samples differ.
        r.sampling.seed = 42;
        r.n = 4;
        GenerationRequest other = greedyRequest(greedyReferences("tiny-qwen3")[2].prompt, 20);
        const auto cs = engine.generate({other, r});  // batched with another request
        QCOMPARE(cs.size(), std::size_t(5));
        QCOMPARE(cs[1].ids, a[0].ids);
        QVERIFY(cs[2].ids != cs[1].ids && cs[3].ids != cs[2].ids);
        const auto ref = greedyReferences("tiny-qwen3")[2].greedy;
        QCOMPARE(cs[0].ids, std::vector<std::int64_t>(ref.begin(), ref.begin() + 20));
    }

    void stopTokensAndStrings()
    {
        auto loaded = model::loadModel(modelFixture("tiny-qwen2"));
        const Reference ref = greedyReferences("tiny-qwen2")[1];  // greedy: 586, 796, 75, 75, ...
        EngineOptions options;
        options.detokenize = [](const std::vector<std::int64_t>& ids) {
            std::ostringstream s;
            for (auto t : ids)
                s << '<' << t << '>';
            return s.str();
        };
        Engine engine(loaded.model.ptr(), options);
        GenerationRequest r = greedyRequest(ref.prompt, 24);
        r.stopTokenIds = {75};
        auto c = engine.generate({r})[0];
        QCOMPARE(c.ids, (std::vector<std::int64_t>{586, 796, 75}));
        QVERIFY(c.finish == FinishReason::Stop);
        r.stopTokenIds.clear();
        r.stopStrings = {"<796><75>"};
        c = engine.generate({r})[0];
        QCOMPARE(c.ids, (std::vector<std::int64_t>{586, 796, 75}));
        QCOMPARE(c.text, std::string("<586>"));
        QVERIFY(c.finish == FinishReason::Stop);
    }

    void budgetForcingCapsThinking()
    {
        auto loaded = model::loadModel(modelFixture("tiny-qwen2"));
        const Reference ref = greedyReferences("tiny-qwen2")[1];
        Engine engine(loaded.model.ptr());
        GenerationRequest r = greedyRequest(ref.prompt, 12);
        r.budget.thinkEndIds = {1000, 1001};
        r.budget.maxThinkingTokens = 5;
        std::vector<std::int64_t> streamed;
        const auto c = engine.generate({r}, [&](std::size_t, int, std::int64_t t) { streamed.push_back(t); })[0];
        // Five thinking tokens as the model chose them, then the forced end marker, then the answer.
        QCOMPARE(std::vector<std::int64_t>(c.ids.begin(), c.ids.begin() + 5),
                 std::vector<std::int64_t>(ref.greedy.begin(), ref.greedy.begin() + 5));
        QCOMPARE(c.ids[5], std::int64_t(1000));
        QCOMPARE(c.ids[6], std::int64_t(1001));
        QCOMPARE(c.ids.size(), std::size_t(12));
        QCOMPARE(c.thinkingTokens, std::int64_t(5));
        QCOMPARE(streamed, c.ids);
    }

    void budgetForcingExtendsThinkingWithWait()
    {
        auto loaded = model::loadModel(modelFixture("tiny-qwen2"));
        const Reference ref = greedyReferences("tiny-qwen2")[1];  // greedy: 586, 796, 75, 75, ...
        Engine engine(loaded.model.ptr());
        GenerationRequest r = greedyRequest(ref.prompt, 10);
        // Pretend "</think>" is the two tokens 796, 75: emitted after one thought token, too early.
        r.budget.thinkEndIds = {796, 75};
        r.budget.waitIds = {500, 501};
        r.budget.minThinkingTokens = 8;
        r.budget.maxWaits = 1;
        std::vector<std::int64_t> streamed;
        const auto c = engine.generate({r}, [&](std::size_t, int, std::int64_t t) { streamed.push_back(t); })[0];
        QCOMPARE(c.ids[0], std::int64_t(586));
        QCOMPARE(c.ids[1], std::int64_t(500));  // the marker was taken back and replaced by "Wait"
        QCOMPARE(c.ids[2], std::int64_t(501));
        QCOMPARE(c.waits, 1);
        QCOMPARE(c.ids.size(), std::size_t(10));
        QCOMPARE(streamed, c.ids);  // the taken-back token was never streamed
        // The continuation after "Wait" is what the model says given that context.
        auto ctx = ref.prompt;
        ctx.insert(ctx.end(), {586, 500, 501});
        const auto cont = engine.generate({greedyRequest(ctx, 7)})[0];
        QCOMPARE(std::vector<std::int64_t>(c.ids.begin() + 3, c.ids.end()), cont.ids);
    }

    void budgetForcerStateMachine()
    {
        BudgetForcing b;
        b.thinkEndIds = {9};
        b.waitIds = {7};
        b.minThinkingTokens = 3;
        b.maxThinkingTokens = 5;
        b.maxWaits = 2;
        BudgetForcer f(b);
        std::vector<std::int64_t> gen;
        const auto feed = [&](std::int64_t t) {
            auto d = f.onToken(gen, t);
            gen.resize(gen.size() - d.dropLast);
            gen.insert(gen.end(), d.append.begin(), d.append.end());
        };
        feed(1);
        feed(9);  // early: becomes Wait
        QCOMPARE(gen, (std::vector<std::int64_t>{1, 7}));
        feed(9);  // still early (2 thought tokens): second Wait
        QCOMPARE(gen, (std::vector<std::int64_t>{1, 7, 7}));
        feed(2);
        feed(3);  // 5 thinking tokens: the budget is spent
        QVERIFY(f.thinking());
        feed(4);  // replaced by the forced end marker
        QCOMPARE(gen, (std::vector<std::int64_t>{1, 7, 7, 2, 3, 9}));
        QVERIFY(!f.thinking());
        feed(4);
        QCOMPARE(gen.back(), std::int64_t(4));
        QCOMPARE(f.thinkingTokens(), std::int64_t(5));
        QCOMPARE(f.waits(), 2);
    }

    void cliGeneratesGreedyJsonLines()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        if (cli.isEmpty())
            QSKIP("DISTILLERY_CLI is not set (run through ctest)");
        const auto refs = greedyReferences("tiny-llama3");
        QTemporaryDir tmp;
        const QString jsonl = tmp.filePath("prompts.jsonl");
        {
            std::ofstream out(jsonl.toStdString());
            for (const Reference& r : refs)
                out << nlohmann::json{{"prompt_ids", r.prompt}}.dump() << "\n";
        }
        QProcess p;
        p.start(cli, {"generate", "--model", QString::fromStdString(modelFixture("tiny-llama3").string()), "--jsonl", jsonl,
                      "--temperature", "0", "--max-new-tokens", "24", "--max-batch", "2"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const auto lines = p.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), qsizetype(refs.size()));
        for (std::size_t i = 0; i < refs.size(); ++i) {
            const auto j = nlohmann::json::parse(lines[qsizetype(i)].toStdString());
            QCOMPARE(j["prompt_index"].get<std::size_t>(), i);
            QCOMPARE(j["ids"].get<std::vector<std::int64_t>>(), refs[i].greedy);
            QCOMPARE(j["finish_reason"].get<std::string>(), std::string("length"));
        }
        // A text prompt needs the tokenizer the fixture folder does not have: a clear error.
        p.start(cli, {"generate", "--model", QString::fromStdString(modelFixture("tiny-llama3").string()), "--prompt", "hi"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 1);
        QVERIFY(p.readAllStandardError().contains("tokenizer.json"));
    }

    void cliTextPromptThroughChatTemplate()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        const fs::path tokDir = fs::path(DISTILLERY_SOURCE_DIR) / "tests/fixtures/tokenizers-npm/qwen3";
        if (cli.isEmpty() || !fs::exists(tokDir / "tokenizer.json"))
            QSKIP("needs DISTILLERY_CLI and scripts/fetch-tokenizers.sh");
        const auto tok = tokenizer::Tokenizer::fromDirectory(tokDir);
        // A one-layer Qwen3 with random weights whose vocabulary covers the tokenizer's.
        const auto cfg = model::ModelConfig::fromJson(
            {{"model_type", "qwen3"}, {"vocab_size", tok->vocabSize()}, {"hidden_size", 16}, {"intermediate_size", 32},
             {"num_hidden_layers", 1}, {"num_attention_heads", 2}, {"num_key_value_heads", 1}, {"head_dim", 8},
             {"tie_word_embeddings", true}});
        auto lm = model::buildModel(cfg, {}, 3);
        QTemporaryDir tmp;
        const fs::path dir = fs::path(tmp.path().toStdString()) / "student";
        model::SaveOptions save;
        save.copyFilesFrom = tokDir;
        model::saveModel(*lm, dir, save);

        const std::string question = "What is 2+2?";
        QProcess p;
        p.start(cli, {"generate", "--model", QString::fromStdString(dir.string()), "--prompt",
                      QString::fromStdString(question), "--chat", "--temperature", "0", "--max-new-tokens", "6"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const auto j = nlohmann::json::parse(p.readAllStandardOutput().trimmed().toStdString());
        // The same prompt through the chat template and the engine directly.
        const auto chat = tokenizer::ChatTemplate::fromTokenizer(*tok);
        const auto ids32 = tok->encode(
            chat.generationPrompt(nlohmann::ordered_json::array({{{"role", "user"}, {"content", question}}}), false).text);
        Engine engine(lm.ptr());
        const auto c = engine.generate({greedyRequest({ids32.begin(), ids32.end()}, 6)})[0];
        QCOMPARE(j["ids"].get<std::vector<std::int64_t>>(), c.ids);
        const std::vector<std::int32_t> out(c.ids.begin(), c.ids.end());
        QCOMPARE(QString::fromStdString(j["text"].get<std::string>()), QString::fromStdString(tok->decode(out, true)));

        // Budget forcing from the CLI: two thinking tokens, then the tokens of "</think>".
        p.start(cli, {"generate", "--model", QString::fromStdString(dir.string()), "--prompt", "Hi", "--chat",
                      "--temperature", "0", "--max-new-tokens", "8", "--max-thinking-tokens", "2"});
        QVERIFY(p.waitForFinished(120000));
        QCOMPARE(p.exitCode(), 0);
        const auto forced = nlohmann::json::parse(p.readAllStandardOutput().trimmed().toStdString())["ids"]
                                .get<std::vector<std::int64_t>>();
        const auto end = tok->encode("</think>");
        QVERIFY(forced.size() >= 2 + end.size());
        QCOMPARE(std::vector<std::int64_t>(forced.begin() + 2, forced.begin() + 2 + std::ptrdiff_t(end.size())),
                 std::vector<std::int64_t>(end.begin(), end.end()));
    }

    void badRequestsAreErrors()
    {
        auto loaded = model::loadModel(modelFixture("tiny-qwen2"));
        Engine engine(loaded.model.ptr());
        GenerationRequest r;
        QVERIFY_THROWS_EXCEPTION(Error, engine.generate({r}));
        r.prompt = {5, 1024};
        QVERIFY_THROWS_EXCEPTION(Error, engine.generate({r}));
    }
};

QTEST_GUILESS_MAIN(TestInfer)
#include "tst_infer.moc"
