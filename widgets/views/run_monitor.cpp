#include "widgets/views/run_monitor.h"

#include "widgets/models/job_tracker.h"
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

#include <utility>

namespace distill::widgets {

namespace {

const QString kPoll = QStringLiteral("poll");

// What a poll job hands back: the reader with its new positions and each run's new points.
struct MetricPoll {
    MetricReader reader;
    QVector<QPair<qint64, QVector<MetricPoint>>> points;
};

}  // namespace

RunMonitor::RunMonitor(const QStringList& kinds, const QVector<Panel>& panels, QWidget* parent)
    : QWidget(parent), m_panels(panels), m_runs(new RunListModel(this)), m_table(new QTableView(this)),
      m_logY(new QCheckBox(tr("Log scale"), this)), m_timer(new QTimer(this)), m_jobs(new JobTracker(this))
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
    // A refresh resets the list: the selected run stays selected.
    connect(m_runs, &RunListModel::modelAboutToBeReset, this, [this] { m_selectedBeforeRefresh = selectedRun(); });
    connect(m_runs, &RunListModel::modelReset, this, [this] {
        if (m_runs->rowOfRun(m_selectWhenListed) >= 0)
            m_selectedBeforeRefresh = std::exchange(m_selectWhenListed, 0);
        const int row = m_runs->rowOfRun(m_selectedBeforeRefresh);
        if (row >= 0)
            m_table->selectRow(row);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) { emit selectedRunChanged(m_runs->runId(current.row())); });
    m_timer->setInterval(1000);
    connect(m_timer, &QTimer::timeout, this, &RunMonitor::refresh);
}

void RunMonitor::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);
    m_reader.clear();
    m_runs->setWorkspacePath(path);
    for (CurvePlot* plot : m_plots)
        plot->clear();
    if (path.isEmpty())
        m_timer->stop();
    else
        m_timer->start();
}

void RunMonitor::setPollInterval(int ms)
{
    m_timer->setInterval(ms);
}

void RunMonitor::refresh()
{
    m_runs->refresh();
    pollMetrics(false);
}

qint64 RunMonitor::selectedRun() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? m_runs->runId(current.row()) : 0;
}

void RunMonitor::selectRun(qint64 runId)
{
    const int row = m_runs->rowOfRun(runId);
    m_selectWhenListed = row < 0 ? runId : 0;
    if (row >= 0)
        m_table->selectRow(row);
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
    pollMetrics(true);  // points of a poll still running belong to the old curves
}

void RunMonitor::pollMetrics(bool restart)
{
    if (!m_jobs->hasWorkspace() || (!restart && m_jobs->isRunning(kPoll)))
        return;
    m_jobs->start(
        kPoll,
        [reader = m_reader, runs = m_runs->checkedRuns()](JobContext& job) mutable {
            MetricPoll poll;
            for (const qint64 run : runs)
                poll.points.append({run, reader.poll(job.reader(), run)});
            poll.reader = std::move(reader);
            return QVariant::fromValue(poll);
        },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty())
                return;  // a busy workspace: the next tick reads again
            const auto poll = result.value<MetricPoll>();
            m_reader = poll.reader;
            for (const auto& [run, points] : poll.points) {
                for (const MetricPoint& p : points) {
                    addPoint(run, p.name, p.step, p.value);
                    emit pointRead(run, p.name, p.step, p.value);
                }
            }
        });
}

}  // namespace distill::widgets
