// PlaygroundPage: chat with a model of the manager's list (or a run's checkpoint). Each reply shows
// its thinking and its answer as separate blocks, streamed from a worker thread, with sampling and
// budget-forcing controls, a stop button and token counts / speed.
#pragma once

#include "widgets/models/chat_worker.h"
#include "widgets/models/run_checkpoints.h"
#include "widgets/views/page.h"

#include <QTextCursor>

class QCheckBox;
class QComboBox;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTextEdit;

namespace distill::widgets {

class ChatSession;
class JobTracker;
class ModelListModel;

class PlaygroundPage : public Page {
    Q_OBJECT
public:
    // `models`: the model manager's list (not owned), whose chat-ready folders can be picked.
    explicit PlaygroundPage(ModelListModel* models, QWidget* parent = nullptr);
    ~PlaygroundPage() override;

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    void reload() override;

    // The folders offered in the model picker, in order.
    QStringList modelChoices() const;
    // Picks (and loads) a folder of the picker; false when it is not offered.
    bool selectModel(const QString& folder);
    // Sends `text` as the next user turn; false (with a status message) when it cannot.
    bool send(const QString& text);
    void stop();
    void clearConversation();

    ChatSettings settings() const;
    void setSettings(const ChatSettings& settings);

    bool isModelLoaded() const;
    bool isGenerating() const;
    const QList<ChatTurn>& turns() const { return m_turns; }
    // The last finished reply.
    const ChatReply& lastReply() const { return m_lastReply; }
    QTextEdit* conversationView() const { return m_view; }
    QString statsText() const;
    ChatSession* session() const { return m_session; }
    // Reads of the workspace's run checkpoints.
    JobTracker* jobs() const { return m_jobs; }

signals:
    void modelLoaded();
    void replyFinished();

private:
    void buildControls(QWidget* panel);
    void refillModels();
    // Reads the workspace's run checkpoints off the GUI thread, then refills the picker.
    void readCheckpoints();
    void loadCurrentModel();
    void onLoaded(const QString& modelId, bool hasChatTemplate);
    void onLoadFailed(const QString& error);
    void onStarted(qint64 promptTokens, bool opensThinking);
    void onPartial(const QString& reasoning, const QString& content, qint64 tokens, double seconds);
    void onFinished(const ChatReply& reply);
    void onFailed(const QString& error);
    void appendUserTurn(const QString& text);
    void beginAssistantTurn();
    void appendBlockText(bool thinking, const QString& text);
    void replaceBlockText(bool thinking, const QString& text);
    void setGenerating(bool generating);
    void scrollToEnd();

    ModelListModel* m_models;
    ChatSession* m_session;
    JobTracker* m_jobs;
    QVector<RunCheckpoint> m_checkpoints;  // of the workspace's SFT and GRPO runs
    QList<ChatTurn> m_turns;
    ChatReply m_lastReply;
    QString m_pendingUser;      // the user turn the running generation answers
    QString m_loadedFolder;
    qint64 m_promptTokens = 0;

    // The running reply's blocks in the conversation document (created when their first text comes).
    QTextCursor m_thinkingEnd;  // null until the thinking block exists
    QTextCursor m_answerEnd;

    QComboBox* m_model;
    QComboBox* m_device;
    QPushButton* m_reloadModel;
    QLabel* m_modelState;
    QTextEdit* m_view;
    QPlainTextEdit* m_input;
    QPushButton* m_send;
    QPushButton* m_stop;
    QPushButton* m_clear;
    QLabel* m_stats;
    QLineEdit* m_system;
    QDoubleSpinBox* m_temperature;
    QDoubleSpinBox* m_topP;
    QSpinBox* m_topK;
    QSpinBox* m_maxNewTokens;
    QSpinBox* m_seed;
    QCheckBox* m_thinkPrefill;
    QSpinBox* m_maxThinking;
    QSpinBox* m_minThinking;
    QSpinBox* m_maxWaits;
};

}  // namespace distill::widgets
