// CurvePlot: a QCustomPlot line chart for metric curves that buffers appended points per series
// and replots at most once per ~40 ms tick (never per point); hover read-out, log axis, export.
#pragma once

#include <QHash>
#include <QPointF>
#include <QString>
#include <QVector>
#include <QWidget>

class QCustomPlot;
class QCPGraph;
class QLabel;
class QTimer;
class QCheckBox;

namespace distill::widgets {

class CurvePlot : public QWidget {
    Q_OBJECT
public:
    explicit CurvePlot(QWidget* parent = nullptr);

    // Buffers points for `series` (created on first use); the plot updates on the next tick.
    void appendPoint(const QString& series, double x, double y);
    void appendPoints(const QString& series, const QVector<QPointF>& points);
    void clear();

    void setAxisLabels(const QString& x, const QString& y);
    void setLogY(bool on);
    bool logY() const;
    // A dot on every point (for curves of few points, such as evaluations; a single point shows).
    void setMarkers(bool on);

    QStringList seriesNames() const;
    int pointCount(const QString& series) const;  // points already drained into the graph
    int pendingCount() const;                      // points still waiting for the next tick
    // "series  x = …, y = …" for the point nearest to `pixel` (within a few pixels), else empty.
    QString readoutAt(const QPoint& pixel) const;

    bool exportPng(const QString& path, int width = 0, int height = 0);
    bool exportPdf(const QString& path, int width = 0, int height = 0);
    // Long format: series,x,y — one row per point, series in creation order.
    bool exportCsv(const QString& path);
    // Moves buffered points into the graphs now (exports call it; the timer does otherwise).
    void flush();

    QCustomPlot* plot() const { return m_plot; }
    static constexpr int kReplotIntervalMs = 40;

signals:
    // Emitted after each drain of the buffer, with the number of points moved into the graphs.
    void drained(int points);

private:
    void scheduleDrain();
    void drain();
    QCPGraph* graphFor(const QString& series);
    void onMouseMove(QMouseEvent* event);
    void showExportMenu();

    QCustomPlot* m_plot;
    QLabel* m_readout;
    QCheckBox* m_logBox;
    QTimer* m_timer;
    QStringList m_order;
    QHash<QString, QCPGraph*> m_graphs;
    QHash<QString, QVector<QPointF>> m_pending;
    int m_pendingCount = 0;
    bool m_markers = false;
};

}  // namespace distill::widgets
