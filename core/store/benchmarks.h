// The benchmark problem sets bundled with Distillery (AIME 2024/2025, AMC 2023, MATH-500, GSM8K)
// and their loading into a workspace as problems plus reference-solution samples.
#pragma once

#include <string>
#include <vector>

namespace distill::store {

class Workspace;

struct BundledBenchmark {
    std::string source;  // problem source name in the workspace: "aime24", "gsm8k", ...
    std::string file;    // file name inside the benchmarks folder
};

const std::vector<BundledBenchmark>& bundledBenchmarks();

// Imports every bundled benchmark file found in `dir` (skipping sources already present).
// Missing files are a NotFound error.
void loadBenchmarks(Workspace& workspace, const std::string& dir);

}  // namespace distill::store
