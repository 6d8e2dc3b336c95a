// ChatSession implementation: worker signals arrive queued and carry the job id they answer.
#include "widgets/models/chat_session.h"

#include <QThread>

namespace distill::widgets {

ChatSession::ChatSession(QObject* parent) : QObject(parent), m_thread(new QThread(this)), m_worker(new ChatWorker)
{
    m_thread->setObjectName(QStringLiteral("chat worker"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);

    connect(m_worker, &ChatWorker::loaded, this, [this](quint64 job, const QString& id, bool chat) {
        if (job != m_loading)
            return;  // a load that a newer one replaced
        m_loading = 0;
        m_hasModel = true;
        emit loaded(id, chat);
    });
    connect(m_worker, &ChatWorker::loadFailed, this, [this](quint64 job, const QString& error) {
        if (job != m_loading)
            return;
        m_loading = 0;
        m_hasModel = false;
        emit loadFailed(error);
    });
    connect(m_worker, &ChatWorker::started, this, [this](quint64 job, qint64 promptTokens, bool opensThinking) {
        if (job == m_generating)
            emit started(promptTokens, opensThinking);
    });
    connect(m_worker, &ChatWorker::partial, this,
            [this](quint64 job, const QString& reasoning, const QString& content, qint64 tokens, double seconds) {
                if (job == m_generating)
                    emit partial(reasoning, content, tokens, seconds);
            });
    connect(m_worker, &ChatWorker::finished, this, [this](quint64 job, const ChatReply& reply) {
        if (job != m_generating)
            return;
        m_generating = 0;
        emit finished(reply);
    });
    connect(m_worker, &ChatWorker::failed, this, [this](quint64 job, const QString& error) {
        if (job != m_generating)
            return;
        m_generating = 0;
        emit failed(error);
    });
    m_thread->start();
}

ChatSession::~ChatSession()
{
    m_worker->requestStop(m_nextJob);
    m_thread->quit();
    m_thread->wait();
}

quint64 ChatSession::load(const QString& folder, const QString& device)
{
    stop();
    m_generating = 0;
    const quint64 job = ++m_nextJob;
    m_loading = job;
    m_folder = folder;
    m_hasModel = false;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, job, folder, device] { worker->load(job, folder, device); },
                              Qt::QueuedConnection);
    return job;
}

quint64 ChatSession::send(const QList<ChatTurn>& turns, const ChatSettings& settings)
{
    stop();
    const quint64 job = ++m_nextJob;
    m_generating = job;
    QMetaObject::invokeMethod(m_worker, [worker = m_worker, job, turns, settings] { worker->generate(job, turns, settings); },
                              Qt::QueuedConnection);
    return job;
}

void ChatSession::stop()
{
    if (m_generating)
        m_worker->requestStop(m_generating);
}

}  // namespace distill::widgets
