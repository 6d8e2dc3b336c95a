// Tests of the import dialog: preview of the first records as detected (read off the GUI thread),
// an end-to-end import on the worker thread with progress and a bad-line report, cancellation, and
// the freeze dialog (count, freeze and export off the GUI thread).
#include "demo_workspace.h"
#include "widgets/models/import_job.h"
#include "widgets/models/import_preview.h"
#include "widgets/views/freeze_dialog.h"
#include "widgets/views/import_dialog.h"

#include "core/formats/importer.h"
#include "tests/support/screenshot.h"

#include <QComboBox>
#include <QDir>
#include <QLabel>
#include <QProgressBar>
#include <QSignalSpy>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QtTest>

#include <nlohmann/json.hpp>

#include <fstream>

using namespace distill;
using distill::widgets::ImportDialog;

class TestImportDialog : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;
    int m_counter = 0;

    QString emptyWorkspace()
    {
        const QString path = m_dir.filePath(QStringLiteral("w%1.distillery").arg(++m_counter));
        store::CreateOptions options;
        options.loadBenchmarks = false;
        store::Workspace::create(path.toStdString(), options);
        return path;
    }

    QString s1kTraces() const { return testing::sourcePath(QStringLiteral("tests/fixtures/traces/s1k-gemini-first5.jsonl")); }

private slots:
    void previewShowsFirstRecordsAsDetected()
    {
        ImportDialog dialog(emptyWorkspace());
        QSignalSpy shown(&dialog, &ImportDialog::previewShown);
        dialog.setFile(s1kTraces());
        QVERIFY(shown.wait(10000));
        QTableWidget* preview = dialog.previewTable();
        QCOMPARE(preview->rowCount(), 5);
        QCOMPARE(preview->item(0, 0)->text(), QStringLiteral("1"));  // line of the first record
        QVERIFY(preview->item(0, 1)->text().contains(QStringLiteral("a,b,A,B")));
        QVERIFY(!preview->item(0, 2)->text().isEmpty());  // thinking split out of the record
        QVERIFY(!preview->item(0, 3)->text().isEmpty());
        QCOMPARE(dialog.errorList()->topLevelItemCount(), 0);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        QVERIFY(test::saveScreenshot(dialog, QStringLiteral("import_dialog.png")));

        // The preview is the real importer's reading: same detection as the core function.
        const auto detected = formats::detectFileFormat(s1kTraces().toStdString());
        const auto result = widgets::previewImport(s1kTraces().toStdString(), {}, 3);
        QCOMPARE(int(result.detected), int(detected));
        QCOMPARE(result.rows.size(), std::size_t(3));

        // Overriding the format re-reads the records: as a plain problem set there is no thinking.
        dialog.setFormat(formats::RecordFormat::Problems);
        QVERIFY(shown.wait(10000));
        QVERIFY(preview->rowCount() > 0);
        QVERIFY(preview->item(0, 2)->text().isEmpty());
    }

    void importsEndToEndWithBadLines()
    {
        // Three good records around a malformed line and a record without any usable field.
        const QString file = m_dir.filePath(QStringLiteral("mixed.jsonl"));
        {
            std::ofstream out(file.toStdString());
            out << "{\"problem\":\"What is 2+2?\",\"reasoning\":\"Add: $2+2=4$.\",\"response\":\"4\"}\n"
                << "{\"problem\": \"broken\" \"response\"\n"
                << "{\"problem\":\"What is 3*3?\",\"reasoning\":\"Multiply: $3 \\\\times 3 = 9$.\",\"response\":\"9\"}\n"
                << "{\"unrelated\": 1}\n"
                << "{\"problem\":\"What is 10-7?\",\"reasoning\":\"Subtract.\",\"response\":\"3\"}\n";
        }
        const QString workspacePath = emptyWorkspace();
        ImportDialog dialog(workspacePath);
        dialog.setFile(file);
        QSignalSpy imported(&dialog, &ImportDialog::imported);
        dialog.startImport();
        QVERIFY(dialog.isImporting());
        QVERIFY(imported.wait(10000));
        QVERIFY(!dialog.isImporting());
        QVERIFY(dialog.lastReport());
        const formats::ImportReport& report = *dialog.lastReport();
        QCOMPARE(report.imported, std::uint64_t(3));
        QCOMPARE(report.skipped, std::uint64_t(2));
        QCOMPARE(dialog.progressBar()->value(), dialog.progressBar()->maximum());

        // The bad lines are listed with their line numbers.
        QTreeWidget* errors = dialog.errorList();
        QCOMPARE(errors->topLevelItemCount(), 2);
        QCOMPARE(errors->topLevelItem(0)->text(0), QStringLiteral("2"));
        QCOMPARE(errors->topLevelItem(1)->text(0), QStringLiteral("4"));
        QVERIFY(!errors->topLevelItem(0)->text(1).isEmpty());

        // The worker wrote through its own connection; a fresh reader sees the samples.
        auto ws = store::Workspace::open(workspacePath.toStdString(), store::OpenMode::ReadOnly);
        QCOMPARE(ws.countSamples({}), qint64(3));
        store::SampleQuery q;
        q.search = "Multiply";
        QCOMPARE(ws.countSamples(q), qint64(1));
    }

    void cancelWritesNothing()
    {
        // A file big enough that the import is still running when it is cancelled.
        const QString file = m_dir.filePath(QStringLiteral("big.jsonl"));
        {
            std::ofstream out(file.toStdString());
            const std::string filler(800, 'x');
            for (int i = 0; i < 40000; ++i)
                out << "{\"problem\":\"Question " << i << "?\",\"reasoning\":\"" << filler << "\",\"response\":\"ok\"}\n";
        }
        const QString workspacePath = emptyWorkspace();
        widgets::ImportJob job;
        QSignalSpy progress(&job, &widgets::ImportJob::progress);
        QSignalSpy finished(&job, &widgets::ImportJob::finished);
        const quint64 id = job.start(workspacePath, file, {});
        QVERIFY(progress.wait(10000));  // running and reporting
        QCOMPARE(progress.first().at(0).toULongLong(), id);
        job.cancel();
        QVERIFY(finished.count() == 1 || finished.wait(20000));
        const auto report = finished.first().at(1).value<formats::ImportReport>();
        QVERIFY(report.cancelled);
        QVERIFY(finished.first().at(2).toString().isEmpty());
        auto ws = store::Workspace::open(workspacePath.toStdString(), store::OpenMode::ReadOnly);
        QCOMPARE(ws.countSamples({}), qint64(0));
    }

    void staleJobResultsAreDropped()
    {
        const QString workspacePath = emptyWorkspace();
        ImportDialog dialog(workspacePath);
        dialog.setFile(s1kTraces());
        QSignalSpy imported(&dialog, &ImportDialog::imported);
        dialog.startImport();
        dialog.startImport();  // restarts: the first job is cancelled and its result must not count
        QVERIFY(imported.wait(10000));
        QTest::qWait(100);
        QCOMPARE(imported.count(), 1);
        QCOMPARE(dialog.lastReport()->imported, std::uint64_t(5));
        // The first job was asked to stop; a tiny file may have been written before it noticed.
        auto ws = store::Workspace::open(workspacePath.toStdString(), store::OpenMode::ReadOnly);
        const qint64 samples = ws.countSamples({});
        QVERIFY2(samples == 5 || samples == 10, qPrintable(QString::number(samples)));
    }

    void freezeAndExport()
    {
        const QString workspacePath = emptyWorkspace();
        auto ws = store::Workspace::open(workspacePath.toStdString());
        formats::importFile(ws, s1kTraces().toStdString());
        store::SampleQuery recipe;
        recipe.origin = store::Origin::Import;

        widgets::FreezeDialog dialog(workspacePath, recipe);
        QTRY_VERIFY(dialog.isReady());  // counted off the GUI thread
        dialog.setName(QStringLiteral("s1k-v1"));
        const QString out = m_dir.filePath(QStringLiteral("s1k-v1.jsonl"));
        dialog.setExportFile(out);
        QSignalSpy exported(&dialog, &widgets::FreezeDialog::exportFinished);
        QVERIFY(dialog.freeze());
        QVERIFY(exported.wait(10000));
        QCOMPARE(exported.first().at(1).toULongLong(), quint64(5));
        QVERIFY(exported.first().at(2).toString().isEmpty());

        const auto dataset = ws.dataset("s1k-v1");
        QVERIFY(dataset);
        QCOMPARE(dataset->sampleIds.size(), std::size_t(5));
        QCOMPARE(store::SampleQuery::fromJson(nlohmann::json::parse(dataset->recipeJson)).origin,
                 std::optional(store::Origin::Import));
        QFile file(out);
        QVERIFY(file.open(QIODevice::ReadOnly));
        QCOMPARE(file.readAll().count('\n'), 5);

        // A second freeze under the same name is refused with a message.
        widgets::FreezeDialog again(workspacePath, recipe);
        again.setName(QStringLiteral("s1k-v1"));
        QTRY_VERIFY(again.isReady());
        QVERIFY(!again.freeze());
        QVERIFY(!again.statusLabel()->text().isEmpty());
    }
};

QTEST_MAIN(TestImportDialog)
#include "tst_import_dialog.moc"
