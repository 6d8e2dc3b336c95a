// EvalResultsModel: one row per (run, checkpoint, benchmark) found in the workspace's eval_results,
// with the summary core/eval computes from the stored rows (pass@1 and its bootstrap interval,
// pass@k, cons@k, response length, truncated share). EvalOverview is what one background read of the
// workspace gives the evaluation page: those rows plus the runs' eval/<benchmark>/... metric curves.
#pragma once

#include <QAbstractTableModel>
#include <QHash>
#include <QMetaType>
#include <QPointF>
#include <QStringList>
#include <QVector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

struct EvalRow {
    qint64 runId = 0;
    QString runName;
    QString runKind;       // "sft", "grpo", "eval"
    QString checkpoint;    // "step-200" or a model folder name
    qint64 step = -1;      // the training step of a "step-<n>" label, else -1
    QString benchmark;
    qint64 problems = 0;
    qint64 samplesPerProblem = 0;  // k: the smallest number of responses of a problem
    qint64 responses = 0;
    double pass1 = 0.0, pass1Low = 0.0, pass1High = 0.0;
    double passAtK = 0.0;  // the unbiased pass@k at k = samplesPerProblem
    double consAtK = 0.0;
    double meanResponseTokens = 0.0;
    double truncatedShare = -1.0;  // share of responses at the run's max_tokens; -1: unknown
    QVector<qint64> responseTokens;  // of every response, for the length histogram
    // The evaluation protocol from the run's config (budget forcing), when the config has one.
    bool protocolKnown = false;
    qint64 maxThinkingTokens = -1;
    QString keyWithoutBudget;  // equal for evaluations that differ at most by their thinking budget
};

struct EvalOverview {
    QVector<EvalRow> rows;  // by run id, checkpoint step (then label), benchmark
    // Training runs' stored eval metrics of the benchmarks below: run id -> metric name
    // ("eval/toy/pass@1") -> (step, value); runs without such metrics are left out.
    QHash<qint64, QHash<QString, QVector<QPointF>>> curves;
    QStringList benchmarks;  // every benchmark of a row, sorted
};

// Reads and summarises every run's eval_results and eval metrics (the work of a JobTracker job: it
// runs on a worker thread with its own read-only connection). Intervals use the bootstrap of the
// run's own evaluation protocol, so they equal the ones its job reported.
EvalOverview readEvalOverview(const store::Workspace& workspace);

// Accuracy against thinking budget from rows whose evaluation protocol differs only by the budget:
// rows with a known protocol and a thinking cap (max_thinking_tokens >= 0) grouped by benchmark and
// the rest of the protocol; groups with at least two different caps become one series of
// (cap, pass@1) points in cap order, named "<benchmark> <checkpoint>".
struct BudgetSeries {
    QString name;
    QString benchmark;
    QVector<QPointF> points;
};
QVector<BudgetSeries> budgetSweeps(const QVector<EvalRow>& rows);

class EvalResultsModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Run, Checkpoint, Benchmark, Problems, K, Pass1, Pass1Interval, PassAtK, ConsAtK, MeanTokens, Truncated,
                  ColumnCount };
    // SortRole: numbers as numbers (checkpoints by step); RunIdRole on every cell.
    enum Role { SortRole = Qt::UserRole + 1, RunIdRole };

    explicit EvalResultsModel(QObject* parent = nullptr);

    void setRows(QVector<EvalRow> rows);
    const QVector<EvalRow>& rows() const { return m_rows; }
    const EvalRow* row(int index) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<EvalRow> m_rows;
};

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::widgets::EvalOverview)
