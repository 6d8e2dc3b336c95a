// Every job kind a runner knows, registered at once: generate, curate, eval, sft, grpo.
#pragma once

#include "core/run/job_registry.h"

namespace distill::train {

run::JobRegistry allJobKinds();

}  // namespace distill::train
