// Fuzz target: bytes as a dataset file (JSON Lines, or a JSON array when the first byte is '[')
// imported through formats::importFile into a scratch workspace, whichever record reader is current.
#include "core/formats/importer.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

using namespace distill;
namespace fs = std::filesystem;

namespace {

// A workspace under the temporary folder, made afresh every 500 inputs so it stays small.
struct Scratch {
    fs::path dir = fs::temp_directory_path() / ("distill-fuzz-import-" + std::to_string(::getpid()));
    std::optional<store::Workspace> workspace;
    int runs = 0;

    Scratch()
    {
        fs::create_directories(dir);
        std::atexit([] { std::error_code ec; fs::remove_all(scratch().dir, ec); });
    }
    static Scratch& scratch()
    {
        static Scratch s;
        return s;
    }
    store::Workspace& fresh()
    {
        if (!workspace || runs++ % 500 == 0) {
            workspace.reset();
            const std::string path = (dir / "ws.sqlite").string();
            for (const std::string& file : store::workspaceFiles(path))
                fs::remove(file);
            store::CreateOptions options;
            options.loadBenchmarks = false;
            workspace.emplace(store::Workspace::create(path, options));
        }
        return *workspace;
    }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    Scratch& s = Scratch::scratch();
    store::Workspace& workspace = s.fresh();
    const fs::path file = s.dir / "input.jsonl";
    std::ofstream(file, std::ios::binary | std::ios::trunc).write(reinterpret_cast<const char*>(data), std::streamsize(size));
    try {
        formats::importFile(workspace, file.string());
    } catch (const Error&) {
        // Io / NotFound: the file could not be read; anything else escaping is a finding.
    }
    return 0;
}
