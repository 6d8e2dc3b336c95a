// CurvePlot implementation: buffered appends drained by a single-shot timer into QCPGraphs.
#include "widgets/plots/curve_plot.h"

#include <qcustomplot.h>

#include <QCheckBox>
#include <QFile>
#include <QFileDialog>
#include <QHBoxLayout>
#include <QLabel>
#include <QMenu>
#include <QMessageBox>
#include <QTextStream>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace distill::widgets {

namespace {
const QColor kPalette[] = {QColor(0x1f, 0x77, 0xb4), QColor(0xd6, 0x27, 0x28), QColor(0x2c, 0xa0, 0x2c),
                           QColor(0xff, 0x7f, 0x0e), QColor(0x94, 0x67, 0xbd), QColor(0x8c, 0x56, 0x4b),
                           QColor(0xe3, 0x77, 0xc2), QColor(0x17, 0xbe, 0xcf)};
constexpr double kHoverRadiusPx = 8.0;
}  // namespace

CurvePlot::CurvePlot(QWidget* parent)
    : QWidget(parent), m_plot(new QCustomPlot(this)), m_readout(new QLabel(this)),
      m_logBox(new QCheckBox(tr("Log scale"), this)), m_timer(new QTimer(this))
{
    m_timer->setSingleShot(true);
    m_timer->setInterval(kReplotIntervalMs);
    connect(m_timer, &QTimer::timeout, this, &CurvePlot::drain);

    m_plot->setInteractions(QCP::iRangeDrag | QCP::iRangeZoom);
    m_plot->legend->setVisible(false);
    m_plot->setMinimumSize(200, 150);
    connect(m_plot, &QCustomPlot::mouseMove, this, &CurvePlot::onMouseMove);

    auto* exportButton = new QToolButton(this);
    exportButton->setText(tr("Export…"));
    connect(exportButton, &QToolButton::clicked, this, &CurvePlot::showExportMenu);
    connect(m_logBox, &QCheckBox::toggled, this, &CurvePlot::setLogY);

    auto* bar = new QHBoxLayout;
    bar->setContentsMargins(0, 0, 0, 0);
    bar->addWidget(m_readout, 1);
    bar->addWidget(m_logBox);
    bar->addWidget(exportButton);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_plot, 1);
    layout->addLayout(bar);
}

QCPGraph* CurvePlot::graphFor(const QString& series)
{
    if (auto it = m_graphs.find(series); it != m_graphs.end())
        return it.value();
    QCPGraph* graph = m_plot->addGraph();
    graph->setName(series);
    graph->setPen(QPen(kPalette[m_order.size() % std::size(kPalette)], 1.5));
    if (m_markers)
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 6));
    m_graphs.insert(series, graph);
    m_order.append(series);
    m_plot->legend->setVisible(m_order.size() > 1);
    return graph;
}

void CurvePlot::appendPoint(const QString& series, double x, double y)
{
    if (!m_pending.contains(series))
        graphFor(series);  // series keep the order of their first point
    m_pending[series].append(QPointF(x, y));
    ++m_pendingCount;
    scheduleDrain();
}

void CurvePlot::appendPoints(const QString& series, const QVector<QPointF>& points)
{
    if (points.isEmpty())
        return;
    if (!m_pending.contains(series))
        graphFor(series);
    m_pending[series].append(points);
    m_pendingCount += int(points.size());
    scheduleDrain();
}

void CurvePlot::scheduleDrain()
{
    if (!m_timer->isActive())
        m_timer->start();
}

void CurvePlot::drain()
{
    const int moved = m_pendingCount;
    for (auto it = m_pending.cbegin(); it != m_pending.cend(); ++it) {
        QVector<double> keys, values;
        keys.reserve(it.value().size());
        values.reserve(it.value().size());
        for (const QPointF& p : it.value()) {
            keys.append(p.x());
            values.append(p.y());
        }
        graphFor(it.key())->addData(keys, values);
    }
    m_pending.clear();
    m_pendingCount = 0;
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    emit drained(moved);
}

void CurvePlot::clear()
{
    m_timer->stop();
    m_pending.clear();
    m_pendingCount = 0;
    m_plot->clearGraphs();
    m_graphs.clear();
    m_order.clear();
    m_plot->legend->setVisible(false);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void CurvePlot::setAxisLabels(const QString& x, const QString& y)
{
    m_plot->xAxis->setLabel(x);
    m_plot->yAxis->setLabel(y);
}

void CurvePlot::setLogY(bool on)
{
    if (m_logBox->isChecked() != on) {
        m_logBox->setChecked(on);  // re-enters through toggled()
        return;
    }
    m_plot->yAxis->setScaleType(on ? QCPAxis::stLogarithmic : QCPAxis::stLinear);
    if (on)
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>::create());
    else
        m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTicker>::create());
    m_plot->rescaleAxes();
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

bool CurvePlot::logY() const
{
    return m_plot->yAxis->scaleType() == QCPAxis::stLogarithmic;
}

QStringList CurvePlot::seriesNames() const
{
    return m_order;
}

int CurvePlot::pointCount(const QString& series) const
{
    const auto it = m_graphs.find(series);
    return it == m_graphs.end() ? 0 : it.value()->dataCount();
}

int CurvePlot::pendingCount() const
{
    return m_pendingCount;
}

QString CurvePlot::readoutAt(const QPoint& pixel) const
{
    double best = kHoverRadiusPx;
    QString text;
    for (const QString& name : m_order) {
        QCPGraph* graph = m_graphs.value(name);
        if (graph->dataCount() == 0)
            continue;
        const double key = graph->keyAxis()->pixelToCoord(pixel.x());
        auto it = graph->data()->findBegin(key, true);
        // Look at the neighbours on both sides of the key under the cursor.
        for (int step = 0; step < 3 && it != graph->data()->constEnd(); ++step, ++it) {
            const QPointF at = graph->coordsToPixels(it->key, it->value);
            const double d = std::hypot(at.x() - pixel.x(), at.y() - pixel.y());
            if (d <= best) {
                best = d;
                text = tr("%1  x = %2, y = %3").arg(name).arg(it->key, 0, 'g', 6).arg(it->value, 0, 'g', 6);
            }
        }
    }
    return text;
}

void CurvePlot::onMouseMove(QMouseEvent* event)
{
    m_readout->setText(readoutAt(event->pos()));
}

void CurvePlot::flush()
{
    if (m_pendingCount == 0)
        return;
    m_timer->stop();
    drain();
}

bool CurvePlot::exportPng(const QString& path, int width, int height)
{
    flush();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    return m_plot->savePng(path, width, height);
}

bool CurvePlot::exportPdf(const QString& path, int width, int height)
{
    flush();
    m_plot->replot(QCustomPlot::rpImmediateRefresh);
    return m_plot->savePdf(path, width, height);
}

bool CurvePlot::exportCsv(const QString& path)
{
    flush();
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate | QIODevice::Text))
        return false;
    QTextStream out(&file);
    out << "series,x,y\n";
    auto quoted = [](QString s) {
        return s.contains(QLatin1Char(',')) || s.contains(QLatin1Char('"'))
                   ? QLatin1Char('"') + s.replace(QLatin1Char('"'), QLatin1String("\"\"")) + QLatin1Char('"')
                   : s;
    };
    for (const QString& name : m_order) {
        const QString series = quoted(name);
        auto data = m_graphs.value(name)->data();
        for (auto it = data->constBegin(); it != data->constEnd(); ++it)
            out << series << ',' << QString::number(it->key, 'g', 17) << ','
                << QString::number(it->value, 'g', 17) << '\n';
    }
    return out.status() == QTextStream::Ok;
}

void CurvePlot::showExportMenu()
{
    QMenu menu(this);
    QAction* png = menu.addAction(tr("PNG image…"));
    QAction* pdf = menu.addAction(tr("PDF document…"));
    menu.addAction(tr("CSV data…"));
    QAction* chosen = menu.exec(QCursor::pos());
    if (!chosen)
        return;
    const QString filter = chosen == png ? tr("PNG image (*.png)")
                           : chosen == pdf ? tr("PDF document (*.pdf)")
                                           : tr("CSV file (*.csv)");
    const QString path = QFileDialog::getSaveFileName(this, tr("Export plot"), QString(), filter);
    if (path.isEmpty())
        return;
    const bool ok = chosen == png ? exportPng(path) : chosen == pdf ? exportPdf(path) : exportCsv(path);
    if (!ok)
        QMessageBox::warning(this, tr("Export plot"), tr("Could not write %1.").arg(path));
}

void CurvePlot::setMarkers(bool on)
{
    m_markers = on;
    for (QCPGraph* graph : std::as_const(m_graphs))
        graph->setScatterStyle(on ? QCPScatterStyle(QCPScatterStyle::ssDisc, 6) : QCPScatterStyle());
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

}  // namespace distill::widgets
