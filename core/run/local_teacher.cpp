#include "core/run/local_teacher.h"

#include "core/infer/engine.h"
#include "core/model/precision.h"
#include "core/serve/reply_split.h"
#include "core/serve/served_model.h"
#include "core/util/error.h"

#include <xxhash.h>

#include <algorithm>
#include <cstdio>
#include <limits>

namespace distill::run {

using nlohmann::json;

json localTeacherDefaults()
{
    return {{"model", ""},
            {"device", "cpu"},
            {"dtype", "auto"},
            {"max_batch", 16},
            {"sampling",
             {{"temperature", 0.6}, {"top_p", 0.95}, {"top_k", 0}, {"min_p", 0.0}, {"repetition_penalty", 1.0},
              {"max_tokens", 1024}, {"seed", 0}, {"stop", json::array()}, {"max_thinking_tokens", -1},
              {"min_thinking_tokens", 0}, {"num_waits", 1}}}};
}

namespace {

// Copies `given` over `into` key by key; a key `into` lacks or a value of another type is an error.
void merge(json& into, const json& given, const std::string& where)
{
    if (!given.is_object())
        throw Error(ErrorCode::InvalidArgument, "teacher: '" + where + "' must be a mapping");
    for (const auto& [key, value] : given.items()) {
        const std::string path = where.empty() ? key : where + "." + key;
        if (!into.contains(key))
            throw Error(ErrorCode::InvalidArgument, "teacher: unknown key '" + path + "' for type local");
        json& slot = into[key];
        if (slot.is_object()) {
            merge(slot, value, path);
        } else if (slot.is_number() ? !value.is_number() || (slot.is_number_integer() && !value.is_number_integer())
                                    : slot.type() != value.type()) {
            throw Error(ErrorCode::InvalidArgument, "teacher: '" + path + "' has the wrong type (expected " + slot.type_name() + ")");
        } else {
            slot = value;
        }
    }
}

void requireRange(const json& value, const std::string& name, double min, double max)
{
    const double x = value.get<double>();
    if (!(x >= min && x <= max))
        throw Error(ErrorCode::InvalidArgument, "teacher: '" + name + "' must be between " + std::to_string(min) + " and " + std::to_string(max));
}

}  // namespace

json resolveLocalTeacherConfig(const json& config)
{
    json out = localTeacherDefaults();
    json given = config;
    if (given.is_object())
        given.erase("type");
    merge(out, given, "");
    if (out["model"].get<std::string>().empty())
        throw Error(ErrorCode::InvalidArgument, "teacher: type local needs 'model' (a Hugging Face model folder)");
    model::parseDevice(out["device"].get<std::string>(), "teacher: 'device'");
    model::parsePrecision(out["dtype"].get<std::string>());
    requireRange(out["max_batch"], "max_batch", 1, 4096);
    const json& s = out["sampling"];
    requireRange(s["temperature"], "sampling.temperature", 0, 2);
    requireRange(s["top_p"], "sampling.top_p", 1e-9, 1);
    requireRange(s["top_k"], "sampling.top_k", 0, std::numeric_limits<std::int32_t>::max());
    requireRange(s["min_p"], "sampling.min_p", 0, 1);
    requireRange(s["repetition_penalty"], "sampling.repetition_penalty", 1e-6, 100);
    requireRange(s["max_tokens"], "sampling.max_tokens", 1, 1e9);
    requireRange(s["seed"], "sampling.seed", 0, 9.2e18);
    requireRange(s["max_thinking_tokens"], "sampling.max_thinking_tokens", -1, 1e9);
    requireRange(s["min_thinking_tokens"], "sampling.min_thinking_tokens", 0, 1e9);
    requireRange(s["num_waits"], "sampling.num_waits", 0, 1000);
    for (const auto& stop : s["stop"])
        if (!stop.is_string() || stop.get<std::string>().empty())
            throw Error(ErrorCode::InvalidArgument, "teacher: 'sampling.stop' must be a list of non-empty strings");
    return out;
}

LocalTeacher::LocalTeacher(const json& config) : m_config(resolveLocalTeacherConfig(config))
{
    serve::ServedModelOptions options;
    options.folder = m_config["model"].get<std::string>();
    options.device = m_config["device"];
    options.dtype = m_config["dtype"];
    options.maxBatch = m_config["max_batch"];
    m_model = std::make_unique<serve::ServedModel>(options);
    // The sampling settings are part of the name: other settings are other work units.
    const std::string sampling = m_config["sampling"].dump();
    char digest[17];
    std::snprintf(digest, sizeof digest, "%016llx", (unsigned long long)XXH3_64bits(sampling.data(), sampling.size()));
    m_name = "local:" + m_model->id() + ":" + std::string(digest, 8);
}

LocalTeacher::~LocalTeacher() = default;

std::string LocalTeacher::name() const
{
    return m_name;
}

int LocalTeacher::preferredBatch() const
{
    return m_config["max_batch"].get<int>();
}

std::vector<SampleResult> LocalTeacher::generate(const std::vector<SampleRequest>& batch)
{
    const json& s = m_config["sampling"];
    std::vector<SampleResult> results(batch.size());
    std::vector<infer::GenerationRequest> requests;
    std::vector<std::size_t> requestOf;  // engine request -> batch index
    std::vector<bool> opensThinking;
    for (std::size_t i = 0; i < batch.size(); ++i) {
        const SampleRequest& in = batch[i];
        results[i].id = in.id;
        results[i].sampleIndex = in.sampleIndex;
        try {
            nlohmann::ordered_json messages = nlohmann::ordered_json::array();
            if (in.messages.is_array())
                for (const auto& m : in.messages)
                    messages.push_back({{"role", m.value("role", "user")}, {"content", m.value("content", "")}});
            if (in.thinkPrefill)
                messages.push_back({{"role", "assistant"}, {"content", "<think>\n"}});
            const serve::Prompt prompt = m_model->chatPrompt(messages);
            infer::GenerationRequest g;
            g.prompt = prompt.ids;
            g.n = 1;
            g.maxNewTokens = std::min<std::int64_t>(s["max_tokens"].get<std::int64_t>(),
                                                    m_model->config().maxPositionEmbeddings - std::int64_t(g.prompt.size()));
            if (g.prompt.empty() || g.maxNewTokens < 1)
                throw Error(ErrorCode::InvalidArgument, "the prompt has " + std::to_string(g.prompt.size()) +
                                                            " tokens, no room left in the model's context");
            g.sampling.temperature = s["temperature"];
            g.sampling.topP = s["top_p"];
            g.sampling.topK = s["top_k"];
            g.sampling.minP = s["min_p"];
            g.sampling.repetitionPenalty = s["repetition_penalty"];
            // Each sample index draws its own stream, so a sample is the same in any batch or rerun.
            g.sampling.seed = s["seed"].get<std::uint64_t>() * 1'000'003ULL + std::uint64_t(in.sampleIndex);
            g.stopTokenIds = m_model->stopTokenIds();
            g.stopStrings = s["stop"].get<std::vector<std::string>>();
            const std::int64_t maxThinking = s["max_thinking_tokens"], minThinking = s["min_thinking_tokens"];
            if (maxThinking >= 0 || minThinking > 0)
                g.budget = m_model->budgetForcing(maxThinking, minThinking, s["num_waits"].get<int>());
            requests.push_back(std::move(g));
            requestOf.push_back(i);
            opensThinking.push_back(prompt.opensThinking);
        } catch (const Error& e) {
            results[i].ok = false;
            results[i].errorCode = e.code();
            results[i].error = e.detail();
        }
    }
    if (requests.empty())
        return results;
    for (const infer::Completion& c : m_model->engine().generate(requests)) {
        SampleResult& r = results[requestOf[c.request]];
        const bool opens = opensThinking[c.request];
        const serve::ReplyParts parts = serve::splitReply(c.text, opens);
        r.ok = true;
        r.rawText = c.text;
        r.thinking = parts.reasoning;
        r.answer = parts.content;
        r.thinkingClosed = !parts.thinking || c.text.find("</think>") != std::string::npos;
        r.finishReason = c.finish == infer::FinishReason::Stop ? "stop" : "length";
        r.promptTokens = std::int64_t(requests[c.request].prompt.size());
        r.completionTokens = std::int64_t(c.ids.size());
        if (parts.thinking) {
            r.thinkingTokens = m_model->reasoningTokens(c.ids, opens);
            r.answerTokens = r.completionTokens - *r.thinkingTokens;
        }
    }
    return results;
}

}  // namespace distill::run
