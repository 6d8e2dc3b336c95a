// RunController and RunEventParser: partial-line parsing of a byte stream, and real jobs through
// $DISTILLERY_CLI: a toy generation (progress, metrics, finished), a graceful stop, a bogus spec,
// a program that cannot start and one that dies with a stderr message.
#include "core/store/workspace.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_event_parser.h"
#include "widgets/models/run_spec.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace distill;
using namespace distill::widgets;

namespace {

// Samples of toy problems (a new workspace may also hold imported benchmark traces).
std::int64_t toySamples(const store::Workspace& ws)
{
    store::SampleQuery query;
    query.source = "toy";
    return ws.countSamples(query);
}

}  // namespace

class TestRunController : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;

    QString workspacePath(const QString& name) const { return m_dir.filePath(name + QStringLiteral(".distillery")); }

    QString toySpec(const QString& name, int count, int delayMs, const QString& extra = {})
    {
        const QString spec = QStringLiteral("kind: generate\nname: %1\nsamples_per_problem: 2\nbatch_size: 1\n"
                                            "toy: {count: %2}\nteacher: {type: toy, delay_ms: %3}\n")
                                 .arg(name).arg(count).arg(delayMs);
        QString path = writeSpecFile(m_dir.path(), name, spec);
        if (!extra.isEmpty()) {
            QFile file(path);
            file.open(QIODevice::Append);
            file.write(extra.toUtf8());
        }
        return path;
    }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY2(QFile::exists(RunController::defaultCliPath()), qPrintable(RunController::defaultCliPath()));
    }

    void parserSplitsAtEveryByte()
    {
        const QByteArray stream = "{\"event\":\"started\",\"run_id\":3}\n"
                                  "not json\n"
                                  "\n"
                                  "{\"event\":\"progress\",\"done\":1,\"total\":4,\"eta_s\":null}\r\n"
                                  "{\"event\":\"finished\",\"status\":\"finished\"}";
        for (int cut = 0; cut <= stream.size(); ++cut) {
            RunEventParser parser;
            RunEventParser::Result a = parser.feed(stream.left(cut));
            const RunEventParser::Result b = parser.feed(stream.mid(cut));
            const RunEventParser::Result c = parser.finish();
            QList<QJsonObject> events = a.events + b.events + c.events;
            QList<QByteArray> other = a.otherLines + b.otherLines + c.otherLines;
            QCOMPARE(events.size(), 3);
            QCOMPARE(events[0].value(QLatin1String("run_id")).toInt(), 3);
            QCOMPARE(events[1].value(QLatin1String("total")).toInt(), 4);
            QVERIFY(events[1].value(QLatin1String("eta_s")).isNull());
            QCOMPARE(events[2].value(QLatin1String("status")).toString(), QStringLiteral("finished"));
            QCOMPARE(other, QList<QByteArray>{"not json"});
            QCOMPARE(parser.pendingBytes(), 0);
        }
    }

    void parserKeepsPartialLine()
    {
        RunEventParser parser;
        QVERIFY(parser.feed("{\"event\":\"log\",").events.isEmpty());
        QCOMPARE(parser.pendingBytes(), 15);
        const auto result = parser.feed("\"message\":\"hi\"}\n{\"ev");
        QCOMPARE(result.events.size(), 1);
        QCOMPARE(result.events[0].value(QLatin1String("message")).toString(), QStringLiteral("hi"));
        QCOMPARE(parser.pendingBytes(), 4);
    }

    void toyGenerationRunsToTheEnd()
    {
        RunController controller;
        QSignalSpy started(&controller, &RunController::started);
        QSignalSpy progress(&controller, &RunController::progress);
        QSignalSpy metric(&controller, &RunController::metric);
        QSignalSpy finished(&controller, &RunController::finished);
        const QString ws = workspacePath(QStringLiteral("full"));
        const int job = controller.start(toySpec(QStringLiteral("full"), 15, 0), ws);
        QVERIFY(job > 0);
        QVERIFY(controller.isRunning());
        QCOMPARE(controller.start(QStringLiteral("x"), ws), 0);  // one job at a time
        QVERIFY(finished.wait(120'000));
        QCOMPARE(finished.size(), 1);
        QCOMPARE(finished[0][0].toInt(), job);
        QCOMPARE(finished[0][1].toString(), QStringLiteral("finished"));
        QCOMPARE(finished[0][3].toInt(), 0);
        QCOMPARE(started.size(), 1);
        QCOMPARE(started[0][0].toInt(), job);
        QVERIFY(started[0][1].toLongLong() > 0);
        QCOMPARE(started[0][2].toString(), QStringLiteral("generate"));
        QVERIFY(!progress.isEmpty());
        const QList<QVariant> last = progress.last();
        QCOMPARE(last[1].toLongLong(), 30);  // done: 15 problems x 2 samples
        QCOMPARE(last[2].toLongLong(), 30);
        QVERIFY(!metric.isEmpty());
        bool sawWritten = false;
        for (const auto& m : metric)
            sawWritten = sawWritten || (m[1].toString() == QLatin1String("generate/written") && m[3].toDouble() == 30.0);
        QVERIFY(sawWritten);
        QVERIFY(!controller.isRunning());
        const store::Workspace w = store::Workspace::open(ws.toStdString());
        QCOMPARE(toySamples(w), 30);
        QCOMPARE(w.run(controller.runId())->status, std::string("finished"));
    }

    void stopIsGraceful()
    {
        RunController controller;
        QSignalSpy progress(&controller, &RunController::progress);
        QSignalSpy finished(&controller, &RunController::finished);
        const QString ws = workspacePath(QStringLiteral("stop"));
        const int job = controller.start(toySpec(QStringLiteral("stop"), 2000, 20), ws);
        QVERIFY(job > 0);
        QTRY_VERIFY_WITH_TIMEOUT(progress.size() >= 2, 60'000);
        controller.stop(30'000);
        QVERIFY(finished.wait(60'000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("stopped"));
        QCOMPARE(finished[0][3].toInt(), 0);
        const store::Workspace w = store::Workspace::open(ws.toStdString());
        const auto written = toySamples(w);
        QVERIFY(written > 0);
        QVERIFY(written < 4000);
        QCOMPARE(w.run(controller.runId())->status, std::string("stopped"));
    }

    void bogusSpecIsAnError()
    {
        RunController controller;
        QSignalSpy error(&controller, &RunController::error);
        QSignalSpy failed(&controller, &RunController::failed);
        QSignalSpy finished(&controller, &RunController::finished);
        const int job = controller.start(toySpec(QStringLiteral("bogus"), 5, 0, QStringLiteral("tempreture: 3\n")),
                                         workspacePath(QStringLiteral("bogus")));
        QVERIFY(finished.wait(60'000));
        QCOMPARE(finished[0][1].toString(), QStringLiteral("failed"));
        QCOMPARE(finished[0][3].toInt(), 2);
        QCOMPARE(error.size(), 1);  // the job's own fatal error; no second "crashed" one
        QCOMPARE(error[0][0].toInt(), job);
        QVERIFY2(error[0][2].toString().contains(QLatin1String("tempreture")), qPrintable(error[0][2].toString()));
        QVERIFY(error[0][4].toBool());
        QCOMPARE(failed.size(), 1);  // the state label's line for it
        QCOMPARE(failed[0][0].toInt(), job);
        QVERIFY2(failed[0][1].toString().startsWith(QLatin1String("Error (") + error[0][1].toString() + QLatin1String("): ")),
                 qPrintable(failed[0][1].toString()));
        QVERIFY(failed[0][1].toString().contains(QLatin1String("tempreture")));
    }

    void missingProgramIsAnError()
    {
        RunController controller;
        controller.setCliPath(m_dir.filePath(QStringLiteral("no-such-cli")));
        QSignalSpy error(&controller, &RunController::error);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start(QStringLiteral("spec.yaml"), workspacePath(QStringLiteral("none")));
        QTRY_COMPARE_WITH_TIMEOUT(finished.size(), 1, 10'000);
        QCOMPARE(finished[0][1].toString(), QStringLiteral("failed"));
        QCOMPARE(error.size(), 1);
        QCOMPARE(error[0][1].toString(), QStringLiteral("failed_to_start"));
        QVERIFY(!controller.isRunning());
    }

    void crashShowsExitCodeAndStderr()
    {
        const QString script = m_dir.filePath(QStringLiteral("crashing-cli.sh"));
        QFile file(script);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("#!/bin/sh\necho '{\"event\":\"started\",\"run_id\":7,\"kind\":\"sft\",\"name\":\"x\"}'\n"
                   "printf '{\"event\":\"progr'\necho 'out of memory in layer 3' >&2\nexit 3\n");
        file.close();
        file.setPermissions(QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        RunController controller;
        controller.setCliPath(script);
        QSignalSpy started(&controller, &RunController::started);
        QSignalSpy log(&controller, &RunController::log);
        QSignalSpy error(&controller, &RunController::error);
        QSignalSpy failed(&controller, &RunController::failed);
        QSignalSpy finished(&controller, &RunController::finished);
        controller.start(QStringLiteral("spec.yaml"), workspacePath(QStringLiteral("crash")));
        QVERIFY(finished.wait(10'000));
        QCOMPARE(started.size(), 1);
        QCOMPARE(controller.runId(), 7);
        QCOMPARE(log.size(), 1);  // the cut-off last line is reported as output, not parsed
        QCOMPARE(finished[0][1].toString(), QStringLiteral("failed"));
        QCOMPARE(finished[0][3].toInt(), 3);
        QCOMPARE(error.size(), 1);
        QCOMPARE(error[0][1].toString(), QStringLiteral("crashed"));
        QVERIFY(error[0][2].toString().contains(QLatin1String("3")));
        QCOMPARE(error[0][3].toString(), QStringLiteral("out of memory in layer 3"));
        QCOMPARE(failed.size(), 1);
        QVERIFY(failed[0][1].toString().endsWith(QLatin1String("out of memory in layer 3")));
    }
};

QTEST_MAIN(TestRunController)
#include "tst_run_controller.moc"
