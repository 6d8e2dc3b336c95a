#include "core/serve/served_model.h"

#include "core/model/precision.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <algorithm>

namespace distill::serve {

namespace fs = std::filesystem;

namespace {

bool endsWithOpenThink(std::string_view text)
{
    const auto end = text.find_last_not_of(" \t\r\n");
    if (end == std::string_view::npos)
        return false;
    text = text.substr(0, end + 1);
    constexpr std::string_view open = "<think>";
    return text.size() >= open.size() && text.substr(text.size() - open.size()) == open;
}

std::size_t findSequence(const std::vector<std::int64_t>& ids, const std::vector<std::int64_t>& needle)
{
    if (needle.empty())
        return ids.size();
    const auto it = std::search(ids.begin(), ids.end(), needle.begin(), needle.end());
    return std::size_t(it - ids.begin());
}

}  // namespace

ServedModel::ServedModel(const ServedModelOptions& options)
{
    const c10::Device device = model::availableDevice(options.device, "device");
    const model::Precision precision = model::parsePrecision(options.dtype);
    if (!fs::is_directory(options.folder))
        throw Error(ErrorCode::NotFound, "model folder not found: " + options.folder.string());
    if (!fs::exists(options.folder / "tokenizer.json"))
        throw Error(ErrorCode::NotFound, "serving needs tokenizer.json in " + options.folder.string(),
                    "copy the tokenizer files of the model into its folder");
    const fs::path canonical = fs::weakly_canonical(options.folder);
    m_id = canonical.filename().empty() ? canonical.parent_path().filename().string() : canonical.filename().string();

    m_tokenizer = tokenizer::Tokenizer::fromDirectory(options.folder);
    if (!m_tokenizer->config().chatTemplate.empty())
        m_chatTemplate = std::make_unique<tokenizer::ChatTemplate>(tokenizer::ChatTemplate::fromTokenizer(*m_tokenizer));

    model::LoadOptions load;
    load.device = device;
    load.dtype = model::inferenceDtype(precision, device);
    m_loaded = model::loadModel(options.folder, load);
    m_stopIds = model::stopTokenIds(m_loaded.config, options.folder, m_tokenizer->eosId());
    m_thinkOpenIds = encode("<think>");
    m_thinkEndIds = encode("</think>");
    m_waitIds = encode("Wait");

    infer::EngineOptions engineOptions;
    engineOptions.maxBatch = std::max<std::int64_t>(1, options.maxBatch);
    engineOptions.detokenize = [this](const std::vector<std::int64_t>& ids) { return decode(ids); };
    m_engine = std::make_unique<infer::Engine>(m_loaded.model.ptr(), engineOptions);
}

ServedModel::~ServedModel() = default;

Prompt ServedModel::chatPrompt(const nlohmann::ordered_json& messages, bool ensureThinkPrefill) const
{
    if (!m_chatTemplate)
        throw Error(ErrorCode::InvalidArgument, "the model's tokenizer_config.json has no chat template",
                    "use /v1/completions with a text prompt");
    std::string text;
    if (!messages.empty() && messages.back().value("role", "") == "assistant") {
        // Continue the final assistant message: the turns before it, the generation prompt, its text.
        nlohmann::ordered_json before = nlohmann::ordered_json::array();
        for (std::size_t i = 0; i + 1 < messages.size(); ++i)
            before.push_back(messages[i]);
        text = m_chatTemplate->generationPrompt(before, false).text + messages.back().value("content", "");
    } else {
        text = m_chatTemplate->generationPrompt(messages, ensureThinkPrefill).text;
    }
    return {encode(text), endsWithOpenThink(text)};
}

Prompt ServedModel::textPrompt(std::string_view text) const
{
    return {encode(text), endsWithOpenThink(text)};
}

std::vector<std::int64_t> ServedModel::encode(std::string_view text) const
{
    return tokenizer::widen(m_tokenizer->encode(text));
}

std::string ServedModel::decode(const std::vector<std::int64_t>& ids) const
{
    return m_tokenizer->decode(std::vector<std::int32_t>(ids.begin(), ids.end()), true);
}

infer::BudgetForcing ServedModel::budgetForcing(std::int64_t maxThinkingTokens, std::int64_t minThinkingTokens,
                                                int maxWaits) const
{
    infer::BudgetForcing budget;
    budget.maxThinkingTokens = maxThinkingTokens;
    budget.minThinkingTokens = minThinkingTokens;
    budget.maxWaits = maxWaits;
    budget.thinkEndIds = m_thinkEndIds;
    budget.waitIds = m_waitIds;
    return budget;
}

std::int64_t ServedModel::reasoningTokens(const std::vector<std::int64_t>& ids, bool opensThinking) const
{
    const bool opens = !m_thinkOpenIds.empty() && ids.size() >= m_thinkOpenIds.size() &&
                       std::equal(m_thinkOpenIds.begin(), m_thinkOpenIds.end(), ids.begin());
    if (!opensThinking && !opens)
        return 0;
    return std::int64_t(std::min(findSequence(ids, m_thinkEndIds), ids.size()));
}

}  // namespace distill::serve
