// Tests of core/toy: seeded toy problems, the programmatic teacher's traces, the toy tokenizer files.
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/toy/toy_problem.h"
#include "core/toy/toy_teacher.h"
#include "core/toy/toy_trace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <QtTest>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>

using namespace distill;
using namespace distill::toy;

namespace {

// Evaluates "Compute a + b - c." independently of the library: scan numbers and signs.
long long evaluateQuestion(const std::string& question)
{
    std::istringstream in(question.substr(std::string("Compute ").size()));
    long long total = 0;
    in >> total;
    char op = 0;
    long long n = 0;
    while (in >> op && (op == '+' || op == '-') && in >> n)
        total = op == '+' ? total + n : total - n;
    return total;
}

// The value in the trace's \boxed{...}.
long long boxedValue(const std::string& answer)
{
    static const std::regex re(R"(^\\boxed\{(\d+)\}$)");
    std::smatch m;
    if (!std::regex_match(answer, m, re))
        return -1;
    return std::stoll(m[1].str());
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

}  // namespace

class TestToy : public QObject {
    Q_OBJECT
private slots:
    void problemsAreReproducibleBySeed()
    {
        const ToyProblemSet set{200, 17, 0, ToySplit::Train};
        const auto a = makeToyProblems(set);
        const auto b = makeToyProblems(set);
        QCOMPARE(a.size(), std::size_t(200));
        for (std::size_t i = 0; i < a.size(); ++i) {
            QCOMPARE(a[i].question, b[i].question);
            QCOMPARE(a[i].seed, std::uint64_t(17 + i));
            QCOMPARE(a[i].externalId(), "train-" + std::to_string(17 + i));
        }
        // Another seed range gives other problems.
        const auto c = makeToyProblems({200, 1000, 0, ToySplit::Train});
        int same = 0;
        for (std::size_t i = 0; i < a.size(); ++i)
            same += a[i].question == c[i].question;
        QVERIFY(same < 5);
    }

    void answersAreCorrectAndInRange()
    {
        std::set<int> levels;
        for (const ToyProblem& p : makeToyProblems({3000, 0, 0, ToySplit::Train})) {
            QCOMPARE(p.answer, evaluateQuestion(p.question));
            QCOMPARE(p.answer, p.expression.value());
            QCOMPARE(int(p.expression.operands.size()), p.difficulty + 1);
            levels.insert(p.difficulty);
            long long total = 0;
            for (std::size_t i = 0; i < p.expression.operands.size(); ++i) {
                const int v = p.expression.operands[i];
                QVERIFY(v >= 10 && v <= 99);
                total = i == 0 ? v : (p.expression.ops[i - 1] == '+' ? total + v : total - v);
                QVERIFY(total >= 0);
            }
        }
        QCOMPARE(levels, (std::set<int>{1, 2, 3}));
        for (int d = 1; d <= 3; ++d)
            for (const ToyProblem& p : makeToyProblems({100, 0, d, ToySplit::Train}))
                QCOMPARE(p.difficulty, d);
        QVERIFY_THROWS_EXCEPTION(Error, makeToyProblem(0, 4));
    }

    void trainAndHeldOutNeverShareAQuestion()
    {
        std::set<std::string> train;
        for (const ToyProblem& p : makeToyProblems({20000, 0, 1, ToySplit::Train})) {
            QCOMPARE(p.split, ToySplit::Train);
            train.insert(p.question);
        }
        int heldOut = 0;
        for (const ToyProblem& p : makeToyProblems({1000, 0, 1, ToySplit::HeldOut})) {
            QCOMPARE(p.split, ToySplit::HeldOut);
            QVERIFY(p.seed >= kHeldOutSeedBase);
            QCOMPARE(p.externalId().rfind("heldout-", 0), std::size_t(0));
            QVERIFY(!train.count(p.question));
            ++heldOut;
        }
        QCOMPARE(heldOut, 1000);
    }

    void questionsParseBack()
    {
        for (const ToyProblem& p : makeToyProblems({500, 3, 0, ToySplit::Train})) {
            const auto e = parseToyQuestion("Please solve.\n" + p.question + "\nPut your final answer in \\boxed{}.");
            QVERIFY(e);
            QCOMPARE(e->operands, p.expression.operands);
            QCOMPARE(e->ops, p.expression.ops);
        }
        QVERIFY(!parseToyQuestion("What is 2 + 2?"));
        QVERIFY(!parseToyQuestion("Compute 12."));
        QVERIFY(!parseToyQuestion("Compute 12 - 40."));  // below zero: not a toy problem
        QVERIFY(!parseToyQuestion("Compute 12 * 40."));
    }

    void errorRateZeroAlwaysReachesTheAnswer()
    {
        ToyTraceOptions options;
        options.selfCheckRate = 0.3;
        for (const ToyProblem& p : makeToyProblems({3000, 0, 0, ToySplit::Train})) {
            const ToyTrace t = writeToyTrace(p.expression, options, p.seed % 4);
            QVERIFY(!t.injectedError);
            QCOMPARE(t.finalValue, p.answer);
            QCOMPARE(boxedValue(t.answer), p.answer);
            // One line per step, plus the self-checks.
            const auto lines = QString::fromStdString(t.thinking).split('\n');
            const int checks = int(lines.filter("Wait, let me verify").size());
            QCOMPARE(int(lines.size()) - checks, int(p.expression.ops.size()));
        }
    }

    void digitStepsAreWrittenColumnByColumn()
    {
        ToyExpression e{{37, 48, 19}, {'+', '-'}};
        ToyTraceOptions options;
        ToyTrace t = writeToyTrace(e, options, 0);
        QCOMPARE(t.thinking, std::string("37+48: 7+8=15, 3+4+1=8, so 85.\n85-19: 15-9=6, 8-1-1=6, so 66."));
        QCOMPARE(t.text(), "<think>\n" + t.thinking + "\n</think>\n\\boxed{66}");
        options.verbosity = ToyVerbosity::Terse;
        QCOMPARE(writeToyTrace(e, options, 0).thinking, std::string("37+48=85\n85-19=66"));
        ToyExpression borrow{{105, 98}, {'-'}};
        QCOMPARE(writeToyTrace(borrow, {}, 0).thinking, std::string("105-98: 15-8=7, 10-9-1=0, 1-0-1=0, so 7."));
        options = {};
        options.selfCheckRate = 1.0;
        QCOMPARE(writeToyTrace(ToyExpression{{90, 15}, {'+'}}, options, 0).thinking,
                 std::string("90+15: 0+5=5, 9+1=10, so 105.\nWait, let me verify: 105-15=90. Yes."));
    }

    void workedTracesRestateWhatIsLeft()
    {
        ToyTraceOptions options;
        options.verbosity = ToyVerbosity::Worked;
        QCOMPARE(writeToyTrace(ToyExpression{{37, 48, 19, 55}, {'+', '-', '+'}}, options, 0).thinking,
                 std::string("37+48: 7+8=15, 3+4+1=8, so 85.\nNow 85 - 19 + 55.\n"
                             "85-19: 15-9=6, 8-1-1=6, so 66.\nNow 66 + 55.\n"
                             "66+55: 6+5=11, 6+5+1=12, so 121."));
        // A single step has nothing left to restate; a self-check comes before the restatement.
        QCOMPARE(writeToyTrace(ToyExpression{{52, 29}, {'+'}}, options, 0).thinking,
                 std::string("52+29: 2+9=11, 5+2+1=8, so 81."));
        options.selfCheckRate = 1.0;
        QCOMPARE(writeToyTrace(ToyExpression{{90, 15, 5}, {'+', '-'}}, options, 0).thinking,
                 std::string("90+15: 0+5=5, 9+1=10, so 105.\nWait, let me verify: 105-15=90. Yes.\nNow 105 - 5.\n"
                             "105-5: 5-5=0, 0-0=0, 1-0=1, so 100.\nWait, let me verify: 100+5=105. Yes."));
        QCOMPARE(parseToyVerbosity("worked"), ToyVerbosity::Worked);
        QCOMPARE(std::string(toyVerbosityName(ToyVerbosity::Worked)), std::string("worked"));
    }

    void terseRateGivesThatShareOfTerseTraces()
    {
        ToyTraceOptions options;
        options.verbosity = ToyVerbosity::Worked;
        options.terseRate = 1.0;
        const ToyExpression e{{37, 48, 19}, {'+', '-'}};
        QCOMPARE(writeToyTrace(e, options, 0).thinking, std::string("37+48=85\n85-19=66"));
        options.terseRate = 0.3;
        options.errorRate = 0.2;
        int terse = 0;
        int n = 0;
        for (const ToyProblem& problem : makeToyProblems({2500, 0, 0, ToySplit::Train}))
            for (std::uint64_t k = 0; k < 2; ++k) {
                const ToyTrace t = writeToyTrace(problem.expression, options, k);
                QCOMPARE(t.finalValue != problem.answer, t.injectedError);  // errors still show in terse traces
                terse += t.thinking.find(':') == std::string::npos;
                ++n;
            }
        const double rate = double(terse) / n;
        // 5000 traces: the binomial standard deviation is 0.0065; allow about 3 of them.
        QVERIFY2(std::abs(rate - 0.3) < 0.02, qPrintable(QString("terse rate %1").arg(rate)));
        QCOMPARE(ToyTeacher(options).name(),
                 std::string("toy(error_rate=0.2,self_check_rate=0,verbosity=worked,terse_rate=0.3,seed=0)"));
    }

    void errorRateGivesThatShareOfWrongAnswers()
    {
        const double p = 0.2;
        ToyTraceOptions options;
        options.errorRate = p;
        options.seed = 5;
        int wrong = 0;
        int n = 0;
        for (const ToyProblem& problem : makeToyProblems({2500, 0, 0, ToySplit::Train}))
            for (std::uint64_t k = 0; k < 2; ++k) {
                const ToyTrace t = writeToyTrace(problem.expression, options, k);
                QCOMPARE(t.finalValue != problem.answer, t.injectedError);  // an error always shows
                QCOMPARE(boxedValue(t.answer), t.finalValue);
                wrong += t.finalValue != problem.answer;
                ++n;
            }
        const double rate = double(wrong) / n;
        // 5000 traces: the binomial standard deviation is 0.0057; allow 3.5 of them.
        QVERIFY2(std::abs(rate - p) < 0.02, qPrintable(QString("wrong rate %1").arg(rate)));
    }

    void tracesAreReproducibleAndVaryBySample()
    {
        ToyTraceOptions options;
        options.errorRate = 0.5;
        options.selfCheckRate = 0.5;
        const ToyExpression e{{57, 38, 21, 64}, {'+', '-', '+'}};
        std::set<std::string> texts;
        for (std::uint64_t k = 0; k < 20; ++k) {
            QCOMPARE(writeToyTrace(e, options, k).text(), writeToyTrace(e, options, k).text());
            texts.insert(writeToyTrace(e, options, k).text());
        }
        QVERIFY(texts.size() > 3);
    }

    void tracesStayShort()
    {
        // The student's budget: digit traces of the hardest level stay within 160 tokens without
        // self-checks; the response is text() under the byte-level toy tokenizer.
        std::int64_t longest = 0;
        for (const ToyProblem& p : makeToyProblems({3000, 0, 3, ToySplit::Train}))
            longest = std::max(longest, toyTokenCount(writeToyTrace(p.expression, {}, 0).text()));
        QVERIFY2(longest <= 160, qPrintable(QString::number(longest)));
        QCOMPARE(toyTokenCount("<think>\n1+2=3\n</think>\n"), std::int64_t(1 + 1 + 5 + 1 + 1 + 1));
        QCOMPARE(toyTokenCount("<|im_start|>user\nhi<|im_end|>"), std::int64_t(1 + 4 + 1 + 2 + 1));
    }

    void teacherAnswersToyPrompts()
    {
        ToyTraceOptions options;
        ToyTeacher teacher(options);
        QCOMPARE(teacher.name(), std::string("toy(error_rate=0,self_check_rate=0,verbosity=digits,seed=0)"));
        nlohmann::json good = nlohmann::json::array(
            {{{"role", "system"}, {"content", "Be brief."}},
             {{"role", "user"}, {"content", "Compute 37 + 48 - 19.\nPut your final answer in \\boxed{}."}}});
        nlohmann::json bad = nlohmann::json::array({{{"role", "user"}, {"content", "Write a poem."}}});
        const auto results = teacher.generate({{"a", good, 0, false}, {"b", bad, 1, false}});
        QCOMPARE(results.size(), std::size_t(2));
        QVERIFY(results[0].ok);
        QCOMPARE(results[0].id, std::string("a"));
        QCOMPARE(results[0].answer, std::string("\\boxed{66}"));
        QCOMPARE(results[0].rawText, "<think>\n" + results[0].thinking + "\n</think>\n\\boxed{66}");
        QCOMPARE(results[0].completionTokens, toyTokenCount(results[0].rawText));
        QCOMPARE(*results[0].thinkingTokens, std::int64_t(results[0].thinking.size()));
        const std::string userText = good[1]["content"].get<std::string>();
        QCOMPARE(results[0].promptTokens, std::int64_t(std::string("Be brief.").size() + userText.size()));
        QVERIFY(!results[1].ok);
        QCOMPARE(results[1].errorCode, ErrorCode::InvalidArgument);
        QCOMPARE(results[1].sampleIndex, std::int64_t(1));
    }

    void tokenizerFilesDescribeAByteLevelVocabulary()
    {
        const std::string dir = DISTILLERY_SOURCE_DIR "/resources/toy/";
        const auto tok = nlohmann::json::parse(readFile(dir + "tokenizer.json"));
        QCOMPARE(tok["model"]["type"].get<std::string>(), std::string("BPE"));
        QCOMPARE(tok["model"]["vocab"].size(), std::size_t(256));
        QVERIFY(tok["model"]["merges"].empty());
        QCOMPARE(tok["pre_tokenizer"]["type"].get<std::string>(), std::string("ByteLevel"));
        std::set<int> ids;
        for (const auto& [token, id] : tok["model"]["vocab"].items())
            ids.insert(id.get<int>());
        QCOMPARE(int(ids.size()), 256);
        QCOMPARE(*ids.rbegin(), 255);
        std::set<std::string> added;
        for (const auto& t : tok["added_tokens"]) {
            QVERIFY(t["id"].get<int>() >= 256);
            added.insert(t["content"].get<std::string>());
        }
        QCOMPARE(added, (std::set<std::string>{"<|endoftext|>", "<|im_start|>", "<|im_end|>", "<think>", "</think>"}));
        const auto config = nlohmann::json::parse(readFile(dir + "tokenizer_config.json"));
        QCOMPARE(config["eos_token"].get<std::string>(), std::string("<|im_end|>"));
        QVERIFY(config["chat_template"].get<std::string>().find("<|im_start|>") != std::string::npos);
    }
    void tracesRoundTripThroughTheToyTokenizer()
    {
        const auto tokenizer = tokenizer::Tokenizer::fromDirectory(DISTILLERY_SOURCE_DIR "/resources/toy");
        QCOMPARE(tokenizer->vocabSize(), std::size_t(261));
        QCOMPARE(*tokenizer->tokenToId("<think>"), 259);
        QCOMPARE(*tokenizer->eosId(), 258);
        const auto chat = tokenizer::ChatTemplate::fromTokenizer(*tokenizer);
        ToyTraceOptions options;
        options.errorRate = 0.3;
        options.selfCheckRate = 0.3;
        for (const ToyProblem& p : makeToyProblems({400, 0, 0, ToySplit::Train})) {
            const std::string response = writeToyTrace(p.expression, options, 0).text();
            const auto ids = tokenizer->encode(response);
            QCOMPARE(std::int64_t(ids.size()), toyTokenCount(response));
            QCOMPARE(tokenizer->decode(ids), response);
            QCOMPARE(ids.front(), 259);  // <think> is one token
            for (std::int32_t id : ids)
                QVERIFY(id < 261);
            const nlohmann::ordered_json messages = nlohmann::ordered_json::array(
                {{{"role", "user"}, {"content", p.question}}, {{"role", "assistant"}, {"content", response}}});
            const std::string rendered = chat.render(messages, false);
            QCOMPARE(rendered, "<|im_start|>user\n" + p.question + "<|im_end|>\n<|im_start|>assistant\n" + response
                                   + "<|im_end|>\n");
            QCOMPARE(tokenizer->decode(tokenizer->encode(rendered)), rendered);
        }
        const std::string prompt = chat.render(nlohmann::ordered_json::array({{{"role", "user"}, {"content", "Compute 1 + 2."}}}), true);
        QCOMPARE(prompt, std::string("<|im_start|>user\nCompute 1 + 2.<|im_end|>\n<|im_start|>assistant\n"));
    }
};

QTEST_GUILESS_MAIN(TestToy)
#include "tst_toy.moc"
