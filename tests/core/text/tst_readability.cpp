// Readability filters and the think-tag split on realistic teacher responses.
#include "core/text/cot_template.h"
#include "core/text/readability_filter.h"
#include "core/util/error.h"
#include "sample_texts.h"

#include <nlohmann/json.hpp>

#include <QtTest>

using namespace distill::text;
using testdata::englishResponse;
using testdata::englishThinking;

namespace {

QStringList toQt(const std::vector<std::string>& list)
{
    QStringList out;
    for (const auto& s : list)
        out << QString::fromStdString(s);
    return out;
}

std::string withClosing(const std::string& thinking)
{
    return "<think>\n" + thinking + "\n</think>\n\nThe answer is $\\boxed{9}$.";
}

// One long paragraph of distinct sentences (trial division of 196), at least minChars long.
std::string longParagraph(std::size_t minChars)
{
    std::string p;
    for (int k = 1; p.size() < minChars; ++k)
        p += "Checking divisor " + std::to_string(k) + ": 196 divided by " + std::to_string(k) + " leaves remainder "
            + std::to_string(196 % k) + ", so " + std::to_string(k) + (196 % k ? " is not" : " is") + " a divisor. ";
    return p;
}

}  // namespace

class TestReadability : public QObject {
    Q_OBJECT
private slots:
    void filters_data()
    {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("language");
        QTest::addColumn<QStringList>("reasons");

        const std::string en = englishThinking();
        const std::string mixed = en.substr(0, en.find("\n\nNow")) + " 所以我们需要再仔细检查一下这个质因数分解是否正确。"
            + en.substr(en.find("\n\nNow"));
        std::string loop = en;
        for (int i = 0; i < 50; ++i)
            loop += " Wait, let me check again.";

        QTest::newRow("clean english") << QByteArray::fromStdString(englishResponse()) << "en" << QStringList{};
        QTest::newRow("english with a chinese sentence")
            << QByteArray::fromStdString(withClosing(mixed)) << "en" << QStringList{"language_mix"};
        QTest::newRow("chinese with latex, target zh")
            << QByteArray::fromStdString(testdata::chineseLatexResponse()) << "zh" << QStringList{};
        QTest::newRow("chinese with latex, target en")
            << QByteArray::fromStdString(testdata::chineseLatexResponse()) << "en" << QStringList{"language_mix"};
        QTest::newRow("5000-char paragraph")
            << QByteArray::fromStdString(withClosing(en + "\n\n" + longParagraph(5000))) << "en"
            << QStringList{"paragraph_length"};
        QTest::newRow("fenced code block")
            << QByteArray::fromStdString(withClosing(
                   en + "\n\nLet me verify with code:\n```python\nprint(sum(1 for d in range(1, 197) if 196 % d == 0))\n```\n"))
            << "en" << QStringList{"code_block"};
        QTest::newRow("looping tail") << QByteArray::fromStdString(withClosing(loop)) << "en"
                                      << QStringList{"repetition", "loop"};
        QTest::newRow("no closing tag")
            << QByteArray::fromStdString("<think>\n" + en.substr(0, en.size() / 2)) << "en" << QStringList{"truncated"};
        QTest::newRow("nothing after the closing tag")
            << QByteArray::fromStdString("<think>\n" + en + "\n</think>\n\n  \n") << "en" << QStringList{"truncated"};
        QTest::newRow("empty thinking")
            << QByteArray("<think>\n</think>\n\nThe answer is 9.") << "en" << QStringList{"thinking_length"};
    }

    void filters()
    {
        QFETCH(QByteArray, raw);
        QFETCH(QString, language);
        QFETCH(QStringList, reasons);
        FilterConfig config;
        config.language = language.toStdString();
        const FilterScores scores = scoreResponse(raw.toStdString(), config);
        QCOMPARE(toQt(rejectReasons(scores, config)), reasons);
    }

    void languageMixMeasures()
    {
        const std::string en = englishThinking();
        QCOMPARE(languageMixRatio(en, "en"), 0.0);
        // LaTeX commands, environments and display math hold Latin letters that are not prose
        const std::string zh = testdata::chineseLatexResponse();
        const std::string_view zhThinking = distill::text::splitThinking(zh).thinking;
        QCOMPARE(languageMixRatio(zhThinking, "zh"), 0.0);
        QVERIFY(languageMixRatio(zhThinking, "en") > 0.9);
        const std::string sentence = "所以我们需要再仔细检查一下这个质因数分解是否正确。";
        const double mix = languageMixRatio(en + sentence, "en");
        // 24 Han characters against the 546 letters of the English prose words (words of two or more
        // letters outside $...$, counted independently with a regular expression)
        QCOMPARE(mix, 24.0 / (24.0 + 546.0));
        // one-letter variables and digits in a Chinese sentence are not English
        QCOMPARE(languageMixRatio("设x为正整数，且x小于10。", "zh"), 0.0);
        // a Chinese CoT that slips into English words (R1's failure mode) is mixed
        QVERIFY(languageMixRatio("我们需要 check 一下这个 equation 是否成立。", "zh") > 0.3);
        // invalid UTF-8 decodes without throwing and counts as symbols
        QCOMPARE(languageMixRatio(std::string("abc \xff\xfe def"), "en"), 0.0);
        // a lone dollar sign is currency, not the start of math
        QVERIFY(languageMixRatio("It costs $5 and 所以 then more words here", "en") > 0.05);
    }

    void scoresOfKnownInputs()
    {
        const FilterConfig config;
        std::string loop = englishThinking();
        for (int i = 0; i < 50; ++i)
            loop += " Wait, let me check again.";
        const FilterScores looped = scoreResponse(withClosing(loop), config);
        QCOMPARE(looped.tailRepeats, std::size_t(50));
        QVERIFY(looped.repeatedNgramShare > 0.3);
        QVERIFY(!looped.truncated);

        const FilterScores clean = scoreResponse(englishResponse(), config);
        QCOMPARE(clean.tailRepeats, std::size_t(1));
        QVERIFY(clean.repeatedNgramShare < 0.05);
        QCOMPARE(clean.codeBlocks, std::size_t(0));
        QCOMPARE(clean.thinkingChars, englishThinking().size());  // ASCII: bytes = code points

        const FilterScores para = scoreResponse(withClosing(longParagraph(5000)), config);
        QVERIFY(para.longestParagraphChars >= 5000);
        QVERIFY(para.longestParagraphWords > 600);

        // an alternating two-sentence loop is found too
        std::string pingPong = englishThinking();
        for (int i = 0; i < 10; ++i)
            pingPong += " Hmm, maybe 9. Or is it 10?";
        QCOMPARE(scoreResponse(withClosing(pingPong), config).tailRepeats, std::size_t(10));
    }

    void thinkingLengthBounds()
    {
        FilterConfig config;
        config.maxThinkingChars = 500;
        QCOMPARE(toQt(rejectReasons(scoreResponse(englishResponse(), config), config)), QStringList{"thinking_length"});
        config.maxThinkingChars = 0;
        config.maxThinkingTokens = 200;
        FilterInput input{englishThinking(), "The answer is 9.", true, 350};
        QCOMPARE(toQt(rejectReasons(scoreSample(input, config), config)), QStringList{"thinking_length"});
        input.thinkingTokens = 150;
        QCOMPARE(toQt(rejectReasons(scoreSample(input, config), config)), QStringList{});
    }

    // R1's cold-start format: reasoning, then a summary; the transform writes one for bare answers.
    void coldStartSummary()
    {
        FilterConfig config;
        config.requireSummary = true;
        const std::string thinking = englishThinking();
        FilterInput bare{thinking, "\\boxed{9}", true, std::nullopt};
        const FilterScores bareScores = scoreSample(bare, config);
        QCOMPARE(bareScores.summaryWords, std::size_t(2));  // "boxed" and "9"
        QCOMPARE(toQt(rejectReasons(bareScores, config)), QStringList{"summary"});
        // The transform: the reasoning's last paragraph above the answer, which then passes.
        const auto summarized = withSummary(thinking, "\\boxed{9}");
        QVERIFY(summarized.has_value());
        QVERIFY2(summarized->starts_with("**Summary.** "), summarized->c_str());
        QVERIFY(summarized->ends_with("\n\n\\boxed{9}"));
        const std::string lastParagraph = thinking.substr(thinking.rfind("\n\n") + 2);
        QVERIFY2(summarized->find(lastParagraph.substr(0, 40)) != std::string::npos, summarized->c_str());
        FilterInput fixed{thinking, *summarized, true, std::nullopt};
        QCOMPARE(toQt(rejectReasons(scoreSample(fixed, config), config)), QStringList{});
        // An answer that already summarises is left alone; one as long as the reasoning fails.
        QVERIFY(!withSummary(thinking, "So the number of divisors is 9.").has_value());
        QVERIFY(!withSummary("", "9").has_value());
        FilterInput repeated{thinking, thinking, true, std::nullopt};
        QCOMPARE(toQt(rejectReasons(scoreSample(repeated, config), config)), QStringList{"summary"});
        // Off by default.
        QCOMPARE(toQt(rejectReasons(bareScores, FilterConfig{})), QStringList{});
    }

    void indentedCodeOnlyWhenEnabled()
    {
        const std::string raw = withClosing(englishThinking()
                                            + "\n\nA quick check:\n\n    n = 196\n    print([d for d in range(1, n + 1) if n % d == 0])\n");
        FilterConfig config;
        QCOMPARE(scoreResponse(raw, config).codeBlocks, std::size_t(0));
        config.detectIndentedCode = true;
        QCOMPARE(scoreResponse(raw, config).codeBlocks, std::size_t(1));
        // indented list items are not code
        const std::string list = withClosing(englishThinking() + "\n\n    1. factor 196\n    2. apply the formula\n");
        QCOMPARE(scoreResponse(list, config).codeBlocks, std::size_t(0));
    }

    void scoresRoundTripThroughJson()
    {
        FilterInput input{englishThinking(), "9", true, 321};
        const FilterScores s = scoreSample(input, FilterConfig{});
        const nlohmann::json j = toJson(s);
        QCOMPARE(j.at("thinking_tokens").get<int>(), 321);
        QCOMPARE(toJson(filterScoresFromJson(nlohmann::json::parse(j.dump()))), j);
        nlohmann::json noTokens = j;
        noTokens["thinking_tokens"] = nullptr;
        QVERIFY(!filterScoresFromJson(noTokens).thinkingTokens);
        nlohmann::json bad = j;
        bad["mystery"] = 1;
        QVERIFY_THROWS_EXCEPTION(distill::Error, filterScoresFromJson(bad));
    }

    void splitThinking_data()
    {
        QTest::addColumn<QString>("raw");
        QTest::addColumn<QString>("open");
        QTest::addColumn<QString>("close");
        QTest::addColumn<QString>("thinking");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<bool>("hasOpen");
        QTest::addColumn<bool>("hasClose");
        QTest::newRow("r1") << "<think>\nreason\n</think>\n\nanswer" << "<think>" << "</think>" << "reason" << "answer" << true << true;
        QTest::newRow("open tag in the prompt") << "reason\n</think>\nanswer" << "<think>" << "</think>" << "reason" << "answer" << false << true;
        QTest::newRow("truncated") << "<think>\nreason that never" << "<think>" << "</think>" << "reason that never" << "" << true << false;
        QTest::newRow("no tags") << "just text" << "<think>" << "</think>" << "just text" << "" << false << false;
        QTest::newRow("marco-o1 tags") << "<Thought>\nhmm\n</Thought>\n<Output>4</Output>" << "<Thought>" << "</Thought>" << "hmm" << "<Output>4</Output>" << true << true;
        QTest::newRow("empty thinking") << "<think></think>42" << "<think>" << "</think>" << "" << "42" << true << true;
        QTest::newRow("second close tag stays in the answer") << "<think>a</think>b</think>c" << "<think>" << "</think>" << "a" << "b</think>c" << true << true;
    }

    void splitThinking()
    {
        QFETCH(QString, raw);
        QFETCH(QString, open);
        QFETCH(QString, close);
        QFETCH(QString, thinking);
        QFETCH(QString, answer);
        QFETCH(bool, hasOpen);
        QFETCH(bool, hasClose);
        const std::string r = raw.toStdString(), o = open.toStdString(), c = close.toStdString();
        const ThinkingSplit split = distill::text::splitThinking(r, o, c);
        QCOMPARE(QString::fromStdString(std::string(split.thinking)), thinking);
        QCOMPARE(QString::fromStdString(std::string(split.answer)), answer);
        QCOMPARE(split.hasOpenTag, hasOpen);
        QCOMPARE(split.hasCloseTag, hasClose);
    }
};

int runReadabilityTests(int argc, char** argv)
{
    TestReadability t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_readability.moc"
