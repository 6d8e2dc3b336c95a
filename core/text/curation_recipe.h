// CurationRecipe: every knob of one curation pass (verification, readability filters, dedup,
// decontamination, rejection sampling, selection) with JSON (de)serialisation. The CLI reads it
// from YAML; the resolved recipe is stored as JSON next to what it produced.
#pragma once

#include "core/text/minhash.h"
#include "core/text/readability_filter.h"
#include "core/text/rejection_policy.h"
#include "core/text/selection_policy.h"

#include <nlohmann/json_fwd.hpp>

#include <string>
#include <vector>

namespace distill::text {

struct DedupConfig {
    bool exact = true;          // drop samples whose normalised text equals an earlier one
    bool nearSamples = true;    // MinHash near-duplicates among samples of the same problem
    bool nearProblems = true;   // MinHash near-duplicates among problems (later copies are dropped)
    MinHashConfig minhash;
};

struct DecontaminationConfig {
    bool enabled = true;
    std::size_t ngram = 8;
    std::string benchmarksDir;  // folder of benchmark *.jsonl files; empty = the bundled ones
};

struct CurationRecipe {
    std::vector<std::string> sources;  // problem sources to curate; empty = all but the benchmarks
    bool verify = true;                // grade each sample's answer against the reference answer
    std::string referenceModel;        // origin detail of a reference model's samples (difficulty)
    bool coldStartSummary = false;     // answers of fewer than kMinSummaryWords words get withSummary()
    FilterConfig filters;
    DedupConfig dedup;
    DecontaminationConfig decontamination;
    RejectionConfig rejection;
    SelectionConfig selection;
};

nlohmann::json toJson(const CurationRecipe& recipe);
// Keys missing from json keep their defaults; unknown keys and wrong types are Parse errors.
CurationRecipe curationRecipeFromJson(const nlohmann::json& json);

}  // namespace distill::text
