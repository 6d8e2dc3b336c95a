// GrpoPage: configures a `kind: grpo` run (policy = a run's checkpoint or a folder, G, prompts per
// step, ε, β, μ, reward weights), starts/stops/resumes it, shows its curves with health alarms
// (RunHealth) and the group inspector of the selected run.
#pragma once

#include "widgets/models/run_health.h"
#include "widgets/views/run_page.h"

#include <QHash>

class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTabWidget;
class QTimer;

namespace distill::widgets {

class GroupInspector;

class GrpoPage : public RunPage {
    Q_OBJECT
public:
    explicit GrpoPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    void reload() override;
    QJsonObject spec() const override;
    GroupInspector* inspector() const { return m_inspector; }
    // The alarms of the checked runs as shown (one line each).
    QStringList alarmTexts() const;
    static QString alarmText(const RunAlarm& alarm, const RunHealthOptions& options);

protected:
    void setRunning(bool running) override;
    void jobStarted(qint64 runId) override;
    void jobFinished() override;

private:
    void showRun(qint64 runId);
    void updateAlarms();

    GroupInspector* m_inspector;
    QTabWidget* m_tabs;
    QTimer* m_groupTimer;
    QHash<qint64, RunHealth> m_health;

    QComboBox* m_policy;
    QSpinBox* m_toyCount;
    QLineEdit* m_jsonl;
    QSpinBox* m_groupSize;
    QSpinBox* m_promptsPerStep;
    QDoubleSpinBox* m_temperature;
    QDoubleSpinBox* m_epsilon;
    QDoubleSpinBox* m_beta;
    QSpinBox* m_updates;
    QDoubleSpinBox* m_accuracyWeight;
    QDoubleSpinBox* m_formatWeight;
    QSpinBox* m_maxSteps;
    QDoubleSpinBox* m_lr;
    QLabel* m_alarms;
};

}  // namespace distill::widgets
