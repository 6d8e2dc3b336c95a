// cons@k: the majority vote over the extracted answers of k samples, with equivalent answers
// ("\frac12" and "0.5") voting for the same cluster.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::eval {

// Whether two extracted answers are the same answer.
using SameAnswerFn = std::function<bool(std::string_view, std::string_view)>;

// verify::compareAnswers(a, b) == Equal, after a byte-equality fast path.
bool sameAnswer(std::string_view a, std::string_view b);

struct Vote {
    int winner = -1;    // index of the winning cluster's first answer; -1 when no sample answered
    int votes = 0;      // answers in the winning cluster
    int clusters = 0;   // distinct answers
};

// Answers are clustered in order: each joins the first cluster whose first answer it equals, else
// opens a new one. Empty answers (no answer found) do not vote. The largest cluster wins; a tie goes
// to the cluster whose first answer came first (lowest sample index), so the vote is deterministic.
Vote majorityVote(const std::vector<std::string>& answers, const SameAnswerFn& same = sameAnswer);

}  // namespace distill::eval
