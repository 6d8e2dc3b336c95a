// ChatWorker implementation: ServedModel (core/serve) builds the chat prompt and owns the engine;
// tokens stream through the engine's callback, split into reasoning and answer by ReplyStreamer.
#include "core/infer/engine.h"
#include "core/serve/reply_split.h"
#include "core/serve/served_model.h"
#include "core/util/error.h"

#include "widgets/models/chat_worker.h"
#include "widgets/models/error_text.h"

#include <torch/cuda.h>

#include <QFile>

#include <chrono>
#include <nlohmann/json.hpp>

namespace distill::widgets {

namespace {

using Clock = std::chrono::steady_clock;

// Partial results go out for the first token at once, then at most this often.
constexpr auto kStreamInterval = std::chrono::milliseconds(40);

double secondsSince(Clock::time_point start)
{
    return std::chrono::duration<double>(Clock::now() - start).count();
}

QString text(const std::string& s)
{
    return QString::fromStdString(s);
}

}  // namespace

ChatWorker::ChatWorker(QObject* parent) : QObject(parent)
{
    qRegisterMetaType<ChatTurn>();
    qRegisterMetaType<ChatSettings>();
    qRegisterMetaType<ChatReply>();
}

ChatWorker::~ChatWorker() = default;

bool ChatWorker::cudaAvailable()
{
    return torch::cuda::is_available();
}

void ChatWorker::load(quint64 job, const QString& folder, const QString& device)
{
    m_model.reset();  // the old weights go before the new ones come
    try {
        serve::ServedModelOptions options;
        options.folder = QFile::encodeName(folder).toStdString();
        options.device = device.toStdString();
        options.maxBatch = 1;
        m_model = std::make_unique<serve::ServedModel>(options);
        emit loaded(job, text(m_model->id()), m_model->hasChatTemplate());
    } catch (const std::exception& e) {
        m_model.reset();
        emit loadFailed(job, errorMessage(e));
    }
}

void ChatWorker::generate(quint64 job, const QList<ChatTurn>& turns, const ChatSettings& settings)
{
    if (!m_model) {
        emit failed(job, tr("No model is loaded."));
        return;
    }
    const Clock::time_point start = Clock::now();
    ChatReply reply;
    std::vector<std::int64_t> ids;
    try {
        serve::Prompt prompt;
        if (m_model->hasChatTemplate()) {
            nlohmann::ordered_json messages = nlohmann::ordered_json::array();
            for (const ChatTurn& t : turns)
                messages.push_back({{"role", t.role.toStdString()}, {"content", t.content.toStdString()}});
            prompt = m_model->chatPrompt(messages, settings.thinkPrefill);
        } else {
            // No chat template: the model continues the last message as plain text.
            prompt = m_model->textPrompt(turns.isEmpty() ? std::string() : turns.back().content.toStdString());
        }
        reply.promptTokens = qint64(prompt.ids.size());
        emit started(job, reply.promptTokens, prompt.opensThinking);

        infer::GenerationRequest request;
        request.prompt = prompt.ids;
        request.sampling.temperature = settings.temperature;
        request.sampling.topP = settings.topP;
        request.sampling.topK = settings.topK;
        request.sampling.seed = settings.seed;
        request.maxNewTokens = settings.maxNewTokens;
        request.stopTokenIds = m_model->stopTokenIds();
        if (settings.maxThinkingTokens >= 0 || settings.minThinkingTokens > 0)
            request.budget = m_model->budgetForcing(settings.maxThinkingTokens, settings.minThinkingTokens,
                                                    settings.maxWaits);

        serve::ReplyStreamer streamer(prompt.opensThinking);
        QString pendingReasoning, pendingContent;
        auto lastEmit = Clock::time_point();
        const auto flush = [&] {
            emit partial(job, pendingReasoning, pendingContent, qint64(ids.size()), secondsSince(start));
            pendingReasoning.clear();
            pendingContent.clear();
            lastEmit = Clock::now();
        };
        const infer::TokenStreamFn onToken = [&](std::size_t, int, std::int64_t token) {
            if (m_stopUpTo.load() >= job)
                throw Error(ErrorCode::Cancelled, "generation stopped");
            if (ids.empty())
                reply.firstTokenSeconds = secondsSince(start);
            ids.push_back(token);
            const std::string sofar = m_model->decode(ids);
            const serve::ReplyDelta delta = streamer.update(serve::streamableText(sofar, {}), false);
            pendingReasoning += text(delta.reasoning);
            pendingContent += text(delta.content);
            if (ids.size() == 1 || Clock::now() - lastEmit >= kStreamInterval)
                flush();
        };
        std::string completionText;
        try {
            const auto completions = m_model->engine().generate({request}, onToken);
            const infer::Completion& c = completions.at(0);
            ids = c.ids;
            completionText = c.text;
            reply.finish = c.finish == infer::FinishReason::Stop ? ChatReply::Finish::Stop : ChatReply::Finish::Length;
            reply.waits = c.waits;
        } catch (const Error& e) {
            if (e.code() != ErrorCode::Cancelled || m_stopUpTo.load() < job)
                throw;
            completionText = m_model->decode(ids);
            reply.finish = ChatReply::Finish::Stopped;
        }
        const serve::ReplyDelta last = streamer.update(completionText, true);
        pendingReasoning += text(last.reasoning);
        pendingContent += text(last.content);
        if (!pendingReasoning.isEmpty() || !pendingContent.isEmpty())
            flush();

        const serve::ReplyParts parts = serve::splitReply(completionText, prompt.opensThinking);
        reply.text = text(completionText);
        reply.reasoning = text(parts.reasoning);
        reply.content = text(parts.content);
        reply.thinking = parts.thinking;
        for (std::int64_t id : ids)
            reply.ids << id;
        reply.thinkingTokens = m_model->reasoningTokens(ids, prompt.opensThinking);
        reply.seconds = secondsSince(start);
        emit finished(job, reply);
    } catch (const std::exception& e) {
        emit failed(job, errorMessage(e));
    }
}

}  // namespace distill::widgets
