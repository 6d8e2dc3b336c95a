// RunFolder: the folder of a training run on disk — where it is (the one path rule, for the jobs and
// the desktop app alike), its complete `checkpoint-N` folders, their atomic write, pruning, and the
// state a resumed run continues from. Torch-free: what goes into a checkpoint is the caller's.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace distill::store {
struct Run;
}

namespace distill::train {

inline constexpr const char* kTrainerStateFile = "trainer_state.json";  // step, data position, seed
inline constexpr const char* kOptimizerStateFile = "optimizer.pt";      // AdamW moments and step counts
inline constexpr const char* kSpecFile = "distill_spec.yaml";           // the resolved spec of the run
inline constexpr const char* kRunFile = "run.json";                     // the run the folder belongs to

struct Checkpoint {
    std::int64_t step = 0;
    std::filesystem::path folder;
};

// A complete checkpoint and the trainer state written into it.
struct ResumePoint {
    Checkpoint checkpoint;
    nlohmann::json state;
};

class RunFolder {
public:
    // The folder of run `runId` of the workspace at `workspacePath`: `outputDir` when the spec names
    // one, else `<workspace>.runs/run-<id>`.
    static std::filesystem::path pathFor(const std::string& workspacePath, std::int64_t runId,
                                         const std::string& outputDir = {});
    // The folder of a stored run: the one its job recorded, else the default of pathFor.
    static RunFolder of(const std::string& workspacePath, const store::Run& run);

    explicit RunFolder(std::filesystem::path path) : m_path(std::move(path)) {}

    const std::filesystem::path& path() const { return m_path; }
    // Creates the folder (and its parents) when missing.
    void create() const;
    // Marks an output_dir as run `runId`'s of the workspace; InvalidArgument when it belongs to another
    // run or holds checkpoints of an unknown one (two runs sharing an output_dir would resume each
    // other's checkpoints).
    void claim(const std::string& workspacePath, std::int64_t runId) const;

    // The complete checkpoints, oldest first (none when the folder does not exist).
    std::vector<Checkpoint> checkpoints() const;
    std::optional<Checkpoint> latest() const;
    // The latest checkpoint with its trainer state (Parse error naming the file when unreadable).
    std::optional<ResumePoint> resumePoint() const;

    // Writes `checkpoint-<step>`: `fill` writes the model and optimizer files into a `partial-<step>`
    // folder, then the spec and the trainer state (last: it marks the folder complete) are written
    // and the folder is renamed into place, so a kill during a save leaves the previous checkpoint
    // intact; the files are flushed to the disk before the rename. Returns the checkpoint folder.
    std::filesystem::path writeCheckpoint(std::int64_t step, const std::function<void(const std::filesystem::path&)>& fill,
                                          const std::string& specYaml, const nlohmann::json& state) const;
    // Removes all but the newest `keepLast` complete checkpoints and the one of step `keep` (a
    // run's best, kept for early stopping).
    void prune(std::int64_t keepLast, std::optional<std::int64_t> keep = std::nullopt) const;

    // N of a complete `checkpoint-N` folder (one holding its trainer state), else -1.
    static std::int64_t checkpointStep(const std::filesystem::path& folder);

private:
    std::filesystem::path m_path;
};

}  // namespace distill::train
