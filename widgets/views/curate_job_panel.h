// CurateJobPanel: the curation page's "Curation job" tab. The `kind: curate` job form (every key of
// the pass: sources, verification, readability filters with the page's thresholds, dedup, benchmark
// decontamination, keep-k rejection sampling, s1-style selection), a preview of what each stage would
// remove and why (two dry runs), the pass run as a job through RunController with progress and its
// summary, and the workspace's curate runs.
#pragma once

#include "core/text/readability_filter.h"
#include "widgets/models/curate_preview.h"

#include <nlohmann/json.hpp>

#include <QJsonObject>
#include <QWidget>

class QLabel;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QTableView;
class QTableWidget;

namespace distill::widgets {

class JobForm;
class RunController;
class RunListModel;

class CurateJobPanel : public QWidget {
    Q_OBJECT
public:
    explicit CurateJobPanel(QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path);
    // Sources offered for the recipe's `sources` (none listed: every source but the benchmarks).
    void setSources(const QStringList& sources);
    // The readability thresholds the next job uses (the page's sliders), written into the form: the
    // keys that differ from the previous call's (the first call: all).
    void setFilters(const text::FilterConfig& filters);

    JobForm* form() const { return m_form; }
    // Runs the pass as the form says (a dry run when its dry_run is set).
    bool startJob();
    // Two dry runs, the pass without its selection and then the whole pass; the stage table follows.
    bool startPreview();
    void stopJob();

    RunController* controller() const { return m_controller; }
    RunListModel* runs() const { return m_runs; }
    // The last finished job's summary, as shown.
    QString summaryText() const;
    // The last preview's stages, as shown in the table.
    const QVector<CurateStage>& stages() const { return m_stages; }
    QTableWidget* stageTable() const { return m_stageTable; }

    // The summary event of a curate job (curation.h's JSON) as lines for the user.
    static QString summaryText(const QJsonObject& summary);

signals:
    // The job ended (`finished`, `stopped` or `failed`); the workspace changed unless it was a dry run.
    void jobFinished(const QString& status, bool dryRun);
    // A preview's stage table is filled in.
    void previewReady();
    void statusMessage(const QString& message);

private:
    bool launch(const nlohmann::ordered_json& values, bool dryRun);
    void onFinished(const QString& status, const QJsonObject& summary);
    void showStages();
    void setRunning(bool running);

    QString m_workspacePath;
    JobForm* m_form;
    nlohmann::ordered_json m_pushedFilters;  // the filters of the last setFilters()
    RunController* m_controller;
    RunListModel* m_runs;
    int m_jobId = 0;
    bool m_runningDry = false;
    int m_previewStep = 0;  // 1: the dry run without selection runs, 2: the whole pass runs
    QJsonObject m_withoutSelection;
    QVector<CurateStage> m_stages;

    QPushButton* m_preview;
    QPushButton* m_start;
    QPushButton* m_stop;
    QProgressBar* m_progress;
    QLabel* m_state;
    QTableWidget* m_stageTable;
    QPlainTextEdit* m_summary;
    QTableView* m_runTable;
};

}  // namespace distill::widgets
