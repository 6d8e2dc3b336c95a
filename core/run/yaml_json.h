// Conversion between YAML nodes of a job spec and JSON values, for the parts of a spec that another
// library reads as JSON (teacher config, filter thresholds).
#pragma once

#include <nlohmann/json.hpp>
#include <yaml-cpp/yaml.h>

#include <set>
#include <string>

namespace distill::run {

// Plain scalars become null, booleans, integers or numbers when they read as such; quoted scalars
// stay strings.
nlohmann::json yamlToJson(const YAML::Node& node);
YAML::Node jsonToYaml(const nlohmann::json& value);
// The same for an ordered object (keys kept in their order), with lists of scalars in flow style
// ("[a, b]") as people write them in specs.
YAML::Node orderedJsonToYaml(const nlohmann::ordered_json& value);
// A number as YAML writes it for people: 15 significant digits ("0.3", not "0.29999999999999999"),
// which reads back as the same double for every value that was written with at most 15 digits.
YAML::Node yamlNumber(double value);

// For a mapping that another library reads as JSON: throws InvalidArgument "line N: unknown key 'k'
// in <where>" for the first key that `known` (an object holding every valid key, e.g. a default
// config as JSON) lacks, descending into keys whose known value is a non-empty object. Keys in
// `skip` are not checked.
void requireKnownKeys(const YAML::Node& node, const nlohmann::json& known, const std::string& where,
                      const std::set<std::string>& skip = {});

}  // namespace distill::run
