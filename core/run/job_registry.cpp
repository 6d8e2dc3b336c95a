#include "core/run/job_registry.h"

#include "core/run/spec_map.h"
#include "core/util/error.h"

namespace distill::run {

void JobRegistry::add(SpecSchema schema, JobParser parser)
{
    const std::string kind = schema.kind();
    if (!m_kinds.emplace(kind, Kind{std::move(schema), std::move(parser)}).second)
        throw Error(ErrorCode::Internal, "job kind '" + kind + "' is registered twice");
}

bool JobRegistry::has(const std::string& kind) const
{
    return m_kinds.count(kind) > 0;
}

std::vector<std::string> JobRegistry::kinds() const
{
    std::vector<std::string> out;
    for (const auto& [kind, entry] : m_kinds)
        out.push_back(kind);
    return out;
}

const SpecSchema& JobRegistry::schema(const std::string& kind) const
{
    const auto it = m_kinds.find(kind);
    if (it == m_kinds.end()) {
        std::string known;
        for (const auto& k : kinds())
            known += (known.empty() ? "" : ", ") + k;
        throw Error(ErrorCode::NotFound, "unknown job kind '" + kind + "'", "known kinds: " + known);
    }
    return it->second.schema;
}

std::unique_ptr<Job> JobRegistry::parse(const std::string& yamlText) const
{
    return parse(SpecMap::parse(yamlText).mapping());
}

std::unique_ptr<Job> JobRegistry::parse(const YAML::Node& node) const
{
    const SpecMap spec(node, "");
    const std::string kind = spec.requiredText("kind");
    const auto it = m_kinds.find(kind);
    if (it == m_kinds.end()) {
        std::string known;
        for (const auto& k : kinds())
            known += (known.empty() ? "" : ", ") + k;
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(spec.node("kind").Mark().line + 1)
                                                    + ": unknown job kind '" + kind + "'",
                    "known kinds: " + known);
    }
    const std::string name = spec.text("name", kind);
    ResolvedSpec resolved = it->second.schema.resolve(spec.mapping());
    auto job = it->second.parser(resolved, name);
    job->m_resolvedYaml = it->second.schema.yaml(name, resolved.values);
    return job;
}

}  // namespace distill::run
