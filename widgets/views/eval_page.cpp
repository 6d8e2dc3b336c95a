// EvalPage implementation: one background read for the overview, one per drill-down.
#include "widgets/views/eval_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/run_checkpoints.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/plots/curve_plot.h"
#include "widgets/views/eval_launcher.h"

#include <qcustomplot.h>

#include <QComboBox>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStackedWidget>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>
#include <map>

namespace distill::widgets {

namespace {

QTableView* makeTable(QAbstractItemModel* model, QWidget* parent)
{
    auto* table = new QTableView(parent);
    table->setModel(model);
    table->setSelectionBehavior(QAbstractItemView::SelectRows);
    table->setSelectionMode(QAbstractItemView::SingleSelection);
    table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table->verticalHeader()->hide();
    table->verticalHeader()->setDefaultSectionSize(table->fontMetrics().height() + 6);
    table->horizontalHeader()->setStretchLastSection(true);
    table->setWordWrap(false);
    return table;
}

QSortFilterProxyModel* sortedBy(QAbstractItemModel* model, int role, QObject* parent)
{
    auto* proxy = new QSortFilterProxyModel(parent);
    proxy->setSourceModel(model);
    proxy->setSortRole(role);
    return proxy;
}

QGroupBox* box(const QString& title, QWidget* content, QWidget* parent)
{
    auto* group = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(group);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(content);
    return group;
}

// Scatter markers on every graph (evaluation curves have few points) and a margin around the data so
// that points on the range ends are not cut by the axes.
void markPoints(CurvePlot* plot)
{
    plot->flush();
    QCustomPlot* p = plot->plot();
    for (int i = 0; i < p->graphCount(); ++i)
        p->graph(i)->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    for (QCPAxis* axis : {p->xAxis, p->yAxis}) {
        const QCPRange r = axis->range();
        const double margin = r.size() > 0 ? 0.05 * r.size() : std::max(1.0, std::abs(r.lower) * 0.05);
        axis->setRange(r.lower - margin, r.upper + margin);
    }
    p->replot(QCustomPlot::rpQueuedReplot);
}

QString seriesName(const RunListModel* runs, qint64 runId)
{
    const int row = runs->rowOfRun(runId);
    const QString name = row >= 0 ? runs->index(row, RunListModel::Name).data().toString() : QString();
    return name.isEmpty() ? QStringLiteral("#%1").arg(runId) : QStringLiteral("#%1 %2").arg(runId).arg(name);
}

}  // namespace

EvalPage::EvalPage(QWidget* parent)
    : Page(parent), m_jobs(new JobTracker(this)),
      m_runs(new RunListModel(this)), m_launcher(new EvalLauncher(this)), m_liveTimer(new QTimer(this)),
      m_results(new EvalResultsModel(this)),
      m_problems(new EvalProblemModel(this)), m_responses(new EvalResponseModel(this))
{
    // Left: runs whose curves are drawn, and the benchmark.
    m_runs->setKinds({QStringLiteral("sft"), QStringLiteral("grpo"), QStringLiteral("eval")});
    m_runTable = makeTable(m_runs, this);
    m_runTable->hideColumn(RunListModel::Created);
    m_runTable->hideColumn(RunListModel::Best);
    m_runTable->setToolTip(tr("Check runs to overlay their benchmark curves."));
    m_benchmark = new QComboBox(this);
    m_benchmark->setToolTip(tr("The benchmark of the curves and of the budget plot."));
    m_summary = new QLabel(this);
    m_summary->setWordWrap(true);
    auto* refresh = new QToolButton(this);
    refresh->setText(tr("Refresh"));
    auto* benchRow = new QHBoxLayout;
    benchRow->addWidget(new QLabel(tr("Benchmark"), this));
    benchRow->addWidget(m_benchmark, 1);
    benchRow->addWidget(refresh);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(new QLabel(tr("Runs"), left));
    leftLayout->addWidget(m_runTable, 1);
    leftLayout->addLayout(benchRow);
    leftLayout->addWidget(m_summary);
    m_leftTabs = new QTabWidget(this);
    m_leftTabs->addTab(left, tr("Runs"));
    m_leftTabs->addTab(m_launcher, tr("New evaluation"));

    // Results table.
    m_sortedResults = sortedBy(m_results, EvalResultsModel::SortRole, this);
    m_resultTable = makeTable(m_sortedResults, this);
    m_resultTable->setSortingEnabled(true);
    m_resultTable->sortByColumn(-1, Qt::AscendingOrder);  // the model's order until a header is clicked
    m_resultTable->setToolTip(tr("Double-click a row to list its problems and responses."));
    m_resultTable->horizontalHeader()->setStretchLastSection(false);
    m_resultTable->horizontalHeader()->setSectionResizeMode(EvalResultsModel::Run, QHeaderView::Stretch);

    // Plots.
    m_passPlot = new CurvePlot(this);
    m_passPlot->setAxisLabels(tr("training step"), tr("pass@1"));
    m_lengthPlot = new CurvePlot(this);
    m_lengthPlot->setAxisLabels(tr("training step"), tr("mean response tokens"));
    m_budgetPlot = new CurvePlot(this);
    m_budgetPlot->setAxisLabels(tr("thinking budget (max thinking tokens)"), tr("pass@1"));
    auto* noBudget = new QLabel(tr("No evaluations of this benchmark differ only by their thinking budget "
                                   "(max_thinking_tokens). Evaluate one model with several budgets to see accuracy "
                                   "against budget here."),
                                this);
    noBudget->setWordWrap(true);
    noBudget->setAlignment(Qt::AlignCenter);
    m_budgetStack = new QStackedWidget(this);
    m_budgetStack->addWidget(noBudget);
    m_budgetStack->addWidget(m_budgetPlot);
    m_histogramPlot = new QCustomPlot(this);
    m_histogramPlot->setMinimumSize(200, 150);
    m_histogramPlot->xAxis->setLabel(tr("response tokens"));
    m_histogramPlot->yAxis->setLabel(tr("responses"));
    m_bars = new QCPBars(m_histogramPlot->xAxis, m_histogramPlot->yAxis);
    m_bars->setPen(QPen(QColor(0x1f, 0x77, 0xb4)));
    m_bars->setBrush(QColor(0x1f, 0x77, 0xb4, 140));
    m_histogramTitle = new QLabel(tr("Select a row of the table."), this);
    auto* histogram = new QWidget(this);
    auto* histogramLayout = new QVBoxLayout(histogram);
    histogramLayout->setContentsMargins(0, 0, 0, 0);
    histogramLayout->addWidget(m_histogramTitle);
    histogramLayout->addWidget(m_histogramPlot, 1);
    auto* plots = new QWidget(this);
    auto* grid = new QGridLayout(plots);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(box(tr("pass@1 by training step"), m_passPlot, plots), 0, 0);
    grid->addWidget(box(tr("Mean response length by training step"), m_lengthPlot, plots), 0, 1);
    grid->addWidget(box(tr("Response lengths of the selected row"), histogram, plots), 1, 0);
    grid->addWidget(box(tr("Accuracy by thinking budget"), m_budgetStack, plots), 1, 1);

    // Drill-down.
    m_sortedProblems = sortedBy(m_problems, EvalProblemModel::SortRole, this);
    m_problemTable = makeTable(m_sortedProblems, this);
    m_problemTable->setSortingEnabled(true);
    m_problemTable->sortByColumn(-1, Qt::AscendingOrder);
    m_responseTable = makeTable(m_responses, this);
    m_drillTitle = new QLabel(tr("Double-click a row of the table to list its problems."), this);
    auto* drillSplit = new QSplitter(Qt::Horizontal, this);
    drillSplit->addWidget(m_problemTable);
    drillSplit->addWidget(m_responseTable);
    drillSplit->setStretchFactor(0, 3);
    drillSplit->setStretchFactor(1, 2);
    auto* drill = new QWidget(this);
    auto* drillLayout = new QVBoxLayout(drill);
    drillLayout->setContentsMargins(0, 0, 0, 0);
    drillLayout->addWidget(m_drillTitle);
    drillLayout->addWidget(drillSplit, 1);

    auto* right = new QSplitter(Qt::Vertical, this);
    right->addWidget(m_resultTable);
    right->addWidget(plots);
    right->addWidget(drill);
    right->setStretchFactor(0, 2);
    right->setStretchFactor(1, 5);
    right->setStretchFactor(2, 2);
    right->setChildrenCollapsible(false);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_leftTabs);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, 1);
    splitter->setStretchFactor(1, 4);
    splitter->setSizes({420, 1080});
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(splitter);

    connect(refresh, &QToolButton::clicked, this, &EvalPage::reload);
    // Evaluations started here: their runs are drawn, and their results read as they land.
    m_liveTimer->setInterval(2000);
    connect(m_liveTimer, &QTimer::timeout, this, &EvalPage::readOverview);
    connect(m_launcher, &EvalLauncher::runStarted, this, [this](qint64 runId) {
        m_runs->setChecked(runId, true);
        m_runs->refresh();
        m_liveTimer->start();
    });
    connect(m_launcher, &EvalLauncher::evaluationEnded, this, &EvalPage::readOverview);
    connect(m_launcher, &EvalLauncher::finished, this, [this] {
        m_liveTimer->stop();
        reload();
    });
    connect(m_launcher, &EvalLauncher::statusMessage, this, &Page::statusMessage);
    connect(m_benchmark, &QComboBox::currentTextChanged, this, [this] {
        redrawCurves();
        redrawBudget();
    });
    connect(m_runs, &RunListModel::checkedRunsChanged, this, &EvalPage::redrawCurves);
    connect(m_runs, &RunListModel::refreshed, m_runTable, &QTableView::resizeColumnsToContents);
    connect(m_resultTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                drawHistogram(m_results->row(m_sortedResults->mapToSource(current).row()));
            });
    connect(m_resultTable, &QTableView::doubleClicked, this,
            [this](const QModelIndex& index) { showDrilldown(m_sortedResults->mapToSource(index).row()); });
    connect(m_problemTable->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this](const QModelIndex& current) {
                const EvalProblemEntry* p = m_problems->problem(m_sortedProblems->mapToSource(current).row());
                m_responses->setResponses(p ? p->responses : QVector<EvalResponse>());
                m_responseTable->resizeColumnsToContents();
            });
}

void EvalPage::onOverview(const QVariant& result, const QString& error)
{
    if (!error.isEmpty()) {
        emit statusMessage(tr("Could not read the evaluations: %1").arg(error));
        return;
    }
    applyOverview(result.value<EvalOverview>());
}

void EvalPage::onDrilldown(const QVariant& result, const QString& error)
{
    if (!error.isEmpty()) {
        emit statusMessage(tr("Could not read the responses: %1").arg(error));
        return;
    }
    const EvalDrilldown d = result.value<EvalDrilldown>();
    m_problems->setDrilldown(d);
    m_responses->setResponses({});
    m_drillTitle->setText(tr("Problems of #%1 %2 on %3: %4 problems. Select one to see its responses.")
                              .arg(d.runId)
                              .arg(d.checkpoint, d.benchmark)
                              .arg(d.problems.size()));
    m_problemTable->resizeColumnsToContents();
    m_problemTable->setColumnWidth(EvalProblemModel::Question,
                                   std::min(m_problemTable->columnWidth(EvalProblemModel::Question), 420));
    if (!d.problems.isEmpty())
        selectProblem(0);
    emit drilldownLoaded();
}

QString EvalPage::title() const
{
    return tr("Evaluate");
}

void EvalPage::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);  // results of reads still running are dropped
    m_runs->setWorkspacePath(path);
    m_launcher->setWorkspacePath(path);
    m_overview = {};
    m_results->setRows({});
    m_problems->setDrilldown({});
    m_responses->setResponses({});
    m_passPlot->clear();
    m_lengthPlot->clear();
    m_budgetPlot->clear();
    drawHistogram(nullptr);
    reload();
}

void EvalPage::reload()
{
    if (!m_jobs->hasWorkspace())
        return;
    readOverview();
    startReadingRunCheckpoints(*m_jobs, {store::RunKind::Sft, store::RunKind::Grpo},
                               [this](const QVector<RunCheckpoint>& checkpoints, const QString& error) {
                                   if (!error.isEmpty())
                                       emit statusMessage(error);
                                   else
                                       m_launcher->setCheckpoints(checkpoints);
                               });
}

void EvalPage::readOverview()
{
    if (!m_jobs->hasWorkspace())
        return;
    m_runs->refresh();  // the run table fits its columns when the runs are in
    m_jobs->start(
        QStringLiteral("overview"), [](JobContext& job) { return QVariant::fromValue(readEvalOverview(job.reader())); },
        [this](const QVariant& result, const QString& error) { onOverview(result, error); });
}

void EvalPage::setSourceCounts(const QVariantList& sources)
{
    m_launcher->setBenchmarks(benchmarkNames(sources));
}

void EvalPage::showLauncher(bool shown)
{
    m_leftTabs->setCurrentWidget(shown ? static_cast<QWidget*>(m_launcher) : m_leftTabs->widget(0));
}

QString EvalPage::benchmark() const
{
    return m_benchmark->currentText();
}

void EvalPage::setBenchmark(const QString& benchmark)
{
    m_benchmark->setCurrentText(benchmark);
}

bool EvalPage::budgetShown() const
{
    return m_budgetStack->currentWidget() == m_budgetPlot;
}

void EvalPage::applyOverview(EvalOverview overview)
{
    // Keep the selected row and benchmark across re-reads.
    QString selectedKey;
    if (const EvalRow* r = m_results->row(m_sortedResults->mapToSource(m_resultTable->currentIndex()).row()))
        selectedKey = QStringLiteral("%1/%2/%3").arg(r->runId).arg(r->checkpoint, r->benchmark);
    const QString bench = m_benchmark->currentText();

    m_overview = std::move(overview);
    m_results->setRows(m_overview.rows);
    m_resultTable->resizeColumnsToContents();
    {
        const QSignalBlocker block(m_benchmark);
        m_benchmark->clear();
        m_benchmark->addItems(m_overview.benchmarks);
        if (m_overview.benchmarks.contains(bench))
            m_benchmark->setCurrentText(bench);
    }
    if (m_runs->checkedRuns().isEmpty()) {  // first read: overlay every run that has curves
        for (auto it = m_overview.curves.cbegin(); it != m_overview.curves.cend(); ++it)
            if (!it.value().isEmpty())
                m_runs->setChecked(it.key(), true);
    }
    QSet<qint64> runs;
    for (const EvalRow& r : m_overview.rows)
        runs.insert(r.runId);
    m_summary->setText(tr("%n evaluation(s)", nullptr, int(m_overview.rows.size())) + QStringLiteral(", ")
                       + tr("%n run(s)", nullptr, int(runs.size())));

    int select = m_overview.rows.isEmpty() ? -1 : 0;
    for (int i = 0; i < m_overview.rows.size(); ++i) {
        const EvalRow& r = m_overview.rows[i];
        if (QStringLiteral("%1/%2/%3").arg(r.runId).arg(r.checkpoint, r.benchmark) == selectedKey)
            select = i;
    }
    selectResult(select);
    redrawCurves();
    redrawBudget();
    emit overviewLoaded();
}

void EvalPage::selectResult(int sourceRow)
{
    const QModelIndex index = m_sortedResults->mapFromSource(m_results->index(sourceRow, 0));
    if (index.isValid())
        m_resultTable->setCurrentIndex(index);  // draws the histogram through currentRowChanged
    else
        drawHistogram(nullptr);
}

void EvalPage::redrawCurves()
{
    m_passPlot->clear();
    m_lengthPlot->clear();
    const QString bench = m_benchmark->currentText();
    if (bench.isEmpty())
        return;
    const QString pass = QStringLiteral("eval/%1/pass@1").arg(bench);
    const QString length = QStringLiteral("eval/%1/response_len").arg(bench);
    QList<qint64> runs = m_runs->checkedRuns();
    std::sort(runs.begin(), runs.end());  // series in run order, whatever order they were checked in
    for (const qint64 run : runs) {
        const auto curves = m_overview.curves.value(run);
        const QString name = seriesName(m_runs, run);
        m_passPlot->appendPoints(name, curves.value(pass));
        m_lengthPlot->appendPoints(name, curves.value(length));
    }
    // A run's checkpoints evaluated by eval jobs (labelled step-N): a series per evaluation name,
    // from the stored results, so it grows while they land.
    std::map<QString, std::map<qint64, const EvalRow*>> evaluated;
    for (const EvalRow& r : m_overview.rows)
        if (r.runKind == QLatin1String("eval") && r.step >= 0 && r.benchmark == bench && runs.contains(r.runId))
            evaluated[r.runName][r.step] = &r;
    for (const auto& [name, bySteps] : evaluated) {
        QVector<QPointF> passPoints, lengthPoints;
        for (const auto& [step, row] : bySteps) {
            passPoints.append(QPointF(double(step), row->pass1));
            lengthPoints.append(QPointF(double(step), row->meanResponseTokens));
        }
        m_passPlot->appendPoints(name, passPoints);
        m_lengthPlot->appendPoints(name, lengthPoints);
    }
    markPoints(m_passPlot);
    markPoints(m_lengthPlot);
    m_passPlot->plot()->yAxis->setRange(-0.03, 1.03);  // pass@1 on its whole scale
    m_passPlot->plot()->replot(QCustomPlot::rpQueuedReplot);
}

void EvalPage::redrawBudget()
{
    m_budgetPlot->clear();
    bool any = false;
    for (const BudgetSeries& s : budgetSweeps(m_overview.rows)) {
        if (s.benchmark != m_benchmark->currentText())
            continue;
        m_budgetPlot->appendPoints(s.name, s.points);
        any = true;
    }
    markPoints(m_budgetPlot);
    m_budgetStack->setCurrentWidget(any ? static_cast<QWidget*>(m_budgetPlot) : m_budgetStack->widget(0));
}

EvalPage::Histogram EvalPage::lengthHistogram(const QVector<qint64>& lengths, int maxBins)
{
    Histogram h;
    if (lengths.isEmpty() || maxBins < 1)
        return h;
    const auto [lo, hi] = std::minmax_element(lengths.begin(), lengths.end());
    const qint64 span = *hi - *lo + 1;
    const qint64 width = std::max<qint64>(1, (span + maxBins - 1) / maxBins);
    const qint64 first = (*lo / width) * width;
    const int bins = int((*hi - first) / width) + 1;
    h.width = double(width);
    for (int i = 0; i < bins; ++i)
        h.starts.append(double(first + i * width));
    h.counts.fill(0.0, bins);
    for (const qint64 n : lengths)
        h.counts[int((n - first) / width)] += 1.0;
    return h;
}

void EvalPage::drawHistogram(const EvalRow* row)
{
    if (!row) {
        m_bars->data()->clear();
        m_histogramTitle->setText(tr("Select a row of the table."));
        m_histogramPlot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const Histogram h = lengthHistogram(row->responseTokens);
    QVector<double> centers;
    for (const double start : h.starts)
        centers.append(start + h.width / 2.0);
    m_bars->setWidth(h.width * 0.9);
    m_bars->setData(centers, h.counts, true);
    m_histogramTitle->setText(tr("#%1 %2 on %3: %n response(s), mean %4 tokens", nullptr, int(row->responses))
                                  .arg(row->runId)
                                  .arg(row->checkpoint, row->benchmark)
                                  .arg(row->meanResponseTokens, 0, 'f', 1));
    m_histogramPlot->rescaleAxes();
    const double top = h.counts.isEmpty() ? 1.0 : *std::max_element(h.counts.begin(), h.counts.end());
    m_histogramPlot->yAxis->setRange(0.0, top * 1.1);
    if (!h.starts.isEmpty())
        m_histogramPlot->xAxis->setRange(h.starts.front(), h.starts.back() + h.width);
    m_histogramPlot->replot(QCustomPlot::rpQueuedReplot);
}

void EvalPage::showDrilldown(int sourceRow)
{
    const EvalRow* row = m_results->row(sourceRow);
    if (!row || !m_jobs->hasWorkspace())
        return;
    m_drillTitle->setText(tr("Reading the responses…"));
    const qint64 run = row->runId;
    const QString checkpoint = row->checkpoint, bench = row->benchmark;
    m_jobs->start(
        QStringLiteral("drilldown"),
        [run, checkpoint, bench](JobContext& job) {
            return QVariant::fromValue(readEvalDrilldown(job.reader(), run, checkpoint, bench));
        },
        [this](const QVariant& result, const QString& error) { onDrilldown(result, error); });
}

void EvalPage::selectProblem(int row)
{
    const QModelIndex index = m_sortedProblems->mapFromSource(m_problems->index(row, 0));
    if (index.isValid())
        m_problemTable->setCurrentIndex(index);
}

}  // namespace distill::widgets
