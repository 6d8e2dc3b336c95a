#include "core/serve/completion_stream.h"

#include "core/serve/served_model.h"

namespace distill::serve {

using nlohmann::ordered_json;

CompletionStream::CompletionStream(const ServedModel& model, ApiRequest request, ResponseHead head)
    : m_model(model), m_request(std::move(request)), m_head(std::move(head))
{
    for (int i = 0; i < m_request.generation.n; ++i)
        m_choices.push_back({{}, ReplyStreamer(m_request.opensThinking), {}});
    if (m_request.endpoint == Endpoint::Chat)
        for (int i = 0; i < m_request.generation.n; ++i)
            m_pending += sseEvent(deltaChunk(m_head, Endpoint::Chat, i, {{"role", "assistant"}, {"content", ""}}));
}

void CompletionStream::onToken(int sample, std::int64_t token)
{
    if (sample < 0 || std::size_t(sample) >= m_choices.size())
        return;
    Choice& choice = m_choices[std::size_t(sample)];
    choice.ids.push_back(token);
    const std::string text = m_model.decode(choice.ids);
    {
        std::lock_guard lock(m_mutex);
        emitText(sample, streamableText(text, m_request.generation.stopStrings), false);
    }
    m_ready.notify_all();
}

void CompletionStream::emitText(int sample, std::string_view text, bool final)
{
    Choice& choice = m_choices[std::size_t(sample)];
    if (m_request.endpoint == Endpoint::Completion) {
        if (text.size() > choice.sentText.size() && text.starts_with(choice.sentText)) {
            m_pending += sseEvent(deltaChunk(m_head, Endpoint::Completion, sample, {{"content", text.substr(choice.sentText.size())}}));
            choice.sentText = std::string(text);
        }
        return;
    }
    const ReplyDelta delta = choice.streamer.update(text, final);
    if (!delta.reasoning.empty())
        m_pending += sseEvent(deltaChunk(m_head, Endpoint::Chat, sample, {{"reasoning_content", delta.reasoning}}));
    if (!delta.content.empty())
        m_pending += sseEvent(deltaChunk(m_head, Endpoint::Chat, sample, {{"content", delta.content}}));
}

void CompletionStream::onDone(const std::vector<infer::Completion>& completions)
{
    std::int64_t completionTokens = 0, reasoningTokens = 0;
    {
        std::lock_guard lock(m_mutex);
        for (const infer::Completion& c : completions) {
            if (c.sample < 0 || std::size_t(c.sample) >= m_choices.size())
                continue;
            emitText(c.sample, c.text, true);
            m_pending += sseEvent(deltaChunk(m_head, m_request.endpoint, c.sample, ordered_json::object(), finishReasonName(c.finish)));
            completionTokens += std::int64_t(c.ids.size());
            if (m_request.endpoint == Endpoint::Chat)
                reasoningTokens += m_model.reasoningTokens(c.ids, m_request.opensThinking);
        }
        if (m_request.includeUsage)
            m_pending += sseEvent(usageChunk(m_head, m_request.endpoint,
                                             usageJson(std::int64_t(m_request.generation.prompt.size()), completionTokens, reasoningTokens)));
    }
    end("data: [DONE]\n\n");
}

void CompletionStream::onError(const std::string& message)
{
    end(sseEvent(errorJson(message, "server_error")) + "data: [DONE]\n\n");
}

void CompletionStream::end(std::string events)
{
    {
        std::lock_guard lock(m_mutex);
        m_pending += events;
        m_ended = true;
    }
    m_ready.notify_all();
}

std::optional<std::string> CompletionStream::take(std::chrono::milliseconds wait)
{
    std::unique_lock lock(m_mutex);
    m_ready.wait_for(lock, wait, [this] { return !m_pending.empty() || m_ended; });
    if (m_pending.empty() && m_ended)
        return std::nullopt;
    std::string out;
    out.swap(m_pending);
    return out;
}

}  // namespace distill::serve
