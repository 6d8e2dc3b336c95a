// JobTracker: ids from one counter, work on worker threads with results on the GUI thread tagged
// with the id, a newer job of a kind dropping the older one's result, a cancel flag the work polls,
// errors delivered as text, throttled progress, the job's own workspace connections, writes in
// order, and shutdown while work is running (a tracker, and a main window closed during reads).
#include "demo_workspace.h"
#include "core/store/workspace.h"
#include "core/util/error.h"
#include "widgets/models/job_tracker.h"
#include "widgets/views/main_window.h"

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>
#include <vector>

using namespace distill;
using distill::widgets::JobContext;
using distill::widgets::JobTracker;

namespace {

// Blocks a job until the test opens the gate (or the job is cancelled).
struct Gate {
    std::atomic<bool> open{false};
    void wait(const JobContext& job) const
    {
        while (!open.load() && !job.cancelled())
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
    }
};

}  // namespace

class TestJobTracker : public QObject {
    Q_OBJECT
private:
    QTemporaryDir m_dir;

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QCoreApplication::setOrganizationName(QStringLiteral("DistilleryTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_job_tracker"));
    }

    void idsComeFromOneCounter()
    {
        JobTracker a, b;
        const quint64 first = a.start(QStringLiteral("x"), [](JobContext&) { return QVariant(1); });
        const quint64 second = b.start(QStringLiteral("x"), [](JobContext&) { return QVariant(2); });
        const quint64 third = a.enqueue([](JobContext&) { return QVariant(3); });
        QVERIFY(first > 0);
        QVERIFY(second > first);  // another tracker, same counter: no id names two jobs
        QVERIFY(third > second);
        QVERIFY(a.waitForIdle());
        QVERIFY(b.waitForIdle());
    }

    void resultArrivesOnTheGuiThreadTaggedWithItsId()
    {
        JobTracker jobs;
        QSignalSpy finished(&jobs, &JobTracker::finished);
        QThread* gui = QThread::currentThread();
        QThread* doneThread = nullptr;
        QVariant doneResult;
        const quint64 id = jobs.start(
            QStringLiteral("answer"),
            [gui](JobContext& job) {
                return QVariantList{qulonglong(job.id()), QThread::currentThread() != gui, 42};
            },
            [&](const QVariant& result, const QString& error) {
                doneThread = QThread::currentThread();
                doneResult = result;
                QVERIFY(error.isEmpty());
            });
        QVERIFY(jobs.isRunning(QStringLiteral("answer")));
        QVERIFY(jobs.isCurrent(id));
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished[0][0].toULongLong(), id);
        QCOMPARE(finished[0][1].toString(), QStringLiteral("answer"));
        QCOMPARE(finished[0][3].toString(), QString());
        const QVariantList result = finished[0][2].toList();
        QCOMPARE(result[0].toULongLong(), id);   // the work saw its own id
        QCOMPARE(result[1].toBool(), true);      // and ran on a worker thread
        QCOMPARE(result[2].toInt(), 42);
        QCOMPARE(doneThread, gui);               // the result came back to the tracker's thread
        QCOMPARE(doneResult, finished[0][2]);
        QVERIFY(!jobs.isRunning(QStringLiteral("answer")));
        QCOMPARE(jobs.pendingCount(), 0);
    }

    void newerJobOfAKindDropsTheOlderResult()
    {
        JobTracker jobs;
        QSignalSpy finished(&jobs, &JobTracker::finished);
        Gate gate;
        std::atomic<bool> olderStarted{false}, olderSawCancel{false};
        int olderDone = 0, newerDone = 0, otherDone = 0;
        const quint64 older = jobs.start(
            QStringLiteral("read"),
            [&](JobContext& job) {
                olderStarted = true;
                gate.wait(job);
                olderSawCancel = job.cancelled();
                return QVariant(QStringLiteral("older"));
            },
            [&](const QVariant&, const QString&) { ++olderDone; });
        QTRY_VERIFY(olderStarted.load());  // running when it is superseded
        const quint64 other = jobs.start(QStringLiteral("another kind"), [](JobContext&) { return QVariant(7); },
                                         [&](const QVariant&, const QString&) { ++otherDone; });
        const quint64 newer = jobs.start(QStringLiteral("read"), [](JobContext&) { return QVariant(QStringLiteral("newer")); },
                                         [&](const QVariant&, const QString&) { ++newerDone; });
        QVERIFY(!jobs.isCurrent(older));
        QVERIFY(jobs.isCurrent(newer));
        gate.open = true;
        QVERIFY(jobs.waitForIdle());
        QVERIFY(olderSawCancel);  // superseded means cancelled: the work may stop early
        QCOMPARE(olderDone, 0);   // and its result is dropped
        QCOMPARE(newerDone, 1);
        QCOMPARE(otherDone, 1);   // other kinds are not touched
        QCOMPARE(finished.size(), 2);
        QList<quint64> ids;
        for (const QList<QVariant>& f : finished)
            ids << f[0].toULongLong();
        QVERIFY(ids.contains(newer) && ids.contains(other) && !ids.contains(older));
    }

    void cancelFlagIsPolled()
    {
        JobTracker jobs;
        QSignalSpy finished(&jobs, &JobTracker::finished);
        std::atomic<int> rounds{0};
        const quint64 id = jobs.start(QStringLiteral("loop"), [&](JobContext& job) {
            for (;;) {  // stops only through the flag
                job.throwIfCancelled();
                ++rounds;
                std::this_thread::sleep_for(std::chrono::milliseconds(1));
            }
            return QVariant();
        });
        QTRY_VERIFY(rounds.load() > 5);
        jobs.cancel(id);
        QVERIFY(finished.wait(5000));
        QCOMPARE(finished[0][0].toULongLong(), id);
        QVERIFY2(finished[0][3].toString().startsWith(QStringLiteral("Cancelled: ")), qPrintable(finished[0][3].toString()));
    }

    void errorsArriveAsText_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::newRow("distill::Error with hint") << 0 << QStringLiteral("Not found: no run 7 (list the runs first)");
        QTest::newRow("distill::Error") << 1 << QStringLiteral("Database error: database is locked");
        QTest::newRow("std::exception") << 2 << QStringLiteral("plain failure");
    }

    void errorsArriveAsText()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        JobTracker jobs;
        QString error;
        bool called = false;
        jobs.start(
            QStringLiteral("fail"),
            [kind](JobContext&) -> QVariant {
                if (kind == 0)
                    throw Error(ErrorCode::NotFound, "no run 7", "list the runs first");
                if (kind == 1)
                    throw Error(ErrorCode::Database, "database is locked");
                throw std::runtime_error("plain failure");
            },
            [&](const QVariant& result, const QString& e) {
                called = true;
                error = e;
                QVERIFY(!result.isValid());
            });
        QVERIFY(jobs.waitForIdle());
        QVERIFY(called);
        QCOMPARE(error, expected);
    }

    void progressIsThrottledAndTagged()
    {
        JobTracker jobs;
        QSignalSpy progress(&jobs, &JobTracker::progress);
        const quint64 id = jobs.start(QStringLiteral("count"), [](JobContext& job) {
            for (qint64 i = 1; i <= 2000; ++i) {
                job.progress(i, 2000);
                if (i % 100 == 0)
                    std::this_thread::sleep_for(std::chrono::milliseconds(10));
            }
            return QVariant();
        });
        QVERIFY(jobs.waitForIdle());
        QVERIFY(progress.size() >= 2);
        QVERIFY2(progress.size() < 100, qPrintable(QString::number(progress.size())));  // not one per call
        for (const QList<QVariant>& p : progress)
            QCOMPARE(p[0].toULongLong(), id);
        QCOMPARE(progress.last()[1].toLongLong(), qint64(2000));  // the end is always reported
        QCOMPARE(progress.last()[2].toLongLong(), qint64(2000));
    }

    void jobsOpenTheirOwnConnections()
    {
        const QString path = m_dir.filePath(QStringLiteral("connections.distillery"));
        store::CreateOptions options;
        options.loadBenchmarks = false;
        store::Workspace::create(path.toStdString(), options).close();

        JobTracker jobs;
        QString error;
        jobs.start(QStringLiteral("none"), [](JobContext& job) { return QVariant(qlonglong(job.reader().countProblems())); },
                   [&](const QVariant&, const QString& e) { error = e; });
        QVERIFY(jobs.waitForIdle());
        QVERIFY2(error.startsWith(QStringLiteral("Not found: ")), qPrintable(error));  // no workspace set

        jobs.setWorkspacePath(path);
        QVariant written;
        jobs.enqueue(
            [](JobContext& job) {
                store::Problem p;
                p.source = "tracker";
                p.question = "What is 1 + 1?";
                return QVariant(qlonglong(job.writer().insertProblem(p)));
            },
            [&](const QVariant& result, const QString& e) {
                QVERIFY(e.isEmpty());
                written = result;
            });
        QVariant counted;
        bool readOnly = false;
        jobs.enqueue([&readOnly](JobContext& job) {  // after the write: it sees the committed row
            readOnly = job.reader().readOnly();
            return QVariant(qlonglong(job.reader().countProblems("tracker")));
        },
                     [&](const QVariant& result, const QString&) { counted = result; });
        QVERIFY(jobs.waitForIdle());
        QVERIFY(written.toLongLong() > 0);
        QCOMPARE(counted.toLongLong(), qlonglong(1));
        QVERIFY(readOnly);
        QCOMPARE(store::Workspace::open(path.toStdString(), store::OpenMode::ReadOnly).countProblems("tracker"), 1);
    }

    void anotherWorkspaceDropsResults()
    {
        JobTracker jobs;
        jobs.setWorkspacePath(m_dir.filePath(QStringLiteral("a.distillery")));
        Gate gate;
        std::atomic<bool> started{false}, sawCancel{false};
        bool delivered = false;
        const quint64 id = jobs.start(
            QStringLiteral("read"),
            [&](JobContext& job) {
                started = true;
                gate.wait(job);
                sawCancel = job.cancelled();
                return QVariant(job.workspacePath().c_str());
            },
            [&](const QVariant&, const QString&) { delivered = true; });
        QTRY_VERIFY(started.load());
        jobs.setWorkspacePath(m_dir.filePath(QStringLiteral("b.distillery")));
        QVERIFY(!jobs.isCurrent(id));
        QVERIFY(jobs.waitForIdle());
        QVERIFY(sawCancel);
        QVERIFY(!delivered);
    }

    void writesRunInTheirOrder()
    {
        JobTracker jobs;
        std::mutex mutex;
        std::vector<int> ran;
        QList<int> delivered;
        for (int i = 0; i < 30; ++i)
            jobs.enqueue(
                [&, i](JobContext&) {
                    std::this_thread::sleep_for(std::chrono::microseconds((i * 7919) % 3000));
                    const std::lock_guard lock(mutex);
                    ran.push_back(i);
                    return QVariant(i);
                },
                [&](const QVariant& result, const QString&) { delivered << result.toInt(); });
        jobs.cancelAll();  // queued writes are not cancelled
        QVERIFY(jobs.waitForIdle());
        QCOMPARE(int(ran.size()), 30);
        for (int i = 0; i < 30; ++i) {
            QCOMPARE(ran[std::size_t(i)], i);
            QCOMPARE(delivered[i], i);
        }
    }

    void destroyingTheTrackerWaitsForItsWork()
    {
        std::atomic<bool> readStopped{false}, writeDone{false};
        bool delivered = false;
        const auto started = std::chrono::steady_clock::now();
        {
            JobTracker jobs;
            jobs.start(
                QStringLiteral("long read"),
                [&](JobContext& job) {
                    while (!job.cancelled())  // would run for ever without the flag
                        std::this_thread::sleep_for(std::chrono::milliseconds(1));
                    readStopped = true;
                    return QVariant();
                },
                [&](const QVariant&, const QString&) { delivered = true; });
            jobs.enqueue([&](JobContext&) {
                std::this_thread::sleep_for(std::chrono::milliseconds(50));
                writeDone = true;
                return QVariant();
            });
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }  // cancels the read, lets the write finish, waits for both
        QVERIFY(readStopped);
        QVERIFY(writeDone);
        QCoreApplication::processEvents();
        QVERIFY(!delivered);  // nothing arrives for a tracker that is gone
        QVERIFY(std::chrono::steady_clock::now() - started < std::chrono::seconds(5));
    }

    void windowClosedDuringReads()
    {
        const QString path = m_dir.filePath(QStringLiteral("demo.distillery"));
        testing::makeSyntheticWorkspace(path, 3000).close();
        for (int delayMs : {0, 5, 30, 120}) {
            auto* window = new widgets::MainWindow;
            QVERIFY(window->openWorkspace(path));
            window->show();
            QTest::qWait(delayMs);  // the open, the pages' first reads: some running, some queued
            delete window;          // no crash, no result delivered to a page that is gone
        }
        auto window = std::make_unique<widgets::MainWindow>();
        QVERIFY(window->openWorkspace(path));
        QTRY_VERIFY(window->workspace());
        QCOMPARE(window->workspacePath(), QFileInfo(path).absoluteFilePath());
    }
};

QTEST_MAIN(TestJobTracker)
#include "tst_job_tracker.moc"
