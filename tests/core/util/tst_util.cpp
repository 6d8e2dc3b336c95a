// Tests of core/util: the error type and the ETA estimator.
#include "core/util/error.h"
#include "core/util/progress.h"

#include <QtTest>

using namespace distill;

class TestUtil : public QObject {
    Q_OBJECT
private slots:
    void errorCarriesCodeDetailAndHint()
    {
        const Error e(ErrorCode::Parse, "line 3: unexpected '}'", "check the JSON");
        QCOMPARE(e.code(), ErrorCode::Parse);
        QCOMPARE(QString::fromStdString(e.detail()), QStringLiteral("line 3: unexpected '}'"));
        QCOMPARE(QString::fromStdString(e.what()),
                 QStringLiteral("parse: line 3: unexpected '}' (check the JSON)"));
    }

    void etaFromSteadyRate()
    {
        EtaEstimator eta(60.0);
        const auto t0 = EtaEstimator::Clock::time_point{};
        QVERIFY(!eta.rate());
        eta.update(0, t0);
        eta.update(100, t0 + std::chrono::seconds(10));
        QVERIFY(eta.rate());
        QCOMPARE(*eta.rate(), 10.0);
        QCOMPARE(*eta.secondsLeft(1000), 90.0);
        QCOMPARE(*eta.secondsLeft(50), 0.0);
    }

    void etaWindowForgetsOldRate()
    {
        EtaEstimator eta(5.0);
        const auto t0 = EtaEstimator::Clock::time_point{};
        eta.update(0, t0);
        eta.update(1000, t0 + std::chrono::seconds(1));  // fast start
        for (int s = 2; s <= 20; ++s)
            eta.update(1000 + std::uint64_t(s - 1) * 10, t0 + std::chrono::seconds(s));  // then 10/s
        QVERIFY(std::abs(*eta.rate() - 10.0) < 1e-9);
    }
};

QTEST_GUILESS_MAIN(TestUtil)
#include "tst_util.moc"
