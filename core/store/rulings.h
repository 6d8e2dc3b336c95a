// Expert rulings: where the rule grader and the generative judge (kind: judge) disagree on a sample,
// an expert's verdict is kept in the sample's flags ("ruling": {"verdict", "grader", "judge"}) and
// becomes its verdict. The rulings are grader regression cases, and they measure the judge.
#pragma once

#include "core/store/records.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distill::store {

class Workspace;

struct Ruling {
    std::int64_t sampleId = 0;
    Verdict expert = Verdict::Unknown;
    Verdict grader = Verdict::Unknown;    // the rules' verdict the expert saw
    std::optional<Verdict> judge;         // the judge's, when it decided
};

// The judge's decided verdict in a sample's flags ("judge": {"verdict": "correct" | "incorrect"}).
std::optional<Verdict> judgeVerdict(const std::string& flagsJson);
// The ruling kept in a sample's flags.
std::optional<Ruling> rulingOf(const Sample& sample);

// Sets the sample's verdict to the expert's and keeps the ruling in its flags (one transaction).
void recordRuling(Workspace& workspace, const Ruling& ruling);

struct RulingCase {
    Ruling ruling;
    std::string question, answer, reference;
};
// Every ruling of the workspace, by sample id.
std::vector<RulingCase> rulingCases(const Workspace& workspace);

// How often the judge and the grader gave the expert's verdict.
struct RulingAccuracy {
    std::int64_t rulings = 0;
    std::int64_t judged = 0;       // rulings where the judge had decided
    std::int64_t judgeRight = 0;
    std::int64_t graderRight = 0;
};
RulingAccuracy rulingAccuracy(const std::vector<RulingCase>& cases);

}  // namespace distill::store
