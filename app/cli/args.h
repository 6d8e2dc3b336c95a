// Minimal command-line parsing for distillery-cli: `--key value`, `--flag`, positionals.
// Options must be declared; an unknown option is an InvalidArgument error.
#pragma once

#include <fstream>
#include <iostream>
#include <optional>
#include <set>
#include <string>
#include <vector>

namespace distill::cli {

class Args {
public:
    // valueOptions take a value (`--format jsonl`); flagOptions do not (`--chat`).
    Args(std::vector<std::string> argv, std::set<std::string> valueOptions,
         std::set<std::string> flagOptions);

    const std::vector<std::string>& positional() const { return m_positional; }
    std::optional<std::string> value(const std::string& name) const;
    std::string required(const std::string& name) const;
    std::string valueOr(const std::string& name, const std::string& fallback) const;
    long long intOr(const std::string& name, long long fallback) const;
    double doubleOr(const std::string& name, double fallback) const;
    bool flag(const std::string& name) const;

private:
    std::vector<std::string> m_positional;
    std::vector<std::pair<std::string, std::string>> m_values;
    std::set<std::string> m_flags;
};

// An input file named on the command line, or standard input for "-". NotFound when the file
// cannot be opened.
class InputFile {
public:
    explicit InputFile(const std::string& path);
    std::istream& stream() { return m_stdin ? static_cast<std::istream&>(std::cin) : m_file; }

private:
    bool m_stdin;
    std::ifstream m_file;
};

}  // namespace distill::cli
