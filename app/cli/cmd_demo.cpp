// distillery-cli demo: the toy pipeline on the demo workspace (teacher traces, rejection sampling,
// SFT of a tiny student from scratch, GRPO), printing a short report whose last line is JSON.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/store/workspace.h"
#include "core/train/toy_demo.h"
#include "core/util/error.h"

#include <csignal>
#include <iostream>

namespace distill::cli {

namespace {

run::StopToken g_stop;

extern "C" void onDemoStop(int)
{
    g_stop.request();
}

int runDemo(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "problems", "samples-per-problem", "sft-steps", "grpo-steps", "eval-problems", "eval-samples", "seed"},
                    {"fresh", "events"});
    train::ToyDemoOptions options;
    options.buildVersion = DISTILLERY_VERSION;
    options.problems = int(args.intOr("problems", options.problems));
    options.samplesPerProblem = int(args.intOr("samples-per-problem", options.samplesPerProblem));
    options.sftSteps = args.intOr("sft-steps", options.sftSteps);
    options.grpoSteps = args.intOr("grpo-steps", options.grpoSteps);
    options.evalProblems = int(args.intOr("eval-problems", options.evalProblems));
    options.evalSamples = int(args.intOr("eval-samples", options.evalSamples));
    const long long seed = args.intOr("seed", 0);
    options.seed = std::uint64_t(seed);
    options.fresh = args.flag("fresh");
    if (options.problems < 1 || options.samplesPerProblem < 1 || options.sftSteps < 1 || options.grpoSteps < 0 || options.evalProblems < 1
        || options.evalSamples < 1 || seed < 0)
        throw Error(ErrorCode::InvalidArgument, "--problems, --samples-per-problem, --sft-steps, --eval-problems and --eval-samples must be "
                                                "positive, --grpo-steps and --seed zero or more");

    auto ws = store::Workspace::openOrCreate(args.valueOr("workspace", "demo.distillery"));
    std::signal(SIGINT, onDemoStop);
    std::signal(SIGTERM, onDemoStop);
    // Job events (JSON lines) go to stderr with --events; the report goes to stdout.
    std::ostream null(nullptr);
    run::EventSink events(args.flag("events") ? std::cerr : null);
    std::cout << "Distillery toy demo on " << ws.path() << std::endl;
    const auto result = train::runToyDemo(ws, options, events, std::cout, g_stop);
    return result.value("status", std::string()) == "finished" ? 0 : 1;
}

const CommandRegistrar registrar({
    "demo",
    "the toy pipeline on the demo workspace: teacher traces, rejection sampling, SFT, GRPO, pass@1",
    "Usage: distillery-cli demo [--workspace W] [--problems N] [--samples-per-problem M] [--sft-steps S]\n"
    "                           [--grpo-steps G] [--eval-problems P] [--eval-samples K] [--seed N] [--fresh]\n"
    "                           [--events]\n\n"
    "Runs on the toy arithmetic domain, on CPU: the toy teacher writes N x M step-by-step traces (some\n"
    "wrong), wrong ones are rejected, the accepted ones are frozen as a dataset, a tiny student is trained\n"
    "from random weights by SFT for S steps and then by GRPO for G steps (0: none). pass@1 over K samples\n"
    "on P held-out toy problems is measured before SFT, after SFT and after GRPO. Each stage is a job of\n"
    "workspace W (default demo.distillery, created with the bundled benchmarks); a rerun resumes the runs\n"
    "of the same specs (--fresh starts new ones). The last line printed is one JSON object.\n"
    "  --seed N   seed of the teacher's choices and of the training runs (default 0; the problems stay)\n"
    "  --events   also print the jobs' JSON events on stderr",
    runDemo,
});

}  // namespace

}  // namespace distill::cli
