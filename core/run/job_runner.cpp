#include "core/run/job_runner.h"

#include "core/store/workspace.h"
#include "core/util/error.h"

namespace distill::run {

static std::string storedConfig(const Job& job, const std::string& buildVersion)
{
    std::string header = "# resolved " + job.kind() + " job spec";
    if (!buildVersion.empty())
        header += ", distillery " + buildVersion;
    return header + "\n" + job.resolvedYaml();
}

RunResult runJob(const JobRegistry& registry, store::Workspace& workspace, const RunRequest& request,
                 EventSink& events, const StopToken& stop)
{
    std::unique_ptr<Job> job;
    RunResult result;
    if (request.resumeRunId) {
        const auto stored = workspace.run(*request.resumeRunId);
        if (!stored)
            throw Error(ErrorCode::NotFound, "run " + std::to_string(*request.resumeRunId) + " is not in the workspace");
        job = registry.parse(stored->config);
        if (!request.specText.empty()) {
            const std::unique_ptr<Job> given = registry.parse(request.specText);
            if (given->resolvedYaml() != job->resolvedYaml())
                throw Error(ErrorCode::InvalidArgument,
                            "the spec differs from the one run " + std::to_string(stored->id) + " was started with",
                            "resume without a spec file, or start a new run");
        }
        result.runId = stored->id;
    } else {
        if (request.specText.empty())
            throw Error(ErrorCode::InvalidArgument, "no job spec given");
        job = registry.parse(request.specText);
    }
    if (request.processes > 1 && !job->multiProcess())
        throw Error(ErrorCode::Unsupported, "a " + job->kind() + " job runs in one process",
                    "launch it without torchrun (WORLD_SIZE unset or 1)");
    const bool records = request.rank == 0;  // workers of a multi-process job leave the run rows alone
    if (records && request.resumeRunId) {
        workspace.setRunStatus(result.runId, "running");
    } else if (records) {
        store::Run row;
        row.kind = store::parseRunKind(job->kind());
        row.name = job->name();
        row.config = storedConfig(*job, request.buildVersion);
        row.status = "running";
        row.parentId = request.parentRunId;
        row.stage = request.stage;
        result.runId = workspace.createRun(row);
    }
    if (records)
        workspace.claimRun(result.runId);  // a row left running by a killed process then reads "crashed"
    events.started(result.runId, job->kind(), job->name(), request.resumeRunId.has_value());

    JobContext context{workspace, result.runId, events, stop, request.buildVersion};
    try {
        const JobOutcome outcome = job->run(context);
        result.status = outcome.stopped ? "stopped" : "finished";
        result.summary = outcome.summary;
    } catch (const Error& e) {
        events.error(std::string(errorCodeName(e.code())), e.detail(), e.hint(), true);
        result.status = "failed";
        result.errorCode = e.code();
        result.summary = {{"error", e.detail()}};
    } catch (const std::exception& e) {  // a library's exception (torch, JSON, allocation): the run still ends
        events.error("internal", e.what(), "", true);
        result.status = "failed";
        result.summary = {{"error", e.what()}};
    }
    if (records) {
        workspace.setRunSummary(result.runId, result.summary.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
        workspace.setRunStatus(result.runId, result.status);
    }
    events.finished(result.status, result.runId, result.summary);
    return result;
}

}  // namespace distill::run
