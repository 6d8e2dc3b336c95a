// `distillery-cli curate --workspace W --recipe recipe.yaml`: one curation pass (core/run/curation.h)
// over the workspace, the same as a `kind: curate` job. Prints the JSON summary.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/run/curate_job.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace distill::cli {
namespace {

int runCurate(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace", "recipe", "threads"}, {"dry-run"});
    if (!args.positional().empty())
        throw Error(ErrorCode::InvalidArgument, "curate takes no positional arguments");
    const text::CurationRecipe recipe = args.value("recipe") ? run::readRecipeFile(*args.value("recipe")) : text::CurationRecipe{};
    run::CurationOptions options;
    options.threads = std::size_t(args.intOr("threads", 0));
    if (args.value("threads") && (options.threads < 1 || options.threads > 256))
        throw Error(ErrorCode::InvalidArgument, "--threads must be between 1 and 256");
    options.dryRun = args.flag("dry-run");
    auto ws = store::Workspace::open(args.required("workspace"),
                                     options.dryRun ? store::OpenMode::ReadOnly : store::OpenMode::ReadWrite);
    std::cout << run::toJson(run::curate(ws, recipe, options)).dump() << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "curate",
    "verify, filter, dedup, decontaminate and select teacher samples of a workspace",
    "Usage: distillery-cli curate --workspace W [--recipe recipe.yaml] [--threads N] [--dry-run]\n"
    "  Applies the recipe (docs/curation.md; every key optional, unknown keys are an error) to the\n"
    "  teacher samples of the recipe's sources (default: every source but the bundled benchmarks):\n"
    "  grades answers against the problems' reference answers, scores readability, drops duplicates\n"
    "  and problems that overlap a benchmark, keeps the k best samples per problem and selects\n"
    "  problems by difficulty and domain. Writes verdicts, filter scores (flags), reject reasons and\n"
    "  statuses (accepted/rejected) unless --dry-run. Prints one JSON summary line.",
    runCurate,
});

}  // namespace
}  // namespace distill::cli
