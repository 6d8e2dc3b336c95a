// Every job kind a runner knows, registered at once: generate, curate, freeze, eval, sft, grpo, and
// pipeline (whose stages are jobs of the other kinds).
#pragma once

#include "core/run/job_registry.h"

namespace distill::train {

run::JobRegistry stageJobKinds();  // every kind but pipeline
run::JobRegistry allJobKinds();

}  // namespace distill::train
