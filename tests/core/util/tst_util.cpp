// Tests of core/util: the error type, the ETA estimator, parallelFor and SplitMix64.
#include "core/util/error.h"
#include "core/util/parallel_for.h"
#include "core/util/progress.h"
#include "core/util/split_mix64.h"

#include <stdexcept>

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

    void parallelForVisitsEachIndexOnce_data()
    {
        QTest::addColumn<int>("n");
        QTest::addColumn<int>("threads");
        QTest::newRow("empty") << 0 << 4;
        QTest::newRow("one thread") << 100 << 1;
        QTest::newRow("more threads than items") << 3 << 8;
        QTest::newRow("many items") << 10000 << 4;
    }

    void parallelForVisitsEachIndexOnce()
    {
        QFETCH(int, n);
        QFETCH(int, threads);
        std::vector<std::atomic<int>> visits(static_cast<std::size_t>(n));
        util::parallelFor(std::size_t(n), std::size_t(threads), [&](std::size_t i) { visits[i].fetch_add(1); });
        for (const auto& v : visits)
            QCOMPARE(v.load(), 1);
    }

    void parallelForRethrowsTheFirstError()
    {
        std::atomic<int> ran{0};
        const auto failAtTen = [&](std::size_t i) {
            ran.fetch_add(1);
            if (i == 10)
                throw std::runtime_error("item 10");
        };
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, util::parallelFor(1000, 3, failAtTen));
        ran = 0;
        QVERIFY_THROWS_EXCEPTION(std::runtime_error, util::parallelFor(1000, 1, failAtTen));
        QCOMPARE(ran.load(), 11);  // the hand-out stops at the error
    }

    void splitMix64IsTheReferenceSequence()
    {
        // Vigna's reference splitmix64.c seeded with 0 starts with these outputs.
        util::SplitMix64 rng(0);
        QCOMPARE(rng.next(), 0xE220A8397B1DCDAFULL);
        QCOMPARE(rng.next(), 0x6E789E6AA1B965F4ULL);
        QCOMPARE(rng.next(), 0x06C45D188009454FULL);
    }
};

QTEST_GUILESS_MAIN(TestUtil)
#include "tst_util.moc"
