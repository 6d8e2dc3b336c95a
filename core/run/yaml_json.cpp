#include "core/run/yaml_json.h"

#include "core/util/error.h"

#include <locale>
#include <sstream>

namespace distill::run {

using nlohmann::json;

static json scalarToJson(const YAML::Node& node)
{
    const std::string& s = node.Scalar();
    if (node.Tag() == "!")  // quoted
        return s;
    if (s == "~" || s == "null" || s == "Null" || s == "NULL")
        return nullptr;
    bool b = false;
    if (YAML::convert<bool>::decode(node, b))
        return b;
    long long i = 0;
    if (YAML::convert<long long>::decode(node, i))
        return i;
    double d = 0.0;
    if (YAML::convert<double>::decode(node, d))
        return d;
    return s;
}

json yamlToJson(const YAML::Node& node)
{
    switch (node.Type()) {
    case YAML::NodeType::Undefined:
    case YAML::NodeType::Null:
        return nullptr;
    case YAML::NodeType::Scalar:
        return scalarToJson(node);
    case YAML::NodeType::Sequence: {
        json out = json::array();
        for (const YAML::Node& item : node)
            out.push_back(yamlToJson(item));
        return out;
    }
    case YAML::NodeType::Map: {
        json out = json::object();
        for (auto it = node.begin(); it != node.end(); ++it)
            out[it->first.Scalar()] = yamlToJson(it->second);
        return out;
    }
    }
    return nullptr;
}

YAML::Node yamlNumber(double value)
{
    std::ostringstream out;
    out.imbue(std::locale::classic());
    out.precision(15);
    out << value;
    return YAML::Node(out.str());
}

YAML::Node jsonToYaml(const json& value)
{
    switch (value.type()) {
    case json::value_t::null:
    case json::value_t::discarded:
        return YAML::Node(YAML::NodeType::Null);
    case json::value_t::boolean:
        return YAML::Node(value.get<bool>());
    case json::value_t::number_integer:
        return YAML::Node(value.get<long long>());
    case json::value_t::number_unsigned:
        return YAML::Node(value.get<unsigned long long>());
    case json::value_t::number_float:
        return yamlNumber(value.get<double>());
    case json::value_t::string:
        return YAML::Node(value.get<std::string>());
    case json::value_t::binary:
        return YAML::Node(YAML::NodeType::Null);
    case json::value_t::array: {
        YAML::Node out(YAML::NodeType::Sequence);
        for (const json& item : value)
            out.push_back(jsonToYaml(item));
        return out;
    }
    case json::value_t::object: {
        YAML::Node out(YAML::NodeType::Map);
        for (const auto& [key, item] : value.items())
            out[key] = jsonToYaml(item);
        return out;
    }
    }
    return YAML::Node();
}

YAML::Node orderedJsonToYaml(const nlohmann::ordered_json& value)
{
    using ojson = nlohmann::ordered_json;
    switch (value.type()) {
    case ojson::value_t::object: {
        YAML::Node out(YAML::NodeType::Map);
        for (const auto& [key, item] : value.items())
            out[key] = orderedJsonToYaml(item);
        return out;
    }
    case ojson::value_t::array: {
        YAML::Node out(YAML::NodeType::Sequence);
        bool scalars = true;
        for (const auto& item : value) {
            out.push_back(orderedJsonToYaml(item));
            scalars = scalars && !item.is_structured();
        }
        if (scalars)
            out.SetStyle(YAML::EmitterStyle::Flow);
        return out;
    }
    default:
        return jsonToYaml(json(value));
    }
}

void requireKnownKeys(const YAML::Node& node, const json& known, const std::string& where,
                      const std::set<std::string>& skip)
{
    if (!node.IsMap() || !known.is_object())
        return;
    for (auto it = node.begin(); it != node.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (skip.count(key))
            continue;
        if (!known.contains(key))
            throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(it->first.Mark().line + 1)
                                                        + ": unknown key '" + key + "' in " + where);
        const json& sub = known[key];
        if (sub.is_object() && !sub.empty())
            requireKnownKeys(it->second, sub, where + "." + key);
    }
}

}  // namespace distill::run
