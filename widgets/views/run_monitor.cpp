#include "widgets/views/run_monitor.h"

#include "widgets/models/run_list_model.h"
#include "widgets/plots/curve_plot.h"

#include <QCheckBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QSplitter>
#include <QTableView>
#include <QTimer>
#include <QVBoxLayout>

namespace distill::widgets {

RunMonitor::RunMonitor(const QStringList& kinds, const QVector<Panel>& panels, QWidget* parent)
    : QWidget(parent), m_panels(panels), m_runs(new RunListModel(this)), m_table(new QTableView(this)),
      m_logY(new QCheckBox(tr("Log scale"), this)), m_timer(new QTimer(this))
{
    m_runs->setKinds(kinds);
    m_table->setModel(m_runs);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setToolTip(tr("Check runs to overlay their curves."));

    auto* curves = new QWidget(this);
    auto* grid = new QGridLayout(curves);
    grid->setContentsMargins(0, 0, 0, 0);
    for (int i = 0; i < m_panels.size(); ++i) {
        auto* box = new QGroupBox(m_panels[i].title, curves);
        auto* layout = new QVBoxLayout(box);
        layout->setContentsMargins(2, 2, 2, 2);
        auto* plot = new CurvePlot(box);
        plot->setAxisLabels(tr("step"), m_panels[i].title);
        layout->addWidget(plot);
        grid->addWidget(box, i / 2, i % 2);
        m_plots.append(plot);
    }

    auto* top = new QWidget(this);
    auto* topLayout = new QVBoxLayout(top);
    topLayout->setContentsMargins(0, 0, 0, 0);
    topLayout->addWidget(m_table);
    topLayout->addWidget(m_logY);
    auto* splitter = new QSplitter(Qt::Vertical, this);
    splitter->addWidget(top);
    splitter->addWidget(curves);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 3);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(splitter);

    connect(m_logY, &QCheckBox::toggled, this, &RunMonitor::setLogY);
    connect(m_runs, &RunListModel::checkedRunsChanged, this, &RunMonitor::reloadCurves);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { emit selectedRunChanged(m_runs->runId(current.row())); });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &RunMonitor::refresh);
}

void RunMonitor::setWorkspace(store::Workspace* workspace)
{
    m_reader.setWorkspace(workspace);
    m_runs->setWorkspace(workspace);
    for (CurvePlot* plot : m_plots)
        plot->clear();
    if (workspace)
        m_timer->start();
    else
        m_timer->stop();
}

void RunMonitor::setPollInterval(int ms)
{
    m_timer->setInterval(ms);
}

void RunMonitor::refresh()
{
    const qint64 selected = selectedRun();
    m_runs->refresh();
    const int row = m_runs->rowOfRun(selected);
    if (row >= 0)
        m_table->selectRow(row);
    pollMetrics();
}

qint64 RunMonitor::selectedRun() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_runs->runId(current.row()) : 0;
}

void RunMonitor::setLogY(bool on)
{
    if (m_logY->isChecked() != on)
        m_logY->setChecked(on);
    for (CurvePlot* plot : m_plots)
        plot->setLogY(on);
}

int RunMonitor::panelOf(const QString& metric) const
{
    for (int i = 0; i < m_panels.size(); ++i)
        if (m_panels[i].metrics.contains(metric))
            return i;
    return -1;
}

void RunMonitor::addPoint(qint64 runId, const QString& metric, qint64 step, double value)
{
    const int panel = panelOf(metric);
    if (panel < 0)
        return;
    QString series = QStringLiteral("#%1").arg(runId);
    if (m_panels[panel].metrics.size() > 1)
        series += QLatin1Char(' ') + metric;
    m_plots[panel]->appendPoint(series, double(step), value);
}

void RunMonitor::reloadCurves()
{
    for (CurvePlot* plot : m_plots)
        plot->clear();
    for (const qint64 run : m_runs->checkedRuns())
        m_reader.forget(run);
    emit curvesReset();
    pollMetrics();
}

void RunMonitor::pollMetrics()
{
    for (const qint64 run : m_runs->checkedRuns()) {
        for (const MetricPoint& p : m_reader.poll(run)) {
            addPoint(run, p.name, p.step, p.value);
            emit pointRead(run, p.name, p.step, p.value);
        }
    }
}

}  // namespace distill::widgets
