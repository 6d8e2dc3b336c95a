// ChatWorker: the QObject that owns a loaded model (weights, tokenizer, chat template, engine) on a
// worker thread and generates chat replies with streaming, budget forcing and stop; ChatSession drives it.
#pragma once

#include <QList>
#include <QMetaType>
#include <QObject>
#include <QString>

#include <atomic>
#include <memory>

namespace distill::serve {
class ServedModel;
}

namespace distill::widgets {

struct ChatTurn {
    QString role;  // "system", "user" or "assistant"
    QString content;
};

struct ChatSettings {
    double temperature = 0.7;  // 0 = greedy
    double topP = 0.95;
    int topK = 0;              // 0 = off
    int maxNewTokens = 512;
    quint64 seed = 0;
    // Budget forcing of the thinking span the prompt opens (see core/infer/budget_forcing.h).
    int maxThinkingTokens = -1;  // -1 = unlimited
    int minThinkingTokens = 0;
    int maxWaits = 1;
    bool thinkPrefill = false;   // end the prompt in "<think>\n" when the template does not
};

struct ChatReply {
    enum class Finish { Stop, Length, Stopped };
    QString reasoning;  // the <think> span, trimmed
    QString content;    // the answer
    QString text;       // the whole completion as decoded
    bool thinking = false;
    QList<qint64> ids;
    qint64 promptTokens = 0;
    qint64 thinkingTokens = 0;
    int waits = 0;
    double seconds = 0.0;
    double firstTokenSeconds = 0.0;
    Finish finish = Finish::Length;

    double tokensPerSecond() const { return seconds > 0 ? double(ids.size()) / seconds : 0.0; }
};

class ChatWorker : public QObject {
    Q_OBJECT
public:
    explicit ChatWorker(QObject* parent = nullptr);
    ~ChatWorker() override;

    // Run on the worker's thread (queued by ChatSession). `device` is "cpu" or "cuda".
    void load(quint64 job, const QString& folder, const QString& device);
    void generate(quint64 job, const QList<distill::widgets::ChatTurn>& turns,
                  const distill::widgets::ChatSettings& settings);
    // Any thread: generations with a job id up to `job` end after their next token.
    void requestStop(quint64 job) { m_stopUpTo.store(job); }

    static bool cudaAvailable();

signals:
    void loaded(quint64 job, const QString& modelId, bool hasChatTemplate);
    void loadFailed(quint64 job, const QString& error);
    // The prompt is encoded and generation begins.
    void started(quint64 job, qint64 promptTokens, bool opensThinking);
    // New text of the reasoning and the answer, the tokens generated so far and the seconds since start.
    void partial(quint64 job, const QString& reasoning, const QString& content, qint64 tokens, double seconds);
    void finished(quint64 job, const distill::widgets::ChatReply& reply);
    void failed(quint64 job, const QString& error);

private:
    std::unique_ptr<serve::ServedModel> m_model;
    bool m_hasChatTemplate = false;
    std::atomic<quint64> m_stopUpTo{0};
};

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::widgets::ChatTurn)
Q_DECLARE_METATYPE(distill::widgets::ChatSettings)
Q_DECLARE_METATYPE(distill::widgets::ChatReply)
