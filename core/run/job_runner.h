// runJob: runs one job spec against a workspace: records the run row with its resolved spec, runs the
// job, and reports started / finished (or error) events. --resume continues a stored run.
#pragma once

#include "core/run/job_registry.h"
#include "core/util/error.h"

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
    // A data-parallel launch of `processes` processes (torchrun): rank 0 records the run; the others
    // are workers that run the job without creating or updating run rows (their run id is the resumed
    // run's, else 0). Job kinds that cannot run multi-process refuse processes > 1.
    int rank = 0;
    int processes = 1;
    // A stage of a pipeline: the new run is recorded as the child `stage` of run `parentRunId`.
    std::int64_t parentRunId = 0;
    std::string stage = {};
};

struct RunResult {
    std::int64_t runId = 0;
    std::string status;  // "finished", "stopped", "failed"
    nlohmann::json summary;
    ErrorCode errorCode = ErrorCode::Internal;  // what failed a "failed" run
};

// Spec errors, a missing or mismatched run and a job kind that cannot run multi-process throw
// before any run row is touched. Once the run exists (and names this process as its owner), any
// exception from the job marks it failed (on rank 0), is reported as a fatal error event and a
// "failed" finished event, and comes back as status "failed". The run row keeps the status and the
// summary it ended with.
RunResult runJob(const JobRegistry& registry, store::Workspace& workspace, const RunRequest& request,
                 EventSink& events, const StopToken& stop);

}  // namespace distill::run
