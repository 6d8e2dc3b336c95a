// JobTracker implementation: two thread pools (reads in parallel, writes in order), one id counter
// for the process, and delivery on the tracker's thread through queued calls.
#include "widgets/models/job_tracker.h"

#include "core/store/workspace.h"
#include "core/util/error.h"
#include "widgets/models/error_text.h"

#include <QEventLoop>
#include <QRunnable>
#include <QThread>
#include <QTimer>

#include <utility>

namespace distill::widgets {

namespace {

// Job ids of the whole process: one counter, so an id names one job whatever tracker ran it.
std::atomic<quint64> g_nextJobId{1};

}  // namespace

JobContext::JobContext(JobTracker* tracker, quint64 id, std::shared_ptr<std::atomic<bool>> cancel, std::string path)
    : m_tracker(tracker), m_id(id), m_cancel(std::move(cancel)), m_path(std::move(path))
{
    m_sinceProgress.start();
}

JobContext::~JobContext() = default;

void JobContext::throwIfCancelled() const
{
    if (cancelled())
        throw Error(ErrorCode::Cancelled, "the job was cancelled");
}

void JobContext::progress(qint64 done, qint64 total)
{
    if (m_sinceProgress.elapsed() < JobTracker::kProgressIntervalMs && !(total > 0 && done >= total))
        return;
    m_sinceProgress.restart();
    JobTracker* tracker = m_tracker;
    const quint64 id = m_id;
    QMetaObject::invokeMethod(tracker, [tracker, id, done, total] { tracker->onProgress(id, done, total); },
                              Qt::QueuedConnection);
}

ProgressFn JobContext::progressFn()
{
    return [this](std::uint64_t done, std::uint64_t total) {
        progress(qint64(done), qint64(total));
        return !cancelled();
    };
}

const store::Workspace& JobContext::reader()
{
    if (!m_reader) {
        if (m_path.empty())
            throw Error(ErrorCode::NotFound, "no workspace is open");
        m_reader = std::make_unique<store::Workspace>(store::Workspace::open(m_path, store::OpenOptions::reader()));
    }
    return *m_reader;
}

store::Workspace& JobContext::writer()
{
    if (!m_writer) {
        if (m_path.empty())
            throw Error(ErrorCode::NotFound, "no workspace is open");
        m_writer = std::make_unique<store::Workspace>(store::Workspace::open(m_path));
    }
    return *m_writer;
}

JobTracker::JobTracker(QObject* parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(std::max(2, QThread::idealThreadCount()));
    m_serial.setMaxThreadCount(1);
}

JobTracker::~JobTracker()
{
    cancelAll();
    m_pool.waitForDone();
    m_serial.waitForDone();
    // Results posted by the last jobs die with this object (Qt drops events of a deleted receiver).
}

void JobTracker::setWorkspacePath(const QString& path)
{
    if (path == m_path)
        return;
    cancelAll();
    m_path = path;
    ++m_generation;
}

quint64 JobTracker::start(const QString& kind, Work work, Done done)
{
    return launch(kind, std::move(work), std::move(done), false);
}

quint64 JobTracker::enqueue(Work work, Done done)
{
    return launch(QString(), std::move(work), std::move(done), true);
}

quint64 JobTracker::launch(const QString& kind, Work work, Done done, bool serial)
{
    const quint64 id = g_nextJobId.fetch_add(1);
    if (!kind.isEmpty()) {
        const auto older = m_latest.constFind(kind);
        if (older != m_latest.constEnd())
            cancel(*older);
        m_latest.insert(kind, id);
    }
    auto cancelFlag = std::make_shared<std::atomic<bool>>(false);
    m_jobs.insert(id, Record{kind, std::move(done), cancelFlag, m_generation, serial});

    auto* runnable = QRunnable::create([this, id, cancelFlag, path = m_path.toStdString(), work = std::move(work)] {
        QVariant result;
        QString error;
        {
            JobContext context(this, id, cancelFlag, path);
            try {
                context.throwIfCancelled();  // superseded before it got a thread
                result = work(context);
            } catch (const std::exception& e) {
                error = errorMessage(e);
            }
        }  // the job's connections close before its result is seen
        QMetaObject::invokeMethod(this, [this, id, result, error] { deliver(id, result, error); }, Qt::QueuedConnection);
    });
    (serial ? m_serial : m_pool).start(runnable);
    return id;
}

void JobTracker::cancel(quint64 id)
{
    const auto it = m_jobs.constFind(id);
    if (it != m_jobs.constEnd())
        it->cancel->store(true);
}

void JobTracker::cancelAll()
{
    for (const Record& r : std::as_const(m_jobs))
        if (!r.serial)
            r.cancel->store(true);
}

bool JobTracker::isCurrent(quint64 id) const
{
    const auto it = m_jobs.constFind(id);
    if (it == m_jobs.constEnd() || it->generation != m_generation)
        return false;
    return it->kind.isEmpty() || m_latest.value(it->kind) == id;
}

bool JobTracker::isRunning(const QString& kind) const
{
    const auto it = m_latest.constFind(kind);
    return it != m_latest.constEnd() && isCurrent(*it);
}

bool JobTracker::waitForIdle(int timeoutMs)
{
    if (m_jobs.isEmpty())
        return true;
    QEventLoop loop;
    connect(this, &JobTracker::idle, &loop, &QEventLoop::quit);
    QTimer::singleShot(timeoutMs, &loop, &QEventLoop::quit);
    loop.exec();
    return m_jobs.isEmpty();
}

void JobTracker::deliver(quint64 id, const QVariant& result, const QString& error)
{
    const auto it = m_jobs.find(id);
    if (it == m_jobs.end())
        return;
    const bool current = isCurrent(id);
    const Record record = *it;
    m_jobs.erase(it);
    if (!record.kind.isEmpty() && m_latest.value(record.kind) == id)
        m_latest.remove(record.kind);
    if (current) {  // a superseded job or one of another workspace is stale: dropped
        if (record.done)
            record.done(result, error);
        emit finished(id, record.kind, result, error);
    }
    if (m_jobs.isEmpty())
        emit idle();
}

void JobTracker::onProgress(quint64 id, qint64 done, qint64 total)
{
    if (isCurrent(id))
        emit progress(id, done, total);
}

}  // namespace distill::widgets
