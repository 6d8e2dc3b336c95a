// RunPage: what the Train and GRPO pages share. A configuration form on the left (in a scroll area
// never narrower than the form) with Start / Stop / Resume selected and a state line; a
// RunController that runs one job of the page's kind from the spec the page builds; and a
// RunMonitor with live curves of that kind's runs.
#pragma once

#include "widgets/views/page.h"
#include "widgets/views/run_monitor.h"

#include <QJsonObject>

class QLabel;
class QPushButton;

namespace distill::widgets {

class JobTracker;
class RunController;

class RunPage : public Page {
    Q_OBJECT
public:
    // `kind`: the runs this page starts and monitors ("sft", "grpo"); `panels`: the monitor's plots.
    RunPage(const QString& kind, const QVector<RunMonitor::Panel>& panels, QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path) override;

    // The job spec of the form as it stands.
    virtual QJsonObject spec() const = 0;
    bool startJob();
    bool resumeJob(qint64 runId);
    void stopJob();
    RunController* controller() const { return m_controller; }
    RunMonitor* monitor() const { return m_monitor; }
    // Reads of the page itself (the monitor has its own).
    JobTracker* jobs() const { return m_jobs; }

protected:
    // Lays the page out: `config` (the form) above the buttons, the state line and `belowState`, on
    // the left of `right` (the monitor, or a widget that holds it).
    void buildLayout(QWidget* config, QWidget* right, QWidget* belowState, int leftStretch, int rightStretch);
    virtual void setRunning(bool running);
    // After the controller reports the job's run id / the job's end (the monitor is refreshed).
    virtual void jobStarted(qint64 runId) { Q_UNUSED(runId); }
    virtual void jobFinished() {}

    bool hasWorkspace() const { return !m_workspacePath.isEmpty(); }

    QString m_workspacePath;

private:
    bool launch(qint64 resumeRunId);

    QString m_kind;
    JobTracker* m_jobs;
    RunController* m_controller;
    RunMonitor* m_monitor;
    int m_jobId = 0;
    QLabel* m_state;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_resume;
};

}  // namespace distill::widgets
