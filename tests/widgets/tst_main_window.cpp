// Tests of the main window: page navigation, opening/creating workspaces (off the GUI thread),
// recent workspaces, and screenshots (English and Simplified Chinese) of a demo workspace with a
// sample selected; `distillery --screenshots` writes one PNG per page.
#include "demo_workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/problem_table_model.h"
#include "widgets/models/sample_review.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/views/language.h"
#include "widgets/views/main_window.h"
#include "widgets/views/page.h"
#include "widgets/views/problem_browser_page.h"
#include "widgets/views/sample_browser_page.h"
#include "widgets/views/sample_detail_pane.h"
#include "widgets/views/sample_filter_bar.h"

#include <QComboBox>
#include <QDir>
#include <QFileInfo>
#include <QImage>
#include <QProcess>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSettings>
#include <QStackedWidget>
#include <QTableView>
#include <QTemporaryDir>
#include <QtTest>

using namespace distill;
using distill::widgets::MainWindow;

class TestMainWindow : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    QString m_demo;

    // Waits for the open (and the status-bar and source reads after it) and the sample browser's
    // first rows and detail.
    static bool opened(MainWindow& window)
    {
        return window.jobs()->waitForIdle() && window.sampleBrowser()->model()->jobs()->waitForIdle()
               && window.sampleBrowser()->review()->jobs()->waitForIdle();
    }

    // Shows the window on the demo workspace with an s1K sample selected and saves a screenshot.
    QImage screenshot(MainWindow& window, const QString& name)
    {
        window.resize(1400, 860);
        window.show();
        if (!QTest::qWaitForWindowExposed(&window))
            return {};
        // Show the s1K traces: questions with long thinking and math.
        auto* sources = window.sampleBrowser()->filterBar()->sourceCombo();
        QElapsedTimer waited;  // the source list is read off the GUI thread
        waited.start();
        while (sources->findData(QStringLiteral("s1k-gemini-first5")) < 0 && waited.elapsed() < 10000)
            QTest::qWait(20);
        const int s1k = sources->findData(QStringLiteral("s1k-gemini-first5"));
        if (s1k < 0)
            return {};
        sources->setCurrentIndex(s1k);
        if (!window.sampleBrowser()->model()->jobs()->waitForIdle())
            return {};
        window.sampleBrowser()->selectRow(1);
        if (!window.sampleBrowser()->review()->jobs()->waitForIdle())
            return {};
        QTest::qWait(50);
        const QString dir = QDir(QStringLiteral(DISTILLERY_BINARY_DIR)).filePath(QStringLiteral("screenshots"));
        QDir().mkpath(dir);
        const QImage image = window.grab().toImage();
        image.save(QDir(dir).filePath(name));
        return image;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        // Keep the user's settings out of the tests.
        QCoreApplication::setOrganizationName(QStringLiteral("DistilleryTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_main_window"));
        QSettings().clear();
        m_demo = m_dir.filePath(QStringLiteral("demo.distillery"));
        testing::makeDemoWorkspace(m_demo);
    }

    void pagesAndNavigation()
    {
        MainWindow window;
        QCOMPARE(window.pageCount(), 10);  // samples, problems, generate, curate, train, GRPO, evaluate, pipeline, models, playground
        QCOMPARE(window.page(0), window.sampleBrowser());
        QCOMPARE(window.page(1), window.problemBrowser());
        auto* nav = window.findChild<QListWidget*>(QStringLiteral("navigation"));
        QVERIFY(nav);
        QCOMPARE(nav->count(), 10);
        QCOMPARE(nav->item(7)->text(), QStringLiteral("Pipeline"));
        QCOMPARE(nav->item(0)->text(), QStringLiteral("Samples"));
        QCOMPARE(nav->item(1)->text(), QStringLiteral("Problems"));
        auto* stack = window.findChild<QStackedWidget*>();
        nav->setCurrentRow(1);
        QCOMPARE(stack->currentWidget(), window.problemBrowser());
        QVERIFY(!window.workspace());
    }

    void openCreatesMissingWorkspaceAndRemembersIt()
    {
        const QString path = m_dir.filePath(QStringLiteral("fresh.distillery"));
        MainWindow window;
        QVERIFY(!window.openWorkspace(path));  // plain open of a missing file fails
        QVERIFY(!QFileInfo::exists(path));
        QVERIFY(window.openWorkspace(path, true));
        QVERIFY(opened(window));
        QVERIFY(QFileInfo::exists(path));
        QVERIFY(window.workspace());
        QVERIFY(window.openWorkspace(m_demo));
        QVERIFY(opened(window));
        const QStringList recent = MainWindow::recentWorkspaces();
        QCOMPARE(recent.value(0), QFileInfo(m_demo).absoluteFilePath());
        QCOMPARE(recent.value(1), QFileInfo(path).absoluteFilePath());
    }

    void problemBrowserShowsBenchmarks()
    {
        MainWindow window;
        QVERIFY(window.openWorkspace(m_demo));
        auto* problems = window.problemBrowser();
        QTRY_VERIFY(problems->sourceCombo()->findData(QStringLiteral("aime24")) > 0);  // read off-thread
        const int aime = problems->sourceCombo()->findData(QStringLiteral("aime24"));
        problems->sourceCombo()->setCurrentIndex(aime);
        QVERIFY(problems->model()->jobs()->waitForIdle());
        QCOMPARE(problems->model()->totalCount(), qint64(30));
        QVERIFY(problems->table()->currentIndex().isValid());
        QVERIFY(problems->questionView()->toPlainText().contains(QStringLiteral("Aya")));
    }

    void screenshotEnglish()
    {
        MainWindow window;
        QVERIFY(window.openWorkspace(m_demo));
        QVERIFY(opened(window));
        QVERIFY(window.sampleBrowser()->model()->totalCount() > 5);
        const QImage image = screenshot(window, QStringLiteral("main_window.png"));
        QVERIFY(!image.isNull());
        QVERIFY(image.width() >= 1400);
        auto* detail = window.sampleBrowser()->detail();
        QVERIFY(detail->sampleId() > 0);
        QVERIFY(!detail->questionView()->toPlainText().isEmpty());
        QVERIFY(!detail->thinkingEditor()->toPlainText().isEmpty());
        QVERIFY(!detail->answerEditor()->toPlainText().isEmpty());
    }

    void screenshotChinese()
    {
        QVERIFY(widgets::applyLanguage(QStringLiteral("zh_CN")));
        {
            MainWindow window;
            QVERIFY(window.openWorkspace(m_demo));
            auto* nav = window.findChild<QListWidget*>(QStringLiteral("navigation"));
            QCOMPARE(nav->item(0)->text(), QStringLiteral("样本"));
            QCOMPARE(nav->item(1)->text(), QStringLiteral("题目"));
            QCOMPARE(window.sampleBrowser()->model()->headerData(0, Qt::Horizontal).toString(), QStringLiteral("编号"));
            QVERIFY(!screenshot(window, QStringLiteral("main_window_zh_CN.png")).isNull());
        }
        QVERIFY(widgets::applyLanguage(QStringLiteral("en")));
        MainWindow english;
        QCOMPARE(english.findChild<QListWidget*>(QStringLiteral("navigation"))->item(0)->text(), QStringLiteral("Samples"));
    }

    void languageSetting()
    {
        widgets::saveLanguage(QStringLiteral("zh_CN"));
        QCOMPARE(widgets::savedLanguage(), QStringLiteral("zh_CN"));
        QCOMPARE(widgets::effectiveLanguage(), QStringLiteral("zh_CN"));
        widgets::saveLanguage(QStringLiteral("en"));
        QCOMPARE(widgets::effectiveLanguage(), QStringLiteral("en"));
        widgets::saveLanguage(QString());
        QVERIFY(widgets::savedLanguage().isEmpty());
        QVERIFY(!widgets::applyLanguage(QStringLiteral("xx_YY")));  // not shipped
    }

    // `distillery --screenshots DIR`: one non-empty PNG per page, each page rendered once its reads
    // have landed, on a workspace the program creates.
    void screenshotsOfEveryPage()
    {
        QTemporaryDir dir;
        QProcess app;
        app.start(QStringLiteral(DISTILLERY_BINARY_DIR "/app/gui/distillery"),
                  {QStringLiteral("--screenshots"), dir.filePath(QStringLiteral("shots")), QStringLiteral("--workspace"),
                   dir.filePath(QStringLiteral("ws.distillery"))});
        QVERIFY(app.waitForFinished(180000));
        QCOMPARE(app.exitCode(), 0);
        const QStringList printed = QString::fromUtf8(app.readAllStandardOutput()).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        MainWindow window;
        QCOMPARE(printed.size(), window.pageCount());
        QVERIFY(printed.contains(dir.filePath(QStringLiteral("shots/pipeline_page.png"))));
        for (const QString& file : printed) {
            const QImage image(file);
            QVERIFY2(!image.isNull() && image.width() >= 800, qPrintable(file));
            QVERIFY2(QFileInfo(file).size() > 10000, qPrintable(file));  // drawn, not blank
        }
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
