// TrainPage: configures a `kind: sft` run (base model folder or a toy student from scratch, full
// fine-tuning or LoRA, frozen datasets, hyper-parameters), shows the local GPUs, starts/stops/resumes runs through
// RunController, and monitors them with live, overlaid curves (RunMonitor).
#pragma once

#include "widgets/views/page.h"

#include <QJsonObject>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace distill::widgets {

class RunController;
class RunMonitor;

class TrainPage : public Page {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspace(store::Workspace* workspace) override;
    void reload() override;

    QJsonObject spec() const;
    bool startJob();
    bool resumeJob(qint64 runId);
    void stopJob();
    RunController* controller() const { return m_controller; }
    RunMonitor* monitor() const { return m_monitor; }

    // "0: NVIDIA H100, 81559 MiB, 1200 MiB used, 3 %" lines from nvidia-smi's CSV; empty: none.
    static QStringList parseGpuList(const QString& csv);
    // The toy student's config folder (resources/toy), found next to the bundled benchmarks.
    static QString toyResourcesDir();

private:
    bool launch(qint64 resumeRunId);
    void detectGpus();
    void setRunning(bool running);

    store::Workspace* m_workspace = nullptr;
    RunController* m_controller;
    RunMonitor* m_monitor;
    int m_jobId = 0;

    QRadioButton* m_fromFolder;
    QRadioButton* m_fromToy;
    QLineEdit* m_modelPath;
    QSpinBox* m_loraRank;  // 0: full fine-tuning
    QDoubleSpinBox* m_loraAlpha;
    QListWidget* m_datasets;
    QDoubleSpinBox* m_lr;
    QSpinBox* m_epochs;
    QSpinBox* m_maxSteps;
    QSpinBox* m_batch;
    QSpinBox* m_gradAccum;
    QSpinBox* m_maxSeqLen;
    QCheckBox* m_packing;
    QSpinBox* m_warmup;
    QComboBox* m_schedule;
    QSpinBox* m_saveEvery;
    QSpinBox* m_keepLast;
    QSpinBox* m_evalEvery;
    QComboBox* m_device;
    QLabel* m_gpus;
    QLabel* m_state;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_resume;
};

}  // namespace distill::widgets
