// RunPage: what the Train and GRPO pages share. The job form of the page's kind (JobForm, rendered
// from the kind's key description) with the compute devices found and a choice of GPUs for a
// data-parallel launch, Start / Stop / Resume selected and a state line; a RunController that runs one
// job of the kind from the form's spec; and a RunMonitor with live curves of that kind's runs.
#pragma once

#include "widgets/views/page.h"
#include "widgets/views/run_monitor.h"

class QCheckBox;
class QHBoxLayout;
class QLabel;
class QPushButton;

namespace distill::widgets {

class JobForm;
class JobTracker;
class RunController;

class RunPage : public Page {
    Q_OBJECT
public:
    // `kind`: the runs this page starts and monitors ("sft", "grpo"); `panels`: the monitor's plots.
    RunPage(const QString& kind, const QVector<RunMonitor::Panel>& panels, QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path) override;

    JobForm* form() const { return m_form; }
    // Writes the form's spec and starts it (false with the reason in the state line when the form
    // has a problem or a job runs); resumes a run from its stored spec.
    bool startJob();
    bool resumeJob(qint64 runId);
    void stopJob();
    RunController* controller() const { return m_controller; }
    RunMonitor* monitor() const { return m_monitor; }
    // Reads of the page itself (the monitor has its own).
    JobTracker* jobs() const { return m_jobs; }
    QString stateText() const;

    // The devices offered for model.device ("cpu", "cuda:0", ...): by default those libtorch sees.
    // Each CUDA device can be ticked for a data-parallel launch (distillery-cli run --gpus).
    void setDevices(const QStringList& devices);
    QStringList devices() const { return m_devices; }
    // The GPU indices ticked for a data-parallel launch (empty: one process).
    QList<int> dataParallelGpus() const;
    void setDataParallelGpus(const QList<int>& gpus);

    // "0: NVIDIA H100, 81559 MiB, 1200 MiB used, 3 % busy" lines from nvidia-smi's CSV; empty: none.
    static QStringList parseGpuList(const QString& csv);

protected:
    // Lays the page out: the form above the GPU choice, the buttons, the state line and `belowState`,
    // on the left of `right` (the monitor, or a widget that holds it).
    void buildLayout(QWidget* right, QWidget* belowState, int leftStretch, int rightStretch);
    virtual void setRunning(bool running);
    // After the controller reports the job's run id / the job's end (the monitor is refreshed).
    virtual void jobStarted(qint64 runId) { Q_UNUSED(runId); }
    virtual void jobFinished() {}

    bool hasWorkspace() const { return !m_workspacePath.isEmpty(); }

    QString m_workspacePath;

private:
    bool launch(qint64 resumeRunId);
    void detectGpus();
    void updateGpus();

    QString m_kind;
    JobTracker* m_jobs;
    RunController* m_controller;
    RunMonitor* m_monitor;
    JobForm* m_form;
    QStringList m_devices;
    int m_jobId = 0;
    QLabel* m_state;
    QLabel* m_gpuInfo;
    QHBoxLayout* m_gpuBoxes;
    QList<QCheckBox*> m_gpuChecks;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_resume;
};

}  // namespace distill::widgets
