// BackgroundRead implementation.
#include "widgets/models/background_read.h"

#include "core/store/workspace.h"
#include "widgets/models/error_text.h"

#include <QThread>

#include <algorithm>

namespace distill::widgets {

BackgroundRead::BackgroundRead(QObject* parent) : QObject(parent) {}

BackgroundRead::~BackgroundRead()
{
    for (QThread* thread : m_threads) {
        thread->wait();
        delete thread;
    }
}

quint64 BackgroundRead::start(const std::string& workspacePath, ReadFn read)
{
    const quint64 jobId = ++m_jobId;
    QThread* thread = QThread::create([this, jobId, workspacePath, read = std::move(read)] {
        QVariant result;
        QString error;
        try {
            const auto workspace = store::Workspace::open(workspacePath, store::OpenMode::ReadOnly);
            result = read(workspace);
        } catch (const std::exception& e) {
            error = errorMessage(e);
        }
        emit finished(jobId, result, error);
    });
    connect(thread, &QThread::finished, this, [this, thread] {
        m_threads.erase(std::remove(m_threads.begin(), m_threads.end(), thread), m_threads.end());
        thread->deleteLater();
    });
    m_threads.push_back(thread);
    thread->start();
    return jobId;
}

QVariant readSources(const store::Workspace& workspace)
{
    QVariantList rows;
    for (const store::SourceCount& s : workspace.sources())
        rows.append(QVariant(QVariantList{QString::fromStdString(s.source), qlonglong(s.problems), qlonglong(s.samples)}));
    return rows;
}

}  // namespace distill::widgets
