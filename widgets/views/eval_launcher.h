// EvalLauncher: starts evaluations from the Evaluate page. The `kind: eval` job form (benchmarks, k,
// temperature, top-p, max tokens, device, budget forcing, ...) with the R1 protocol one click away, a
// model folder or a training run's checkpoints (all, or every Nth), and a thinking-budget sweep; one
// eval job per checkpoint and budget, run one after another through RunController.
#pragma once

#include "widgets/models/run_checkpoints.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QSpinBox;

namespace distill::widgets {

class JobForm;
class RunController;

class EvalLauncher : public QWidget {
    Q_OBJECT
public:
    explicit EvalLauncher(QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path);
    // What can be evaluated: benchmarks (bundled and the workspace's problem sets) and the training
    // runs' checkpoints.
    void setBenchmarks(const QStringList& benchmarks);
    void setCheckpoints(const QVector<RunCheckpoint>& checkpoints);

    JobForm* form() const { return m_form; }
    RunController* controller() const { return m_controller; }

    // The checkpoints of run `runId` (every `every`-th by step, the last always) instead of the
    // form's model folder; runId 0 goes back to the model folder.
    void setRunCheckpoints(qint64 runId, int every = 1);
    // "256, 512, 1024": one evaluation per thinking budget (max_thinking_tokens); empty: none.
    void setBudgets(const QString& budgets);
    // 64 samples per problem at temperature 0.6 and top-p 0.95 (DeepSeek-R1's evaluation).
    void applyR1Protocol();

    // The spec texts the next start runs, in order; empty with `error` set when it cannot start.
    QStringList plannedSpecs(QString* error = nullptr) const;
    bool start();
    void stop();
    bool isRunning() const;
    QString stateText() const;

signals:
    void runStarted(qint64 runId);
    // One evaluation of the queue ended: its results are in the workspace.
    void evaluationEnded();
    // The queue ended: `finished`, `stopped` or `failed`.
    void finished(const QString& status);
    void statusMessage(const QString& message);

private:
    QVector<RunCheckpoint> chosenCheckpoints() const;
    void launchNext();
    void updateTarget();
    void setRunning(bool running);

    QString m_workspacePath;
    QVector<RunCheckpoint> m_checkpoints;
    JobForm* m_form;
    RunController* m_controller;
    QStringList m_queue;
    int m_total = 0;
    int m_jobId = 0;

    QRadioButton* m_fromFolder;
    QRadioButton* m_fromRun;
    QComboBox* m_run;
    QSpinBox* m_every;
    QLineEdit* m_budgets;
    QPushButton* m_start;
    QPushButton* m_stop;
    QLabel* m_state;
};

}  // namespace distill::widgets
