// Grader-coverage cases for tst_verify, grouped by family: bare pred/gold pairs and whole responses.
// The `source` names where the kind of case comes from (keys explained in data/SOURCES.md).
#pragma once

#include <vector>

struct FamilyPair {
    const char* family;
    const char* pred;
    const char* gold;
    const char* expected;  // "equal", "not_equal" or "unknown"
    const char* source;
};

struct ResponseCase {
    const char* family;
    const char* response;
    const char* gold;
    const char* answer;    // what extraction must find
    const char* rule;      // extractRuleName() of the rule that finds it
    const char* expected;  // verdict of grade(response, gold)
    const char* source;
};

// A record of tests/fixtures/traces/marco-o1-cot-demo.json whose question has one checkable answer,
// with that answer worked out by hand.
struct TraceRecord {
    int index;
    const char* gold;
};

const std::vector<FamilyPair>& familyPairs();
const std::vector<ResponseCase>& responseCases();
const std::vector<TraceRecord>& marcoTraceRecords();
