// Fuzz target: bytes as the body of a /v1/chat/completions or /v1/completions request (the first
// byte picks the endpoint), parsed against a stand-in model that renders prompts with the toy
// tokenizer's chat template but has no weights.
#include "core/serve/api_request.h"
#include "core/tokenizer/chat_template.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace distill;

namespace {

class ToyModel : public serve::RequestModel {
public:
    ToyModel()
        : m_tokenizer(tokenizer::Tokenizer::fromDirectory(DISTILLERY_SOURCE_DIR "/resources/toy"))
        , m_template(tokenizer::ChatTemplate::fromTokenizer(*m_tokenizer))
    {
    }
    const std::string& id() const override { return m_id; }
    std::int64_t vocabSize() const override { return std::int64_t(m_tokenizer->vocabSize()); }
    std::int64_t contextLength() const override { return 512; }
    serve::Prompt chatPrompt(const nlohmann::ordered_json& messages, bool ensureThinkPrefill) const override
    {
        return textPrompt(m_template.generationPrompt(messages, ensureThinkPrefill).text);
    }
    serve::Prompt textPrompt(std::string_view text) const override
    {
        return {tokenizer::widen(m_tokenizer->encode(text)), false};
    }
    const std::vector<std::int64_t>& stopTokenIds() const override { return m_stop; }
    infer::BudgetForcing budgetForcing(std::int64_t maxThinking, std::int64_t minThinking, int waits) const override
    {
        infer::BudgetForcing budget;
        budget.maxThinkingTokens = maxThinking;
        budget.minThinkingTokens = minThinking;
        budget.maxWaits = waits;
        return budget;
    }

private:
    std::string m_id = "toy";
    std::unique_ptr<tokenizer::Tokenizer> m_tokenizer;
    tokenizer::ChatTemplate m_template;
    std::vector<std::int64_t> m_stop = {1};
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size)
{
    static const ToyModel model;
    if (size == 0)
        return 0;
    const auto endpoint = data[0] % 2 == 0 ? serve::Endpoint::Chat : serve::Endpoint::Completion;
    try {
        serve::parseApiRequest(std::string_view(reinterpret_cast<const char*>(data) + 1, size - 1), endpoint, model);
    } catch (const Error&) {
        // 4xx: the server answers with the message.
    }
    return 0;
}
