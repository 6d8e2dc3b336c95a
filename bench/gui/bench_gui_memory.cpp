// bench_gui_memory: opens the main window (offscreen) on a workspace, scrolls the sample browser
// through pages, applies filters and sorts, selects samples, and prints page-fetch times and the
// process's peak resident memory (VmHWM). Every read runs off the GUI thread; a step's time runs
// until its rows (or its sample) have arrived and are laid out. Make a large workspace with
//   bench_store --samples 1000000 --dir DIR --keep   (then pass DIR/bench_store.sqlite)
// Usage: bench_gui_memory --workspace PATH [--pages N (default 100)]
#include "widgets/models/job_tracker.h"
#include "widgets/models/sample_review.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/views/main_window.h"
#include "widgets/views/sample_browser_page.h"
#include "widgets/views/sample_filter_bar.h"

#include <QApplication>
#include <QComboBox>
#include <QElapsedTimer>
#include <QFile>
#include <QLineEdit>
#include <QTableView>

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

using distill::widgets::MainWindow;
using distill::widgets::SampleTableModel;

namespace {

// A field of /proc/self/status in MB (VmHWM = peak resident set, VmRSS = current).
double procStatusMb(const char* field)
{
    QFile status(QStringLiteral("/proc/self/status"));
    if (!status.open(QIODevice::ReadOnly))
        return -1;
    for (const QByteArray& line : status.readAll().split('\n'))
        if (line.startsWith(field))
            return line.mid(int(qstrlen(field)) + 1).trimmed().split(' ').value(0).toDouble() / 1024.0;
    return -1;
}

void report(const char* step, double ms)
{
    // RssFile is mostly SQLite's memory-mapped database pages (file-backed, reclaimable);
    // RssAnon is the heap: rows, caches, widgets.
    std::printf("%-50s %8.1f ms  RSS %6.1f MB (anon %6.1f, file %6.1f)  peak %6.1f MB\n", step, ms,
                procStatusMb("VmRSS:"), procStatusMb("RssAnon:"), procStatusMb("RssFile:"), procStatusMb("VmHWM:"));
}

// Waits until the jobs have delivered their results, then lets the view lay them out.
void settle(distill::widgets::JobTracker* jobs)
{
    jobs->waitForIdle(600'000);
    QCoreApplication::processEvents();
}

// Times a filter change through the filter bar: re-query (count + first page) and repaint.
template <typename Fn>
void timeStep(const char* step, SampleTableModel* model, Fn&& fn)
{
    QElapsedTimer t;
    t.start();
    fn();
    settle(model->jobs());
    report(step, double(t.nsecsElapsed()) / 1e6);
}

}  // namespace

int main(int argc, char** argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QString workspace;
    int pages = 100;
    const QStringList args = app.arguments();
    for (int i = 1; i < args.size(); ++i) {
        if (args[i] == QLatin1String("--workspace") && i + 1 < args.size())
            workspace = args[++i];
        else if (args[i] == QLatin1String("--pages") && i + 1 < args.size())
            pages = args[++i].toInt();
        else {
            std::fprintf(stderr, "usage: bench_gui_memory --workspace PATH [--pages N]\n");
            return 2;
        }
    }
    if (workspace.isEmpty() || !QFile::exists(workspace)) {
        std::fprintf(stderr, "usage: bench_gui_memory --workspace PATH [--pages N]\n");
        return 2;
    }
    QCoreApplication::setOrganizationName(QStringLiteral("DistilleryBench"));
    report("start", 0);

    MainWindow window;
    window.resize(1400, 860);
    QElapsedTimer t;
    t.start();
    if (!window.openWorkspace(workspace))
        return 1;
    window.show();
    auto* browser = window.sampleBrowser();
    SampleTableModel* model = browser->model();
    settle(window.jobs());
    if (!window.workspace())
        return 1;
    settle(model->jobs());
    std::printf("workspace: %s, %lld samples\n", qPrintable(workspace), static_cast<long long>(model->totalCount()));
    report("open workspace + first page + show", double(t.nsecsElapsed()) / 1e6);

    // Scroll like a reviewer holding End: each step makes the view ask for the next page.
    std::vector<double> fetchMs;
    for (int p = 0; p < pages && model->canFetchMore({}); ++p) {
        const int before = model->rowCount();
        t.restart();
        browser->table()->scrollToBottom();
        QCoreApplication::processEvents();
        if (model->rowCount() == before && !model->isLoading())  // the view did not fetch: ask directly
            model->fetchMore({});
        settle(model->jobs());
        fetchMs.push_back(double(t.nsecsElapsed()) / 1e6);
    }
    std::sort(fetchMs.begin(), fetchMs.end());
    if (!fetchMs.empty())
        std::printf("scrolled %zu pages of %d rows (%d rows loaded): fetch+layout min %.1f / median %.1f / max %.1f ms\n",
                    fetchMs.size(), SampleTableModel::kPageSize, model->rowCount(), fetchMs.front(),
                    fetchMs[fetchMs.size() / 2], fetchMs.back());
    report("after scrolling", 0);

    // Review: select rows so the detail pane loads full texts.
    t.restart();
    for (int r = 0; r < 200; ++r) {
        browser->selectRow(r * (model->rowCount() / 200));
        settle(browser->review()->jobs());
    }
    report("select 200 samples (detail pane, avg per sample)", double(t.nsecsElapsed()) / 1e6 / 200);

    auto* bar = browser->filterBar();
    timeStep("filter verdict=correct", model, [&] {
        bar->verdictCombo()->setCurrentIndex(bar->verdictCombo()->findData(int(distill::store::Verdict::Correct)));
    });
    timeStep("filter + status=accepted", model, [&] {
        bar->statusCombo()->setCurrentIndex(bar->statusCombo()->findData(int(distill::store::SampleStatus::Accepted)));
    });
    timeStep("sort thinking tokens desc", model, [&] {
        browser->table()->sortByColumn(SampleTableModel::ThinkingTokens, Qt::DescendingOrder);
    });
    timeStep("clear filters (all rows, thinking tokens desc)", model, [&] { bar->clear(); });
    timeStep("full-text search 'probability'", model, [&] {
        bar->searchEdit()->setText(QStringLiteral("probability"));
        QElapsedTimer wait;
        wait.start();
        while (browser->query().search.empty() && wait.elapsed() < 5000)
            QCoreApplication::processEvents(QEventLoop::AllEvents, 10);
    });
    std::printf("  (includes the %d ms typing delay)\n", distill::widgets::SampleFilterBar::kTypingDelayMs);
    timeStep("sort by problem", model, [&] { browser->table()->sortByColumn(SampleTableModel::Problem, Qt::AscendingOrder); });
    report("end", 0);
    std::printf("peak resident memory (VmHWM): %.1f MB; loaded rows at the end: %d of %lld\n", procStatusMb("VmHWM:"),
                model->rowCount(), static_cast<long long>(model->totalCount()));
    return 0;
}
