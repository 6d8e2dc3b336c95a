// The spec of an SFT job (`kind: sft`): data (workspace datasets with mixing weights, or a JSONL file
// of messages), the student (HF folder or a config.json for a from-scratch model), where and in which
// precision it trains, an optional teacher for logit distillation, optional LoRA, the optimisation
// recipe and checkpointing, described once by its schema.
#pragma once

#include "core/eval/eval_job.h"
#include "core/model/lora.h"
#include "core/run/spec_schema.h"
#include "core/train/early_stopping.h"
#include "core/train/lr_schedule.h"
#include "core/train/sft_data.h"
#include "core/train/spec_sections.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace distill::train {

struct DatasetSource {
    std::string name;     // a frozen dataset of the workspace
    double weight = 1.0;  // sampling weight: the share of the mix is weight / sum of weights
};

struct SftSpec {
    std::string name = "sft";
    // data
    std::vector<DatasetSource> datasets;
    std::string jsonl;            // alternative: a JSONL file of {"messages": [...]} records
    ExampleFormat format;
    bool packing = true;
    bool groupByLength = false;
    double evalFraction = 0.05;   // held-out share of the examples for the eval loss
    // model
    std::string modelPath;        // HF folder to start from, or a config.json (random init)
    std::string tokenizerPath;    // folder with tokenizer.json (+ tokenizer_config.json); default: modelPath's
    std::string device = "cpu";   // "cpu", "cuda", "cuda:N"
    std::string dtype = "auto";   // auto, float32, bf16 (model/precision.h)
    // distillation
    std::string teacherPath;      // HF folder sharing the student's vocabulary; empty: no KD
    double kdAlpha = 0.5;
    double kdTemperature = 2.0;     // at the first step
    double kdTemperatureEnd = 2.0;  // at the last step (the start's unless scheduled)
    ScheduleKind kdTemperatureSchedule = ScheduleKind::Constant;
    std::int64_t kdCacheTopK = 0;   // > 0: the teacher's top-k per target token, cached before training
    // LoRA adapters on the student's projections, the only parameters trained (absent: full fine-tuning);
    // baseModel stays empty here: the job sets it to modelPath
    std::optional<model::LoraOptions> lora;
    // training
    std::int64_t epochs = 1;
    std::int64_t maxSteps = 0;    // > 0: stop after this many optimizer steps (else epochs decide)
    std::int64_t microBatchSize = 8;
    std::int64_t gradAccumulation = 1;
    OptimizerSpec optimizer;      // seed, lr 1e-3 cosine, weight decay 0.1, betas (0.9, 0.95), clip 1
    std::int64_t lossChunkTokens = 1024;
    bool gradientCheckpointing = false;  // recompute each decoder layer in backward (less memory)
    // evaluation and checkpoints
    std::int64_t evalEvery = 0;    // steps; 0: at the end only
    CheckpointSpec checkpoints;
    // benchmark pass@1 of the weights at step 0, every N steps and at the end
    eval::CheckpointEval benchmarkEval;
    // stop when the held-out loss or the benchmark pass@1 stops improving (absent: train to the end)
    std::optional<EarlyStoppingSpec> earlyStopping;
};

// The keys of `kind: sft`.
const run::SpecSchema& sftSchema();
// The spec of a resolved `kind: sft` spec (checks what spans keys; fills in temperature_end).
SftSpec readSftSpec(run::ResolvedSpec& spec, const std::string& name);

}  // namespace distill::train
