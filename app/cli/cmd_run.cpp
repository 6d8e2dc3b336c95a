// `distillery-cli run JOB.yaml --workspace W [--resume RUN_ID]`: runs a job headless, one JSON event
// per line on stdout. SIGINT/SIGTERM stop it gracefully after the unit of work in flight.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "app/cli/rank_launcher.h"
#include "core/run/job_runner.h"
#include "core/store/workspace.h"
#include "core/train/distributed.h"
#include "core/train/job_kinds.h"
#include "core/util/error.h"

#include <csignal>
#include <fstream>
#include <iostream>
#include <sstream>

using namespace distill;

namespace {

run::StopToken g_stop;

extern "C" void onStopSignal(int)
{
    g_stop.request();
}

void installStopHandlers()
{
    struct sigaction action {};
    action.sa_handler = onStopSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = 0;
    sigaction(SIGINT, &action, nullptr);
    sigaction(SIGTERM, &action, nullptr);
}

std::string readFile(const std::string& path)
{
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw Error(ErrorCode::NotFound, "cannot read job spec " + path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

// `run --explain KIND [--markdown]`: the kind's keys from its schema.
int explain(const std::string& kind, bool markdown)
{
    const run::JobRegistry registry = train::allJobKinds();
    if (kind == "all") {
        for (const auto& k : registry.kinds())
            std::cout << (markdown ? registry.schema(k).markdown() + "\n" : registry.schema(k).describe().dump() + "\n");
        return 0;
    }
    const run::SpecSchema& schema = registry.schema(kind);
    std::cout << (markdown ? schema.markdown() : schema.describe().dump(1)) << "\n";
    return 0;
}

// `run --gpus 0,1 ...`: the workspace is made before the ranks start (the workers only read it), then
// one process per device runs the same command without --gpus.
int launch(const std::vector<int>& devices, const std::vector<std::string>& argv, const std::string& workspacePath)
{
    if (train::DistributedConfig::fromEnvironment().worldSize > 1)
        throw Error(ErrorCode::InvalidArgument, "--gpus inside a data-parallel launch", "start it once, without torchrun");
    {
        store::CreateOptions create;
        create.loadBenchmarks = !store::bundledBenchmarksDir().empty();
        store::Workspace::openOrCreate(workspacePath, create);
    }
    std::vector<std::string> args = {"run"};
    for (std::size_t i = 0; i < argv.size(); ++i) {
        if (argv[i] == "--gpus") {
            ++i;
            continue;
        }
        if (argv[i].starts_with("--gpus="))
            continue;
        args.push_back(argv[i]);
    }
    return cli::launchRanks(devices, args);
}

int runCommand(const std::vector<std::string>& argv)
{
    const cli::Args args(argv, {"workspace", "resume", "explain", "gpus"}, {"markdown"});
    if (const auto kind = args.value("explain"))
        return explain(*kind, args.flag("markdown"));
    if (const auto gpus = args.value("gpus"))
        return launch(cli::parseDeviceList(*gpus), argv, args.required("workspace"));
    if (args.positional().size() > 1)
        throw Error(ErrorCode::InvalidArgument, "give one job spec file");
    run::RunRequest request;
    request.buildVersion = DISTILLERY_VERSION;
    if (args.value("resume")) {
        const long long id = args.intOr("resume", 0);
        if (id <= 0)
            throw Error(ErrorCode::InvalidArgument, "--resume expects a run id");
        request.resumeRunId = id;
    } else if (args.positional().empty()) {
        throw Error(ErrorCode::InvalidArgument, "missing the job spec file", "distillery-cli run JOB.yaml --workspace W");
    }
    if (!args.positional().empty())
        request.specText = readFile(args.positional().front());
    const std::string workspacePath = args.required("workspace");
    // Under torchrun every process runs this command: rank 0 records the run and prints the events;
    // the other ranks (workers) only read the workspace, which must exist, and print theirs on stderr.
    const auto distributed = train::DistributedConfig::fromEnvironment();
    request.rank = distributed.rank;
    request.processes = distributed.worldSize;
    const bool worker = distributed.rank > 0;

    run::EventSink events(worker ? std::cerr : std::cout);
    try {
        store::CreateOptions create;
        create.loadBenchmarks = !store::bundledBenchmarksDir().empty();
        store::Workspace workspace = worker ? store::Workspace::open(workspacePath, store::OpenMode::ReadOnly)
                                            : store::Workspace::openOrCreate(workspacePath, create);
        workspace.setBusyTimeout(600'000);  // a job waits out another writer's lock rather than failing
        installStopHandlers();
        const run::RunResult result = run::runJob(train::allJobKinds(), workspace, request, events, g_stop);
        return result.status == "failed" ? 1 : 0;
    } catch (const Error& e) {
        // Also on stdout, so a process that only follows the events learns why the job never ran.
        events.error(std::string(errorCodeName(e.code())), e.detail(), e.hint(), true);
        throw;
    }
}

const cli::CommandRegistrar registrar({
    "run",
    "run a job spec (generate, curate, freeze, judge, eval, sft, grpo, pipeline) headless, printing JSON events",
    "Usage: distillery-cli run JOB.yaml --workspace W [--resume RUN_ID] [--gpus 0,1,...]\n"
    "       distillery-cli run --explain KIND|all [--markdown]\n\n"
    "Runs the job described by JOB.yaml (kind: generate | curate | freeze | judge | eval | sft | grpo | pipeline) against\n"
    "workspace W (created when missing) and prints one JSON event per line: started, progress, metric, log,\n"
    "checkpoint, error, finished (a pipeline's stages add stage events and tag theirs with \"stage\"). The\n"
    "bundled recipes are pipelines: resources/recipes/{distillation,r1,s1}.yaml. Work already in the\n"
    "workspace is skipped. SIGINT/SIGTERM finish the unit in flight and\n"
    "end with a finished event of status \"stopped\".\n\n"
    "sft and grpo jobs run data-parallel, one process per GPU (NCCL; Gloo for CPU processes):\n"
    "  distillery-cli run --gpus 0,1,2,3 sft.yaml --workspace W          (this machine's GPUs 0-3)\n"
    "  torchrun --standalone --nproc-per-node=8 --no-python distillery-cli run sft.yaml --workspace W\n"
    "(torchrun and Slurm set RANK, WORLD_SIZE, LOCAL_RANK, MASTER_ADDR and MASTER_PORT, also across\n"
    "machines). Rank 0 records the run and prints the events; under torchrun the workspace must exist\n"
    "beforehand.\n\n"
    "  --workspace W    the workspace file\n"
    "  --resume ID      continue run ID with its stored spec (JOB.yaml may be left out; if given it\n"
    "                   must resolve to the same spec)\n"
    "  --gpus 0,1       run one process per listed GPU (as torchrun would on this machine)\n"
    "  --explain KIND   print the keys of a job kind (name, type, default, range or choices, unit, doc,\n"
    "                   group) as JSON, or with --markdown as tables; `all` for every kind\n"
    "Exit status: 0 finished or stopped, 1 failed, 2 bad arguments or spec.",
    runCommand,
});

}  // namespace
