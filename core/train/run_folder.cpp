#include "core/train/run_folder.h"

#include "core/store/records.h"
#include "core/util/error.h"
#include "core/util/text_file.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

namespace distill::train {

namespace fs = std::filesystem;

namespace {

// Flushes a file or folder to the disk (a checkpoint renamed into place must be there in full).
void syncToDisk(const fs::path& path)
{
    const int fd = ::open(path.c_str(), O_RDONLY);
    if (fd < 0)
        throw Error(ErrorCode::Io, "cannot open " + path.string() + " to flush it");
    const int rc = ::fsync(fd);
    ::close(fd);
    if (rc != 0)
        throw Error(ErrorCode::Io, "cannot flush " + path.string() + " to the disk");
}

}  // namespace

fs::path RunFolder::pathFor(const std::string& workspacePath, std::int64_t runId, const std::string& outputDir)
{
    if (!outputDir.empty())
        return fs::path(outputDir);
    return fs::path(workspacePath + ".runs") / ("run-" + std::to_string(runId));
}

RunFolder RunFolder::of(const std::string& workspacePath, const store::Run& run)
{
    return RunFolder(run.folder.empty() ? pathFor(workspacePath, run.id) : fs::path(run.folder));
}

void RunFolder::create() const
{
    fs::create_directories(m_path);
}

void RunFolder::claim(const std::string& workspacePath, std::int64_t runId) const
{
    const fs::path marker = m_path / kRunFile;
    const nlohmann::json mine = {{"workspace", fs::weakly_canonical(workspacePath).string()}, {"run_id", runId}};
    if (fs::exists(marker)) {
        const auto owner = nlohmann::json::parse(util::readTextFile(marker), nullptr, false);
        if (owner != mine)
            throw Error(ErrorCode::InvalidArgument,
                        m_path.string() + " holds another run's checkpoints (" + owner.dump() + ")",
                        "give this run its own output_dir, or resume that run");
        return;
    }
    if (!checkpoints().empty())
        throw Error(ErrorCode::InvalidArgument, m_path.string() + " already holds checkpoints of an unknown run",
                    "give this run its own output_dir");
    util::writeTextFile(marker, mine.dump());
}

std::int64_t RunFolder::checkpointStep(const fs::path& folder)
{
    const std::string name = folder.filename().string();
    if (!name.starts_with("checkpoint-") || !fs::exists(folder / kTrainerStateFile))
        return -1;
    try {
        return std::stoll(name.substr(11));
    } catch (const std::exception&) {
        return -1;
    }
}

std::vector<Checkpoint> RunFolder::checkpoints() const
{
    std::vector<Checkpoint> all;
    if (!fs::is_directory(m_path))
        return all;
    for (const auto& entry : fs::directory_iterator(m_path))
        if (const auto step = checkpointStep(entry.path()); step >= 0 && entry.is_directory())
            all.push_back({step, entry.path()});
    std::sort(all.begin(), all.end(), [](const Checkpoint& a, const Checkpoint& b) { return a.step < b.step; });
    return all;
}

std::optional<Checkpoint> RunFolder::latest() const
{
    auto all = checkpoints();
    if (all.empty())
        return std::nullopt;
    return all.back();
}

std::optional<ResumePoint> RunFolder::resumePoint() const
{
    auto checkpoint = latest();
    if (!checkpoint)
        return std::nullopt;
    const fs::path file = checkpoint->folder / kTrainerStateFile;
    auto state = nlohmann::json::parse(util::readTextFile(file), nullptr, false);
    if (!state.is_object() || !state.contains("step"))
        throw Error(ErrorCode::Parse, file.string() + ": not a trainer state", "remove the checkpoint folder to resume from the one before");
    return ResumePoint{std::move(*checkpoint), std::move(state)};
}

fs::path RunFolder::writeCheckpoint(std::int64_t step, const std::function<void(const fs::path&)>& fill,
                                    const std::string& specYaml, const nlohmann::json& state) const
{
    const fs::path folder = m_path / ("checkpoint-" + std::to_string(step));
    const fs::path partial = m_path / ("partial-" + std::to_string(step));
    fs::remove_all(partial);
    fs::create_directories(partial);
    fill(partial);
    util::writeTextFile(partial / kSpecFile, specYaml);
    util::writeTextFile(partial / kTrainerStateFile, state.dump(1));  // written last: marks the folder complete
    for (const auto& entry : fs::recursive_directory_iterator(partial))
        if (entry.is_regular_file())
            syncToDisk(entry.path());
    syncToDisk(partial);
    fs::remove_all(folder);
    fs::rename(partial, folder);
    syncToDisk(m_path);
    return folder;
}

void RunFolder::prune(std::int64_t keepLast, std::optional<std::int64_t> keep) const
{
    const auto all = checkpoints();
    for (std::size_t i = 0; i + std::size_t(keepLast) < all.size(); ++i)
        if (all[i].step != keep)
            fs::remove_all(all[i].folder);
}

}  // namespace distill::train
