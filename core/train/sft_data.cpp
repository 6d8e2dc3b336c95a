#include "core/train/sft_data.h"

#include "core/tokenizer/tokenizer.h"
#include "core/util/split_mix64.h"
#include "core/util/error.h"

#include <torch/torch.h>

#include <algorithm>
#include <numeric>

namespace distill::train {

std::int64_t TokenizedExample::trainedTokens() const
{
    return std::count(trained.begin(), trained.end(), std::uint8_t(1));
}

std::string_view truncationName(Truncation truncation)
{
    return truncation == Truncation::Drop ? "drop" : "truncate";
}

Truncation parseTruncation(std::string_view text)
{
    if (text == "drop")
        return Truncation::Drop;
    if (text == "truncate")
        return Truncation::Truncate;
    throw Error(ErrorCode::InvalidArgument, "unknown truncation '" + std::string(text) + "'", "use drop or truncate");
}

static constexpr std::string_view kThinkOpen = "<think>\n";

ExampleBuilder::ExampleBuilder(const tokenizer::Tokenizer& tokenizer, ExampleFormat format)
    : m_tokenizer(tokenizer), m_template(tokenizer::ChatTemplate::fromTokenizer(tokenizer)), m_format(format)
{
    const auto eos = tokenizer.eosId();
    if (!eos)
        throw Error(ErrorCode::InvalidArgument, "the tokenizer has no eos token",
                    "set eos_token in tokenizer_config.json: training teaches the model to end its turn with it");
    m_eosId = *eos;
}

std::vector<std::int64_t> ExampleBuilder::promptIds(const nlohmann::ordered_json& promptMessages) const
{
    return tokenizer::widen(m_tokenizer.encode(m_template.generationPrompt(promptMessages, m_format.thinkPrefill).text));
}

std::optional<TokenizedExample> ExampleBuilder::build(const nlohmann::ordered_json& promptMessages,
                                                      const std::string& thinking, const std::string& answer) const
{
    const auto prompt = m_template.generationPrompt(promptMessages, m_format.thinkPrefill);
    std::string completion = thinking.empty() && !m_format.thinkPrefill
                                 ? answer
                                 : std::string(kThinkOpen) + thinking + "\n</think>\n" + answer;
    if ((prompt.endsWithThinkPrefill || prompt.prefillAdded) && completion.starts_with(kThinkOpen))
        completion.erase(0, kThinkOpen.size());

    TokenizedExample example;
    example.ids = tokenizer::widen(m_tokenizer.encode(prompt.text));
    example.trained.assign(example.ids.size(), m_format.trainOnPrompt ? 1 : 0);
    if (!example.trained.empty())
        example.trained[0] = 0;  // nothing predicts the first token
    for (const auto id : m_tokenizer.encode(completion)) {
        example.ids.push_back(id);
        example.trained.push_back(1);
    }
    example.ids.push_back(m_eosId);
    example.trained.push_back(1);

    if (std::int64_t(example.ids.size()) > m_format.maxSeqLen) {
        if (m_format.truncation == Truncation::Drop)
            return std::nullopt;
        example.ids.resize(std::size_t(m_format.maxSeqLen));
        example.trained.resize(std::size_t(m_format.maxSeqLen));
    }
    if (example.trainedTokens() == 0)
        return std::nullopt;
    return example;
}

std::vector<MicroBatchPlan> planEpoch(const std::vector<std::int64_t>& lengths, const BatchingOptions& options,
                                      std::uint64_t seed, std::int64_t epoch)
{
    std::vector<std::size_t> order(lengths.size());
    std::iota(order.begin(), order.end(), std::size_t(0));
    util::SplitMix64 rng(seed * 0x9E3779B97F4A7C15ULL + std::uint64_t(epoch) + 1);
    for (std::size_t i = order.size(); i > 1; --i)  // Fisher-Yates
        std::swap(order[i - 1], order[std::size_t(rng.next() % i)]);

    std::vector<std::vector<std::size_t>> rows;
    if (options.packing) {
        std::int64_t used = 0;
        for (const auto index : order) {
            if (rows.empty() || used + lengths[index] > options.maxSeqLen) {
                rows.emplace_back();
                used = 0;
            }
            rows.back().push_back(index);
            used += lengths[index];
        }
    } else {
        if (options.groupByLength) {
            // Sort within windows of 64 micro-batches so batches stay shuffled across windows.
            const std::size_t window = std::size_t(std::max<std::int64_t>(1, options.microBatchSize * 64));
            for (std::size_t begin = 0; begin < order.size(); begin += window) {
                const auto end = order.begin() + std::ptrdiff_t(std::min(order.size(), begin + window));
                std::stable_sort(order.begin() + std::ptrdiff_t(begin), end,
                                 [&](std::size_t a, std::size_t b) { return lengths[a] > lengths[b]; });
            }
        }
        for (const auto index : order)
            rows.push_back({index});
    }

    std::vector<MicroBatchPlan> batches;
    for (std::size_t begin = 0; begin < rows.size(); begin += std::size_t(options.microBatchSize)) {
        const auto end = std::min(rows.size(), begin + std::size_t(options.microBatchSize));
        batches.emplace_back(rows.begin() + std::ptrdiff_t(begin), rows.begin() + std::ptrdiff_t(end));
    }
    return batches;
}

TrainBatch makeBatch(const std::vector<TokenizedExample>& examples, const MicroBatchPlan& rows, std::int64_t padId)
{
    std::int64_t width = 1;
    for (const auto& row : rows) {
        std::int64_t length = 0;
        for (const auto index : row)
            length += std::int64_t(examples[index].ids.size());
        width = std::max(width, length);
    }
    const auto B = std::int64_t(rows.size());
    auto ids = torch::full({B, width}, padId, torch::kLong);
    auto targets = torch::full({B, width}, -100, torch::kLong);
    auto positions = torch::zeros({B, width}, torch::kLong);
    auto sequences = torch::full({B, width}, -1, torch::kLong);
    auto idsA = ids.accessor<std::int64_t, 2>();
    auto targetsA = targets.accessor<std::int64_t, 2>();
    auto positionsA = positions.accessor<std::int64_t, 2>();
    auto sequencesA = sequences.accessor<std::int64_t, 2>();
    TrainBatch batch;
    for (std::int64_t b = 0; b < B; ++b) {
        std::int64_t col = 0;
        std::int64_t sampleNo = 0;
        for (const auto index : rows[std::size_t(b)]) {
            const auto& ex = examples[index];
            const auto n = std::int64_t(ex.ids.size());
            for (std::int64_t t = 0; t < n; ++t, ++col) {
                idsA[b][col] = ex.ids[std::size_t(t)];
                positionsA[b][col] = t;
                sequencesA[b][col] = sampleNo;
                if (t + 1 < n && ex.trained[std::size_t(t + 1)]) {
                    targetsA[b][col] = ex.ids[std::size_t(t + 1)];
                    ++batch.targetTokens;
                }
            }
            batch.tokens += n;
            ++sampleNo;
        }
    }
    batch.inputIds = ids;
    batch.targets = targets;
    batch.positions = positions;
    batch.sequenceIds = sequences;
    return batch;
}

}  // namespace distill::train
