#include "core/run/job_registry.h"

#include "core/util/error.h"

namespace distill::run {

void JobRegistry::add(const std::string& kind, JobParser parser)
{
    if (!m_parsers.emplace(kind, std::move(parser)).second)
        throw Error(ErrorCode::Internal, "job kind '" + kind + "' is registered twice");
}

bool JobRegistry::has(const std::string& kind) const
{
    return m_parsers.count(kind) > 0;
}

std::vector<std::string> JobRegistry::kinds() const
{
    std::vector<std::string> out;
    for (const auto& [kind, parser] : m_parsers)
        out.push_back(kind);
    return out;
}

std::unique_ptr<Job> JobRegistry::parse(const std::string& yamlText) const
{
    const SpecMap spec = SpecMap::parse(yamlText);
    const std::string kind = spec.requiredText("kind");
    const auto it = m_parsers.find(kind);
    if (it == m_parsers.end()) {
        std::string known;
        for (const auto& k : kinds())
            known += (known.empty() ? "" : ", ") + k;
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(spec.node("kind").Mark().line + 1)
                                                    + ": unknown job kind '" + kind + "'",
                    "known kinds: " + known);
    }
    return it->second(spec, spec.text("name", kind));
}

}  // namespace distill::run
