// `distillery-cli eval --model DIR --benchmark B`: pass@1, pass@k, cons@k and response lengths with
// bootstrap intervals as one JSON object; per-sample rows in the workspace when --workspace is given;
// --budgets runs a budget-forcing sweep instead.
#include "app/cli/args.h"
#include "app/cli/command.h"
#include "core/eval/eval_job.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <optional>
#include <sstream>

namespace distill::cli {
namespace {

namespace fs = std::filesystem;

// "256,1024,+512": a cap on thinking tokens, or "+N" for at least N thinking tokens (Wait-extended).
std::vector<eval::BudgetPoint> parseBudgets(const std::string& text, int waits)
{
    std::vector<eval::BudgetPoint> out;
    std::stringstream in(text);
    std::string item;
    while (std::getline(in, item, ',')) {
        eval::BudgetPoint b;
        try {
            std::size_t used = 0;
            const bool atLeast = !item.empty() && item[0] == '+';
            const long long v = std::stoll(item.substr(atLeast ? 1 : 0), &used);
            if (used + (atLeast ? 1 : 0) != item.size() || v < 0)
                throw std::invalid_argument(item);
            if (atLeast) {
                b.minThinkingTokens = v;
                b.maxWaits = waits;
            } else {
                b.maxThinkingTokens = v;
            }
        } catch (const std::exception&) {
            throw Error(ErrorCode::InvalidArgument, "--budgets: '" + item + "' is not a token count",
                        "e.g. --budgets 256,1024,+512 (+N: at least N thinking tokens)");
        }
        out.push_back(b);
    }
    if (out.empty())
        throw Error(ErrorCode::InvalidArgument, "--budgets lists no budget");
    return out;
}

// The workspace to read problems from: the given file, or a temporary one removed on exit. The
// temporary one lives in a fresh folder only this user can enter (mkdtemp), never at a name another
// user could guess and plant a link at.
struct WorkspaceHandle {
    std::optional<store::Workspace> workspace;
    fs::path temporary;  // the folder
    ~WorkspaceHandle()
    {
        if (!temporary.empty()) {
            workspace.reset();
            std::error_code ec;
            fs::remove_all(temporary, ec);
        }
    }
    std::string makeTemporary()
    {
        std::string pattern = (fs::temp_directory_path() / "distillery-eval-XXXXXX").string();
        if (!::mkdtemp(pattern.data()))
            throw Error(ErrorCode::Io, "cannot create a temporary folder in " + fs::temp_directory_path().string());
        temporary = pattern;
        return (temporary / "eval.sqlite").string();
    }
};

int runEval(const std::vector<std::string>& argv)
{
    const Args args(argv,
                    {"model", "tokenizer", "benchmark", "k", "max-tokens", "limit", "temperature", "top-p", "seed",
                     "device", "batch", "workspace", "prompt", "max-thinking", "min-thinking", "waits", "budgets",
                     "bootstrap"},
                    {"no-think-prefill"});
    if (!args.positional().empty())
        throw Error(ErrorCode::InvalidArgument, "eval takes no positional arguments");
    const std::string modelDir = args.required("model");
    const std::string benchmark = args.required("benchmark");
    eval::EvalConfig config;
    config.samples = int(args.intOr("k", config.samples));
    config.maxTokens = args.intOr("max-tokens", config.maxTokens);
    config.sampling.temperature = args.doubleOr("temperature", config.sampling.temperature);
    config.sampling.topP = args.doubleOr("top-p", config.sampling.topP);
    config.sampling.seed = std::uint64_t(args.intOr("seed", 0));
    config.batch = args.intOr("batch", config.batch);
    config.prompt = args.valueOr("prompt", config.prompt);
    config.thinkPrefill = !args.flag("no-think-prefill");
    config.maxThinkingTokens = args.intOr("max-thinking", config.maxThinkingTokens);
    config.minThinkingTokens = args.intOr("min-thinking", config.minThinkingTokens);
    config.maxWaits = int(args.intOr("waits", config.maxWaits));
    config.bootstrap.resamples = int(args.intOr("bootstrap", config.bootstrap.resamples));
    config.bootstrap.seed = config.sampling.seed;
    const long long limit = args.intOr("limit", 0);
    if (limit < 0 || config.sampling.topP <= 0.0 || config.sampling.topP > 1.0 || config.sampling.temperature < 0.0)
        throw Error(ErrorCode::InvalidArgument, "--limit must be >= 0, --top-p in (0, 1], --temperature >= 0");

    WorkspaceHandle handle;
    store::CreateOptions create;
    create.loadBenchmarks = benchmark != eval::kToyBenchmark && !store::bundledBenchmarksDir().empty();
    if (const auto path = args.value("workspace")) {
        handle.workspace.emplace(store::Workspace::openOrCreate(*path, create));
    } else {
        handle.workspace.emplace(store::Workspace::create(handle.makeTemporary(), create));
    }
    store::Workspace& ws = *handle.workspace;
    const std::vector<eval::EvalProblem> problems = eval::benchmarkProblems(ws, benchmark, limit);
    const eval::EvalModel m = eval::loadEvalModel(modelDir, args.valueOr("tokenizer", ""), args.valueOr("device", "cpu"));

    if (const auto budgets = args.value("budgets")) {
        nlohmann::json points = nlohmann::json::array();
        for (const eval::SweepPoint& p :
             eval::budgetSweep(m.loaded.model, *m.tokenizer, problems, config, parseBudgets(*budgets, config.maxWaits))) {
            nlohmann::json j = eval::toJson(p.summary);
            j["benchmark"] = benchmark;
            j["max_thinking_tokens"] = p.budget.maxThinkingTokens;
            j["min_thinking_tokens"] = p.budget.minThinkingTokens;
            j["max_waits"] = p.budget.maxWaits;
            points.push_back(std::move(j));
        }
        std::cout << nlohmann::json{{"sweep", points}}.dump(2) << "\n";
        return 0;
    }

    if (!handle.temporary.empty()) {
        nlohmann::json j = eval::toJson(eval::evaluate(m.loaded.model, *m.tokenizer, problems, config));
        j["benchmark"] = benchmark;
        std::cout << j.dump(2) << "\n";
        return 0;
    }
    store::Run r;
    r.kind = store::RunKind::Eval;
    r.name = "eval " + benchmark;
    r.config = nlohmann::json{{"argv", argv}}.dump();
    r.status = "running";
    r.folder = modelDir;
    ws.createRun(r);
    const eval::EvalRecording recording{ws, r.id, fs::path(modelDir).lexically_normal().filename().string(), benchmark};
    eval::EvalSummary s;
    try {
        s = eval::evaluate(m.loaded.model, *m.tokenizer, problems, config, &recording);
    } catch (...) {
        ws.setRunStatus(r.id, "failed");
        throw;
    }
    ws.setRunStatus(r.id, "finished");
    nlohmann::json j = eval::toJson(s);
    j["run_id"] = r.id;
    j["checkpoint"] = recording.checkpoint;
    std::cout << j.dump(2) << "\n";
    return 0;
}

const CommandRegistrar registrar({
    "eval",
    "evaluate a model on a benchmark: pass@1, pass@k, cons@k, lengths (JSON)",
    "Usage: distillery-cli eval --model DIR --benchmark B [options]\n\n"
    "Samples k responses per problem (R1 protocol: temperature 0.6, top-p 0.95, the model's chat\n"
    "template with a <think> prefill), grades them and prints pass@1, pass@k, cons@k, response and\n"
    "thinking lengths and the share of truncated responses, with bootstrap 95% intervals over problems.\n\n"
    "  --benchmark B       aime24 | aime25 | amc23 | math500 | gsm8k | toy (held-out toy problems) |\n"
    "                      any problem source of the workspace\n"
    "  --k N               samples per problem (64)\n"
    "  --max-tokens N      generation limit per response (32768)\n"
    "  --limit N           first N problems only\n"
    "  --temperature T --top-p P --seed S   sampling (0.6, 0.95, 0)\n"
    "  --device D          cpu | cuda | cuda:N (cpu);  --batch B: sequences decoded together (64)\n"
    "  --tokenizer DIR     tokenizer folder (default: the model folder)\n"
    "  --prompt TEXT       user message; {question} is replaced (default: the question, then\n"
    "                      \"Please reason step by step, and put your final answer within \\boxed{}.\")\n"
    "  --no-think-prefill  do not open the answer with <think>\n"
    "  --max-thinking N --min-thinking N --waits W   budget forcing for this evaluation\n"
    "  --budgets LIST      sweep: e.g. 256,1024,+512 (N caps thinking, +N forces at least N thinking\n"
    "                      tokens with up to --waits \"Wait\"s); prints {\"sweep\": [...]} instead\n"
    "  --bootstrap N       bootstrap resamples (1000)\n"
    "  --workspace W       record every response (answer, verdict, length) as a new eval run in W",
    runEval,
});

}  // namespace
}  // namespace distill::cli
