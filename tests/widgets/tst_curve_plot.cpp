// Tests of CurvePlot: buffered appends replot once per timer tick, read-out, log axis, export.
#include "widgets/plots/curve_plot.h"

#include <qcustomplot.h>

#include <QSignalSpy>
#include <QTemporaryDir>
#include <QtTest>

using distill::widgets::CurvePlot;

class TestCurvePlot : public QObject {
    Q_OBJECT
private slots:
    void tenThousandPointsReplotOncePerTick()
    {
        CurvePlot plot;
        plot.resize(640, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        QCoreApplication::processEvents();  // let the initial paint settle

        int replots = 0;
        connect(plot.plot(), &QCustomPlot::afterReplot, this, [&] { ++replots; });
        QSignalSpy drained(&plot, &CurvePlot::drained);

        for (int i = 0; i < 10000; ++i)
            plot.appendPoint(QStringLiteral("loss"), i, 1.0 / (i + 1));
        QCOMPARE(replots, 0);  // nothing is drawn while points arrive
        QCOMPARE(plot.pendingCount(), 10000);
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 0);

        QVERIFY(drained.wait(1000));
        QCOMPARE(drained.count(), 1);
        QCOMPARE(drained.at(0).at(0).toInt(), 10000);
        QTRY_COMPARE(replots, 1);
        QTest::qWait(3 * CurvePlot::kReplotIntervalMs);
        QCOMPARE(replots, 1);  // and no further replots without new points
        QCOMPARE(plot.pointCount(QStringLiteral("loss")), 10000);
        QCOMPARE(plot.pendingCount(), 0);

        // A second burst in a later tick: again exactly one drain and one replot.
        for (int i = 0; i < 500; ++i)
            plot.appendPoint(QStringLiteral("reward"), i, i * 0.5);
        QVERIFY(drained.wait(1000));
        QTRY_COMPARE(replots, 2);
        QCOMPARE(drained.count(), 2);
        QCOMPARE(plot.seriesNames(), QStringList({QStringLiteral("loss"), QStringLiteral("reward")}));
    }

    void readoutFindsNearestPoint()
    {
        CurvePlot plot;
        plot.resize(640, 400);
        plot.show();
        QVERIFY(QTest::qWaitForWindowExposed(&plot));
        plot.appendPoints(QStringLiteral("acc"), {QPointF(0, 0.1), QPointF(10, 0.5), QPointF(20, 0.9)});
        QTRY_COMPARE(plot.pointCount(QStringLiteral("acc")), 3);
        plot.plot()->replot(QCustomPlot::rpImmediateRefresh);

        QCPGraph* graph = plot.plot()->graph(0);
        const QPointF at = graph->coordsToPixels(10, 0.5);
        const QString text = plot.readoutAt(at.toPoint() + QPoint(2, 1));
        QVERIFY2(text.startsWith(QStringLiteral("acc")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("x = 10")), qPrintable(text));
        QVERIFY2(text.contains(QStringLiteral("y = 0.5")), qPrintable(text));
        QVERIFY(plot.readoutAt(QPoint(2, 2)).isEmpty());  // far from every point
    }

    void logAxisToggle()
    {
        CurvePlot plot;
        QVERIFY(!plot.logY());
        plot.setLogY(true);
        QVERIFY(plot.logY());
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLogarithmic);
        QVERIFY(plot.plot()->yAxis->ticker().dynamicCast<QCPAxisTickerLog>());
        plot.setLogY(false);
        QCOMPARE(plot.plot()->yAxis->scaleType(), QCPAxis::stLinear);
    }

    void exportsCsvPngPdf()
    {
        QTemporaryDir dir;
        CurvePlot plot;
        plot.resize(400, 300);
        plot.appendPoints(QStringLiteral("loss"), {QPointF(1, 2.5), QPointF(2, 1.25)});
        plot.appendPoint(QStringLiteral("a,b"), 3, 4);

        const QString csv = dir.filePath(QStringLiteral("curve.csv"));
        QVERIFY(plot.exportCsv(csv));
        QFile file(csv);
        QVERIFY(file.open(QIODevice::ReadOnly | QIODevice::Text));
        const QString text = QString::fromUtf8(file.readAll());
        QCOMPARE(text, QStringLiteral("series,x,y\nloss,1,2.5\nloss,2,1.25\n\"a,b\",3,4\n"));

        const QString png = dir.filePath(QStringLiteral("curve.png"));
        QVERIFY(plot.exportPng(png, 400, 300));
        QImage image(png);
        QCOMPARE(image.size(), QSize(400, 300));

        const QString pdf = dir.filePath(QStringLiteral("curve.pdf"));
        QVERIFY(plot.exportPdf(pdf, 400, 300));
        QFile pdfFile(pdf);
        QVERIFY(pdfFile.open(QIODevice::ReadOnly));
        QVERIFY(pdfFile.read(5) == "%PDF-");
    }
};

QTEST_MAIN(TestCurvePlot)
#include "tst_curve_plot.moc"
