#include "core/eval/majority_vote.h"

#include "core/verify/equivalence.h"

namespace distill::eval {

bool sameAnswer(std::string_view a, std::string_view b)
{
    return a == b || verify::compareAnswers(a, b).verdict == verify::Verdict::Equal;
}

Vote majorityVote(const std::vector<std::string>& answers, const SameAnswerFn& same)
{
    struct Cluster {
        int first;
        int votes;
    };
    std::vector<Cluster> clusters;
    for (int i = 0; i < int(answers.size()); ++i) {
        const std::string& a = answers[std::size_t(i)];
        if (a.empty())
            continue;
        bool joined = false;
        for (Cluster& c : clusters) {
            if (same(a, answers[std::size_t(c.first)])) {
                ++c.votes;
                joined = true;
                break;
            }
        }
        if (!joined)
            clusters.push_back({i, 1});
    }
    Vote vote;
    vote.clusters = int(clusters.size());
    // Clusters are in order of their first answer, so a strict > keeps the earliest of tied ones.
    for (const Cluster& c : clusters) {
        if (c.votes > vote.votes) {
            vote.votes = c.votes;
            vote.winner = c.first;
        }
    }
    return vote;
}

}  // namespace distill::eval
