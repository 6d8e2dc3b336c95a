// The job kinds a runner knows: kind name -> spec parser. Each parsed spec is a Job that can print its
// resolved spec (defaults filled in) and run against a workspace. Kinds are added explicitly by the
// program that runs jobs (registerGenerateJob(registry), later SFT, GRPO and eval from their libraries).
#pragma once

#include "core/run/event_sink.h"
#include "core/run/spec_map.h"
#include "core/run/stop_token.h"

#include <nlohmann/json.hpp>

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::run {

// What a job works with while it runs.
struct JobContext {
    store::Workspace& workspace;
    std::int64_t runId;
    EventSink& events;
    const StopToken& stop;
};

struct JobOutcome {
    bool stopped = false;        // a stop was requested and honoured: rerun with --resume to go on
    nlohmann::json summary = nlohmann::json::object();
};

class Job {
public:
    virtual ~Job() = default;
    virtual std::string kind() const = 0;
    virtual std::string name() const = 0;
    // The full spec with every default filled in, as YAML text; parsing it gives the same job.
    virtual std::string resolvedYaml() const = 0;
    // Whether the job can run as one of several processes of a data-parallel launch (torchrun): every
    // process runs it, and it writes to the workspace from rank 0 only.
    virtual bool multiProcess() const { return false; }
    // Runs (or continues) the job. Work already in the workspace is skipped. Throws distill::Error
    // for failures that end the job; per-unit failures are reported as events and counted.
    virtual JobOutcome run(JobContext& context) = 0;
};

// Reads the spec's remaining keys (`kind` and `name` are already read) and calls spec.finish().
using JobParser = std::function<std::unique_ptr<Job>(const SpecMap& spec, const std::string& name)>;

class JobRegistry {
public:
    void add(const std::string& kind, JobParser parser);
    bool has(const std::string& kind) const;
    std::vector<std::string> kinds() const;

    // Parses spec text: `kind` (required, a registered kind), `name` (default: the kind), then the
    // kind's own keys. Errors name the offending key and line.
    std::unique_ptr<Job> parse(const std::string& yamlText) const;

private:
    std::map<std::string, JobParser> m_parsers;
};

}  // namespace distill::run
