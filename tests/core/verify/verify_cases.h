// Equivalence cases for tst_verify, written from first principles: (pred, gold, expected verdict).
#pragma once

#include <vector>

struct EquivalenceCase {
    const char* category;
    const char* pred;
    const char* gold;
    const char* expected;  // "equal", "not_equal" or "unknown"
};

const std::vector<EquivalenceCase>& equivalenceCases();
