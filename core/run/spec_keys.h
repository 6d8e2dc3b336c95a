// Key sets that several job kinds' schemas share (spec_schema.h): where a model runs (device, dtype),
// the readability filters, and the curation recipe.
#pragma once

#include "core/run/spec_schema.h"

#include <string>
#include <vector>

namespace distill::run {

// device (cpu, cuda, cuda:N) and dtype (auto, float32, bf16), in `group`.
std::vector<KeyDoc> placementKeys(const std::string& group);
// The readability filters of core/text's FilterConfig, defaults from the struct.
std::vector<KeyDoc> filterKeys();
// Every key of core/text's CurationRecipe (sources, verify, filters, dedup, decontamination,
// rejection, selection), grouped for the form, defaults from the struct.
std::vector<KeyDoc> curationRecipeKeys();

}  // namespace distill::run
