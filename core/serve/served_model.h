// ServedModel: a Hugging Face model folder ready for serving (weights, tokenizer, chat template,
// end-of-sequence ids) and the prompts built from chat messages or raw text. Shared by the
// OpenAI-compatible server and the generation job's local teacher.
#pragma once

#include "core/infer/engine.h"
#include "core/model/checkpoint.h"
#include "core/serve/api_request.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace distill::tokenizer {
class Tokenizer;
class ChatTemplate;
}  // namespace distill::tokenizer

namespace distill::serve {

struct ServedModelOptions {
    std::filesystem::path folder;
    std::string device = "cpu";   // "cpu", "cuda" or "cuda:N"
    std::int64_t maxBatch = 64;   // sequences the engine decodes together
    std::string dtype = "auto";   // weights: auto (bf16 on CUDA, float32 on the CPU), float32, bf16
};

class ServedModel : public RequestModel {
public:
    // Throws distill::Error: InvalidArgument (device), Unsupported (no CUDA), NotFound (folder,
    // tokenizer.json) and whatever loading the checkpoint throws.
    explicit ServedModel(const ServedModelOptions& options);
    ~ServedModel();
    ServedModel(const ServedModel&) = delete;
    ServedModel& operator=(const ServedModel&) = delete;

    // The model's id in the API: the folder's name.
    const std::string& id() const override { return m_id; }
    const model::ModelConfig& config() const { return m_loaded.config; }
    std::int64_t vocabSize() const override { return m_loaded.config.vocabSize; }
    std::int64_t contextLength() const override { return m_loaded.config.maxPositionEmbeddings; }
    bool hasChatTemplate() const { return m_chatTemplate != nullptr; }

    // Renders OpenAI-style messages with the chat template and a generation prompt. A last message
    // with role "assistant" is continued instead (its text ends the prompt, no end of turn).
    // Throws InvalidArgument when the tokenizer has no chat template. ensureThinkPrefill: a new turn
    // ends in "<think>\n" even when the template does not open thinking itself.
    Prompt chatPrompt(const nlohmann::ordered_json& messages, bool ensureThinkPrefill = false) const override;
    Prompt textPrompt(std::string_view text) const override;

    std::vector<std::int64_t> encode(std::string_view text) const;
    // Without special tokens; invalid UTF-8 becomes U+FFFD.
    std::string decode(const std::vector<std::int64_t>& ids) const;

    // eos ids of config.json, generation_config.json and the tokenizer's eos token.
    const std::vector<std::int64_t>& stopTokenIds() const override { return m_stopIds; }
    // Budget forcing with this tokenizer's "</think>" and "Wait" tokens.
    infer::BudgetForcing budgetForcing(std::int64_t maxThinkingTokens, std::int64_t minThinkingTokens,
                                       int maxWaits) const override;
    // Tokens of a completion that belong to its reasoning: up to the first "</think>" tokens (all
    // of them when the thinking never closed); 0 when the completion does not start thinking.
    std::int64_t reasoningTokens(const std::vector<std::int64_t>& ids, bool opensThinking) const;

    // The engine is not thread-safe: one caller at a time.
    infer::Engine& engine() { return *m_engine; }

private:
    std::string m_id;
    model::LoadedModel m_loaded;
    std::unique_ptr<tokenizer::Tokenizer> m_tokenizer;
    std::unique_ptr<tokenizer::ChatTemplate> m_chatTemplate;
    std::vector<std::int64_t> m_stopIds;
    std::vector<std::int64_t> m_thinkOpenIds, m_thinkEndIds, m_waitIds;
    std::unique_ptr<infer::Engine> m_engine;
};

}  // namespace distill::serve
