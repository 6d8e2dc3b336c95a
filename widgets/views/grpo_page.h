// GrpoPage: a `kind: grpo` run from its job form (every key of the kind: the policy, a run's
// checkpoint or a folder, on a device; problems from the workspace, a JSONL file or toy ones; each
// reward term and its weight, the language reward included; G, ε, β, μ, ...), started, stopped and
// resumed, with its curves, health alarms (RunHealth) and the group inspector of the selected run.
#pragma once

#include "widgets/models/run_health.h"
#include "widgets/views/run_page.h"

#include <QHash>

class QLabel;
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
    void setSourceCounts(const QVariantList& sources) override;
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
    QLabel* m_alarms;
};

}  // namespace distill::widgets
