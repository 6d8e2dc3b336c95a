// RunMonitor: the runs of some kinds as a checkable list (status, best metrics) above a grid of
// CurvePlots, one per panel (e.g. loss with eval loss, lr, grad norm, tokens/s). The checked runs'
// stored metrics are polled from the workspace off the GUI thread, so runs started elsewhere show
// live too; each run is its own series, so runs overlay. Plots redraw on their own timer, never per point.
#pragma once

#include "widgets/models/metric_reader.h"

#include <QStringList>
#include <QVector>
#include <QWidget>

class QCheckBox;
class QTableView;
class QTimer;

namespace distill::widgets {

class CurvePlot;
class JobTracker;
class RunListModel;

class RunMonitor : public QWidget {
    Q_OBJECT
public:
    struct Panel {
        QString title;
        QStringList metrics;  // metric names drawn in this panel
    };
    RunMonitor(const QStringList& kinds, const QVector<Panel>& panels, QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path);
    // Re-reads the run list and polls the checked runs' new metrics now (the timer does it too);
    // both are read off the GUI thread. A poll still running is not started again.
    void refresh();
    void setPollInterval(int ms);

    RunListModel* runs() const { return m_runs; }
    JobTracker* polls() const { return m_jobs; }
    QTableView* runTable() const { return m_table; }
    qint64 selectedRun() const;
    // Selects the run's row; a run not listed yet (a job just started) is selected once it is.
    void selectRun(qint64 runId);
    void setLogY(bool on);

    int panelCount() const { return int(m_plots.size()); }
    CurvePlot* plot(int panel) const { return m_plots.value(panel); }
    int panelOf(const QString& metric) const;  // -1: drawn nowhere
    // Appends to the series "#<run>" (or "#<run> <metric>" in a panel of several metrics).
    void addPoint(qint64 runId, const QString& metric, qint64 step, double value);

signals:
    // Each metric point read for a checked run (also those no panel draws).
    void pointRead(qint64 runId, const QString& metric, qint64 step, double value);
    void selectedRunChanged(qint64 runId);
    // The curves were cleared; the checked runs' points are read again from their first step.
    void curvesReset();

private:
    void reloadCurves();
    // Reads the checked runs' new metrics; `restart` supersedes a poll still running.
    void pollMetrics(bool restart);

    QVector<Panel> m_panels;
    QVector<CurvePlot*> m_plots;
    RunListModel* m_runs;
    QTableView* m_table;
    QCheckBox* m_logY;
    QTimer* m_timer;
    JobTracker* m_jobs;
    MetricReader m_reader;
    qint64 m_selectedBeforeRefresh = 0;
    qint64 m_selectWhenListed = 0;
};

}  // namespace distill::widgets
