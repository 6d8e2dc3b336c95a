// Tests of the sample browser page: keyboard review (A/R/F/J/K, undo/redo), text edits written
// through the store and undone through it, the filter bar driving the store query (search, verdict,
// source, tokens, reject reason, score ranges), highlighting, a screenshot of the score columns.
// The page reads and writes off the GUI thread, so the tests let its jobs settle before checking.
#include "demo_workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/sample_review.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/cot_highlighter.h"
#include "widgets/views/sample_browser_page.h"
#include "widgets/views/sample_commands.h"
#include "widgets/views/sample_detail_pane.h"
#include "widgets/views/sample_filter_bar.h"
#include "tests/support/screenshot.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>
#include <QTableView>
#include <QTemporaryDir>
#include <QTextDocument>
#include <QTextLayout>
#include <QUndoStack>
#include <QtTest>

using namespace distill;
using distill::widgets::SampleBrowserPage;
using distill::widgets::SampleTableModel;

namespace {
store::SampleStatus statusOf(store::Workspace& ws, qint64 id)
{
    return ws.sample(id)->status;
}

// Waits until the page's reads and writes are in; a read's result may start another (the rows, then
// the selected sample's detail).
bool settled(SampleBrowserPage& page)
{
    for (int round = 0; round < 3; ++round)
        if (!page.model()->jobs()->waitForIdle() || !page.review()->jobs()->waitForIdle())
            return false;
    return page.model()->jobs()->pendingCount() == 0 && page.review()->jobs()->pendingCount() == 0;
}
}  // namespace

class TestSampleBrowser : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_counter = 0;
    QString nextPath() { return m_dir.filePath(QStringLiteral("w%1.distillery").arg(++m_counter)); }

private slots:
    void keyboardReview()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 30);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        page.resize(1200, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(settled(page));
        page.table()->setFocus();
        QCOMPARE(page.currentRow(), 0);
        const qint64 id0 = page.model()->sampleId(0), id1 = page.model()->sampleId(1), id2 = page.model()->sampleId(2);
        const store::SampleStatus before1 = statusOf(ws, id1);
        QCOMPARE(page.detail()->sampleId(), id0);

        QTest::keyClick(page.table(), Qt::Key_A);
        QVERIFY(settled(page));
        QCOMPARE(statusOf(ws, id0), store::SampleStatus::Accepted);
        QCOMPARE(page.currentRow(), 1);  // accepting moves on
        QCOMPARE(page.detail()->sampleId(), id1);
        QCOMPARE(page.model()->data(page.model()->index(0, SampleTableModel::Status)).toString(), QStringLiteral("accepted"));

        QTest::keyClick(page.table(), Qt::Key_R);
        QVERIFY(settled(page));
        QCOMPARE(statusOf(ws, id1), store::SampleStatus::Rejected);
        QCOMPARE(page.currentRow(), 2);

        QTest::keyClick(page.table(), Qt::Key_J);
        QCOMPARE(page.currentRow(), 3);
        QTest::keyClick(page.table(), Qt::Key_K);
        QTest::keyClick(page.table(), Qt::Key_K);
        QCOMPARE(page.currentRow(), 1);
        QTest::keyClick(page.table(), Qt::Key_J);
        QCOMPARE(page.currentRow(), 2);

        QTest::keyClick(page.table(), Qt::Key_F);
        QVERIFY(settled(page));
        QVERIFY(widgets::SampleFlagCommand::isFlagged(ws.sample(id2)->flagsJson));
        QCOMPARE(page.currentRow(), 2);  // flagging stays on the sample
        QVERIFY(page.model()->data(page.model()->index(2, SampleTableModel::Flags)).toString().contains(QStringLiteral("flagged")));

        QTest::keyClick(page.table(), Qt::Key_Z, Qt::ControlModifier);  // undo the flag
        QVERIFY(settled(page));
        QVERIFY(!widgets::SampleFlagCommand::isFlagged(ws.sample(id2)->flagsJson));
        QTest::keyClick(page.table(), Qt::Key_Z, Qt::ControlModifier);  // undo the reject
        QVERIFY(settled(page));
        QCOMPARE(statusOf(ws, id1), before1);
        QTest::keyClick(page.table(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);  // redo it
        QVERIFY(settled(page));
        QCOMPARE(statusOf(ws, id1), store::SampleStatus::Rejected);
        QCOMPARE(page.undoStack()->count(), 3);
    }

    void keysTypeTextInsideEditors()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 5);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowActive(&page));
        QVERIFY(settled(page));
        QPlainTextEdit* answer = page.detail()->answerEditor();
        answer->setFocus();
        answer->moveCursor(QTextCursor::End);
        const store::SampleStatus before = statusOf(ws, page.model()->sampleId(0));
        QTest::keyClicks(answer, QStringLiteral("ar"));
        QVERIFY(settled(page));
        QVERIFY(answer->toPlainText().endsWith(QStringLiteral("ar")));
        QCOMPARE(statusOf(ws, page.model()->sampleId(0)), before);  // no review shortcut fired
        QCOMPARE(page.currentRow(), 0);
    }

    void editUndoRedoThroughStore()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 10);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(settled(page));
        QVERIFY(page.selectRow(4));
        QVERIFY(settled(page));
        const qint64 id = page.model()->sampleId(4);
        const std::string original = ws.sample(id)->thinking;

        page.detail()->thinkingEditor()->setPlainText(QStringLiteral("<think>Checked again: $2+2=4$.</think>"));
        QVERIFY(page.detail()->hasPendingEdits());
        page.detail()->commitEdits();
        QVERIFY(settled(page));
        QCOMPARE(ws.sample(id)->thinking, std::string("<think>Checked again: $2+2=4$.</think>"));
        QCOMPARE(ws.editHistory(id).size(), std::size_t(1));
        QCOMPARE(page.undoStack()->count(), 1);
        QVERIFY(!page.detail()->hasPendingEdits());

        page.undoStack()->undo();
        QVERIFY(settled(page));
        QCOMPARE(ws.sample(id)->thinking, original);
        QVERIFY(ws.editHistory(id).empty());  // undone through the store's history
        QCOMPARE(page.detail()->thinkingEditor()->toPlainText(), QString::fromStdString(original));

        page.undoStack()->redo();
        QVERIFY(settled(page));
        QCOMPARE(ws.sample(id)->thinking, std::string("<think>Checked again: $2+2=4$.</think>"));
        QCOMPARE(page.detail()->thinkingEditor()->toPlainText(), QStringLiteral("<think>Checked again: $2+2=4$.</think>"));

        // Moving to another sample commits a pending answer edit first.
        page.detail()->answerEditor()->setPlainText(QStringLiteral("42"));
        QVERIFY(page.selectRow(5));
        QVERIFY(settled(page));
        QCOMPARE(ws.sample(id)->answer, std::string("42"));
        QCOMPARE(page.undoStack()->count(), 2);
        QCOMPARE(page.detail()->sampleId(), page.model()->sampleId(5));
    }

    void reloadSeesOtherWritersAndKeepsUndo()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 12);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        QVERIFY(settled(page));
        QVERIFY(page.selectRow(0));
        const qint64 id = page.model()->sampleId(0);
        QCOMPARE(ws.sample(id)->status, store::SampleStatus::Candidate);
        page.acceptCurrent();
        QVERIFY(settled(page));
        QCOMPARE(page.undoStack()->count(), 1);

        {  // another connection (an import, a job) adds a sample of a new source
            auto writer = store::Workspace::open(path.toStdString());
            store::Problem p;
            p.source = "delta";
            p.question = "New problem?";
            writer.insertProblem(p);
            store::Sample s;
            s.problemId = p.id;
            s.answer = "yes";
            writer.insertSample(s);
        }
        QCOMPARE(page.model()->totalCount(), qint64(12));
        QVERIFY(page.selectRow(0));
        page.reload();
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(13));
        page.setSourceCounts(widgets::readSources(ws).toList());  // the main window reads these off-thread
        QVERIFY(page.filterBar()->sourceCombo()->findData(QStringLiteral("delta")) > 0);
        QCOMPARE(page.model()->sampleId(page.currentRow()), id);  // selection kept
        QCOMPARE(page.undoStack()->count(), 1);                   // history kept
        page.undoStack()->undo();
        QVERIFY(settled(page));
        QCOMPARE(ws.sample(id)->status, store::SampleStatus::Candidate);
    }

    void filterBarDrivesQuery()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 120);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        QVERIFY(settled(page));
        widgets::SampleFilterBar* bar = page.filterBar();
        QCOMPARE(page.model()->totalCount(), qint64(120));
        page.setSourceCounts(widgets::readSources(ws).toList());  // the main window reads these off-thread
        QCOMPARE(bar->sourceCombo()->count(), 4);  // all + alpha, beta, gamma

        bar->verdictCombo()->setCurrentIndex(bar->verdictCombo()->findData(int(store::Verdict::Correct)));
        QCOMPARE(page.query().verdict, std::optional(store::Verdict::Correct));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), ws.countSamples(page.query()));
        QCOMPARE(page.model()->totalCount(), qint64(40));

        bar->searchEdit()->setText(QStringLiteral("modulo"));
        QTRY_COMPARE(page.query().search, std::string("modulo"));
        bar->sourceCombo()->setCurrentIndex(bar->sourceCombo()->findData(QStringLiteral("beta")));
        bar->minTokensSpin()->setValue(100);
        QTRY_COMPARE(page.query().minThinkingTokens, std::optional<std::int64_t>(100));
        QCOMPARE(page.query().source, std::string("beta"));
        QVERIFY(settled(page));
        const qint64 expected = ws.countSamples(page.query());
        QVERIFY(expected > 0 && expected < 40);
        QCOMPARE(page.model()->totalCount(), expected);
        for (int r = 0; r < page.model()->rowCount(); ++r)
            QCOMPARE(page.model()->data(page.model()->index(r, 0), SampleTableModel::SourceRole).toString(),
                     QStringLiteral("beta"));

        page.table()->sortByColumn(SampleTableModel::ThinkingTokens, Qt::DescendingOrder);
        QCOMPARE(page.query().sortBy, store::SampleColumn::ThinkingTokens);
        QVERIFY(page.query().descending);
        QCOMPARE(page.query().source, std::string("beta"));  // sorting keeps the filter

        bar->clear();
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(120));
        QCOMPARE(page.query().sortBy, store::SampleColumn::ThinkingTokens);  // and clearing keeps the sort
    }

    void reasonAndScoreFilters()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 120);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        widgets::SampleFilterBar* bar = page.filterBar();
        QComboBox* reason = bar->reasonCombo();
        const auto reasons = ws.rejectReasons();
        QCOMPARE(reasons.size(), std::size_t(4));
        QTRY_COMPARE(reason->count(), 2 + int(reasons.size()));  // read off-thread: any, none, the four
        store::SampleQuery byReason, rejected;
        byReason.rejectReason = "language_mix";
        rejected.status = store::SampleStatus::Rejected;
        const qint64 mixed = ws.countSamples(byReason);
        QVERIFY(mixed > 0);
        const int mixIndex = reason->findData(QStringLiteral("language_mix"));
        QVERIFY(mixIndex >= 2);
        QCOMPARE(reason->itemText(mixIndex), QStringLiteral("language_mix (%1)").arg(mixed));

        reason->setCurrentIndex(mixIndex);
        QCOMPARE(page.query().rejectReason, std::optional<std::string>("language_mix"));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), mixed);
        for (int r = 0; r < page.model()->rowCount(); ++r)
            QCOMPARE(page.model()->data(page.model()->index(r, SampleTableModel::RejectReason)).toString(),
                     QStringLiteral("language_mix"));
        reason->setCurrentIndex(reason->findData(QString("")));  // "No reason"
        QCOMPARE(page.query().rejectReason, std::optional<std::string>(""));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), 120 - ws.countSamples(rejected));
        reason->setCurrentIndex(0);
        QVERIFY(!page.query().rejectReason);

        // Words are entered as they are; shares in percent, as the table shows them.
        bar->scoreCombo()->setCurrentIndex(bar->scoreCombo()->findData(int(SampleTableModel::ParagraphWords)));
        QVERIFY(bar->minScoreSpin()->isEnabled());
        bar->minScoreSpin()->setValue(100);
        bar->maxScoreSpin()->setValue(200);
        QTRY_VERIFY(page.query().score && page.query().score->max);
        QCOMPARE(page.query().score->name, std::string("longest_paragraph_words"));
        QCOMPARE(*page.query().score->min, 100.0);
        QCOMPARE(*page.query().score->max, 200.0);
        QVERIFY(settled(page));
        const qint64 band = ws.countSamples(page.query());
        QVERIFY(band > 0 && band < 120);
        QCOMPARE(page.model()->totalCount(), band);
        for (int r = 0; r < page.model()->rowCount(); ++r) {
            const int words = page.model()->data(page.model()->index(r, SampleTableModel::ParagraphWords)).toInt();
            QVERIFY2(words >= 100 && words <= 200, qPrintable(QString::number(words)));
        }

        bar->scoreCombo()->setCurrentIndex(bar->scoreCombo()->findData(int(SampleTableModel::LanguageMix)));
        QCOMPARE(bar->minScoreSpin()->suffix(), QStringLiteral(" %"));
        QVERIFY(page.query().score && !page.query().score->min);  // a new score starts at "any"
        bar->minScoreSpin()->setValue(5);
        QTRY_VERIFY(page.query().score && page.query().score->min);
        QCOMPARE(*page.query().score->min, 0.05);
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), ws.countSamples(page.query()));

        bar->clear();
        QVERIFY(!page.query().score && !page.query().rejectReason);
        QVERIFY(!bar->minScoreSpin()->isEnabled());
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(120));
    }

    // The browser filtered by a reject reason and sorted by a score, the score columns in view.
    void screenshotScoreColumns()
    {
        const QString path = nextPath();
        auto ws = testing::makeSyntheticWorkspace(path, 120);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        page.resize(1700, 700);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QComboBox* reason = page.filterBar()->reasonCombo();
        QTRY_VERIFY(reason->findData(QStringLiteral("language_mix")) >= 0);
        reason->setCurrentIndex(reason->findData(QStringLiteral("language_mix")));
        page.table()->sortByColumn(SampleTableModel::LanguageMix, Qt::DescendingOrder);
        QVERIFY(settled(page));
        page.table()->scrollTo(page.model()->index(0, SampleTableModel::Repetition));
        QVERIFY(page.model()->rowCount() > 0);
        QTest::qWait(50);
        QVERIFY(test::saveScreenshot(page, QStringLiteral("sample_browser_scores.png")));
    }

    void highlighterMarksTagsAndMath()
    {
        QTextDocument doc;
        widgets::CotHighlighter highlighter(&doc);
        doc.setPlainText(QStringLiteral("<think>Let $x=2$ cost $5.\n\\[\na^2\n\\] done</think> \\(y\\)"));
        highlighter.rehighlight();  // the first pass is otherwise deferred to the event loop
        auto formatAt = [&](int blockNo, int pos) {
            const QTextBlock block = doc.findBlockByNumber(blockNo);
            for (const QTextLayout::FormatRange& r : block.layout()->formats())
                if (pos >= r.start && pos < r.start + r.length && r.format.hasProperty(QTextFormat::ForegroundBrush))
                    return r.format.foreground().color();
            return QColor();
        };
        const QColor tag = highlighter.tagFormat().foreground().color();
        const QColor math = highlighter.mathFormat().foreground().color();
        QVERIFY(tag.isValid() && math.isValid() && tag != math);
        QCOMPARE(formatAt(0, 1), tag);  // <think>
        QCOMPARE(formatAt(0, 12), math);  // $x=2$
        QCOMPARE(formatAt(0, 22), QColor());  // "$5." is a lone dollar
        QCOMPARE(formatAt(1, 0), math);  // \[ opens display math
        QCOMPARE(formatAt(2, 1), math);  // a^2 on its own line
        QCOMPARE(formatAt(3, 1), math);  // \] closes it
        QCOMPARE(formatAt(3, 4), QColor());  // " done"
        QCOMPARE(formatAt(3, 9), tag);  // </think>
        QCOMPARE(formatAt(3, 19), math);  // \(y\)
    }
};

QTEST_MAIN(TestSampleBrowser)
#include "tst_sample_browser.moc"
