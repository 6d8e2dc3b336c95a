// EvalPage: the workspace's evaluations, and new ones started here (EvalLauncher: a model folder or a
// run's checkpoints on benchmarks, with a thinking-budget sweep). A table of every (run, checkpoint,
// benchmark) in eval_results with pass@1 and its interval, pass@k, cons@k and lengths, re-read every
// 2 s while evaluations run; pass@1 and response length against training step for the runs checked
// in a run list (several overlay), per benchmark; the length histogram of the selected row; accuracy
// against thinking budget where evaluations differ only by it; and, on double click, the row's
// problems and each problem's responses.
#pragma once

#include "widgets/models/eval_problem_model.h"
#include "widgets/models/eval_results_model.h"
#include "widgets/views/page.h"

class QCPBars;
class QComboBox;
class QCustomPlot;
class QLabel;
class QSortFilterProxyModel;
class QStackedWidget;
class QTableView;
class QTabWidget;
class QTimer;

namespace distill::widgets {

class CurvePlot;
class EvalLauncher;
class JobTracker;
class RunListModel;

class EvalPage : public Page {
    Q_OBJECT
public:
    explicit EvalPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    // Re-reads runs, results, curves and the runs' checkpoints off the GUI thread.
    void reload() override;
    void setSourceCounts(const QVariantList& sources) override;
    EvalLauncher* launcher() const { return m_launcher; }
    // Shows the launcher (the "New evaluation" tab) or the run list.
    void showLauncher(bool shown);

    // The benchmark the curves and the budget plot show.
    QString benchmark() const;
    void setBenchmark(const QString& benchmark);
    // Selects a row of the results model (source row) and shows its length histogram.
    void selectResult(int sourceRow);
    // Reads the problems and responses of a results row (what a double click does).
    void showDrilldown(int sourceRow);
    // Shows the responses of a problem row of the drill-down.
    void selectProblem(int row);

    EvalResultsModel* results() const { return m_results; }
    RunListModel* runs() const { return m_runs; }
    EvalProblemModel* problems() const { return m_problems; }
    EvalResponseModel* responses() const { return m_responses; }
    QTableView* resultTable() const { return m_resultTable; }
    CurvePlot* passPlot() const { return m_passPlot; }
    CurvePlot* lengthPlot() const { return m_lengthPlot; }
    CurvePlot* budgetPlot() const { return m_budgetPlot; }
    bool budgetShown() const;
    QCPBars* histogram() const { return m_bars; }

    // Bins of a length histogram: at most `maxBins` bins of a whole-number width covering
    // [min, max]; `starts` are the bins' lower edges.
    struct Histogram {
        double width = 1.0;
        QVector<double> starts;
        QVector<double> counts;
    };
    static Histogram lengthHistogram(const QVector<qint64>& lengths, int maxBins = 24);

signals:
    void overviewLoaded();
    void drilldownLoaded();

private:
    void onOverview(const QVariant& result, const QString& error);
    void onDrilldown(const QVariant& result, const QString& error);
    void applyOverview(EvalOverview overview);
    void readOverview();
    void redrawCurves();
    void redrawBudget();
    void drawHistogram(const EvalRow* row);

    JobTracker* m_jobs;  // the overview and the drill-down, each superseding its older read
    EvalOverview m_overview;

    RunListModel* m_runs;
    QTableView* m_runTable;
    QTabWidget* m_leftTabs;
    EvalLauncher* m_launcher;
    QTimer* m_liveTimer;  // re-reads the results while evaluations run
    QComboBox* m_benchmark;
    QLabel* m_summary;
    EvalResultsModel* m_results;
    QSortFilterProxyModel* m_sortedResults;
    QTableView* m_resultTable;
    CurvePlot* m_passPlot;
    CurvePlot* m_lengthPlot;
    CurvePlot* m_budgetPlot;
    QStackedWidget* m_budgetStack;
    QCustomPlot* m_histogramPlot;
    QCPBars* m_bars;
    QLabel* m_histogramTitle;
    QLabel* m_drillTitle;
    EvalProblemModel* m_problems;
    QSortFilterProxyModel* m_sortedProblems;
    QTableView* m_problemTable;
    EvalResponseModel* m_responses;
    QTableView* m_responseTable;
};

}  // namespace distill::widgets
