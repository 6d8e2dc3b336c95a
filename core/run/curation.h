// Curation of a workspace's teacher samples in one pass: grade answers against the problems'
// reference answers, score readability, find duplicates and benchmark overlap, keep the k best
// samples per problem, select problems s1-style, and write verdicts, scores, reject reasons and
// statuses back (unless a dry run). The `curate` job and `distillery-cli curate` both run it.
#pragma once

#include "core/text/curation_recipe.h"
#include "core/util/progress.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::run {

struct CurationOptions {
    bool dryRun = false;      // decide and count, write nothing
    std::size_t threads = 0;  // grading and decontamination threads; 0: the hardware's
};

struct ContaminatedProblem {
    std::int64_t problem = 0;
    std::string benchmark, id;  // the benchmark problem it overlaps
};

struct CurationSummary {
    bool dryRun = false;
    bool stopped = false;  // a stop request came before the write-back: nothing was written
    struct Problems {
        std::int64_t total = 0, selected = 0, contaminated = 0, duplicates = 0;
        std::map<std::string, std::int64_t> notSelected;  // by reason
        std::vector<ContaminatedProblem> contamination;
    } problems;
    struct Samples {
        std::int64_t total = 0, kept = 0, referenceModel = 0;
        std::int64_t summarized = 0;  // answers given a summary (cold_start_summary)
        std::map<std::string, std::int64_t> rejected;  // by reason
        std::map<std::string, std::int64_t> verdicts;  // by verdict name
    } samples;
    text::CurationRecipe recipe;
};

// {"dry_run", "problems": {"total", "selected", "contaminated", "duplicates", "not_selected",
// "contamination": [{"problem", "benchmark", "id"}]}, "samples": {"total", "kept", "rejected",
// "verdicts", "summarized", "reference_model"}, "recipe"} (+ "stopped": true when stopped).
nlohmann::json toJson(const CurationSummary& summary);

// Curates the teacher samples of the recipe's sources (default: every source but the bundled
// benchmarks). `progress` gets (graded, to grade) and may return false to stop before anything is
// written. The write-back is one transaction.
CurationSummary curate(store::Workspace& workspace, const text::CurationRecipe& recipe, const CurationOptions& options,
                       const ProgressFn& progress = {});

}  // namespace distill::run
