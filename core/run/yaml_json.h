// Conversion between YAML nodes of a job spec and JSON values, for the parts of a spec that another
// library reads as JSON (teacher config, filter thresholds).
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

namespace distill::run {

// Plain scalars become null, booleans, integers or numbers when they read as such; quoted scalars
// stay strings.
nlohmann::json yamlToJson(const YAML::Node& node);
YAML::Node jsonToYaml(const nlohmann::json& value);

}  // namespace distill::run
