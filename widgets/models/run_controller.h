// RunController: runs one `distillery-cli run SPEC --workspace W [--resume ID]` at a time with
// QProcess, turns its JSON event lines into typed signals tagged with a job id, and stops it with
// SIGTERM (graceful) or a kill. A crashing job becomes an error signal, never a GUI crash.
#pragma once

#include "widgets/models/run_event_parser.h"

#include <QJsonObject>
#include <QObject>
#include <QProcessEnvironment>
#include <QList>
#include <QString>
#include <QStringList>

class QProcess;

namespace distill::widgets {

class RunController : public QObject {
    Q_OBJECT
public:
    explicit RunController(QObject* parent = nullptr);
    ~RunController() override;  // a job still running is stopped (SIGTERM, then killed)

    // The CLI: $DISTILLERY_CLI when set, else `distillery-cli` next to this program, in the build
    // tree's app/cli beside app/gui, or on the PATH.
    static QString defaultCliPath();
    void setCliPath(const QString& path) { m_cliPath = path; }
    QString cliPath() const { return m_cliPath; }

    // Starts a job and returns its id (> 0), or 0 when a job is still running. With a resume id the
    // spec may be empty (the run's stored spec is used). `environment` entries are added to the
    // child's environment (e.g. an API key), never written anywhere. `gpus`: one process per listed
    // GPU, data parallel (`--gpus 0,1`; sft and grpo).
    int start(const QString& specPath, const QString& workspacePath, qint64 resumeRunId = 0,
              const QProcessEnvironment& environment = {}, const QList<int>& gpus = {});
    // The arguments of the last start, after the program.
    QStringList arguments() const { return m_arguments; }
    // SIGTERM: the job finishes the unit in flight and ends with status `stopped`. With
    // killAfterMs >= 0 it is killed when still running after that time.
    void stop(int killAfterMs = -1);
    void kill();

    bool isRunning() const;
    int jobId() const { return m_jobId; }
    qint64 runId() const { return m_runId; }  // from the `started` event; 0 before it
    QString stderrTail() const { return m_stderrTail; }
    static constexpr int kStderrTailBytes = 4000;

signals:
    void started(int jobId, qint64 runId, const QString& kind, const QString& name, bool resumed);
    // etaSeconds and rate are NaN while unknown; `event` is the whole object (extra fields).
    void progress(int jobId, qint64 done, qint64 total, double etaSeconds, double rate,
                  const QJsonObject& event);
    // `stage`: the pipeline stage the metric is of (empty outside a pipeline).
    void metric(int jobId, const QString& name, qint64 step, double value, const QString& stage);
    void log(int jobId, const QString& level, const QString& message);
    void checkpoint(int jobId, const QString& path, qint64 step);
    void error(int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal);
    // After each fatal error: the line a page's state label shows for it.
    void failed(int jobId, const QString& message);
    // A pipeline's stage events ({"event": "stage", ...}) and its stages' own started and finished
    // events (tagged "stage"); their other events come through the signals above with "stage" set.
    void stage(int jobId, const QJsonObject& event);
    // Once per job, when the process has ended: `finished`, `stopped` or `failed` (also for a
    // crash or a program that could not start; an error signal says why first).
    void finished(int jobId, const QString& status, const QJsonObject& summary, int exitCode);

private:
    void readOutput();
    void dispatch(const RunEventParser::Result& result);
    void onProcessEnded(int exitCode, bool crashed);
    void reportError(int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal);

    QString m_cliPath;
    QStringList m_arguments;
    QProcess* m_process = nullptr;
    RunEventParser m_parser;
    int m_jobId = 0;
    int m_nextJobId = 1;
    qint64 m_runId = 0;
    QString m_status;  // from the `finished` event
    QJsonObject m_summary;
    QString m_stderrTail;
    bool m_ended = true;
    bool m_fatalSeen = false;  // a fatal `error` event already said why the job failed
};

}  // namespace distill::widgets
