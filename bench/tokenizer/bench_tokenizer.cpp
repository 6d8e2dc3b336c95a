// Tokenizer throughput: for each of the four fixture tokenizers, prints the load time of
// tokenizer.json, single-thread encode MB/s on a few MB of mixed text, and batch encode MB/s.
// Usage: bench_tokenizer [SOURCE_DIR] [MB]   (tokenizers from scripts/fetch-tokenizers.sh)
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <thread>

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

double seconds(Clock::time_point a, Clock::time_point b)
{
    return std::chrono::duration<double>(b - a).count();
}

// CPU seconds of this thread: on a shared machine it shows the work itself, not the waiting.
double threadCpu()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return double(ts.tv_sec) + double(ts.tv_nsec) * 1e-9;
}

// Every string field of every JSONL row: English, Chinese, code, LaTeX math from the fixtures and
// the bundled benchmark problems and solutions.
void collect(const fs::path& file, std::vector<std::string>& docs)
{
    std::ifstream in(file);
    std::string line;
    while (std::getline(in, line)) {
        if (line.empty())
            continue;
        const auto row = nlohmann::json::parse(line, nullptr, false);
        if (!row.is_object())
            continue;
        for (const auto& [key, value] : row.items())
            if (value.is_string() && key != "id" && key != "decoded")
                docs.push_back(value.get<std::string>());
    }
}

}  // namespace

int main(int argc, char** argv)
{
    std::cout << std::unitbuf;
    const fs::path root = argc > 1 ? fs::path(argv[1]) : fs::path(DISTILLERY_SOURCE_DIR);
    const double targetMb = argc > 2 ? std::stod(argv[2]) : 4.0;
    std::vector<std::string> docs;
    collect(root / "tests/fixtures/tokenizers/qwen3/public.jsonl", docs);
    for (const char* b : {"math500", "gsm8k_test", "aime24", "aime25", "amc23"})
        collect(root / "resources/benchmarks" / (std::string(b) + ".jsonl"), docs);
    std::vector<std::string> batch;
    std::size_t bytes = 0;
    while (bytes < targetMb * 1e6 && !docs.empty())
        for (const auto& d : docs) {
            batch.push_back(d);
            bytes += d.size() + 1;
        }
    std::string text;
    text.reserve(bytes);
    for (const auto& d : batch)
        (text += d) += '\n';
    const double mb = double(text.size()) / 1e6;
    const unsigned hw = std::max(1u, std::thread::hardware_concurrency());
    std::cout << "corpus: " << mb << " MB in " << batch.size() << " documents; " << hw << " hardware threads\n";

    try {
        for (const char* name : {"qwen3", "qwen2_5", "llama3", "deepseek_v3"}) {
            const fs::path dir = root / "tests/fixtures/tokenizers-npm" / name;
            auto t0 = Clock::now();
            double c0 = threadCpu();
            const auto tok = distill::tokenizer::Tokenizer::fromDirectory(dir);
            const double load = seconds(t0, Clock::now()), loadCpu = threadCpu() - c0;

            t0 = Clock::now();
            c0 = threadCpu();
            const auto ids = tok->encode(text, false);  // one call, one thread, as the HF reference
            const double single = seconds(t0, Clock::now()), singleCpu = threadCpu() - c0;

            std::cout << name << ": load " << load << " s wall / " << loadCpu << " s cpu ("
                      << fs::file_size(dir / "tokenizer.json") / 1e6 << " MB tokenizer.json), encode 1 thread "
                      << mb / single << " MB/s wall / " << mb / singleCpu << " MB/s cpu (" << ids.size() << " tokens)";
            for (unsigned threads : {1u, 2u, hw}) {
                if (threads > hw || (threads == hw && hw <= 2 && threads != 1 && threads != 2))
                    continue;
                t0 = Clock::now();
                const auto out = tok->encodeBatch(batch, false, threads);
                std::cout << ", batch " << threads << " threads " << mb / seconds(t0, Clock::now()) << " MB/s";
                if (threads == hw)
                    break;
            }
            std::cout << "\n";
        }
    } catch (const distill::Error& e) {
        std::cerr << e.what() << "\n(run scripts/fetch-tokenizers.sh first)\n";
        return 1;
    }
    return 0;
}
