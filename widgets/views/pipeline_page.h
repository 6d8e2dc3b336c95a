// PipelinePage: a pipeline (`kind: pipeline`) from the window. A bundled recipe (distillation, R1,
// s1) or a file is loaded into the editor, checked by the parser the CLI runs (errors with their
// line), saved as YAML, and started, stopped and resumed as one job; the stage graph shows each
// stage's kind, status, run, progress and pass@1 before and after it, live from the job's events.
// A stage is edited with its kind's job form (Edit stage…), written back into the text with the rest
// of it (comments, the other stages, unchanged ${vars.*} references) as it was.
// Below, the pipeline's curves fill in live (PipelineCurves), the Samples page is told every two
// seconds that samples may have arrived, and a run that ends shows its report where a report maker
// is set (the toy demo's). A workspace opened later shows its newest pipeline run's stages, curves and
// report, ready to resume.
#pragma once

#include "widgets/views/page.h"

#include <QJsonObject>

#include <functional>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QPushButton;
class QTableWidget;
class QTimer;

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class JobForm;
class JobTracker;
class PipelineCurves;
class RunController;

class PipelinePage : public Page {
    Q_OBJECT
public:
    enum Column { StageColumn, KindColumn, StatusColumn, RunColumn, ProgressColumn, PassColumn, ColumnCount };

    explicit PipelinePage(QWidget* parent = nullptr);

    // The report of a pipeline run, read from the workspace off the GUI thread when a run ends
    // (finished or stopped) and when the newest run is read; empty text: no report for that run.
    using ReportMaker = std::function<QString(const store::Workspace& workspace, qint64 pipelineRunId)>;
    void setReportMaker(ReportMaker maker) { m_reportMaker = std::move(maker); }
    QString reportText() const;

    QString title() const override;
    void setWorkspacePath(const QString& path) override;

    // The bundled recipes' names ("distillation", "r1", "s1"), and loading one into the editor.
    QStringList recipes() const;
    bool loadRecipe(const QString& name);
    bool loadFile(const QString& path);
    bool saveFile(const QString& path);
    QString yaml() const;
    void setYaml(const QString& text);
    // The parser's verdict on the editor's text (empty: valid); the stage graph follows the text.
    QString check();
    // The form of stage `index` (its kind's, filled with the stage's spec as it runs: vars filled in);
    // nullptr (and the reason in the state line) when the text does not read.
    JobForm* stageForm(int index, QWidget* parent = nullptr);
    // Writes `form`'s values back as stage `index`'s spec in the editor; false when the text changed
    // under it so that the stage is gone.
    bool applyStageForm(int index, const JobForm& form);
    // Edit stage…: the selected stage's form in a dialog; OK writes it back.
    void editSelectedStage();

    bool startPipeline();
    // A first start: once the workspace is read, `yaml` is loaded and started if the workspace has no
    // pipeline run yet (otherwise its newest one is shown, ready to resume).
    void startWhenNew(const QString& yaml);
    // Resumes `runId` (0: the newest pipeline run of the workspace, as shown).
    bool resumePipeline(qint64 runId = 0);
    void stopPipeline();

    RunController* controller() const { return m_controller; }
    QTableWidget* stageTable() const { return m_stages; }
    qint64 runId() const { return m_runId; }
    QString stateText() const;
    PipelineCurves* curves() const { return m_curves; }

    // "0.005 → 0.880 (toy)" from a stage's run summary: a training run's benchmark evaluations at
    // its first and last step, an evaluation's pass@1; empty when it has none.
    static QString passText(const QJsonObject& summary);

signals:
    // A stage's run was opened (double-click): the main window shows the page of its kind.
    void stageRunActivated(qint64 runId, const QString& kind);
    // Every two seconds while a pipeline runs, and when it ends: its stages may have written samples.
    void samplesChanged();
    // The report shown changed: read for the run shown, or cleared (empty) as a run starts or resumes.
    void reportRead(const QString& text);

private:
    void showStages(const QStringList& names, const QStringList& kinds);
    int rowOf(const QString& stage) const;
    void onStage(const QJsonObject& event);
    void setRunning(bool running);
    void readNewestRun();
    void readReport(qint64 runId);
    void showReport(const QString& text);

    QString m_workspacePath;
    JobTracker* m_jobs;
    RunController* m_controller;
    int m_jobId = 0;
    qint64 m_runId = 0;
    QString m_startWhenNew;
    ReportMaker m_reportMaker;

    QComboBox* m_recipe;
    QPlainTextEdit* m_editor;
    QTableWidget* m_stages;
    QLabel* m_chain;
    QLabel* m_state;
    QPushButton* m_start;
    QPushButton* m_stop;
    QPushButton* m_resume;
    QPushButton* m_editStage;
    PipelineCurves* m_curves;
    QPlainTextEdit* m_report;
    QTimer* m_samplesTimer;
};

}  // namespace distill::widgets
