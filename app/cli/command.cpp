#include "app/cli/command.h"

namespace distill::cli {

std::map<std::string, Command>& commands()
{
    static std::map<std::string, Command> registry;
    return registry;
}

CommandRegistrar::CommandRegistrar(Command command)
{
    std::string name = command.name;
    commands().emplace(std::move(name), std::move(command));
}

}  // namespace distill::cli
