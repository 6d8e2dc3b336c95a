// Re-grading on edit: saving an edited answer or thinking grades the sample again against its
// problem's reference answer (wrong -> right -> wrong flips the verdict and the "incorrect" reason),
// re-scores the readability filters (a thinking in another script gets "language_mix" and loses it
// again), recounts the tokens and marks the sample edited while it has edits; other reject reasons
// and a verdict without a reference stay. Checked through reassessSample, SampleReview's writes and
// undo, and the sample browser page: the verdict column, the "edited" marker and the edit history
// dialog (its rows and texts; screenshot edit_history.png).
#include "core/formats/importer.h"
#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/sample_review.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/views/edit_history_dialog.h"
#include "widgets/views/sample_browser_page.h"
#include "widgets/views/sample_detail_pane.h"
#include "tests/support/screenshot.h"

#include <nlohmann/json.hpp>

#include <QDateTime>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

using namespace distill;
using widgets::SampleBrowserPage;
using widgets::SampleTableModel;

namespace {

const std::string kThinking = std::string("We multiply six by seven. Six sevens make forty-two, so the product is 42.");
const std::string kWrong = std::string("The product is \\boxed{41}.");
const std::string kRight = std::string("The product is \\boxed{42}.");
// The same reasoning in Russian: letters outside the Latin script of the default language ("en").
const std::string kCyrillic = std::string("\xD0\xA3\xD0\xBC\xD0\xBD\xD0\xBE\xD0\xB6\xD0\xB8\xD0\xBC \xD1\x88\xD0\xB5\xD1\x81\xD1\x82\xD1\x8C "
                                          "\xD0\xBD\xD0\xB0 \xD1\x81\xD0\xB5\xD0\xBC\xD1\x8C: \xD0\xBF\xD0\xBE\xD0\xBB\xD1\x83\xD1\x87\xD0\xB8"
                                          "\xD1\x82\xD1\x81\xD1\x8F 42.");

struct Ids {
    std::int64_t wrong = 0;      // answers 41 to "6 x 7" (reference 42): incorrect, reason "incorrect"
    std::int64_t duplicate = 0;  // answers 42, reason "duplicate"
    std::int64_t noReference = 0;  // a problem without a reference answer, verdict set by hand
};

// Three samples written through the store API, with token counts that are stale on purpose.
store::Workspace makeWorkspace(const QString& path, Ids& ids)
{
    store::CreateOptions options;
    options.loadBenchmarks = false;
    auto ws = store::Workspace::create(path.toStdString(), options);
    store::Problem times;
    times.source = "arith";
    times.question = "What is 6 times 7?";
    times.referenceAnswer = "42";
    ws.insertProblem(times);
    store::Problem open;
    open.source = "essays";
    open.question = "Describe the number 42.";
    ws.insertProblem(open);

    store::Sample s;
    s.problemId = times.id;
    s.thinking = kThinking;
    s.answer = kWrong;
    s.verdict = store::Verdict::Incorrect;
    s.rejectReason = "incorrect";
    s.status = store::SampleStatus::Rejected;
    s.flagsJson = "{\"source_file\":\"a.jsonl\"}";
    s.thinkingTokens = 999;
    s.answerTokens = 999;
    ids.wrong = ws.insertSample(s);
    s.answer = kRight;
    s.verdict = store::Verdict::Correct;
    s.rejectReason = "duplicate";
    s.flagsJson = "{\"dup\":true}";
    ids.duplicate = ws.insertSample(s);
    s.problemId = open.id;
    s.answer = "It is the answer.";
    s.verdict = store::Verdict::Correct;  // judged by a person
    s.rejectReason.clear();
    s.status = store::SampleStatus::Accepted;
    s.flagsJson = "{}";
    ids.noReference = ws.insertSample(s);
    return ws;
}

nlohmann::json flagsOf(const store::Sample& s)
{
    return nlohmann::json::parse(s.flagsJson);
}

// Code points of UTF-8 text.
qsizetype codePoints(const std::string& text)
{
    return QString::fromStdString(text).toUcs4().size();
}

// Waits until the page's reads and writes are in; a read's result may start another.
bool settled(SampleBrowserPage& page)
{
    for (int round = 0; round < 3; ++round)
        if (!page.model()->jobs()->waitForIdle() || !page.review()->jobs()->waitForIdle())
            return false;
    return page.model()->jobs()->pendingCount() == 0 && page.review()->jobs()->pendingCount() == 0;
}

QString headerText(const widgets::SampleDetailPane* pane)
{
    for (const QLabel* label : pane->findChildren<QLabel*>())
        if (label->text().startsWith(QStringLiteral("Sample ")))
            return label->text();
    return {};
}

// A row of the edit history dialog as it should read.
QString historyRow(const store::EditRecord& e, const QString& field)
{
    return QDateTime::fromMSecsSinceEpoch(e.time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")) + QStringLiteral(" · ")
           + field + QStringLiteral(" · %1 → %2 characters").arg(codePoints(e.before)).arg(codePoints(e.after));
}

}  // namespace

class TestSampleRegrade : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;
    QString nextPath() { return m_dir.filePath(QStringLiteral("regrade%1.distillery").arg(++m_counter)); }

private slots:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    // Wrong -> right -> wrong: verdict, reason, extracted answer, tokens and the edited flag follow;
    // undoing both edits leaves the sample as graded at the start, not edited.
    void answerFlipsTheVerdict()
    {
        Ids ids;
        auto ws = makeWorkspace(nextPath(), ids);

        ws.updateSampleText(ids.wrong, store::SampleField::Answer, kRight);
        widgets::reassessSample(ws, ids.wrong);
        auto s = *ws.sample(ids.wrong);
        QCOMPARE(s.verdict, store::Verdict::Correct);
        QCOMPARE(s.rejectReason, std::string());
        QCOMPARE(s.status, store::SampleStatus::Rejected);  // the status is the reviewer's
        nlohmann::json flags = flagsOf(s);
        QCOMPARE(flags.value("edited", false), true);
        QCOMPARE(flags.value("extracted_answer", std::string()), std::string("42"));
        QCOMPARE(flags.value("source_file", std::string()), std::string("a.jsonl"));  // other flags stay
        QVERIFY(flags.contains("filters"));
        QCOMPARE(flags["filters"]["thinking_chars"].get<qsizetype>(), codePoints(kThinking));
        QCOMPARE(flags["filters"]["language_mix"].get<double>(), 0.0);
        QCOMPARE(s.thinkingTokens, formats::estimateTokens(kThinking));
        QCOMPARE(s.answerTokens, formats::estimateTokens(kRight));
        QVERIFY(s.thinkingTokens != 999 && s.answerTokens != 999);

        ws.updateSampleText(ids.wrong, store::SampleField::Answer, kWrong);
        widgets::reassessSample(ws, ids.wrong);
        s = *ws.sample(ids.wrong);
        QCOMPARE(s.verdict, store::Verdict::Incorrect);
        QCOMPARE(s.rejectReason, std::string("incorrect"));
        QCOMPARE(flagsOf(s).value("extracted_answer", std::string()), std::string("41"));
        QCOMPARE(flagsOf(s).value("edited", false), true);
        QCOMPARE(ws.editHistory(ids.wrong).size(), std::size_t(2));

        QVERIFY(ws.undoLastEdit(ids.wrong));
        widgets::reassessSample(ws, ids.wrong);
        QCOMPARE(ws.sample(ids.wrong)->verdict, store::Verdict::Correct);
        QCOMPARE(ws.sample(ids.wrong)->rejectReason, std::string());
        QVERIFY(ws.undoLastEdit(ids.wrong));
        widgets::reassessSample(ws, ids.wrong);
        s = *ws.sample(ids.wrong);
        QCOMPARE(s.answer, kWrong);
        QCOMPARE(s.verdict, store::Verdict::Incorrect);
        QCOMPARE(s.rejectReason, std::string("incorrect"));
        QVERIFY(!flagsOf(s).contains("edited"));
        QVERIFY(ws.editHistory(ids.wrong).empty());
    }

    // The thinking rewritten in Cyrillic fails the language filter (and only it); back in English it
    // passes again. Scores and token counts follow the text.
    void thinkingRescoresTheFilters()
    {
        Ids ids;
        auto ws = makeWorkspace(nextPath(), ids);
        ws.updateSampleText(ids.wrong, store::SampleField::Answer, kRight);
        ws.updateSampleText(ids.wrong, store::SampleField::Thinking, kCyrillic);
        widgets::reassessSample(ws, ids.wrong);
        auto s = *ws.sample(ids.wrong);
        QCOMPARE(s.verdict, store::Verdict::Correct);
        QCOMPARE(s.rejectReason, std::string("language_mix"));
        const nlohmann::json filters = flagsOf(s)["filters"];
        QVERIFY2(filters["language_mix"].get<double>() > 0.5, filters.dump().c_str());
        QCOMPARE(filters["thinking_chars"].get<qsizetype>(), codePoints(kCyrillic));
        QCOMPARE(s.thinkingTokens, formats::estimateTokens(kCyrillic));
        QVERIFY(kCyrillic.size() > std::size_t(codePoints(kCyrillic)));  // two bytes a letter: more tokens per letter

        // Wrong again with the Cyrillic thinking: both reasons, grading first.
        ws.updateSampleText(ids.wrong, store::SampleField::Answer, kWrong);
        widgets::reassessSample(ws, ids.wrong);
        QCOMPARE(ws.sample(ids.wrong)->rejectReason, std::string("incorrect,language_mix"));

        ws.updateSampleText(ids.wrong, store::SampleField::Answer, kRight);
        ws.updateSampleText(ids.wrong, store::SampleField::Thinking, kThinking);
        widgets::reassessSample(ws, ids.wrong);
        s = *ws.sample(ids.wrong);
        QCOMPARE(s.rejectReason, std::string());
        QCOMPARE(flagsOf(s)["filters"]["language_mix"].get<double>(), 0.0);
        QCOMPARE(s.thinkingTokens, formats::estimateTokens(kThinking));
    }

    // A reason that neither grading nor the filters gave stays; without a reference the verdict stays.
    void otherReasonsAndVerdictsStay()
    {
        Ids ids;
        auto ws = makeWorkspace(nextPath(), ids);
        ws.updateSampleText(ids.duplicate, store::SampleField::Answer, kWrong);
        widgets::reassessSample(ws, ids.duplicate);
        auto s = *ws.sample(ids.duplicate);
        QCOMPARE(s.verdict, store::Verdict::Incorrect);
        QCOMPARE(s.rejectReason, std::string("duplicate"));
        QCOMPARE(flagsOf(s).value("dup", false), true);

        const std::string longer = "It is the answer to everything, as a well-known novel says.";
        ws.updateSampleText(ids.noReference, store::SampleField::Answer, longer);
        widgets::reassessSample(ws, ids.noReference);
        s = *ws.sample(ids.noReference);
        QCOMPARE(s.verdict, store::Verdict::Correct);
        QCOMPARE(s.rejectReason, std::string());
        QVERIFY(!flagsOf(s).contains("extracted_answer"));
        QCOMPARE(flagsOf(s).value("edited", false), true);
        QCOMPARE(s.answerTokens, formats::estimateTokens(longer));
    }

    // SampleReview's writes: the edit answers with the re-graded sample; its undo with the sample as
    // graded before, no longer edited.
    void reviewWritesRegrade()
    {
        Ids ids;
        const QString path = nextPath();
        auto ws = makeWorkspace(path, ids);
        widgets::SampleReview review;
        review.setWorkspacePath(path);
        QSignalSpy changed(&review, &widgets::SampleReview::sampleChanged);
        review.setText(ids.wrong, store::SampleField::Answer, kRight);
        QVERIFY(changed.wait(10000));
        QCOMPARE(changed[0][0].toLongLong(), ids.wrong);
        QVERIFY(changed[0][2].toString().isEmpty());
        auto detail = changed[0][1].value<widgets::SampleDetail>();
        QVERIFY(detail.sample && detail.problem);
        QCOMPARE(detail.sample->verdict, store::Verdict::Correct);
        QCOMPARE(detail.problem->referenceAnswer, std::string("42"));
        QVERIFY(widgets::SampleDetailPane::isEdited(detail.sample->flagsJson));

        review.undoText(ids.wrong, store::SampleField::Answer, kWrong, kRight);
        QVERIFY(changed.wait(10000));
        detail = changed[1][1].value<widgets::SampleDetail>();
        QCOMPARE(detail.sample->answer, kWrong);
        QCOMPARE(detail.sample->verdict, store::Verdict::Incorrect);
        QCOMPARE(detail.sample->rejectReason, std::string("incorrect"));
        QVERIFY(!widgets::SampleDetailPane::isEdited(detail.sample->flagsJson));
        QVERIFY(ws.editHistory(ids.wrong).empty());
    }

    // The page: an edited answer turns the row's verdict to correct, the pane says "edited", the
    // history dialog lists both edits with their texts; undoing both takes it all back.
    void pageShowsVerdictMarkerAndHistory()
    {
        Ids ids;
        const QString path = nextPath();
        auto ws = makeWorkspace(path, ids);
        SampleBrowserPage page;
        page.resize(1300, 760);
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->sampleId(0), ids.wrong);
        QVERIFY(page.selectRow(0));
        QVERIFY(settled(page));
        const auto verdictCell = [&page] {
            return page.model()->data(page.model()->index(0, SampleTableModel::Verdict)).toString();
        };
        QCOMPARE(verdictCell(), SampleTableModel::verdictText(store::Verdict::Incorrect));
        widgets::SampleDetailPane* pane = page.detail();
        QVERIFY(!headerText(pane).contains(QStringLiteral("edited")));
        QVERIFY(pane->historyButton()->isHidden());

        pane->answerEditor()->setPlainText(QString::fromStdString(kRight));
        pane->commitEdits();
        QVERIFY(settled(page));
        QCOMPARE(ws.sample(ids.wrong)->verdict, store::Verdict::Correct);
        QCOMPARE(verdictCell(), SampleTableModel::verdictText(store::Verdict::Correct));
        QCOMPARE(page.model()->data(page.model()->index(0, SampleTableModel::RejectReason)).toString(), QString());
        QVERIFY2(headerText(pane).endsWith(QStringLiteral(" · edited")), qPrintable(headerText(pane)));
        QVERIFY(headerText(pane).contains(SampleTableModel::verdictText(store::Verdict::Correct)));
        QVERIFY(!pane->historyButton()->isHidden());

        pane->thinkingEditor()->setPlainText(QString::fromStdString(kCyrillic));
        pane->commitEdits();
        QVERIFY(settled(page));
        QCOMPARE(page.model()->data(page.model()->index(0, SampleTableModel::RejectReason)).toString(),
                 QStringLiteral("language_mix"));
        QCOMPARE(page.undoStack()->count(), 2);

        QTest::mouseClick(pane->historyButton(), Qt::LeftButton);
        QTRY_VERIFY(page.historyDialog() != nullptr);
        widgets::EditHistoryDialog* dialog = page.historyDialog();
        QTRY_VERIFY(dialog->isVisible());
        const auto edits = ws.editHistory(ids.wrong);
        QCOMPARE(edits.size(), std::size_t(2));
        QCOMPARE(dialog->windowTitle(), QStringLiteral("Edit history of sample %1").arg(ids.wrong));
        QCOMPARE(dialog->list()->count(), 2);
        QCOMPARE(dialog->list()->item(0)->text(), historyRow(edits[0], QStringLiteral("answer")));
        QCOMPARE(dialog->list()->item(1)->text(), historyRow(edits[1], QStringLiteral("thinking")));
        QCOMPARE(dialog->list()->currentRow(), 1);  // the latest edit
        QCOMPARE(dialog->beforeView()->toPlainText(), QString::fromStdString(kThinking));
        QCOMPARE(dialog->afterView()->toPlainText(), QString::fromStdString(kCyrillic));
        QVERIFY(test::saveScreenshot(*dialog, QStringLiteral("edit_history.png")));
        dialog->list()->setCurrentRow(0);
        QCOMPARE(dialog->beforeView()->toPlainText(), QString::fromStdString(kWrong));
        QCOMPARE(dialog->afterView()->toPlainText(), QString::fromStdString(kRight));
        dialog->close();
        QTRY_VERIFY(page.historyDialog() == nullptr);  // deleted on close

        page.undoStack()->undo();
        QVERIFY(settled(page));
        page.undoStack()->undo();
        QVERIFY(settled(page));
        const auto s = *ws.sample(ids.wrong);
        QCOMPARE(s.answer, kWrong);
        QCOMPARE(s.thinking, kThinking);
        QCOMPARE(s.verdict, store::Verdict::Incorrect);
        QCOMPARE(s.rejectReason, std::string("incorrect"));
        QCOMPARE(verdictCell(), SampleTableModel::verdictText(store::Verdict::Incorrect));
        QCOMPARE(page.model()->data(page.model()->index(0, SampleTableModel::RejectReason)).toString(),
                 QStringLiteral("incorrect"));
        QVERIFY(!headerText(pane).contains(QStringLiteral("edited")));
        QVERIFY(pane->historyButton()->isHidden());
    }

    // The dialog without edits says so and shows no text.
    void dialogWithoutEdits()
    {
        widgets::EditHistoryDialog dialog(7, {});
        QCOMPARE(dialog.list()->count(), 1);
        QCOMPARE(dialog.list()->item(0)->text(), QStringLiteral("No edits."));
        QVERIFY(dialog.beforeView()->toPlainText().isEmpty());
        QVERIFY(dialog.afterView()->toPlainText().isEmpty());
        dialog.list()->setCurrentRow(0);  // the placeholder row shows nothing
        QVERIFY(dialog.afterView()->toPlainText().isEmpty());
    }
};

QTEST_MAIN(TestSampleRegrade)
#include "tst_sample_regrade.moc"
