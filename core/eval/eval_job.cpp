#include "core/eval/eval_job.h"

#include "core/model/precision.h"
#include "core/run/generate_job.h"
#include "core/run/spec_keys.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <filesystem>
#include <limits>

namespace distill::eval {

namespace {

EvalProblem fromStore(const store::Problem& p)
{
    return {p.id, p.question, p.referenceAnswer};
}

// Records a summary's headline numbers as metrics (and events when a sink is given); a metric
// already recorded at this step (a rerun of a finished evaluation) is not added again.
void addSummaryMetrics(store::Workspace& ws, std::int64_t runId, std::int64_t step, const EvalSummary& s,
                       run::EventSink* events)
{
    const std::string prefix = "eval/" + s.benchmark + "/";
    std::vector<store::Metric> metrics;
    for (const auto& [name, value] : {std::pair{"pass@1", s.pass1.value}, std::pair{"cons@k", s.consAtK.value},
                                      std::pair{"response_len", s.responseTokens.value}}) {
        const auto stored = ws.metrics(runId, prefix + name, step - 1);
        if (stored.empty() || stored.front().step != step)
            metrics.push_back({runId, step, prefix + name, value, 0});
    }
    ws.addMetrics(metrics);
    if (events)
        for (const store::Metric& m : metrics)
            events->metric(m.name, m.value, m.step);
}

}  // namespace

run::JobOutcome EvalJob::run(run::JobContext& ctx)
{
    const EvalModel m = loadEvalModel(m_spec.model, m_spec.tokenizer, m_spec.device, m_spec.dtype);
    run::JobOutcome outcome;
    for (const std::string& bench : m_spec.benchmarks) {
        const std::vector<EvalProblem> problems = benchmarkProblems(ctx.workspace, bench, m_spec.limit);
        ctx.events.log("info", bench + ": " + std::to_string(problems.size()) + " problems x "
                                   + std::to_string(m_spec.config.samples) + " samples");
        const EvalRecording recording{ctx.workspace, ctx.runId, m_spec.checkpoint, bench};
        EtaEstimator eta;
        const EvalSummary s = evaluate(m.loaded.model, *m.tokenizer, problems, m_spec.config, &recording,
                                       [&](std::uint64_t done, std::uint64_t total) {
                                           eta.update(done);
                                           ctx.events.progress(done, total, eta.secondsLeft(total), eta.rate());
                                           return !ctx.stop.requested();
                                       });
        outcome.summary[bench] = toJson(s);
        if (!s.complete) {
            outcome.stopped = true;
            break;
        }
        addSummaryMetrics(ctx.workspace, ctx.runId, 0, s, &ctx.events);
    }
    return outcome;
}

std::vector<EvalProblem> benchmarkProblems(store::Workspace& workspace, const std::string& benchmark,
                                           std::int64_t limit)
{
    std::vector<EvalProblem> out;
    if (benchmark == kToyBenchmark) {
        toy::ToyProblemSet set;
        set.count = int(limit > 0 ? limit : kToyDefaultCount);
        set.split = toy::ToySplit::HeldOut;
        for (const store::Problem& p : run::ensureToyProblems(workspace, set))
            out.push_back(fromStore(p));
        return out;
    }
    for (const store::Problem& p : workspace.listProblems(benchmark, 0, limit > 0 ? limit : -1))
        out.push_back(fromStore(p));
    if (out.empty())
        throw Error(ErrorCode::NotFound, "no problems of benchmark '" + benchmark + "' in the workspace",
                    "bundled: aime24, aime25, amc23, math500, gsm8k; toy; or an imported problem set");
    return out;
}

EvalModel loadEvalModel(const std::string& modelDir, const std::string& tokenizerDir, const std::string& device,
                        const std::string& dtype)
{
    model::LoadOptions options;
    options.device = model::availableDevice(device);
    options.dtype = model::inferenceDtype(model::parsePrecision(dtype), options.device);
    EvalModel m;
    m.loaded = model::loadModel(modelDir, options);
    m.loaded.model->eval();
    m.tokenizer = tokenizer::Tokenizer::fromDirectory(tokenizerDir.empty() ? modelDir : tokenizerDir);
    return m;
}

std::vector<EvalSummary> evaluateCheckpoint(store::Workspace& workspace, std::int64_t runId, std::int64_t step,
                                            model::CausalLM model, const tokenizer::Tokenizer& tokenizer,
                                            const CheckpointEval& eval, const ProgressFn& progress,
                                            run::EventSink* events)
{
    std::vector<EvalSummary> out;
    for (const std::string& bench : eval.benchmarks) {
        const EvalRecording recording{workspace, runId, "step-" + std::to_string(step), bench};
        EvalSummary s = evaluate(model, tokenizer, benchmarkProblems(workspace, bench, eval.limit), eval.config,
                                 &recording, progress);
        if (s.complete)
            addSummaryMetrics(workspace, runId, step, s, events);
        out.push_back(std::move(s));
        if (!out.back().complete)
            break;
    }
    return out;
}

bool CheckpointEval::due(std::int64_t step, std::int64_t totalSteps) const
{
    if (!enabled())
        return false;
    if (step == 0)
        return atStart;
    return step >= totalSteps || (every > 0 && step % every == 0);
}

std::vector<run::KeyDoc> protocolKeys()
{
    using namespace run::key;
    const EvalConfig d;
    return {
        integer("samples", d.samples, 1, 1e9, "responses per problem (k; the R1 protocol: 64)"),
        number("temperature", d.sampling.temperature, 0.0, 100.0, "sampling temperature (R1: 0.6)"),
        number("top_p", d.sampling.topP, 0.0, 1.0, "nucleus sampling (R1: 0.95)"),
        advanced(integer("seed", 0, 0, 9.2e18, "sampling and bootstrap seed")),
        integer("max_tokens", d.maxTokens, 1, 1e12, "longest response", "tokens"),
        advanced(text("prompt", d.prompt, "the user message; {question} is replaced by the problem")),
        advanced(flag("think_prefill", d.thinkPrefill, "open the assistant turn with <think>")),
        advanced(integer("batch", d.batch, 1, 1e9, "sequences decoded together")),
        advanced(integer("max_thinking_tokens", d.maxThinkingTokens, -1, 1e12,
                         "budget forcing (s1): end the thinking after this many tokens; -1: off", "tokens")),
        advanced(integer("min_thinking_tokens", d.minThinkingTokens, 0, 1e12,
                         "budget forcing: append Wait until the thinking has this many tokens", "tokens")),
        advanced(integer("max_waits", d.maxWaits, 0, 1e6, "budget forcing: most Waits appended")),
        advanced(integer("bootstrap_resamples", d.bootstrap.resamples, 1, 1e9, "bootstrap resamples of the intervals")),
    };
}

EvalConfig readProtocol(const run::ResolvedSpec& spec, const std::string& section)
{
    const auto& v = section.empty() ? spec.values : spec.values.at(section);
    EvalConfig c;
    c.samples = v.at("samples").get<int>();
    c.sampling.temperature = v.at("temperature").get<double>();
    c.sampling.topP = v.at("top_p").get<double>();
    c.sampling.seed = v.at("seed").get<std::uint64_t>();
    c.maxTokens = v.at("max_tokens").get<std::int64_t>();
    c.prompt = v.at("prompt").get<std::string>();
    c.thinkPrefill = v.at("think_prefill").get<bool>();
    c.batch = v.at("batch").get<std::int64_t>();
    c.maxThinkingTokens = v.at("max_thinking_tokens").get<std::int64_t>();
    c.minThinkingTokens = v.at("min_thinking_tokens").get<std::int64_t>();
    c.maxWaits = v.at("max_waits").get<int>();
    c.bootstrap.resamples = v.at("bootstrap_resamples").get<int>();
    c.bootstrap.seed = c.sampling.seed;
    if (c.prompt.find("{question}") == std::string::npos)
        run::failAt(spec, section.empty() ? "prompt" : section + ".prompt", "'prompt' has no {question} placeholder");
    return c;
}

run::KeyDoc checkpointEvalSection()
{
    std::vector<run::KeyDoc> keys = {
        run::key::list("benchmarks", {}, "benchmarks to evaluate: bundled (aime24, aime25, amc23, math500, gsm8k), toy "
                                         "or a problem source of the workspace"),
        run::key::integer("every", 0, 0, 1e12, "evaluate every N steps; 0: at the start and the end only", "steps"),
        run::key::flag("at_start", true, "evaluate the starting weights as step 0 (the before number)"),
        run::key::integer("limit", 0, 0, 1e12, "problems per benchmark; 0: all"),
    };
    for (auto& k : protocolKeys())
        keys.push_back(std::move(k));
    return run::key::optionalSection("benchmark_eval", "Benchmarks", std::move(keys),
                                     "the run's own pass@1, cons@k and response length on benchmarks as it trains");
}

CheckpointEval readCheckpointEval(const run::ResolvedSpec& spec)
{
    CheckpointEval e;
    if (!spec.values.contains("benchmark_eval"))
        return e;
    const auto& v = spec.values.at("benchmark_eval");
    e.benchmarks = v.at("benchmarks").get<std::vector<std::string>>();
    if (e.benchmarks.empty())
        run::failAt(spec, "benchmark_eval", "'benchmarks' in benchmark_eval lists no benchmark");
    e.every = v.at("every").get<std::int64_t>();
    e.atStart = v.at("at_start").get<bool>();
    e.limit = v.at("limit").get<std::int64_t>();
    e.config = readProtocol(spec, "benchmark_eval");
    return e;
}

const run::SpecSchema& evalSchema()
{
    static const run::SpecSchema schema = [] {
        using namespace run::key;
        std::vector<run::KeyDoc> keys = {
            required("model", "the model folder to evaluate (Hugging Face layout)"),
            text("tokenizer", "", "folder of tokenizer.json; empty: the model folder"),
            advanced(text("checkpoint", "", "the label of its results; empty: the model folder's name")),
        };
        for (auto& k : run::placementKeys("Model"))
            keys.push_back(std::move(k));
        for (auto& k : keys)
            k.group = "Model";
        std::vector<run::KeyDoc> bench = {
            [] {
                auto k = list("benchmarks", {}, "benchmarks: bundled (aime24, aime25, amc23, math500, gsm8k), toy or a "
                                                "problem source of the workspace");
                k.required = true;
                return k;
            }(),
            integer("limit", 0, 0, 1e12, "problems per benchmark; 0: all"),
        };
        for (auto& k : protocolKeys())
            bench.push_back(std::move(k));
        for (auto& k : bench) {
            k.group = "Protocol";
            keys.push_back(std::move(k));
        }
        return run::SpecSchema("eval", "pass@1 (over k samples), cons@k and response length of a model on benchmarks; "
                                       "resumable per problem and sample.",
                               std::move(keys));
    }();
    return schema;
}

EvalSpec readEvalSpec(run::ResolvedSpec& spec, const std::string& name)
{
    auto& v = spec.values;
    EvalSpec e;
    e.name = name;
    e.model = v.at("model").get<std::string>();
    e.tokenizer = v.at("tokenizer").get<std::string>();
    if (v.at("checkpoint").get<std::string>().empty()) {  // a default that depends on the model key
        const std::string folder = std::filesystem::path(e.model).lexically_normal().filename().string();
        v["checkpoint"] = folder.empty() ? "model" : folder;
    }
    e.checkpoint = v.at("checkpoint").get<std::string>();
    e.device = v.at("device").get<std::string>();
    e.dtype = v.at("dtype").get<std::string>();
    model::parseDevice(e.device);
    e.benchmarks = v.at("benchmarks").get<std::vector<std::string>>();
    if (e.benchmarks.empty())
        run::failAt(spec, "benchmarks", "'benchmarks' lists no benchmark");
    e.limit = v.at("limit").get<std::int64_t>();
    e.config = readProtocol(spec, "");
    return e;
}

void registerEvalJob(run::JobRegistry& registry)
{
    registry.add(evalSchema(), [](run::ResolvedSpec& spec, const std::string& name) -> std::unique_ptr<run::Job> {
        return std::make_unique<EvalJob>(readEvalSpec(spec, name));
    });
}

}  // namespace distill::eval
