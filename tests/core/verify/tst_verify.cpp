// Tests of core/verify: answer extraction, the equivalence table, the grader-coverage families, real
// solutions and model outputs (GSM8K, MATH-500, AIME 2024, Marco-o1 traces), and `distillery-cli grade`.
#include "core/verify/answer_extractor.h"
#include "core/verify/equivalence.h"
#include "core/verify/grader.h"
#include "tests/core/verify/coverage_cases.h"
#include "tests/core/verify/verify_cases.h"

#include <QtTest>

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

#include <atomic>
#include <map>
#include <thread>

using namespace distill::verify;

namespace {

QString q(std::string_view s) { return QString::fromUtf8(s.data(), qsizetype(s.size())); }
std::string s(const QString& text) { return text.toStdString(); }

// A light reformatting of a gold answer: \frac <-> \dfrac, spaces around + = and commas, $ delimiters.
QString reformat(QString gold)
{
    if (gold.contains(QStringLiteral("\\dfrac")))
        gold.replace(QStringLiteral("\\dfrac"), QStringLiteral("\\frac"));
    else
        gold.replace(QStringLiteral("\\frac"), QStringLiteral("\\dfrac"));
    for (const QString& op : {QStringLiteral("+"), QStringLiteral("="), QStringLiteral(",")})
        gold.replace(op, QStringLiteral(" ") + op + QStringLiteral(" "));
    return QStringLiteral("$") + gold + QStringLiteral("$");
}

QString verdictOf(const GradeResult& r) { return q(verdictName(r.verdict)); }

// The text with every \boxed{X} replaced by X.
std::string unboxed(std::string text)
{
    for (std::size_t at; (at = text.find("\\boxed{")) != std::string::npos;) {
        std::size_t end = at + 7;
        for (int depth = 1; end < text.size() && depth > 0; ++end)
            depth += text[end] == '{' ? 1 : text[end] == '}' ? -1 : 0;
        text = text.substr(0, at) + text.substr(at + 7, end - at - 8) + text.substr(end);
    }
    return text;
}

// Rows of a JSONL file of the source tree.
QList<QJsonObject> jsonLines(const QString& relativePath)
{
    QList<QJsonObject> rows;
    QFile file(QStringLiteral(DISTILLERY_SOURCE_DIR "/") + relativePath);
    if (!file.open(QIODevice::ReadOnly))
        return rows;
    while (!file.atEnd()) {
        const QByteArray line = file.readLine().trimmed();
        if (!line.isEmpty())
            rows.append(QJsonDocument::fromJson(line).object());
    }
    return rows;
}

const char* const kLongThinking =
    "<think>\nOkay, let's see. We need the sum of the roots of x^2 - 5x + 6 = 0.\n"
    "By Vieta, the sum is 5. Hmm, but wait, maybe they want the product? That would be \\boxed{6}.\n"
    "No, re-reading: they ask for the sum. Let me double-check by factoring: (x-2)(x-3), roots 2 and 3, "
    "sum 5.\n</think>\n\n";

}  // namespace

class TestVerify : public QObject {
    Q_OBJECT
private slots:
    void caseTableIsLargeAndBalanced()
    {
        const auto& cases = equivalenceCases();
        int notEqual = 0;
        int decided = 0;
        for (const EquivalenceCase& c : cases) {
            notEqual += QByteArray(c.expected) == "not_equal";
            decided += QByteArray(c.expected) != "unknown";
        }
        QVERIFY(cases.size() >= 250);
        QVERIFY2(notEqual * 100 >= decided * 35, "at least about 40% of the decided pairs are negative");
    }

    void equivalence_data()
    {
        QTest::addColumn<QString>("pred");
        QTest::addColumn<QString>("gold");
        QTest::addColumn<QString>("expected");
        int row = 0;
        for (const EquivalenceCase& c : equivalenceCases()) {
            const QByteArray name = QByteArray(c.category) + "/" + QByteArray::number(++row) + ": " + c.pred
                + " vs " + c.gold;
            QTest::newRow(name.left(120).constData()) << QString::fromUtf8(c.pred) << QString::fromUtf8(c.gold)
                                                      << QString::fromUtf8(c.expected);
        }
    }

    void equivalence()
    {
        QFETCH(QString, pred);
        QFETCH(QString, gold);
        QFETCH(QString, expected);
        const Equivalence forward = compareAnswers(s(pred), s(gold));
        QVERIFY2(q(verdictName(forward.verdict)) == expected, forward.reason.c_str());
        QVERIFY(!forward.reason.empty());
        const Equivalence backward = compareAnswers(s(gold), s(pred));  // equivalence is symmetric
        QCOMPARE(q(verdictName(backward.verdict)), expected);
    }

    void extraction_data()
    {
        QTest::addColumn<QString>("response");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("rule");
        QTest::newRow("thinking box loses to final box")
            << QString::fromUtf8(kLongThinking) + "The sum of the roots is $5$.\n\n**Final Answer**\n\\[\n\\boxed{5}\n\\]"
            << "5" << "boxed";
        QTest::newRow("thinking box loses to final sentence")
            << QString::fromUtf8(kLongThinking) + "By Vieta's formulas, the answer is $5$. Done." << "5" << "marker";
        QTest::newRow("cut off inside thinking")
            << "<think>\nLet me try \\boxed{3} first and then check whether" << "" << "none";
        QTest::newRow("unbalanced box") << "So the value is \\boxed{\\frac{1}{2}" << "" << "none";
        QTest::newRow("unbalanced box, earlier good box")
            << "First guess \\boxed{4}. Then, correcting: \\boxed{\\frac{1}{2}" << "4" << "boxed";
        QTest::newRow("empty box") << "I cannot decide.\n\n\\boxed{}" << "" << "boxed";
        QTest::newRow("nested braces") << "Thus $x = \\boxed{\\frac{1}{2}}$." << "\\frac{1}{2}" << "boxed";
        QTest::newRow("choice in text box") << "The correct option is $\\boxed{\\text{(B)}}$." << "\\text{(B)}" << "boxed";
        QTest::newRow("two boxes as a list") << "The solutions are $\\boxed{2}$ and $\\boxed{3}$." << "2, 3" << "boxed";
        QTest::newRow("comma separated boxes") << "Roots: \\boxed{-1}, \\boxed{4}" << "-1, 4" << "boxed";
        QTest::newRow("last of separate boxes")
            << "We first get \\boxed{2}.\nBut that ignores the constraint, so the correct value is \\boxed{3}."
            << "3" << "boxed";
        QTest::newRow("box without braces") << "Hence the answer is \\boxed 5." << "5" << "boxed";
        QTest::newRow("fbox") << "Result: \\fbox{12}" << "12" << "boxed";
        QTest::newRow("answer tag") << "<think>\nmeh \\boxed{1}\n</think>\n<answer>42</answer>" << "42" << "answer_tag";
        QTest::newRow("box inside answer tag") << "<answer>The result is \\boxed{7}.</answer>" << "7" << "answer_tag";
        QTest::newRow("gsm8k")
            << "Janet sells 16 - 3 - 4 = 9 duck eggs a day.\nShe makes 9 * 2 = $18 every day.\n#### 18" << "18" << "gsm8k";
        QTest::newRow("minerva final answer")
            << "Some work here.\nFinal Answer: The final answer is $\\frac{3}{4}$. I hope it is correct."
            << "\\frac{3}{4}" << "marker";
        QTest::newRow("markdown final answer on next line")
            << "Adding up everything we get the total.\n\n**Final Answer**\n\n$x = 5$\n" << "x = 5" << "marker";
        QTest::newRow("bold final answer colon") << "Work.\n**Final Answer:** 10,000 dollars." << "10,000 dollars" << "marker";
        QTest::newRow("the answer is with decimal") << "Computing carefully, the answer is 3.5. Next question."
                                                    << "3.5" << "marker";
        QTest::newRow("the answer is a choice") << "Checking each option...\nThe answer is: **(C)**" << "(C)" << "marker";
        QTest::newRow("dollar boxed with separator") << "So we need $\\boxed{10{,}000}$." << "10{,}000" << "boxed";
        QTest::newRow("words around the maths")
            << "All cases are covered.\n\n**Final Answer**\n\nThe area is $12$ square units.\n" << "12" << "marker";
        QTest::newRow("answer in inline parens") << "Therefore, the answer is \\(\\frac{3}{4}\\)." << "\\frac{3}{4}"
                                                 << "marker";
        QTest::newRow("bare answer") << "  42  " << "42" << "bare";
        QTest::newRow("bare answer in dollars") << "$\\frac{\\pi}{2}$." << "\\frac{\\pi}{2}" << "bare";
        QTest::newRow("nothing") << "I am not sure how to solve this problem.\nMaybe later." << "" << "none";
    }

    void extraction()
    {
        QFETCH(QString, response);
        QFETCH(QString, answer);
        QFETCH(QString, rule);
        const Extraction e = extractAnswer(s(response));
        QCOMPARE(q(e.answer), answer);
        QCOMPARE(q(extractRuleName(e.rule)), rule);
    }

    void gradeResponses_data()
    {
        QTest::addColumn<QString>("response");
        QTest::addColumn<QString>("gold");
        QTest::addColumn<QString>("expected");
        QTest::newRow("r1 correct") << QString::fromUtf8(kLongThinking) + "**Final Answer**\n\\boxed{5}" << "5" << "equal";
        QTest::newRow("r1 wrong final, right thinking")
            << "<think>\nThe sum is \\boxed{5}.\n</think>\nSo the product is \\boxed{6}." << "5" << "not_equal";
        QTest::newRow("choice in box") << "Option B fits.\n\\boxed{\\text{(B)}}" << "B" << "equal";
        QTest::newRow("nested fraction") << "Therefore \\boxed{\\frac{1}{2}}." << "0.5" << "equal";
        QTest::newRow("set of boxes") << "The roots are \\boxed{3} and \\boxed{-2}." << "-2,3" << "equal";
        QTest::newRow("empty box") << "Answer:\n\\boxed{}" << "5" << "unknown";
        QTest::newRow("unbalanced") << "Final: \\boxed{\\frac{1}{2}" << "\\frac12" << "unknown";
        QTest::newRow("cut off") << "<think>\nwe get \\boxed{5}" << "5" << "unknown";
        QTest::newRow("gsm8k separators") << "Step 1.\nStep 2.\n#### 70,000" << "70000" << "equal";
        QTest::newRow("bare pred") << "\\dfrac{3}{4}" << "0.75" << "equal";
        QTest::newRow("bare pred wrong") << "0.7" << "\\frac34" << "not_equal";
        QTest::newRow("gold in a box") << "5" << "\\boxed{5}" << "equal";
    }

    void gradeResponses()
    {
        QFETCH(QString, response);
        QFETCH(QString, gold);
        QFETCH(QString, expected);
        const GradeResult r = grade(s(response), s(gold));
        QVERIFY2(q(verdictName(r.verdict)) == expected, (r.predAnswer + " | " + r.reason).c_str());
    }

    void familyCases_data()
    {
        QTest::addColumn<QString>("pred");
        QTest::addColumn<QString>("gold");
        QTest::addColumn<QString>("expected");
        int row = 0;
        for (const FamilyPair& c : ::familyPairs()) {
            const QByteArray name = QByteArray(c.family) + "/" + QByteArray::number(++row) + ": " + c.pred + " vs " + c.gold;
            QTest::newRow(name.left(120).constData()) << QString::fromUtf8(c.pred) << QString::fromUtf8(c.gold)
                                                      << QString::fromUtf8(c.expected);
        }
    }

    void familyCases()
    {
        QFETCH(QString, pred);
        QFETCH(QString, gold);
        QFETCH(QString, expected);
        const GradeResult forward = grade(s(pred), s(gold));
        QVERIFY2(verdictOf(forward) == expected, (forward.predAnswer + " | " + forward.reason).c_str());
        QVERIFY(!forward.reason.empty());
        const GradeResult backward = grade(s(gold), s(pred));  // symmetric
        QVERIFY2(verdictOf(backward) == expected, (backward.predAnswer + " | " + backward.reason).c_str());
    }

    void responses_data()
    {
        QTest::addColumn<QString>("response");
        QTest::addColumn<QString>("gold");
        QTest::addColumn<QString>("answer");
        QTest::addColumn<QString>("rule");
        QTest::addColumn<QString>("expected");
        int row = 0;
        for (const ResponseCase& c : responseCases()) {
            const QByteArray name = QByteArray(c.family) + "/" + QByteArray::number(++row) + ": " + c.expected;
            QTest::newRow(name.constData()) << QString::fromUtf8(c.response) << QString::fromUtf8(c.gold)
                                            << QString::fromUtf8(c.answer) << QString::fromUtf8(c.rule)
                                            << QString::fromUtf8(c.expected);
        }
    }

    void responses()
    {
        QFETCH(QString, response);
        QFETCH(QString, gold);
        QFETCH(QString, answer);
        QFETCH(QString, rule);
        QFETCH(QString, expected);
        const Extraction e = extractAnswer(s(response));
        QCOMPARE(q(e.answer), answer);
        QCOMPARE(q(extractRuleName(e.rule)), rule);
        const GradeResult r = grade(s(response), s(gold));
        QVERIFY2(verdictOf(r) == expected, (r.predAnswer + " | " + r.reason).c_str());
    }

    // Every family has equal, not-equal and undecidable cases; prints the per-family table of docs/verify.md.
    void everyFamilyHasAllThreeVerdicts()
    {
        struct Tally {
            int cases[3] = {0, 0, 0};
            int right = 0;
        };
        std::map<std::string, Tally> families;
        auto index = [](std::string_view v) { return v == "equal" ? 0 : v == "not_equal" ? 1 : 2; };
        for (const FamilyPair& c : ::familyPairs()) {
            Tally& t = families[c.family];
            ++t.cases[index(c.expected)];
            t.right += verdictName(grade(c.pred, c.gold).verdict) == c.expected
                && verdictName(grade(c.gold, c.pred).verdict) == c.expected;
        }
        for (const ResponseCase& c : responseCases()) {
            Tally& t = families[std::string("response/") + c.family];
            ++t.cases[index(c.expected)];
            const Extraction e = extractAnswer(c.response);
            t.right += e.answer == c.answer && extractRuleName(e.rule) == c.rule
                && verdictName(grade(c.response, c.gold).verdict) == c.expected;
        }
        qInfo("| family | equal | not equal | unknown | graded right |");
        for (const auto& [family, t] : families) {
            const int total = t.cases[0] + t.cases[1] + t.cases[2];
            qInfo("| %s | %d | %d | %d | %d of %d |", family.c_str(), t.cases[0], t.cases[1], t.cases[2], t.right, total);
            QVERIFY2(t.cases[0] > 0 && t.cases[1] > 0 && t.cases[2] > 0, family.c_str());
            QCOMPARE(t.right, total);
        }
    }

    // GSM8K reference solutions: with their "#### N" line every one is Equal; without it the last number
    // of the text is the answer (right for at least 97%), and no solution grades Equal to a wrong answer.
    void gsm8kReferenceSolutions()
    {
        const QList<QJsonObject> rows = jsonLines(QStringLiteral("resources/benchmarks/gsm8k_test.jsonl"));
        QCOMPARE(rows.size(), 1319);
        int lastNumberRight = 0;
        for (const QJsonObject& row : rows) {
            const std::string solution = s(row.value(QStringLiteral("solution")).toString());
            const std::string gold = s(row.value(QStringLiteral("answer")).toString());
            const std::string hashLine = "\n#### " + s(row.value(QStringLiteral("answer_original")).toString());
            const GradeResult withLine = grade(solution + hashLine, gold);
            QVERIFY2(withLine.verdict == Verdict::Equal, (gold + " | " + withLine.predAnswer).c_str());
            QCOMPARE(q(extractRuleName(withLine.rule)), QStringLiteral("gsm8k"));
            const GradeResult free = grade(solution, gold);
            QVERIFY2(free.verdict != Verdict::Unknown, (gold + " | " + free.predAnswer + " | " + free.reason).c_str());
            lastNumberRight += free.verdict == Verdict::Equal;
            const std::string wrong = std::to_string(std::stoll(gold) + 1);
            QVERIFY2(grade(solution + hashLine, wrong).verdict == Verdict::NotEqual, wrong.c_str());
        }
        qInfo("GSM8K: the last number is the gold answer in %d of %d reference solutions", lastNumberRight, int(rows.size()));
        QVERIFY(lastNumberRight * 100 >= 97 * int(rows.size()));
    }

    // AIME 2024 solutions as written on the AoPS wiki (boxed, bold or plain answers).
    void aime24Solutions()
    {
        const QList<QJsonObject> rows = jsonLines(QStringLiteral("resources/benchmarks/aime24.jsonl"));
        QCOMPARE(rows.size(), 30);
        for (int i = 0; i < rows.size(); ++i) {
            const std::string solution = s(rows[i].value(QStringLiteral("solution")).toString());
            const std::string gold = s(rows[i].value(QStringLiteral("answer")).toString());
            const GradeResult r = grade(solution, gold);
            QVERIFY2(r.verdict == Verdict::Equal, (gold + " | " + r.predAnswer + " | " + r.reason).c_str());
            const std::string other = s(rows[(i + 1) % rows.size()].value(QStringLiteral("answer")).toString());
            QVERIFY2(grade(solution, other).verdict != Verdict::Equal || other == gold, other.c_str());
        }
    }

    // Answers outside \boxed: each MATH-500 reference solution with its boxes unwrapped ("so the answer is
    // $\boxed{5}$" -> "so the answer is $5$") still grades Equal in at least 90% of cases (last maths span,
    // aligned derivations, answer phrases), and never Equal to the next problem's gold answer.
    void math500SolutionsWithoutBoxes()
    {
        const QList<QJsonObject> rows = jsonLines(QStringLiteral("tests/core/verify/data/math500.jsonl"));
        QCOMPARE(rows.size(), 500);
        int right = 0;
        for (int i = 0; i < rows.size(); ++i) {
            const std::string solution = unboxed(s(rows[i].value(QStringLiteral("solution")).toString()));
            QVERIFY(solution.find("\\boxed") == std::string::npos);
            const std::string gold = s(rows[i].value(QStringLiteral("answer")).toString());
            right += grade(solution, gold).verdict == Verdict::Equal;
            const std::string other = s(rows[(i + 1) % rows.size()].value(QStringLiteral("answer")).toString());
            if (compareAnswers(gold, other).verdict != Verdict::Equal) {
                const GradeResult r = grade(solution, other);
                QVERIFY2(r.verdict != Verdict::Equal, (other + " | " + r.predAnswer + " | " + r.reason).c_str());
            }
        }
        qInfo("MATH-500 without boxes: %d of %d reference solutions grade Equal", right, int(rows.size()));
        QVERIFY(right * 10 >= 9 * int(rows.size()));
    }

    // No MATH-500 reference solution grades Equal to the gold answer of another problem (unless the two
    // gold answers are themselves equal).
    void math500SolutionsRejectOtherGolds()
    {
        const QList<QJsonObject> rows = jsonLines(QStringLiteral("tests/core/verify/data/math500.jsonl"));
        QCOMPARE(rows.size(), 500);
        for (int i = 0; i < rows.size(); ++i) {
            const std::string solution = s(rows[i].value(QStringLiteral("solution")).toString());
            const std::string gold = s(rows[i].value(QStringLiteral("answer")).toString());
            const std::string other = s(rows[(i + 1) % rows.size()].value(QStringLiteral("answer")).toString());
            if (compareAnswers(gold, other).verdict == Verdict::Equal)
                continue;
            const GradeResult r = grade(solution, other);
            QVERIFY2(r.verdict != Verdict::Equal, (other + " | " + r.predAnswer + " | " + r.reason).c_str());
        }
    }

    // Marco-o1 outputs (<Thought>...</Thought><Output>...</Output>) to word problems, against answers
    // worked out by hand: the free-text answer is found in all but the three whose answer is not the last
    // number of the sentence, and none grades Equal to another record's answer.
    void marcoTraceOutputs()
    {
        QFile file(QStringLiteral(DISTILLERY_SOURCE_DIR "/tests/fixtures/traces/marco-o1-cot-demo.json"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QJsonArray records = QJsonDocument::fromJson(file.readAll()).array();
        QCOMPARE(records.size(), 125);
        const auto& chosen = marcoTraceRecords();
        int right = 0;
        for (std::size_t i = 0; i < chosen.size(); ++i) {
            const std::string response = s(records[chosen[i].index].toObject().value(QStringLiteral("response")).toString());
            const GradeResult r = grade(response, chosen[i].gold);
            QVERIFY2(r.verdict != Verdict::Unknown, (std::string(chosen[i].gold) + " | " + r.predAnswer).c_str());
            right += r.verdict == Verdict::Equal;
            const char* other = chosen[(i + 1) % chosen.size()].gold;
            QVERIFY2(grade(response, other).verdict != Verdict::Equal, other);
        }
        qInfo("Marco-o1: %d of %zu hand-checked outputs grade Equal", right, chosen.size());
        QVERIFY(right >= int(chosen.size()) - 3);
    }

    void math500GoldAnswersAndSolutionsAgree()
    {
        QFile file(QStringLiteral(DISTILLERY_SOURCE_DIR "/tests/core/verify/data/math500.jsonl"));
        QVERIFY(file.open(QIODevice::ReadOnly));
        int total = 0;
        int symbolic = 0;
        while (!file.atEnd()) {
            const QByteArray line = file.readLine().trimmed();
            if (line.isEmpty())
                continue;
            const QJsonObject row = QJsonDocument::fromJson(line).object();
            const QString gold = row.value(QStringLiteral("answer")).toString();
            QVERIFY(!gold.isEmpty());
            // The reference solution is a whole response whose boxed answer must grade Equal to the gold.
            const QString solution = row.value(QStringLiteral("solution")).toString();
            const GradeResult graded = grade(s(solution), s(gold));
            QVERIFY2(graded.verdict == Verdict::Equal,
                     qPrintable(gold + " vs extracted " + q(graded.predAnswer) + ": " + q(graded.reason)));
            ++total;
            const Equivalence self = compareAnswers(s(gold), s(gold));
            QVERIFY2(self.verdict == Verdict::Equal, qPrintable(gold));
            const QString variant = reformat(gold);
            const Equivalence reformatted = compareAnswers(s(variant), s(gold));
            QVERIFY2(reformatted.verdict == Verdict::Equal, qPrintable(variant + " vs " + gold + ": " + q(reformatted.reason)));
            symbolic += parsesAsMath(s(gold));
        }
        QCOMPARE(total, 500);
        qInfo("MATH-500: %d of %d gold answers parse symbolically (the rest are words and choice letters)",
              symbolic, total);
        QVERIFY(symbolic >= 490);
    }

    void concurrentCallsAgree()
    {
        const auto& cases = equivalenceCases();
        std::atomic<int> mismatches{0};
        std::vector<std::thread> threads;
        for (int t = 0; t < 4; ++t)
            threads.emplace_back([&, t] {
                for (std::size_t i = std::size_t(t); i < cases.size(); i += 2)
                    if (verdictName(compareAnswers(cases[i].pred, cases[i].gold).verdict) != cases[i].expected)
                        ++mismatches;
            });
        for (auto& th : threads)
            th.join();
        QCOMPARE(mismatches.load(), 0);
    }

    void cliGradesJsonlInOrder()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        QVERIFY2(QFileInfo::exists(cli), "DISTILLERY_CLI must point at a built distillery-cli");
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("pairs.jsonl"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"j({"pred": "\\frac{1}{2}", "gold": "0.5"})j" "\n"
                R"j({"pred": "<think>\nmaybe \\boxed{4}\n</think>\nThe answer is $\\boxed{3}$.", "gold": "3"})j" "\n"
                "this is not json\n"
                R"j({"pred": "(1,2)", "gold": "(2,1)"})j" "\n"
                R"j({"gold": "1"})j" "\n"
                R"j({"pred": "2^{2^{100}}", "gold": "1"})j" "\n"
                R"j({"pred": 7, "gold": "7"})j" "\n");
        f.close();
        for (const QStringList& args : {QStringList{QStringLiteral("grade"), path},
                                        QStringList{QStringLiteral("grade"), path, QStringLiteral("--threads"), QStringLiteral("3")}}) {
            QProcess p;
            p.start(cli, args);
            QVERIFY(p.waitForFinished(60000));
            QCOMPARE(p.exitCode(), 0);
            const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
            QCOMPARE(lines.size(), 7);
            auto obj = [&](int i) { return QJsonDocument::fromJson(lines[i]).object(); };
            QCOMPARE(obj(0).value(QStringLiteral("equal")).toBool(), true);
            QCOMPARE(obj(0).value(QStringLiteral("pred_answer")).toString(), QStringLiteral("\\frac{1}{2}"));
            QCOMPARE(obj(1).value(QStringLiteral("equal")).toBool(), true);
            QCOMPARE(obj(1).value(QStringLiteral("pred_answer")).toString(), QStringLiteral("3"));
            QVERIFY(obj(2).value(QStringLiteral("equal")).isNull());
            QVERIFY(obj(2).value(QStringLiteral("reason")).toString().contains(QStringLiteral("line 3")));
            QCOMPARE(obj(3).value(QStringLiteral("equal")).toBool(false), false);
            QVERIFY(!obj(3).value(QStringLiteral("equal")).isNull());
            QVERIFY(obj(4).value(QStringLiteral("equal")).isNull());
            QVERIFY(obj(4).value(QStringLiteral("reason")).toString().contains(QStringLiteral("line 5")));
            QVERIFY(obj(5).value(QStringLiteral("equal")).isNull());
            QCOMPARE(obj(6).value(QStringLiteral("equal")).toBool(), true);
        }
    }

    void cliReadsStdin()
    {
        const QString cli = qEnvironmentVariable("DISTILLERY_CLI");
        QVERIFY2(QFileInfo::exists(cli), "DISTILLERY_CLI must point at a built distillery-cli");
        QProcess p;
        p.start(cli, {QStringLiteral("grade"), QStringLiteral("-")});
        QVERIFY(p.waitForStarted());
        p.write(R"j({"pred": "x > 2", "gold": "(2, \\infty)"})j" "\n" R"j({"pred": "C", "gold": "3"})j" "\n"
                R"j({"pred": "我不知道答案是什么", "gold": "5"})j" "\n");
        p.closeWriteChannel();
        QVERIFY(p.waitForFinished(60000));
        QCOMPARE(p.exitCode(), 0);
        const QList<QByteArray> lines = p.readAllStandardOutput().trimmed().split('\n');
        QCOMPARE(lines.size(), 3);
        QCOMPARE(QJsonDocument::fromJson(lines[0]).object().value(QStringLiteral("equal")).toBool(), true);
        const QJsonValue second = QJsonDocument::fromJson(lines[1]).object().value(QStringLiteral("equal"));
        QVERIFY(second.isBool() && !second.toBool());
        QVERIFY(QJsonDocument::fromJson(lines[2]).object().value(QStringLiteral("equal")).isNull());
    }

    // A reason quotes the input where parsing stopped; it never ends inside a UTF-8 character.
    void reasonsAreValidUtf8()
    {
        const std::pair<const char*, const char*> pairs[] = {{"什么", "5"},
                                                             {"5 + 五", "5"},
                                                             {"1 + ab什么什么什么什么", "1"},
                                                             {"\\begin{pmatrix} 1 五六七八 \\end{pmatrix}", "1"},
                                                             {"\\Ҭ1", "42"},
                                                             {"12_Ҭ3", "42"}};
        for (const auto& [pred, gold] : pairs) {
            const std::string reason = compareAnswers(pred, gold).reason;
            QCOMPARE(QString::fromUtf8(reason.data(), qsizetype(reason.size())).toUtf8(), QByteArray::fromStdString(reason));
        }
    }
};

QTEST_GUILESS_MAIN(TestVerify)
#include "tst_verify.moc"
