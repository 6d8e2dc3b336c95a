#include "widgets/models/run_controller.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QProcess>
#include <QStandardPaths>
#include <QTimer>

#include <cmath>
#include <limits>

namespace distill::widgets {

namespace {

double numberOrNan(const QJsonValue& value)
{
    return value.isDouble() ? value.toDouble() : std::numeric_limits<double>::quiet_NaN();
}

}  // namespace

RunController::RunController(QObject* parent)
    : QObject(parent), m_cliPath(defaultCliPath())
{
}

RunController::~RunController()
{
    if (isRunning()) {
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(3000)) {
            m_process->kill();
            m_process->waitForFinished(1000);
        }
    }
}

QString RunController::defaultCliPath()
{
    const QString env = qEnvironmentVariable("DISTILLERY_CLI");
    if (!env.isEmpty())
        return env;
    // Installed beside this program; in the build tree at app/cli/ beside app/gui/; else on the PATH.
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString& candidate : {here.filePath(QStringLiteral("distillery-cli")), here.filePath(QStringLiteral("../cli/distillery-cli"))})
        if (QFileInfo(candidate).isExecutable())
            return QDir::cleanPath(candidate);
    const QString onPath = QStandardPaths::findExecutable(QStringLiteral("distillery-cli"));
    return onPath.isEmpty() ? here.filePath(QStringLiteral("distillery-cli")) : onPath;
}

bool RunController::isRunning() const
{
    return m_process && !m_ended;
}

int RunController::start(const QString& specPath, const QString& workspacePath, qint64 resumeRunId,
                         const QProcessEnvironment& environment, const QList<int>& gpus)
{
    if (isRunning())
        return 0;
    if (m_process)
        m_process->deleteLater();
    m_jobId = m_nextJobId++;
    m_runId = 0;
    m_status.clear();
    m_summary = {};
    m_stderrTail.clear();
    m_parser = RunEventParser();
    m_ended = false;
    m_fatalSeen = false;

    m_process = new QProcess(this);
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(environment);
    m_process->setProcessEnvironment(env);
    QStringList args{QStringLiteral("run")};
    if (!specPath.isEmpty())
        args << specPath;
    args << QStringLiteral("--workspace") << workspacePath;
    if (resumeRunId > 0)
        args << QStringLiteral("--resume") << QString::number(resumeRunId);
    if (!gpus.isEmpty()) {
        QStringList ids;
        for (const int gpu : gpus)
            ids << QString::number(gpu);
        args << QStringLiteral("--gpus") << ids.join(QLatin1Char(','));
    }
    m_arguments = args;

    QProcess* process = m_process;
    connect(process, &QProcess::readyReadStandardOutput, this, [this, process] {
        if (process == m_process)
            readOutput();
    });
    connect(process, &QProcess::readyReadStandardError, this, [this, process] {
        if (process != m_process)
            return;
        m_stderrTail += QString::fromUtf8(process->readAllStandardError());
        if (m_stderrTail.size() > kStderrTailBytes)
            m_stderrTail = m_stderrTail.right(kStderrTailBytes);
    });
    connect(process, &QProcess::finished, this, [this, process](int exitCode, QProcess::ExitStatus status) {
        if (process == m_process)
            onProcessEnded(exitCode, status == QProcess::CrashExit);
    });
    connect(process, &QProcess::errorOccurred, this, [this, process](QProcess::ProcessError err) {
        if (process != m_process || err != QProcess::FailedToStart || m_ended)
            return;
        m_ended = true;
        reportError(m_jobId, QStringLiteral("failed_to_start"),
                    tr("Cannot start %1: %2").arg(m_cliPath, process->errorString()), {}, true);
        emit finished(m_jobId, QStringLiteral("failed"), {}, -1);
    });
    process->start(m_cliPath, args);
    return m_jobId;
}

void RunController::stop(int killAfterMs)
{
    if (!isRunning())
        return;
    m_process->terminate();
    if (killAfterMs >= 0) {
        const int id = m_jobId;
        QTimer::singleShot(killAfterMs, this, [this, id] {
            if (id == m_jobId && isRunning())
                kill();
        });
    }
}

void RunController::kill()
{
    if (isRunning())
        m_process->kill();
}

void RunController::readOutput()
{
    dispatch(m_parser.feed(m_process->readAllStandardOutput()));
}

void RunController::dispatch(const RunEventParser::Result& result)
{
    const int id = m_jobId;
    for (const QJsonObject& e : result.events) {
        const QString kind = e.value(QLatin1String("event")).toString();
        // A pipeline's stages run inside its process: their events carry "stage", and their started
        // and finished events are not the job's.
        const bool ofStage = e.contains(QLatin1String("stage"));
        if (kind == QLatin1String("stage")) {
            emit stage(id, e);
        } else if (ofStage && (kind == QLatin1String("started") || kind == QLatin1String("finished"))) {
            emit stage(id, e);
        } else if (kind == QLatin1String("started")) {
            m_runId = e.value(QLatin1String("run_id")).toInteger();
            emit started(id, m_runId, e.value(QLatin1String("kind")).toString(),
                         e.value(QLatin1String("name")).toString(), e.value(QLatin1String("resumed")).toBool());
        } else if (kind == QLatin1String("progress")) {
            emit progress(id, e.value(QLatin1String("done")).toInteger(), e.value(QLatin1String("total")).toInteger(),
                          numberOrNan(e.value(QLatin1String("eta_s"))), numberOrNan(e.value(QLatin1String("rate"))), e);
        } else if (kind == QLatin1String("metric")) {
            emit metric(id, e.value(QLatin1String("name")).toString(), e.value(QLatin1String("step")).toInteger(),
                        e.value(QLatin1String("value")).toDouble(), e.value(QLatin1String("stage")).toString());
        } else if (kind == QLatin1String("log")) {
            emit log(id, e.value(QLatin1String("level")).toString(), e.value(QLatin1String("message")).toString());
        } else if (kind == QLatin1String("checkpoint")) {
            emit checkpoint(id, e.value(QLatin1String("path")).toString(), e.value(QLatin1String("step")).toInteger());
        } else if (kind == QLatin1String("error")) {
            m_fatalSeen = m_fatalSeen || e.value(QLatin1String("fatal")).toBool();
            reportError(id, e.value(QLatin1String("code")).toString(), e.value(QLatin1String("detail")).toString(),
                        e.value(QLatin1String("hint")).toString(), e.value(QLatin1String("fatal")).toBool());
        } else if (kind == QLatin1String("finished")) {
            m_status = e.value(QLatin1String("status")).toString();
            m_summary = e.value(QLatin1String("summary")).toObject();
        }
    }
    for (const QByteArray& line : result.otherLines)
        emit log(id, QStringLiteral("output"), QString::fromUtf8(line));
}

void RunController::onProcessEnded(int exitCode, bool crashed)
{
    if (m_ended)
        return;
    m_ended = true;
    dispatch(m_parser.feed(m_process->readAllStandardOutput()));
    dispatch(m_parser.finish());
    m_stderrTail += QString::fromUtf8(m_process->readAllStandardError());
    m_stderrTail = m_stderrTail.right(kStderrTailBytes);
    QString status = m_status;
    if (status.isEmpty() || crashed)
        status = QStringLiteral("failed");
    if (crashed || (m_status.isEmpty() && !m_fatalSeen)) {
        const QString how = crashed ? tr("The job crashed") : tr("The job ended with exit code %1").arg(exitCode);
        reportError(m_jobId, QStringLiteral("crashed"), how, m_stderrTail.trimmed(), true);
    }
    emit finished(m_jobId, status, m_summary, crashed ? -1 : exitCode);
}

void RunController::reportError(int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal)
{
    emit error(jobId, code, detail, hint, fatal);
    if (fatal)
        emit failed(jobId, tr("Error (%1): %2 %3").arg(code, detail, hint));
}

}  // namespace distill::widgets
