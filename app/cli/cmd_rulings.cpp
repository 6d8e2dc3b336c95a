// distillery-cli rulings: the experts' rulings on grader/judge disagreements, as the judge's and the
// grader's agreement with them (JSON) and, with --out, as grader regression cases (JSON Lines).
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/store/rulings.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <iostream>

namespace distill::cli {

namespace {

nlohmann::json verdictJson(const std::optional<store::Verdict>& v)
{
    return v ? nlohmann::json(store::verdictName(*v)) : nlohmann::json();
}

int runRulings(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "out"}, {});
    const auto ws = store::Workspace::open(args.required("workspace"), store::OpenMode::ReadOnly);
    const std::vector<store::RulingCase> cases = store::rulingCases(ws);
    if (const auto out = args.value("out")) {
        std::ofstream file(*out, std::ios::binary | std::ios::trunc);
        if (!file)
            throw Error(ErrorCode::Io, "cannot write " + *out);
        for (const store::RulingCase& c : cases)
            file << nlohmann::json{{"sample_id", c.ruling.sampleId},
                                   {"question", c.question},
                                   {"response", c.answer},
                                   {"gold", c.reference},
                                   {"expected", store::verdictName(c.ruling.expert)},
                                   {"grader", store::verdictName(c.ruling.grader)},
                                   {"judge", verdictJson(c.ruling.judge)}}
                        .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)
                 << "\n";
        if (!file.flush())
            throw Error(ErrorCode::Io, "cannot write " + *out);
    }
    const store::RulingAccuracy a = store::rulingAccuracy(cases);
    const auto share = [](std::int64_t right, std::int64_t of) {
        return of > 0 ? nlohmann::json(double(right) / double(of)) : nlohmann::json();
    };
    std::cout << nlohmann::json{{"rulings", a.rulings},
                                {"judged", a.judged},
                                {"judge_agrees", a.judgeRight},
                                {"judge_accuracy", share(a.judgeRight, a.judged)},
                                {"grader_agrees", a.graderRight},
                                {"grader_accuracy", share(a.graderRight, a.rulings)}}
                     .dump()
              << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "rulings",
    "the experts' rulings on grader/judge disagreements: judge and grader accuracy, regression cases",
    "Usage: distillery-cli rulings --workspace W [--out CASES.jsonl]\n\n"
    "Prints how often the generative judge (kind: judge) and the rule grader gave the verdict an expert\n"
    "ruled (the curation page's disagreement list keeps each ruling). With --out, writes every ruling as\n"
    "a grader regression case: {sample_id, question, response, gold, expected, grader, judge}.",
    runRulings,
});

}  // namespace

}  // namespace distill::cli
