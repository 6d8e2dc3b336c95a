// The teacher test suite, one executable over three files: tst_teacher_parsing.cpp (parsing,
// backoff, costs, configs), tst_teacher.cpp (the client against a fault-injecting server) and
// tst_teacher_hardening.cpp (hostile servers and specs).
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
    // hostile servers and specs (tst_teacher_hardening.cpp)
    void keyEchoedInALongErrorBodyIsRedactedBeforeItIsCut_data();
    void keyEchoedInALongErrorBodyIsRedactedBeforeItIsCut();
    void apiKeyEnvMustNameAKeyVariable();
    void keyIsNeverSentInClearTextOffThisMachine_data();
    void keyIsNeverSentInClearTextOffThisMachine();
    void oversizedResponsesFailWithoutRetry();
};
