// SFT data: chat samples -> token ids with a loss mask on the assistant's completion, truncation,
// and the batch plan of an epoch (shuffle, packing of several samples per row with per-sample
// positions and sequence ids, or one sample per row grouped by length).
#pragma once

#include "core/tokenizer/chat_template.h"

#include <ATen/core/Tensor.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {
class Tokenizer;
}

namespace distill::train {

// One training sample: token ids and, per token, whether it is a loss target.
struct TokenizedExample {
    std::vector<std::int64_t> ids;
    std::vector<std::uint8_t> trained;  // trained[t]: the model learns to predict ids[t]
    std::int64_t trainedTokens() const;
};

// Longer samples are dropped (default) or cut to their first maxSeqLen tokens.
enum class Truncation { Drop, Truncate };
std::string_view truncationName(Truncation truncation);  // "drop", "truncate"
Truncation parseTruncation(std::string_view text);         // InvalidArgument on other text

struct ExampleFormat {
    std::int64_t maxSeqLen = 2048;
    Truncation truncation = Truncation::Drop;
    bool trainOnPrompt = false;  // also learn the prompt tokens (all but the first)
    bool thinkPrefill = false;   // the prompt ends in "<think>\n", as inference with prefill sees it
};

// Renders samples the way inference sees them: prompt = the chat template's generation prompt of the
// prompt messages (with the <think> prefill when asked), completion = "<think>\n{thinking}\n</think>\n
// {answer}" (the prefill part left out when the prompt already has it) followed by the end-of-turn
// (eos) token. Only completion tokens are trained unless trainOnPrompt.
class ExampleBuilder {
public:
    ExampleBuilder(const tokenizer::Tokenizer& tokenizer, ExampleFormat format);

    // nullopt when the sample is longer than maxSeqLen and truncation is Drop, or has nothing to train.
    std::optional<TokenizedExample> build(const nlohmann::ordered_json& promptMessages, const std::string& thinking,
                                          const std::string& answer) const;
    // The prompt ids a generation for these messages starts from (same rendering as build()).
    std::vector<std::int64_t> promptIds(const nlohmann::ordered_json& promptMessages) const;

private:
    const tokenizer::Tokenizer& m_tokenizer;
    tokenizer::ChatTemplate m_template;
    ExampleFormat m_format;
    std::int64_t m_eosId;
};

struct BatchingOptions {
    std::int64_t microBatchSize = 8;  // rows per micro-batch
    std::int64_t maxSeqLen = 2048;    // row length limit when packing
    bool packing = true;              // several samples per row, attention kept within each sample
    bool groupByLength = false;       // without packing: micro-batches of similar lengths
};

// Example indices per row, rows per micro-batch.
using MicroBatchPlan = std::vector<std::vector<std::size_t>>;

// The micro-batches of one epoch: examples shuffled by (seed, epoch) with SplitMix64, then packed
// (next-fit, in shuffled order) or grouped. Deterministic on every platform.
std::vector<MicroBatchPlan> planEpoch(const std::vector<std::int64_t>& lengths, const BatchingOptions& options,
                                      std::uint64_t seed, std::int64_t epoch);

// A micro-batch as tensors [B, T] (T = longest row): ids, next-token targets (-100 where not
// trained, at each sample's last token and on padding), positions restarting per sample, and
// sequence ids (sample number within the row, -1 on padding).
struct TrainBatch {
    at::Tensor inputIds, targets, positions, sequenceIds;
    std::int64_t targetTokens = 0;  // targets != -100
    std::int64_t tokens = 0;        // real (non-padding) tokens
    // Distilling from a cached teacher (teacher_cache.h): its top-k token ids [N, k] and their
    // log-probs at T = 1 [N, k] for each target, in the order of the targets (row-major); else undefined.
    at::Tensor teacherTopIds, teacherTopLogProbs;
};

TrainBatch makeBatch(const std::vector<TokenizedExample>& examples, const MicroBatchPlan& rows, std::int64_t padId);

}  // namespace distill::train
