// distillery-cli demo: create (or open) the demo workspace and print its summary.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/run/generate_job.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace distill::cli {

namespace {

// The demo workspace: the bundled benchmarks, ready to browse.
store::Workspace openDemoWorkspace(const std::string& path)
{
    return store::Workspace::openOrCreate(path);
}

int runDemo(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "toy"}, {});
    auto ws = openDemoWorkspace(args.valueOr("workspace", "demo.distillery"));
    // Toy teacher samples (some wrong, so rejection has work); units already there are skipped.
    if (const long long toy = args.intOr("toy", 100); toy > 0) {
        run::JobRegistry jobs;
        run::registerGenerateJob(jobs);
        run::EventSink events(std::cerr);
        const std::string spec = "kind: generate\nname: demo-toy\ntoy: {count: " + std::to_string(toy)
                                 + "}\nsamples_per_problem: 2\nprompt: {user: \"{question}\"}\n"
                                   "teacher: {type: toy, error_rate: 0.2, self_check_rate: 0.2}\n";
        run::runJob(jobs, ws, {spec, std::nullopt, DISTILLERY_VERSION}, events, run::StopToken());
    }
    nlohmann::json info = store::toJson(ws.summary());
    info["workspace"] = ws.path();
    std::cout << info.dump() << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "demo",
    "create or open the demo workspace and print its summary",
    "distillery-cli demo [--workspace W] [--toy N]   (default W: demo.distillery; N toy problems with\n"
    "two toy-teacher samples each, default 100, 0 = none; job events go to stderr)",
    runDemo,
});

}  // namespace

}  // namespace distill::cli
