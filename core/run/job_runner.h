// runJob: runs one job spec against a workspace: records the run row with its resolved spec, runs the
// job, and reports started / finished (or error) events. --resume continues a stored run.
#pragma once

#include "core/run/job_registry.h"

#include <cstdint>
#include <optional>
#include <string>

namespace distill::store {
class Workspace;
}

namespace distill::run {

struct RunRequest {
    std::string specText;                      // YAML; may be empty when resuming
    std::optional<std::int64_t> resumeRunId;   // continue this run with its stored spec
    std::string buildVersion;                  // written as a comment above the stored spec
};

struct RunResult {
    std::int64_t runId = 0;
    std::string status;  // "finished", "stopped", "failed"
    nlohmann::json summary;
};

// Spec errors and a missing or mismatched run throw before any run row is touched. Once the run
// exists, a distill::Error from the job marks it failed, is reported as a fatal error event and a
// "failed" finished event, and comes back as status "failed".
RunResult runJob(const JobRegistry& registry, store::Workspace& workspace, const RunRequest& request,
                 EventSink& events, const StopToken& stop);

}  // namespace distill::run
