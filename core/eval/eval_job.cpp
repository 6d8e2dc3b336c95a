#include "core/eval/eval_job.h"

#include "core/run/generate_job.h"
#include "core/run/yaml_json.h"
#include "core/store/workspace.h"
#include "core/util/error.h"

#include <filesystem>
#include <limits>

namespace distill::eval {

namespace {

constexpr long long kMaxInt = std::numeric_limits<int>::max();
constexpr long long kMaxInt64 = std::numeric_limits<long long>::max();

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

// The protocol keys shared by an eval spec and a training run's benchmark_eval section.
EvalConfig parseProtocol(const run::SpecMap& spec)
{
    EvalConfig c;
    c.samples = int(spec.integer("samples", c.samples, 1, kMaxInt));
    c.sampling.temperature = spec.number("temperature", c.sampling.temperature, 0.0, 100.0);
    c.sampling.topP = spec.number("top_p", c.sampling.topP, 0.0, 1.0);
    c.sampling.seed = std::uint64_t(spec.integer("seed", 0, 0, kMaxInt64));
    c.maxTokens = spec.integer("max_tokens", c.maxTokens, 1, kMaxInt64);
    c.prompt = spec.text("prompt", c.prompt);
    c.thinkPrefill = spec.boolean("think_prefill", c.thinkPrefill);
    c.batch = spec.integer("batch", c.batch, 1, kMaxInt64);
    c.maxThinkingTokens = spec.integer("max_thinking_tokens", c.maxThinkingTokens, -1, kMaxInt64);
    c.minThinkingTokens = spec.integer("min_thinking_tokens", c.minThinkingTokens, 0, kMaxInt64);
    c.maxWaits = int(spec.integer("max_waits", c.maxWaits, 0, kMaxInt));
    c.bootstrap.resamples = int(spec.integer("bootstrap_resamples", c.bootstrap.resamples, 1, kMaxInt));
    c.bootstrap.seed = c.sampling.seed;
    if (c.prompt.find("{question}") == std::string::npos)
        throw Error(ErrorCode::InvalidArgument, "'prompt' has no {question} placeholder");
    return c;
}

void writeProtocol(YAML::Node& node, const EvalConfig& c)
{
    node["samples"] = c.samples;
    node["temperature"] = run::yamlNumber(c.sampling.temperature);
    node["top_p"] = run::yamlNumber(c.sampling.topP);
    node["seed"] = c.sampling.seed;
    node["max_tokens"] = c.maxTokens;
    node["prompt"] = c.prompt;
    node["think_prefill"] = c.thinkPrefill;
    node["batch"] = c.batch;
    node["max_thinking_tokens"] = c.maxThinkingTokens;
    node["min_thinking_tokens"] = c.minThinkingTokens;
    node["max_waits"] = c.maxWaits;
    node["bootstrap_resamples"] = c.bootstrap.resamples;
}

class EvalJob : public run::Job {
public:
    explicit EvalJob(EvalSpec spec) : m_spec(std::move(spec)) {}

    std::string kind() const override { return "eval"; }
    std::string name() const override { return m_spec.name; }
    std::string resolvedYaml() const override { return evalSpecYaml(m_spec); }

    run::JobOutcome run(run::JobContext& ctx) override
    {
        const EvalModel m = loadEvalModel(m_spec.model, m_spec.tokenizer, m_spec.device);
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

private:
    EvalSpec m_spec;
};

}  // namespace

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

EvalModel loadEvalModel(const std::string& modelDir, const std::string& tokenizerDir, const std::string& device)
{
    model::LoadOptions options;
    try {
        options.device = c10::Device(device);
    } catch (const std::exception&) {
        throw Error(ErrorCode::InvalidArgument, "unknown device '" + device + "'", "cpu, cuda or cuda:N");
    }
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

EvalSpec parseEvalSpec(const run::SpecMap& spec, const std::string& name)
{
    EvalSpec e;
    e.name = name;
    e.model = spec.requiredText("model");
    e.tokenizer = spec.text("tokenizer", "");
    e.checkpoint = spec.text("checkpoint", std::filesystem::path(e.model).lexically_normal().filename().string());
    if (e.checkpoint.empty())
        e.checkpoint = "model";
    e.device = spec.text("device", e.device);
    e.benchmarks = spec.textList("benchmarks");
    if (e.benchmarks.empty())
        throw Error(ErrorCode::InvalidArgument, "line " + std::to_string(spec.line()) + ": 'benchmarks' lists no benchmark");
    e.limit = spec.integer("limit", 0, 0, kMaxInt64);
    e.config = parseProtocol(spec);
    spec.finish();
    return e;
}

bool CheckpointEval::due(std::int64_t step, std::int64_t totalSteps) const
{
    if (!enabled())
        return false;
    if (step == 0)
        return atStart;
    return step >= totalSteps || (every > 0 && step % every == 0);
}

CheckpointEval parseCheckpointEval(const run::SpecMap& map)
{
    CheckpointEval e;
    e.benchmarks = map.textList("benchmarks");
    if (e.benchmarks.empty())
        throw Error(ErrorCode::InvalidArgument,
                    "line " + std::to_string(map.line()) + ": 'benchmarks' in " + map.where() + " lists no benchmark");
    e.every = map.integer("every", e.every, 0, kMaxInt64);
    e.atStart = map.boolean("at_start", e.atStart);
    e.limit = map.integer("limit", 0, 0, kMaxInt64);
    e.config = parseProtocol(map);
    map.finish();
    return e;
}

YAML::Node checkpointEvalYaml(const CheckpointEval& e)
{
    YAML::Node node(YAML::NodeType::Map);
    for (const std::string& b : e.benchmarks)
        node["benchmarks"].push_back(b);
    node["every"] = e.every;
    node["at_start"] = e.atStart;
    node["limit"] = e.limit;
    writeProtocol(node, e.config);
    return node;
}

std::string evalSpecYaml(const EvalSpec& e)
{
    YAML::Node root(YAML::NodeType::Map);
    root["kind"] = "eval";
    root["name"] = e.name;
    root["model"] = e.model;
    root["tokenizer"] = e.tokenizer;
    root["checkpoint"] = e.checkpoint;
    root["device"] = e.device;
    for (const std::string& b : e.benchmarks)
        root["benchmarks"].push_back(b);
    root["limit"] = e.limit;
    writeProtocol(root, e.config);
    YAML::Emitter out;
    out << root;
    return std::string(out.c_str()) + "\n";
}

void registerEvalJob(run::JobRegistry& registry)
{
    registry.add("eval", [](const run::SpecMap& spec, const std::string& name) -> std::unique_ptr<run::Job> {
        return std::make_unique<EvalJob>(parseEvalSpec(spec, name));
    });
}

}  // namespace distill::eval
