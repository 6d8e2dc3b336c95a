// bench_eval: runs evaluations recorded in a fresh workspace and prints where the wall time goes:
// inside the engine's generate() versus outside it (prompt rendering, tokenizing, grading, storing).
//   bench_eval                                    tiny-qwen2 + toy tokenizer, toy held-out problems
//   bench_eval --device cuda --random qwen2.5-0.5b --tokenizer tests/fixtures/tokenizers-npm/qwen2_5
//              --benchmark math500 --k 4 --max-tokens 4096        (and aime24 --k 64)
#include <torch/torch.h>

#include "bench/common/named_config.h"
#include "core/eval/eval_job.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <unistd.h>

using namespace distill;
namespace fs = std::filesystem;

namespace {

std::string src(const std::string& rel)
{
    return std::string(DISTILLERY_SOURCE_DIR) + "/" + rel;
}

// Random weights of a named shape (bench/common/named_config.h), e.g. Qwen2.5-0.5B's.
model::CausalLM randomModel(const std::string& name, c10::Device device)
{
    model::LoadOptions options;
    options.device = device;
    model::CausalLM lm = model::buildModel(bench::namedConfig(name), options, 1);
    lm->eval();
    return lm;
}

}  // namespace

int main(int argc, char** argv)
{
    std::map<std::string, std::string> opt = {
        {"device", "cpu"},     {"model", src("tests/fixtures/models/tiny-qwen2")}, {"tokenizer", src("resources/toy")},
        {"benchmark", "toy"},  {"k", "8"}, {"max-tokens", "64"}, {"limit", "32"}, {"batch", "64"}, {"random", ""}};
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string key = std::string(argv[i]).substr(2);
        if (!opt.count(key) || std::string(argv[i]).rfind("--", 0) != 0) {
            std::cerr << "unknown option " << argv[i] << "\n";
            return 2;
        }
        opt[key] = argv[i + 1];
    }
    try {
        torch::NoGradGuard noGrad;
        const c10::Device device(opt["device"]);
        eval::EvalModel m;
        if (opt["random"].empty()) {
            m = eval::loadEvalModel(opt["model"], opt["tokenizer"], opt["device"]);
        } else {
            m.loaded.model = randomModel(opt["random"], device);
            m.tokenizer = tokenizer::Tokenizer::fromDirectory(opt["tokenizer"]);
        }
        const fs::path wsPath = fs::temp_directory_path() / ("bench-eval-" + std::to_string(::getpid()) + ".sqlite");
        store::CreateOptions create;
        create.loadBenchmarks = opt["benchmark"] != eval::kToyBenchmark;
        create.benchmarksDir = src("resources/benchmarks");
        store::Workspace ws = store::Workspace::create(wsPath.string(), create);
        store::Run run;
        run.kind = store::RunKind::Eval;
        run.name = "bench";
        ws.createRun(run);
        const auto problems = eval::benchmarkProblems(ws, opt["benchmark"], std::stoll(opt["limit"]));

        eval::EvalConfig config;
        config.samples = std::stoi(opt["k"]);
        config.maxTokens = std::stoll(opt["max-tokens"]);
        config.batch = std::stoll(opt["batch"]);
        const eval::EvalRecording recording{ws, run.id, "bench", opt["benchmark"]};
        const eval::EvalSummary s = eval::evaluate(m.loaded.model, *m.tokenizer, problems, config, &recording);

        const double outside = s.seconds - s.generationSeconds;
        std::printf("device %s, model %s, benchmark %s: %lld problems x %d samples, max %lld tokens, batch %lld\n",
                    opt["device"].c_str(), opt["random"].empty() ? opt["model"].c_str() : opt["random"].c_str(),
                    opt["benchmark"].c_str(), static_cast<long long>(s.problems), config.samples,
                    static_cast<long long>(config.maxTokens), static_cast<long long>(config.batch));
        std::printf("wall %.2f s, generation %.2f s, outside generation %.3f s = %.2f%% of wall\n", s.seconds,
                    s.generationSeconds, outside, 100.0 * outside / s.seconds);
        std::printf("generated %lld tokens, %.1f tokens/s overall; truncated %.0f%%; pass@1 %.3f\n",
                    static_cast<long long>(s.generatedTokens), double(s.generatedTokens) / s.seconds,
                    100.0 * s.truncatedShare.value_or(0.0), s.pass1.value);
        ws.close();
        for (const std::string& file : store::workspaceFiles(wsPath.string()))
            fs::remove(file);
    } catch (const std::exception& e) {
        std::cerr << "bench_eval: " << e.what() << "\n";
        return 1;
    }
    return 0;
}
