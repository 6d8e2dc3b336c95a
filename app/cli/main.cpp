// distillery-cli: headless twin of the Distillery GUI. Dispatches to registered sub-commands.
#include "app/cli/command.h"
#include "core/util/error.h"
#include "core/util/heap_tuning.h"

#include <nlohmann/json.hpp>

#include <iostream>

using namespace distill;

static void printHelp()
{
    std::cout << "distillery-cli " << DISTILLERY_VERSION << "\n\nUsage: distillery-cli <command> [options]\n\nCommands:\n";
    for (const auto& [name, cmd] : cli::commands())
        std::cout << "  " << name << std::string(name.size() < 12 ? 12 - name.size() : 1, ' ') << cmd.summary << "\n";
    std::cout << "\nRun 'distillery-cli help <command>' for a command's options.\n";
}

// Error texts quote user input (option values, file names, spec text) that need not be UTF-8:
// invalid bytes become U+FFFD instead of throwing inside the handler.
static void printError(const nlohmann::json& error)
{
    std::cerr << error.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
}

int main(int argc, char** argv)
{
    std::ios::sync_with_stdio(false);
    util::keepLargeBlocksInHeap();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty() || args[0] == "help" || args[0] == "--help" || args[0] == "-h") {
        if (args.size() >= 2 && cli::commands().count(args[1])) {
            std::cout << cli::commands().at(args[1]).usage << "\n";
            return 0;
        }
        printHelp();
        return args.empty() ? 2 : 0;
    }
    if (args[0] == "--version") {
        std::cout << DISTILLERY_VERSION << "\n";
        return 0;
    }
    const auto it = cli::commands().find(args[0]);
    if (it == cli::commands().end()) {
        std::cerr << "distillery-cli: unknown command '" << args[0] << "'\n";
        printHelp();
        return 2;
    }
    args.erase(args.begin());
    try {
        return it->second.run(args);
    } catch (const Error& e) {
        nlohmann::json err = {{"error", std::string(errorCodeName(e.code()))}, {"detail", e.detail()}};
        if (!e.hint().empty())
            err["hint"] = e.hint();
        printError(err);
        return e.code() == ErrorCode::InvalidArgument ? 2 : 1;
    } catch (const std::exception& e) {
        printError({{"error", "internal"}, {"detail", e.what()}});
        return 1;
    }
}
