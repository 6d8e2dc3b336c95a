// PageScreenshots implementation.
#include "widgets/views/page_screenshots.h"

#include "widgets/models/job_tracker.h"
#include "widgets/views/main_window.h"
#include "widgets/views/page.h"

#include <QDir>
#include <QRegularExpression>
#include <QTimer>

namespace distill::widgets {

namespace {
constexpr int kPollMs = 100;
constexpr int kIdlePolls = 4;      // jobs done for this long (plots drain on a 40 ms timer)
constexpr int kMinimumWaitMs = 600;  // what a page starts when it is shown (polls, lists) has begun
}  // namespace

PageScreenshots::PageScreenshots(MainWindow* window, const QString& dir, QObject* parent)
    : QObject(parent), m_window(window), m_dir(dir), m_poll(new QTimer(this))
{
    m_poll->setInterval(kPollMs);
    connect(m_poll, &QTimer::timeout, this, &PageScreenshots::poll);
}

QString PageScreenshots::fileName(const Page* page)
{
    QString name = QString::fromLatin1(page->metaObject()->className()).section(QStringLiteral("::"), -1);
    name.replace(QRegularExpression(QStringLiteral("([a-z0-9])([A-Z])")), QStringLiteral("\\1_\\2"));
    return name.toLower() + QStringLiteral(".png");
}

void PageScreenshots::start()
{
    m_ok = QDir().mkpath(m_dir);
    m_files.clear();
    showPage(0);
}

void PageScreenshots::showPage(int index)
{
    m_index = index;
    if (index >= m_window->pageCount()) {
        m_poll->stop();
        emit finished(m_ok, m_files);
        return;
    }
    m_window->showPage(index);
    m_idlePolls = 0;
    m_waited.start();
    m_poll->start();
}

bool PageScreenshots::idle() const
{
    for (const JobTracker* tracker : m_window->findChildren<JobTracker*>())
        if (tracker->pendingCount() > 0)
            return false;
    return true;
}

void PageScreenshots::poll()
{
    m_idlePolls = idle() ? m_idlePolls + 1 : 0;
    if ((m_idlePolls < kIdlePolls || m_waited.elapsed() < kMinimumWaitMs) && m_waited.elapsed() < kMaxWaitMs)
        return;
    m_poll->stop();
    const QString path = QDir(m_dir).filePath(fileName(m_window->page(m_index)));
    if (m_window->grab().toImage().save(path))
        m_files << path;
    else
        m_ok = false;
    showPage(m_index + 1);
}

}  // namespace distill::widgets
