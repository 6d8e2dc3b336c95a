#include "widgets/views/grpo_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/run_checkpoints.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/group_inspector.h"
#include "widgets/views/job_form.h"
#include "widgets/views/run_monitor.h"

#include <QLabel>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cmath>

namespace distill::widgets {

GrpoPage::GrpoPage(QWidget* parent)
    : RunPage(QStringLiteral("grpo"),
              {{tr("Reward"), {QStringLiteral("grpo/reward_mean"), QStringLiteral("grpo/reward/accuracy/mean"),
                               QStringLiteral("grpo/reward/format/mean"), QStringLiteral("grpo/reward/language/mean"),
                               QStringLiteral("grpo/reward/overlong/mean")}},
               {tr("Accuracy"), {QStringLiteral("grpo/accuracy")}},
               {tr("KL"), {QStringLiteral("grpo/kl")}},
               {tr("Entropy"), {QStringLiteral("grpo/entropy")}},
               {tr("Response length"), {QStringLiteral("grpo/length_mean")}},
               {tr("Groups without signal"), {QStringLiteral("grpo/no_signal_share")}}},
              parent),
      m_inspector(new GroupInspector(this)), m_groupTimer(new QTimer(this))
{
    JobForm* f = form();
    f->setName(QStringLiteral("grpo"));
    f->setBrowse(QStringLiteral("problems.jsonl"), KeyField::Browse::File);
    f->setBrowse(QStringLiteral("model.reference"), KeyField::Browse::Folder);
    // Toy problems until another source is chosen: a toy SFT checkpoint learns from them on a CPU.
    f->setValue(QStringLiteral("problems.toy"), true);

    m_alarms = new QLabel(this);
    m_alarms->setWordWrap(true);

    // The curves and the groups each get the whole height: the inspector shows G completions side by side.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(monitor(), tr("Curves"));
    m_tabs->addTab(m_inspector, tr("Groups"));
    m_groupTimer->setInterval(2000);
    connect(m_groupTimer, &QTimer::timeout, m_inspector, &GroupInspector::refreshSteps);
    buildLayout(m_tabs, m_alarms, 1, 4);

    connect(monitor(), &RunMonitor::selectedRunChanged, this, &GrpoPage::showRun);
    connect(monitor(), &RunMonitor::pointRead, this, [this](qint64 run, const QString& name, qint64 step, double value) {
        m_health[run].add(name.toStdString(), step, value);
        updateAlarms();
    });
    connect(monitor(), &RunMonitor::curvesReset, this, [this] {
        m_health.clear();  // the monitor re-reads the checked runs from their first step
        updateAlarms();
    });
}

QString GrpoPage::title() const
{
    return tr("GRPO");
}

void GrpoPage::setWorkspacePath(const QString& path)
{
    m_health.clear();
    m_inspector->setRunFolder({});
    RunPage::setWorkspacePath(path);
}

void GrpoPage::reload()
{
    monitor()->refresh();
    if (!hasWorkspace())
        return;
    startReadingRunCheckpoints(
        *jobs(), {store::RunKind::Sft},
        [this](const QVector<RunCheckpoint>& checkpoints, const QString& error) {
            if (!error.isEmpty()) {
                emit statusMessage(error);
                return;
            }
            QStringList folders;
            for (const RunCheckpoint& c : checkpoints)
                folders << c.folder;
            form()->setSuggestions(QStringLiteral("model.path"), folders);
            form()->setSuggestions(QStringLiteral("model.reference"), folders);
        });
}

void GrpoPage::showRun(qint64 runId)
{
    if (!hasWorkspace() || runId <= 0)
        return;
    jobs()->start(
        QStringLiteral("runFolder"), [runId](JobContext& job) { return QVariant(readRunFolder(job.reader(), runId)); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty())
                emit statusMessage(error);
            else if (!result.toString().isEmpty())
                m_inspector->setRunFolder(result.toString());
        });
}

QString GrpoPage::alarmText(const RunAlarm& alarm, const RunHealthOptions& o)
{
    switch (alarm.kind) {
    case AlarmKind::RewardFlat:
        return tr("reward flat for %1 steps (range %2) at step %3").arg(o.flatSteps).arg(alarm.value, 0, 'g', 3).arg(alarm.step);
    case AlarmKind::KlExploding:
        return tr("KL %1 above %2 at step %3").arg(alarm.value, 0, 'g', 3).arg(o.klThreshold).arg(alarm.step);
    case AlarmKind::EntropyCollapse:
        return tr("entropy collapsed to %1 at step %2").arg(alarm.value, 0, 'g', 3).arg(alarm.step);
    case AlarmKind::SameGroups:
        return tr("%1 % of groups all-same (no signal) at step %2").arg(alarm.value * 100, 0, 'f', 0).arg(alarm.step);
    }
    return {};
}

QStringList GrpoPage::alarmTexts() const
{
    QStringList lines;
    for (const qint64 run : monitor()->runs()->checkedRuns()) {
        const auto it = m_health.constFind(run);
        if (it == m_health.constEnd())
            continue;
        for (const RunAlarm& alarm : it->alarms())
            lines << QStringLiteral("#%1: %2").arg(run).arg(alarmText(alarm, it->options()));
    }
    return lines;
}

void GrpoPage::updateAlarms()
{
    QStringList lines = alarmTexts();
    for (QString& line : lines)
        line = line.toHtmlEscaped();
    m_alarms->setText(lines.isEmpty() ? QString()
                                      : QStringLiteral("<b style='color:#b00000'>%1</b><br>%2")
                                            .arg(tr("Health alarms"), lines.join(QLatin1String("<br>"))));
}

void GrpoPage::setSourceCounts(const QVariantList& sources)
{
    form()->setSuggestions(QStringLiteral("problems.source"), problemSourceNames(sources));
    form()->setSuggestions(QStringLiteral("benchmark_eval.benchmarks"), benchmarkNames(sources));
}

void GrpoPage::jobStarted(qint64 runId)
{
    monitor()->selectRun(runId);
}

void GrpoPage::jobFinished()
{
    m_inspector->refreshSteps();
}

void GrpoPage::setRunning(bool running)
{
    RunPage::setRunning(running);
    if (running)
        m_groupTimer->start();
    else
        m_groupTimer->stop();
}

}  // namespace distill::widgets
