#include "app/cli/args.h"

#include "core/util/error.h"

namespace distill::cli {

InputFile::InputFile(const std::string& path) : m_stdin(path == "-")
{
    if (!m_stdin) {
        m_file.open(path);
        if (!m_file)
            throw Error(ErrorCode::NotFound, "cannot open " + path);
    }
}

Args::Args(std::vector<std::string> argv, std::set<std::string> valueOptions,
           std::set<std::string> flagOptions)
{
    for (std::size_t i = 0; i < argv.size(); ++i) {
        const std::string& a = argv[i];
        if (a.size() > 2 && a.rfind("--", 0) == 0) {
            std::string name = a.substr(2);
            std::optional<std::string> inlineValue;
            if (auto eq = name.find('='); eq != std::string::npos) {
                inlineValue = name.substr(eq + 1);
                name.resize(eq);
            }
            if (flagOptions.count(name)) {
                m_flags.insert(name);
            } else if (valueOptions.count(name)) {
                if (!inlineValue) {
                    if (i + 1 >= argv.size())
                        throw Error(ErrorCode::InvalidArgument, "option --" + name + " needs a value");
                    inlineValue = argv[++i];
                }
                m_values.emplace_back(name, *inlineValue);
            } else {
                throw Error(ErrorCode::InvalidArgument, "unknown option --" + name);
            }
        } else {
            m_positional.push_back(a);
        }
    }
}

std::optional<std::string> Args::value(const std::string& name) const
{
    for (auto it = m_values.rbegin(); it != m_values.rend(); ++it)
        if (it->first == name)
            return it->second;
    return std::nullopt;
}

std::string Args::required(const std::string& name) const
{
    if (auto v = value(name))
        return *v;
    throw Error(ErrorCode::InvalidArgument, "missing required option --" + name);
}

std::string Args::valueOr(const std::string& name, const std::string& fallback) const
{
    return value(name).value_or(fallback);
}

long long Args::intOr(const std::string& name, long long fallback) const
{
    const auto v = value(name);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        long long n = std::stoll(*v, &used);
        if (used == v->size())
            return n;
    } catch (const std::exception&) {
    }
    throw Error(ErrorCode::InvalidArgument, "option --" + name + " expects an integer, got '" + *v + "'");
}

double Args::doubleOr(const std::string& name, double fallback) const
{
    const auto v = value(name);
    if (!v)
        return fallback;
    try {
        std::size_t used = 0;
        double d = std::stod(*v, &used);
        if (used == v->size())
            return d;
    } catch (const std::exception&) {
    }
    throw Error(ErrorCode::InvalidArgument, "option --" + name + " expects a number, got '" + *v + "'");
}

bool Args::flag(const std::string& name) const
{
    return m_flags.count(name) > 0;
}

}  // namespace distill::cli
