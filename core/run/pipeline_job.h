// The pipeline job (`kind: pipeline`): ordered stages, each a job spec of any other kind, run one
// after the other as child runs of the pipeline's run. A stage refers to what an earlier stage left
// by `${STAGE.KEY}` (a key of that stage's run summary: ${sft.checkpoint}, ${data.dataset}), to the
// pipeline's values by `${vars.NAME}` and to the bundled resources folder by `${resources}`.
//
// Resuming the pipeline's run skips the stages whose runs finished, resumes the stage whose run did
// not (as its kind resumes: generation by unit, training from its last checkpoint) and starts the
// rest, so a pipeline killed at any point finishes with no stage run twice.
#pragma once

#include "core/run/job_registry.h"

#include <memory>
#include <string>
#include <vector>

namespace distill::run {

struct PipelineStage {
    std::string name;
    nlohmann::json spec;  // the stage's job spec, ${vars.*} and ${resources} filled in
    int line = 0;         // where the stage starts in the pipeline's spec
};

struct PipelineSpec {
    std::string name = "pipeline";
    std::vector<PipelineStage> stages;
};

const SpecSchema& pipelineSchema();
// Reads the stages and checks each against its kind's schema in `stages` (errors give the line in the
// pipeline's spec) and each ${...} reference against the stages before it.
PipelineSpec readPipelineSpec(ResolvedSpec& spec, const std::string& name, const JobRegistry& stages);
// Adds `kind: pipeline`, whose stages are jobs of the kinds in `stages`.
void registerPipelineJob(JobRegistry& registry, std::shared_ptr<const JobRegistry> stages);

// A stage's spec with every ${STAGE.KEY} replaced from `outputs` ({stage name: its run summary}): a
// value that is only a reference takes the referenced value's type. InvalidArgument for a key the
// summary lacks.
nlohmann::json resolveStageReferences(const nlohmann::json& spec, const nlohmann::json& outputs,
                                      const std::string& stage);

class PipelineJob : public Job {
public:
    PipelineJob(PipelineSpec spec, std::shared_ptr<const JobRegistry> stages)
        : m_spec(std::move(spec)), m_stages(std::move(stages))
    {
    }

    std::string kind() const override { return "pipeline"; }
    std::string name() const override { return m_spec.name; }
    // Events: the stages' own events tagged {"stage": name}, and per stage {"event": "stage", "stage",
    // "index", "stages", "kind", "run_id", "status": "started" | "resumed" | "skipped" | "finished" |
    // "stopped" | "failed"} (with the stage run's "summary" once it ended). Summary: {"stages":
    // [{"stage", "kind", "run_id", "status", "summary"}]}.
    // A stage that fails fails the pipeline (resume it to retry the stage); a stopped stage stops it.
    JobOutcome run(JobContext& context) override;

private:
    PipelineSpec m_spec;
    std::shared_ptr<const JobRegistry> m_stages;
};

}  // namespace distill::run
