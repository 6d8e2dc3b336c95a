#include "core/train/job_kinds.h"

#include "core/eval/eval_job.h"
#include "core/run/curate_job.h"
#include "core/run/generate_job.h"
#include "core/train/grpo_job.h"
#include "core/train/sft_job.h"

namespace distill::train {

run::JobRegistry allJobKinds()
{
    run::JobRegistry registry;
    run::registerGenerateJob(registry);
    run::registerCurateJob(registry);
    eval::registerEvalJob(registry);
    registerSftJob(registry);
    registerGrpoJob(registry);
    return registry;
}

}  // namespace distill::train
