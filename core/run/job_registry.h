// The job kinds a runner knows: kind -> its spec schema (spec_schema.h) and the reader of its resolved
// spec. Each parsed spec is a Job that holds its resolved spec (defaults filled in) and runs against a
// workspace. Kinds are added by the program that runs jobs (train::allJobKinds() adds them all).
#pragma once

#include "core/run/event_sink.h"
#include "core/run/spec_schema.h"
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
    std::string buildVersion = {};  // of the program running it (written above the specs of runs it starts)
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
    const std::string& resolvedYaml() const { return m_resolvedYaml; }
    // Whether the job can run as one of several processes of a data-parallel launch (torchrun): every
    // process runs it, and it writes to the workspace from rank 0 only.
    virtual bool multiProcess() const { return false; }
    // Runs (or continues) the job. Work already in the workspace is skipped. Throws distill::Error
    // for failures that end the job; per-unit failures are reported as events and counted.
    virtual JobOutcome run(JobContext& context) = 0;

private:
    friend class JobRegistry;  // sets the resolved spec of the jobs it parses
    std::string m_resolvedYaml;
};

// Builds the job of a spec its schema resolved (`kind` and `name` are read): reads the typed spec,
// checks what spans keys (failAt names the line), and may fill in defaults that depend on other keys.
using JobParser = std::function<std::unique_ptr<Job>(ResolvedSpec& spec, const std::string& name)>;

class JobRegistry {
public:
    void add(SpecSchema schema, JobParser parser);
    bool has(const std::string& kind) const;
    std::vector<std::string> kinds() const;
    // NotFound for a kind that is not registered.
    const SpecSchema& schema(const std::string& kind) const;

    // Parses spec text: `kind` (required, a registered kind), `name` (default: the kind), then the
    // kind's own keys through its schema. Errors name the offending key and line.
    std::unique_ptr<Job> parse(const std::string& yamlText) const;
    // The same for a spec mapping already read (errors give its lines in the text it came from).
    std::unique_ptr<Job> parse(const YAML::Node& spec) const;

private:
    struct Kind {
        SpecSchema schema;
        JobParser parser;
    };
    std::map<std::string, Kind> m_kinds;
};

}  // namespace distill::run
