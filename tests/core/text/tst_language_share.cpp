// R1's language consistency by words: real sentences in English, French, German, Chinese, Japanese,
// Korean, Russian and Ukrainian, mixed by sentence and within one, with maths and code left out.
#include "core/text/language_share.h"
#include "core/text/readability_filter.h"

#include <QtTest>

using namespace distill::text;

namespace {

// An English chain of thought: 39 words (two letters or more, outside the maths; numbers are not words).
const std::string kEnglish =
    "Okay, so I need to find the sum of the first 100 positive integers. Let me recall the formula: the sum is "
    "$\\frac{n(n+1)}{2}$. Plugging in $n = 100$, I get 5050. Let me double-check by pairing terms: 1 + 100 = 101, "
    "and there are 50 such pairs, so the total is 5050.";
// The same in French, worded to have as many words (j'obtiens is one word, as ICU splits it).
const std::string kFrench =
    "D'accord, je dois donc trouver la somme des 100 premiers entiers positifs. Je me rappelle la formule : la "
    "somme vaut $\\frac{n(n+1)}{2}$. En remplaçant $n = 100$, j'obtiens 5050. Vérifions cela en regroupant les "
    "termes deux par deux : 1 + 100 = 101, il existe 50 paires semblables, donc le total est 5050.";

}  // namespace

class TestLanguageShare : public QObject {
    Q_OBJECT

private slots:
    void englishIsAllEnglish()
    {
        const LanguageWords words = languageWords(kEnglish, "en");
        QCOMPARE(words.byLanguage.size(), std::size_t(1));
        QCOMPARE(words.byLanguage.at("en"), words.total);
        QCOMPARE(targetLanguageShare(kEnglish, "en"), 1.0);
        QCOMPARE(targetLanguageShare(kEnglish, "en-US"), 1.0);
        QCOMPARE(targetLanguageShare(kEnglish, "fr"), 0.0);
    }

    void frenchIsToldFromEnglishByWords()
    {
        QCOMPARE(targetLanguageShare(kFrench, "fr"), 1.0);
        QCOMPARE(targetLanguageShare(kFrench, "en"), 0.0);
        // same script, two languages: half the words in each
        const LanguageWords en = languageWords(kEnglish, "en");
        const LanguageWords fr = languageWords(kFrench, "fr");
        QCOMPARE(en.total, std::size_t(39));
        QCOMPARE(fr.total, std::size_t(39));
        const std::string half = kEnglish + "\n\n" + kFrench;
        QCOMPARE(targetLanguageShare(half, "en"), 0.5);
        QCOMPARE(targetLanguageShare(half, "fr"), 0.5);
        // switching language sentence by sentence
        const std::string alternating = "We add the two numbers. Nous ajoutons ensuite la retenue. Then we check the result. "
                                        "Le résultat est donc correct.";
        const LanguageWords mixed = languageWords(alternating, "en");
        QCOMPARE(mixed.byLanguage.at("en"), std::size_t(10));
        QCOMPARE(mixed.byLanguage.at("fr"), std::size_t(10));
    }

    void germanAndSpanishAreNotEnglish()
    {
        const std::string german = "Zuerst müssen wir die Summe der beiden Zahlen berechnen. Danach prüfen wir, ob das "
                                   "Ergebnis durch drei teilbar ist.";
        const std::string spanish = "Primero tenemos que calcular la suma de los dos números. Después comprobamos si el "
                                    "resultado es divisible entre tres.";
        QCOMPARE(targetLanguageShare(german, "de"), 1.0);
        QCOMPARE(targetLanguageShare(german, "en"), 0.0);
        QCOMPARE(targetLanguageShare(spanish, "es"), 1.0);
        QCOMPARE(targetLanguageShare(spanish, "en"), 0.0);
    }

    void chineseAndEnglishByWordShares()
    {
        // Words by hand (as jieba segments): 首先/我们/需要/计算/这/两个/数/的/和 (9),
        // then/we/add/the/carry/to/the/next/column (9), 所以/最后/的/答案/是/一百五十八 (6); ICU's
        // dictionary may split the Chinese a little finer (the number into its characters).
        const std::string mixed = "首先我们需要计算这两个数的和。Then we add the carry to the next column. 所以最后的答案是一百五十八。";
        const LanguageWords words = languageWords(mixed, "zh");
        QCOMPARE(words.byLanguage.at("en"), std::size_t(9));
        QVERIFY2(words.byLanguage.at("zh") >= 14 && words.byLanguage.at("zh") <= 18,
                 qPrintable(QString::number(words.byLanguage.at("zh"))));
        const double en = targetLanguageShare(mixed, "en");
        const double zh = targetLanguageShare(mixed, "zh");
        QVERIFY2(std::abs(en - 9.0 / 24.0) < 0.05, qPrintable(QString::number(en)));
        QCOMPARE(en + zh, 1.0);
        // one English word inside a Chinese sentence
        const double one = targetLanguageShare("我们需要检查这个 equation 是否成立。", "zh");
        QVERIFY2(one > 0.75 && one < 0.95, qPrintable(QString::number(one)));
        QCOMPARE(targetLanguageShare("设x为正整数，且x小于10。", "zh"), 1.0);  // x is a variable
        QCOMPARE(targetLanguageShare("设x为正整数，且x小于10。", "yue"), 1.0);
    }

    void japaneseKoreanAndCyrillic()
    {
        const std::string japanese = "この問題を解くために、まず方程式を立てます。";
        QCOMPARE(targetLanguageShare(japanese, "ja"), 1.0);
        QCOMPARE(targetLanguageShare(japanese, "zh"), 0.0);
        const std::string korean = "먼저 두 수의 합을 계산합니다.";
        QCOMPARE(targetLanguageShare(korean, "ko"), 1.0);
        QCOMPARE(targetLanguageShare(korean, "en"), 0.0);
        const std::string russian = "Сначала нам нужно найти сумму двух чисел, а потом проверить ответ.";
        const std::string ukrainian = "Спочатку нам потрібно знайти суму двох чисел, а потім перевірити відповідь.";
        QCOMPARE(targetLanguageShare(russian, "ru"), 1.0);
        QCOMPARE(targetLanguageShare(ukrainian, "uk"), 1.0);
        QCOMPARE(targetLanguageShare(russian, "uk"), 0.0);
    }

    void mathsCodeAndEmptyTextHaveNoWords()
    {
        QCOMPARE(languageWords("$$\\int_0^1 x^2 \\, dx = \\frac{1}{3}$$ 42 + 17 = 59", "en").total, std::size_t(0));
        QCOMPARE(targetLanguageShare("", "en"), 1.0);
        QCOMPARE(targetLanguageShare("```python\nprint('bonjour le monde')\n```", "en"), 1.0);
        QCOMPARE(targetLanguageShare(std::string("abc \xff\xfe def"), "en"), 1.0);  // broken UTF-8: no throw
    }

    void readabilityFilterUsesTheShare()
    {
        FilterConfig config;
        config.minLanguageShare = 0.9;
        const FilterScores french = scoreSample({kFrench, "\\boxed{5050}", true, std::nullopt}, config);
        QCOMPARE(french.languageShare, 0.0);
        QCOMPARE(french.languageMix, 0.0);  // same script: the letter measure cannot see it
        QVERIFY(rejectReasons(french, config) == std::vector<std::string>{"language_share"});
        const FilterScores english = scoreSample({kEnglish, "\\boxed{5050}", true, std::nullopt}, config);
        QVERIFY(rejectReasons(english, config).empty());
        config.minLanguageShare = 0.0;  // off: not measured
        QCOMPARE(scoreSample({kFrench, "\\boxed{5050}", true, std::nullopt}, config).languageShare, 1.0);
    }
};

int runLanguageShareTests(int argc, char** argv)
{
    TestLanguageShare t;
    return QTest::qExec(&t, argc, argv);
}

#include "tst_language_share.moc"
