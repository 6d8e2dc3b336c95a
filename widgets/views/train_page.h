// TrainPage: configures a `kind: sft` run (base model folder or a toy student from scratch, full
// fine-tuning or LoRA, frozen datasets, hyper-parameters), shows the local GPUs, starts/stops/resumes runs through
// RunController, and monitors them with live, overlaid curves (RunMonitor).
#pragma once

#include "widgets/views/run_page.h"

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QRadioButton;
class QSpinBox;

namespace distill::widgets {

class TrainPage : public RunPage {
    Q_OBJECT
public:
    explicit TrainPage(QWidget* parent = nullptr);

    QString title() const override;
    void reload() override;
    QJsonObject spec() const override;

    // "0: NVIDIA H100, 81559 MiB, 1200 MiB used, 3 %" lines from nvidia-smi's CSV; empty: none.
    static QStringList parseGpuList(const QString& csv);
    // The toy student's config folder (resources/toy), found next to the bundled benchmarks.
    static QString toyResourcesDir();

private:
    void detectGpus();

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
};

}  // namespace distill::widgets
