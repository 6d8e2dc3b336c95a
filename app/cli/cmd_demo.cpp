// distillery-cli demo: create (or open) the demo workspace and print its summary.
#include "app/cli/args.h"
#include "app/cli/command.h"
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
    const Args args(argv, {"workspace"}, {});
    const auto ws = openDemoWorkspace(args.valueOr("workspace", "demo.distillery"));
    nlohmann::json info = store::toJson(ws.summary());
    info["workspace"] = ws.path();
    std::cout << info.dump() << std::endl;
    return 0;
}

const CommandRegistrar registrar({
    "demo",
    "create or open the demo workspace and print its summary",
    "distillery-cli demo [--workspace W]   (default W: demo.distillery)",
    runDemo,
});

}  // namespace

}  // namespace distill::cli
