// Sub-command registry of distillery-cli: each cmd_<name>.cpp registers one command statically.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

namespace distill::cli {

struct Command {
    std::string name;
    std::string summary;  // one line for `distillery-cli help`
    std::string usage;    // full usage text
    // Receives the arguments after the command name; builds its own Args with its options.
    std::function<int(const std::vector<std::string>& argv)> run;
};

std::map<std::string, Command>& commands();

struct CommandRegistrar {
    explicit CommandRegistrar(Command command);
};

}  // namespace distill::cli
