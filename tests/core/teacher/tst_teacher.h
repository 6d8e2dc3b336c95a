// The teacher test suite, one executable over two files: tst_teacher_parsing.cpp (parsing,
// backoff, costs, configs) and tst_teacher.cpp (the client against a fault-injecting server).
#pragma once

#include "core/teacher/usage_counter.h"

#include <QObject>

// Compares the token counts of two totals (not the cost, which callers check with a tolerance).
void compareTokenCounts(const distill::teacher::UsageTotals& actual,
                        const distill::teacher::UsageTotals& expected);

class TestTeacher : public QObject {
    Q_OBJECT
private slots:
    // parsing, backoff, costs, configs (tst_teacher_parsing.cpp)
    void sseDecoderHandlesSplitsCrlfCommentsAndMultiLineData();
    void accumulatorCollectsDeltasReasoningAndUsage();
    void accumulatorRecordsMalformedAndErrorEventsWithoutThrowing();
    void choicesMustBeIndexedFromZero();
    void serverErrorMessageReadsCommonShapes();
    void retryableStatuses();
    void retryAfterSecondsAndHttpDate();
    void backoffIsFullJitterWithinTheExponentialCap();
    void usageParsingAndCostArithmetic();
    void usageCounterIsThreadSafe();
    void presetsTable();
    void configJsonRoundTripHasNoKeyAndRejectsUnknownKeys();
    // the client against a fault-injecting server (tst_teacher.cpp)
    void nonStreamingRequestCarriesSamplingAndReturnsSplitResult();
    void streamingCapturesReasoningContentAndUsage();
    void thinkTagsInContentAreSplit_data();
    void thinkTagsInContentAreSplit();
    void nativeNIsOneRequest();
    void nIsEmulatedForPresetsWithoutIt();
    void retryAfterIsHonoured_data();
    void retryAfterIsHonoured();
    void nonRetryableStatusFailsFastWithServerMessage_data();
    void nonRetryableStatusFailsFastWithServerMessage();
    void transientFaultsAreRetried_data();
    void transientFaultsAreRetried();
    void givesUpAfterMaxAttempts();
    void stalledStreamHitsTheIdleTimeout();
    void unreachableServerIsRetriedThenFails();
    void everySampleLandsExactlyOnceUnderRandomFaults_data();
    void everySampleLandsExactlyOnceUnderRandomFaults();
    void costCounterAddsDeepSeekUsage();
    void apiKeyNeverAppearsInLogsOrErrors();
    void gracefulStopStartsNothingNew();
    void hardStopAbortsRequestsInFlight();
};
