// Model shapes the benchmarks build with random weights: the published shapes of core/model's
// model_shapes.h by lower-case name, a ~10M-parameter model, and the toy student of resources/toy.
#pragma once

#include "core/model/model_config.h"

#include <cstdint>
#include <string>

namespace distill::bench {

// "qwen2.5-0.5b", "qwen2.5-1.5b", "qwen3-0.6b", "llama-3.2-1b", "tiny-10m", "toy"
// (resources/toy/student_config.json), or a path
// to a config.json. Throws distill::Error (InvalidArgument on an unknown name, or the loader's).
model::ModelConfig namedConfig(const std::string& nameOrPath);

// The names namedConfig() knows, comma-separated (for usage and error text).
std::string namedConfigList();

// "0.822M" / "494M" / "1.54B": a parameter count to three significant digits, for labels.
std::string parameterLabel(std::int64_t parameters);

}  // namespace distill::bench
