// CurateJobPanel: the curation page's "Curation job" tab. It runs the whole curation pass (grading,
// readability filters with the page's thresholds, dedup, decontamination, rejection sampling,
// selection) as a `kind: curate` job through RunController, shows its progress and summary, and
// lists the workspace's curate runs.
#pragma once

#include "core/text/readability_filter.h"

#include <QJsonObject>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QListWidget;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QSpinBox;
class QTableView;

namespace distill::widgets {

class RunController;
class RunListModel;

class CurateJobPanel : public QWidget {
    Q_OBJECT
public:
    explicit CurateJobPanel(QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path);
    // Sources offered for the recipe's `sources` (none checked: every source but the benchmarks).
    void setSources(const QStringList& sources);
    // The readability thresholds the next job uses (the page's sliders).
    void setFilters(const text::FilterConfig& filters) { m_filters = filters; }

    // The job spec of the form as it stands.
    QJsonObject spec() const;
    bool startJob();
    void stopJob();

    RunController* controller() const { return m_controller; }
    RunListModel* runs() const { return m_runs; }
    QListWidget* sourceList() const { return m_sources; }
    // The last finished job's summary, as shown.
    QString summaryText() const;

    // The summary event of a curate job (curation.h's JSON) as lines for the user.
    static QString summaryText(const QJsonObject& summary);

signals:
    // The job ended (`finished`, `stopped` or `failed`); the workspace changed unless it was a dry run.
    void jobFinished(const QString& status, bool dryRun);
    void statusMessage(const QString& message);

private:
    void setRunning(bool running);

    QString m_workspacePath;
    text::FilterConfig m_filters;
    RunController* m_controller;
    RunListModel* m_runs;
    int m_jobId = 0;
    bool m_runningDry = false;

    QListWidget* m_sources;
    QCheckBox* m_verify;
    QCheckBox* m_dedup;
    QCheckBox* m_decontaminate;
    QSpinBox* m_keepPerProblem;
    QComboBox* m_difficulty;
    QSpinBox* m_targetSize;
    QCheckBox* m_dryRun;
    QSpinBox* m_threads;
    QPushButton* m_start;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_state;
    QPlainTextEdit* m_summary;
    QTableView* m_runTable;
};

}  // namespace distill::widgets
