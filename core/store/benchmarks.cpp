#include "core/store/benchmarks.h"

#include "core/formats/importer.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <cstdlib>
#include <filesystem>
#include <system_error>

namespace distill::store {

namespace fs = std::filesystem;

const std::vector<BundledBenchmark>& bundledBenchmarks()
{
    static const std::vector<BundledBenchmark> sets = {
        {"aime24", "aime24.jsonl"}, {"aime25", "aime25.jsonl"},       {"amc23", "amc23.jsonl"},
        {"math500", "math500.jsonl"}, {"gsm8k", "gsm8k_test.jsonl"},
    };
    return sets;
}

std::string bundledResourcesDir()
{
    if (const char* env = std::getenv("DISTILLERY_RESOURCES"); env && *env)
        return fs::is_directory(env) ? std::string(env) : std::string();
    std::error_code ec;
    const fs::path exe = fs::read_symlink("/proc/self/exe", ec);
    if (ec)
        return {};
    const fs::path exeDir = exe.parent_path();
    for (const fs::path& candidate :
         {exeDir / "../../resources", exeDir / "../resources", exeDir / "../share/distillery/resources"}) {
        if (fs::is_directory(candidate / "benchmarks", ec))
            return fs::weakly_canonical(candidate, ec).string();
    }
    return {};
}

std::string bundledBenchmarksDir()
{
    const std::string resources = bundledResourcesDir();
    if (resources.empty())
        return {};
    const fs::path dir = fs::path(resources) / "benchmarks";
    return fs::is_directory(dir) ? dir.string() : std::string();
}

void loadBenchmarks(Workspace& workspace, const std::string& dir)
{
    Workspace::Transaction tx(workspace);
    for (const BundledBenchmark& b : bundledBenchmarks()) {
        if (workspace.countProblems(b.source) > 0)
            continue;
        const fs::path file = fs::path(dir) / b.file;
        if (!fs::exists(file))
            throw Error(ErrorCode::NotFound, "bundled benchmark file missing: " + file.string());
        formats::ImportOptions options;
        options.format = formats::RecordFormat::Problems;
        options.target = formats::ImportTarget::Problems;
        options.source = b.source;
        options.originDetail = b.source;
        const formats::ImportReport report = formats::importFile(workspace, file.string(), options);
        if (!report.errors.empty())
            throw Error(ErrorCode::Parse, "bundled benchmark " + file.string() + " line "
                                              + std::to_string(report.errors.front().line) + ": "
                                              + report.errors.front().reason);
    }
    tx.commit();
}

}  // namespace distill::store
