// `distillery-cli grade FILE.jsonl`: judges {"pred", "gold"} lines, one JSON verdict line per input line.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/util/error.h"
#include "core/util/parallel_for.h"
#include "core/verify/grader.h"

#include <nlohmann/json.hpp>

#include <iostream>
#include <vector>

namespace distill::cli {
namespace {

nlohmann::json gradeLine(const std::string& line, std::size_t lineNo)
{
    nlohmann::json out = {{"equal", nullptr}, {"pred_answer", ""}, {"reason", ""}};
    nlohmann::json in;
    try {
        in = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception&) {
        out["reason"] = "line " + std::to_string(lineNo) + ": not valid JSON";
        return out;
    }
    if (!in.is_object() || !in.contains("pred") || !in.contains("gold")) {
        out["reason"] = "line " + std::to_string(lineNo) + ": expected an object with \"pred\" and \"gold\"";
        return out;
    }
    auto asText = [](const nlohmann::json& v) { return v.is_string() ? v.get<std::string>() : v.dump(); };
    if (in["pred"].is_null() || in["gold"].is_null()) {
        out["reason"] = "line " + std::to_string(lineNo) + ": \"pred\" or \"gold\" is null";
        return out;
    }
    const verify::GradeResult r = verify::grade(asText(in["pred"]), asText(in["gold"]));
    if (r.verdict != verify::Verdict::Unknown)
        out["equal"] = r.verdict == verify::Verdict::Equal;
    out["pred_answer"] = r.predAnswer;
    out["reason"] = r.reason;
    return out;
}

int runGrade(const std::vector<std::string>& argv)
{
    const Args args(argv, {"threads"}, {});
    if (args.positional().size() > 1)
        throw Error(ErrorCode::InvalidArgument, "grade takes one input file");
    const std::string path = args.positional().empty() ? "-" : args.positional()[0];
    const long long threads = args.intOr("threads", 1);
    if (threads < 1 || threads > 256)
        throw Error(ErrorCode::InvalidArgument, "--threads must be between 1 and 256");

    InputFile file(path);
    std::istream& in = file.stream();
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line.back() == '\r')
            line.pop_back();
        lines.push_back(std::move(line));
    }
    while (!lines.empty() && lines.back().find_first_not_of(" \t") == std::string::npos)
        lines.pop_back();  // a trailing newline or blank tail is not an input line

    std::vector<std::string> results(lines.size());
    util::parallelFor(lines.size(), std::size_t(threads), [&](std::size_t i) {
        results[i] = gradeLine(lines[i], i + 1).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    });
    for (const std::string& r : results)
        std::cout << r << '\n';
    std::cout.flush();
    return 0;
}

const CommandRegistrar registrar({
    "grade",
    "judge predicted answers against gold answers (JSONL in, JSONL out)",
    "Usage: distillery-cli grade [FILE.jsonl|-] [--threads N]\n"
    "  Reads lines {\"pred\": ..., \"gold\": ...}; pred may be a bare answer or a whole response.\n"
    "  Writes one line per input line, in order: {\"equal\": true|false|null, \"pred_answer\": ..., \"reason\": ...}\n"
    "  (null: could not decide, or the input line was malformed). No file or '-' reads stdin.",
    runGrade,
});

}  // namespace
}  // namespace distill::cli
