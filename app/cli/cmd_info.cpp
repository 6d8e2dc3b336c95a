// distillery-cli info: counts of a workspace per source, status, verdict and origin, as JSON.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

#include <iostream>

namespace distill::cli {

namespace {

int runInfo(const std::vector<std::string>& argv)
{
    const Args args(argv, {"workspace"}, {});
    const auto ws = store::Workspace::open(args.required("workspace"), store::OpenMode::ReadOnly);
    nlohmann::json info = store::toJson(ws.summary());
    info["workspace"] = ws.path();
    info["schema_version"] = ws.schemaVersion();
    std::cout << info.dump() << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "info",
    "print a workspace's counts per source, status and verdict (JSON)",
    "distillery-cli info --workspace W",
    runInfo,
});

}  // namespace

}  // namespace distill::cli
