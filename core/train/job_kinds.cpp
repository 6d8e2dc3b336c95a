#include "core/train/job_kinds.h"

#include "core/eval/eval_job.h"
#include "core/run/curate_job.h"
#include "core/run/freeze_job.h"
#include "core/run/generate_job.h"
#include "core/run/judge_job.h"
#include "core/run/pipeline_job.h"
#include "core/train/grpo_job.h"
#include "core/train/sft_job.h"

#include <memory>

namespace distill::train {

run::JobRegistry stageJobKinds()
{
    run::JobRegistry registry;
    run::registerGenerateJob(registry);
    run::registerCurateJob(registry);
    run::registerFreezeJob(registry);
    run::registerJudgeJob(registry);
    eval::registerEvalJob(registry);
    registerSftJob(registry);
    registerGrpoJob(registry);
    return registry;
}

run::JobRegistry allJobKinds()
{
    run::JobRegistry registry = stageJobKinds();
    run::registerPipelineJob(registry, std::make_shared<const run::JobRegistry>(stageJobKinds()));
    return registry;
}

}  // namespace distill::train
