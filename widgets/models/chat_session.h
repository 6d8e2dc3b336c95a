// ChatSession: the GUI-thread side of the playground's generation. It owns a worker thread with a
// ChatWorker, queues loads and generations on it with job ids, and forwards only current results.
#pragma once

#include "widgets/models/chat_worker.h"

#include <QObject>

class QThread;

namespace distill::widgets {

class ChatSession : public QObject {
    Q_OBJECT
public:
    explicit ChatSession(QObject* parent = nullptr);
    ~ChatSession() override;  // stops a running generation and joins the thread

    // Loads a model folder (replacing the current model); the answer is loaded() or loadFailed().
    quint64 load(const QString& folder, const QString& device = QStringLiteral("cpu"));
    // Generates the next assistant turn of `turns`; partial()… then finished() or failed().
    quint64 send(const QList<ChatTurn>& turns, const ChatSettings& settings);
    // Ends the running generation after its next token (finished() reports Finish::Stopped).
    void stop();

    bool isGenerating() const { return m_generating != 0; }
    bool isLoading() const { return m_loading != 0; }
    const QString& modelFolder() const { return m_folder; }
    bool hasModel() const { return m_hasModel; }

signals:
    void loaded(const QString& modelId, bool hasChatTemplate);
    void loadFailed(const QString& error);
    void started(qint64 promptTokens, bool opensThinking);
    void partial(const QString& reasoning, const QString& content, qint64 tokens, double seconds);
    void finished(const distill::widgets::ChatReply& reply);
    void failed(const QString& error);

private:
    QThread* m_thread;
    ChatWorker* m_worker;
    quint64 m_nextJob = 0;
    quint64 m_loading = 0;     // job id of the load in flight, 0 = none
    quint64 m_generating = 0;  // job id of the generation in flight, 0 = none
    QString m_folder;
    bool m_hasModel = false;
};

}  // namespace distill::widgets
