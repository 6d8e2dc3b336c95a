// bench_side_by_side: training jobs run at once on one machine as users start them (the window's
// Train page and a terminal: separate `distillery-cli run` processes), against one job alone. Each
// job is the toy demo's SFT (the 0.8M-parameter student, sequence 256, micro-batch 32) on a dataset of
// toy teacher traces made first; each job gets its own copy of the workspace.
//   bench_side_by_side [--cli PATH] [--steps 30] [--jobs 2] [--load N] [--env NAME=VALUE ...]
// --load N: N busy processes (a build) beside the side-by-side jobs; --env: set in every job's
// environment (e.g. OMP_WAIT_POLICY=PASSIVE, OPENBLAS_NUM_THREADS=1), to compare threading choices.
// Prints each job's median tokens/s over its steps after the fifth, alone and side by side, and the
// ratio to alone; the target is >= 0.40 for every job side by side.
#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

namespace fs = std::filesystem;

namespace {

constexpr double kTarget = 0.40;

struct Options {
    std::string cli = DISTILLERY_CLI_PATH;
    int steps = 30;
    int jobs = 2;
    int load = 0;
    std::vector<std::string> env;
};

std::string quoted(const std::string& s)
{
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return out + "'";
}

void writeFile(const fs::path& path, const std::string& text)
{
    std::ofstream out(path);
    out << text;
    if (!out)
        throw std::runtime_error("cannot write " + path.string());
}

// A workspace holding the dataset "toy-data": accepted toy teacher traces of 4,000 problems.
void prepareWorkspace(const Options& o, const fs::path& dir)
{
    writeFile(dir / "prep.yaml", R"(kind: pipeline
name: side-by-side-data
stages:
  - name: teacher
    spec:
      kind: generate
      toy: {count: 4000, seed: 0, difficulty: 0, split: train}
      samples_per_problem: 1
      prompt: {user: "{question}", think_prefill: true}
      teacher: {type: toy, verbosity: worked, seed: 0}
      verify: true
      reject_incorrect: true
  - name: data
    spec:
      kind: freeze
      dataset: toy-data
      query: {source: toy, status: accepted}
)");
    const std::string command = quoted(o.cli) + " run " + quoted((dir / "prep.yaml").string()) + " --workspace "
                              + quoted((dir / "base.distillery").string()) + " > " + quoted((dir / "prep.log").string())
                              + " 2>&1";
    if (std::system(command.c_str()) != 0)
        throw std::runtime_error("preparing the dataset failed: see " + (dir / "prep.log").string());
    const std::string resources = distill::store::bundledResourcesDir();
    writeFile(dir / "sft.yaml", "kind: sft\n"
                                "data: {datasets: [{name: toy-data}], max_seq_len: 256, think_prefill: true}\n"
                                "model: {path: " + resources + "/toy/student_config.json, tokenizer: " + resources + "/toy}\n"
                                "train: {seed: 0, max_steps: " + std::to_string(o.steps)
                                + ", micro_batch_size: 32, lr: 0.003, loss_chunk_tokens: 2048}\n");
}

// Runs `count` SFT jobs at once (each on a fresh copy of the workspace) and returns each one's median
// tokens/s over its steps after the fifth.
std::vector<double> runJobs(const Options& o, const fs::path& dir, int count, const std::string& tag)
{
    std::vector<std::thread> readers;
    std::vector<std::vector<double>> rates(count);
    std::vector<FILE*> pipes(count);
    std::string env;
    for (const std::string& e : o.env)
        env += quoted(e) + " ";
    for (int j = 0; j < count; ++j) {
        const fs::path ws = dir / (tag + std::to_string(j) + ".distillery");
        fs::remove_all(ws.string() + ".runs");
        fs::copy_file(dir / "base.distillery", ws, fs::copy_options::overwrite_existing);
        const std::string command = "env " + env + quoted(o.cli) + " run " + quoted((dir / "sft.yaml").string())
                                  + " --workspace " + quoted(ws.string()) + " 2>/dev/null";
        pipes[j] = popen(command.c_str(), "r");
        if (!pipes[j])
            throw std::runtime_error("cannot start " + o.cli);
    }
    for (int j = 0; j < count; ++j)
        readers.emplace_back([&, j] {
            char line[65536];
            while (std::fgets(line, sizeof line, pipes[j])) {
                const auto event = nlohmann::json::parse(line, nullptr, false);
                if (event.is_object() && event.value("event", "") == "metric"
                    && event.value("name", "") == "train/tokens_per_s")
                    rates[j].push_back(event.at("value").get<double>());
            }
        });
    for (std::thread& t : readers)
        t.join();
    std::vector<double> medians;
    for (int j = 0; j < count; ++j) {
        if (pclose(pipes[j]) != 0 || int(rates[j].size()) < o.steps)
            throw std::runtime_error("an SFT job failed (" + std::to_string(rates[j].size()) + " steps reported)");
        std::vector<double> timed(rates[j].begin() + std::min<std::size_t>(5, rates[j].size() - 1), rates[j].end());
        std::nth_element(timed.begin(), timed.begin() + timed.size() / 2, timed.end());
        medians.push_back(timed[timed.size() / 2]);
    }
    return medians;
}

// `count` processes that spin until killed.
std::vector<pid_t> startLoad(int count)
{
    std::vector<pid_t> pids;
    for (int i = 0; i < count; ++i) {
        const pid_t pid = fork();
        if (pid == 0) {
            volatile unsigned long spin = 0;
            for (;;)
                spin = spin + 1;
        }
        pids.push_back(pid);
    }
    return pids;
}

Options parse(int argc, char** argv)
{
    Options o;
    for (int i = 1; i < argc; ++i) {
        const std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc)
                throw std::runtime_error(a + " needs a value");
            return argv[++i];
        };
        if (a == "--cli")
            o.cli = value();
        else if (a == "--steps")
            o.steps = std::stoi(value());
        else if (a == "--jobs")
            o.jobs = std::stoi(value());
        else if (a == "--load")
            o.load = std::stoi(value());
        else if (a == "--env")
            o.env.push_back(value());
        else
            throw std::runtime_error("unknown option " + a);
    }
    if (o.steps < 10 || o.jobs < 2 || o.load < 0)
        throw std::runtime_error("--steps must be >= 10, --jobs >= 2, --load >= 0");
    return o;
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        const Options o = parse(argc, argv);
        const fs::path dir = fs::temp_directory_path() / ("distillery-side-by-side-" + std::to_string(getpid()));
        fs::create_directories(dir);
        std::printf("toy SFT (0.8M parameters, sequence 256, micro-batch 32), %d steps, %u hardware threads", o.steps,
                    std::thread::hardware_concurrency());
        for (const std::string& e : o.env)
            std::printf(", %s", e.c_str());
        std::printf("\n");
        prepareWorkspace(o, dir);
        const double alone = runJobs(o, dir, 1, "alone").front();
        std::printf("  alone:        %8.0f tokens/s\n", alone);
        const std::vector<pid_t> load = startLoad(o.load);
        const std::vector<double> together = runJobs(o, dir, o.jobs, "together");
        for (pid_t pid : load) {
            kill(pid, SIGKILL);
            waitpid(pid, nullptr, 0);
        }
        bool met = true;
        std::printf("  side by side (%d jobs%s):", o.jobs,
                    o.load > 0 ? (", " + std::to_string(o.load) + " busy processes beside").c_str() : "");
        for (double rate : together) {
            std::printf(" %.0f tokens/s (%.2f of alone)", rate, rate / alone);
            met = met && rate / alone >= kTarget;
        }
        std::printf("\n  target: every job >= %.2f of alone: %s\n", kTarget, met ? "met" : "NOT met");
        fs::remove_all(dir);
        return 0;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "bench_side_by_side: %s\n", e.what());
        return 1;
    }
}
