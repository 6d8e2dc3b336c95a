// Bulk review on a workspace of 4500 samples (more than two chunks of kBulkChunk): a status and a tag
// set on every sample a filter matches, directly through bulk_review's functions (chunked progress,
// a cancel between chunks, undo giving each sample its own status back, a tag removed only where it
// was added, redo on the same samples) and through the sample browser page (its bulk menu, progress
// bar, cancel, undo stack) and its "Freeze as dataset" of the filter.
#include "core/store/workspace.h"
#include "widgets/models/bulk_review.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/sample_review.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/freeze_dialog.h"
#include "widgets/views/sample_browser_page.h"
#include "widgets/views/sample_filter_bar.h"

#include <nlohmann/json.hpp>

#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSemaphore>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTimer>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <algorithm>
#include <map>
#include <memory>
#include <set>

using namespace distill;
using widgets::BulkChange;
using widgets::SampleBrowserPage;

namespace {

constexpr int kSamples = 4500;
constexpr int kCandidates = 3150;  // i % 10 < 7
constexpr int kAccepted = 900;     // i % 10 in {7, 8}
constexpr int kRejected = 450;     // i % 10 == 9

// 4500 samples, ten per problem, the problems over three sources in turn ("alpha", "beta", "gamma":
// 1500 samples each); statuses by i % 10 (7 candidates, 2 accepted, 1 rejected); flags by i % 6:
// the tag "gold" already, the tag "keep" with another key, another key only, nothing.
store::Workspace makeWorkspace(const QString& path)
{
    store::CreateOptions options;
    options.loadBenchmarks = false;
    auto ws = store::Workspace::create(path.toStdString(), options);
    const char* const sources[] = {"alpha", "beta", "gamma"};
    store::Workspace::Transaction tx(ws);
    std::int64_t problemId = 0;
    for (int i = 0; i < kSamples; ++i) {
        if (i % 10 == 0) {
            store::Problem p;
            p.source = sources[(i / 10) % 3];
            p.question = "What is " + std::to_string(i / 10) + " plus one?";
            p.referenceAnswer = std::to_string(i / 10 + 1);
            problemId = ws.insertProblem(p);
        }
        store::Sample s;
        s.problemId = problemId;
        s.thinking = "Adding one to the number gives the next number.";
        s.answer = "\\boxed{" + std::to_string(i % 7) + "}";
        s.status = i % 10 < 7 ? store::SampleStatus::Candidate
                   : i % 10 < 9 ? store::SampleStatus::Accepted
                                : store::SampleStatus::Rejected;
        switch (i % 6) {
        case 0: s.flagsJson = "{\"tags\":[\"gold\"]}"; break;
        case 1: s.flagsJson = "{\"dup\":true,\"tags\":[\"keep\"]}"; break;
        case 2: s.flagsJson = "{\"dup\":true}"; break;
        default: s.flagsJson = "{}"; break;
        }
        ws.insertSample(s);
    }
    tx.commit();
    return ws;
}

struct SampleState {
    store::SampleStatus status;
    nlohmann::json flags;
    std::string source;
};

// Every sample's status, flags (parsed: key order is not meaning) and source, by id.
std::map<std::int64_t, SampleState> snapshot(const store::Workspace& ws)
{
    std::map<std::int64_t, SampleState> out;
    for (const store::SampleRow& r : ws.listSamples({}, 0, kSamples + 10))
        out[r.id] = {r.status, nlohmann::json::parse(r.flagsJson), r.source};
    return out;
}

std::vector<std::string> tagsOf(const SampleState& s)
{
    return widgets::sampleTags(s.flags.dump());
}

bool hasTag(const SampleState& s, const std::string& tag)
{
    const auto tags = tagsOf(s);
    return std::find(tags.begin(), tags.end(), tag) != tags.end();
}

// Ids of the snapshot whose sample satisfies `pred`, ascending.
template <typename Pred>
std::vector<std::int64_t> idsWhere(const std::map<std::int64_t, SampleState>& states, Pred pred)
{
    std::vector<std::int64_t> ids;
    for (const auto& [id, s] : states)
        if (pred(s))
            ids.push_back(id);
    return ids;
}

std::vector<std::int64_t> sorted(std::vector<std::int64_t> ids)
{
    std::sort(ids.begin(), ids.end());
    return ids;
}

// Number of samples whose status or flags differ between two snapshots.
int differences(const std::map<std::int64_t, SampleState>& a, const std::map<std::int64_t, SampleState>& b)
{
    int n = 0;
    for (const auto& [id, s] : a) {
        const SampleState& t = b.at(id);
        if (s.status != t.status || s.flags != t.flags)
            ++n;
    }
    return n;
}

// Waits until the page's reads and writes are in; a read's result may start another.
bool settled(SampleBrowserPage& page)
{
    for (int round = 0; round < 3; ++round)
        if (!page.model()->jobs()->waitForIdle() || !page.review()->jobs()->waitForIdle())
            return false;
    return page.model()->jobs()->pendingCount() == 0 && page.review()->jobs()->pendingCount() == 0;
}

QAction* bulkAction(SampleBrowserPage& page, const QString& text)
{
    auto* button = page.findChild<QToolButton*>(QStringLiteral("bulkActions"));
    if (!button || !button->menu())
        return nullptr;
    for (QAction* a : button->menu()->actions())
        if (a->text() == text)
            return a;
    return nullptr;
}

// Calls `answer` with the next modal dialog of type T once it is shown (the bulk menu asks first).
template <typename T, typename Answer>
void answerNextDialog(Answer answer)
{
    auto* timer = new QTimer;
    timer->setInterval(20);
    QObject::connect(timer, &QTimer::timeout, [timer, answer] {
        if (auto* dialog = qobject_cast<T*>(QApplication::activeModalWidget())) {
            timer->stop();
            timer->deleteLater();
            answer(dialog);
        }
    });
    timer->start();
}

}  // namespace

class TestBulkReview : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_counter = 0;
    QString nextPath() { return m_dir.filePath(QStringLiteral("bulk%1.distillery").arg(++m_counter)); }

private slots:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        static_assert(kCandidates > int(widgets::kBulkChunk) && kSamples > 2 * int(widgets::kBulkChunk));
    }

    // Reject everything: two groups to change (3150 candidates in two chunks, 900 accepted), progress
    // at each chunk, undo gives every sample its own status back, redo the same again.
    void statusInChunksUndoRedo()
    {
        auto ws = makeWorkspace(nextPath());
        const auto before = snapshot(ws);
        std::vector<std::pair<std::uint64_t, std::uint64_t>> calls;
        const BulkChange change = widgets::setStatusWhere(ws, {}, store::SampleStatus::Rejected,
                                                          [&](std::uint64_t done, std::uint64_t total) {
                                                              calls.emplace_back(done, total);
                                                              return true;
                                                          });
        QVERIFY(change.complete);
        QCOMPARE(change.kind, BulkChange::Kind::Status);
        QCOMPARE(change.matched, std::int64_t(kSamples));
        QCOMPARE(change.changed(), std::int64_t(kCandidates + kAccepted));
        // What undo gives back: each group holds exactly the samples that had that status.
        QCOMPARE(change.before.size(), std::size_t(2));
        for (const auto& [from, ids] : change.before) {
            QVERIFY(from != store::SampleStatus::Rejected);
            QCOMPARE(sorted(ids), idsWhere(before, [from = from](const SampleState& s) { return s.status == from; }));
        }
        // Progress: one call per chunk of at most kBulkChunk, total fixed, ending at the total.
        QVERIFY(!calls.empty());
        std::set<std::uint64_t> dones;
        std::uint64_t last = 0;
        for (const auto& [done, total] : calls) {
            QCOMPARE(total, std::uint64_t(kCandidates + kAccepted));
            QVERIFY(done >= last && done - last <= widgets::kBulkChunk);
            last = done;
            dones.insert(done);
        }
        QCOMPARE(dones, (std::set<std::uint64_t>{2000, 3150, 4050}));
        QCOMPARE(calls.back(), std::make_pair(std::uint64_t(4050), std::uint64_t(4050)));
        store::SampleQuery rejected;
        rejected.status = store::SampleStatus::Rejected;
        QCOMPARE(ws.countSamples(rejected), std::int64_t(kSamples));

        calls.clear();
        widgets::undoBulk(ws, change, [&](std::uint64_t done, std::uint64_t total) {
            calls.emplace_back(done, total);
            return true;
        });
        QCOMPARE(differences(snapshot(ws), before), 0);
        QCOMPARE(calls.back().first, std::uint64_t(kCandidates + kAccepted));
        QCOMPARE(ws.countSamples(rejected), std::int64_t(kRejected));

        widgets::redoBulk(ws, change);
        QCOMPARE(ws.countSamples(rejected), std::int64_t(kSamples));
        widgets::undoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), before), 0);
    }

    // A filter: only its samples change; once written the filter may match nothing, and redo still
    // applies to the samples it changed.
    void statusOnlyWhereTheFilterMatches()
    {
        auto ws = makeWorkspace(nextPath());
        const auto before = snapshot(ws);
        store::SampleQuery query;
        query.source = "alpha";
        query.status = store::SampleStatus::Candidate;
        const auto alphaCandidates = idsWhere(before, [](const SampleState& s) {
            return s.source == "alpha" && s.status == store::SampleStatus::Candidate;
        });
        QCOMPARE(int(alphaCandidates.size()), kCandidates / 3);
        const BulkChange change = widgets::setStatusWhere(ws, query, store::SampleStatus::Accepted);
        QVERIFY(change.complete);
        QCOMPARE(change.matched, std::int64_t(alphaCandidates.size()));
        QCOMPARE(change.before.size(), std::size_t(1));
        QCOMPARE(change.before[0].first, store::SampleStatus::Candidate);
        QCOMPARE(sorted(change.before[0].second), alphaCandidates);
        QCOMPARE(ws.countSamples(query), std::int64_t(0));
        const auto after = snapshot(ws);
        QCOMPARE(differences(after, before), int(alphaCandidates.size()));
        for (const std::int64_t id : alphaCandidates)
            QCOMPARE(after.at(id).status, store::SampleStatus::Accepted);

        widgets::undoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), before), 0);
        // Something else changes one of them meanwhile; redo gives the change's samples its status again.
        ws.setStatus({alphaCandidates.front()}, store::SampleStatus::Rejected);
        widgets::redoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), after), 0);

        // Setting the status they already have changes nothing.
        store::SampleQuery accepted;
        accepted.status = store::SampleStatus::Accepted;
        const BulkChange none = widgets::setStatusWhere(ws, accepted, store::SampleStatus::Accepted);
        QCOMPARE(none.matched, std::int64_t(kAccepted + alphaCandidates.size()));
        QCOMPARE(none.changed(), std::int64_t(0));
    }

    // A progress callback that says stop after the first chunk: exactly that chunk is written and
    // recorded, and undo takes back exactly it.
    void cancelBetweenChunks()
    {
        auto ws = makeWorkspace(nextPath());
        const auto before = snapshot(ws);
        int calls = 0;
        const auto stopAfterFirst = [&](std::uint64_t done, std::uint64_t) {
            ++calls;
            return done < widgets::kBulkChunk;
        };
        const BulkChange change = widgets::setStatusWhere(ws, {}, store::SampleStatus::Rejected, stopAfterFirst);
        QVERIFY(!change.complete);
        QCOMPARE(calls, 1);
        QCOMPARE(change.changed(), std::int64_t(widgets::kBulkChunk));
        const auto candidates = idsWhere(before, [](const SampleState& s) { return s.status == store::SampleStatus::Candidate; });
        const std::vector<std::int64_t> firstChunk(candidates.begin(), candidates.begin() + widgets::kBulkChunk);
        QCOMPARE(change.before.size(), std::size_t(1));
        QCOMPARE(change.before[0].first, store::SampleStatus::Candidate);
        QCOMPARE(change.before[0].second, firstChunk);
        const auto after = snapshot(ws);
        QCOMPARE(differences(after, before), int(widgets::kBulkChunk));
        for (const std::int64_t id : firstChunk)
            QCOMPARE(after.at(id).status, store::SampleStatus::Rejected);
        widgets::undoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), before), 0);

        // The same for a tag: the samples of the first chunk have it, no other sample got it.
        calls = 0;
        const BulkChange tag = widgets::tagWhere(ws, {}, "gold", stopAfterFirst);
        QVERIFY(!tag.complete);
        QCOMPARE(calls, 1);
        const auto all = idsWhere(before, [](const SampleState&) { return true; });
        const std::set<std::int64_t> first(all.begin(), all.begin() + widgets::kBulkChunk);
        const auto tagged = snapshot(ws);
        for (const auto& [id, s] : tagged)
            QCOMPARE(hasTag(s, "gold"), first.count(id) > 0 || hasTag(before.at(id), "gold"));
        QCOMPARE(tag.changed(), std::int64_t(std::count_if(first.begin(), first.end(), [&](std::int64_t id) {
                     return !hasTag(before.at(id), "gold");
                 })));
        widgets::undoBulk(ws, tag);
        QCOMPARE(differences(snapshot(ws), before), 0);
    }

    // Tagging: added once, after the tags a sample has, other flags kept; undo removes it only where it
    // was added (samples that had it keep it), redo adds it to the same samples.
    void tagUndoRedo()
    {
        auto ws = makeWorkspace(nextPath());
        const auto before = snapshot(ws);
        store::SampleQuery query;
        query.source = "beta";
        const auto beta = idsWhere(before, [](const SampleState& s) { return s.source == "beta"; });
        const auto betaWithout = idsWhere(before, [](const SampleState& s) { return s.source == "beta" && !hasTag(s, "gold"); });
        QCOMPARE(int(beta.size()), kSamples / 3);
        QVERIFY(betaWithout.size() < beta.size());  // some had the tag already

        std::uint64_t lastDone = 0, lastTotal = 0;
        const BulkChange change = widgets::tagWhere(ws, query, "gold", [&](std::uint64_t done, std::uint64_t total) {
            lastDone = done;
            lastTotal = total;
            return true;
        });
        QVERIFY(change.complete);
        QCOMPARE(change.kind, BulkChange::Kind::Tag);
        QCOMPARE(change.tag, std::string("gold"));
        QCOMPARE(change.matched, std::int64_t(beta.size()));
        QCOMPARE(sorted(change.tagged), betaWithout);
        QCOMPARE(lastDone, std::uint64_t(beta.size()));
        QCOMPARE(lastTotal, std::uint64_t(beta.size()));
        const auto after = snapshot(ws);
        for (const auto& [id, s] : after) {
            const SampleState& was = before.at(id);
            if (s.source != "beta") {
                QCOMPARE(s.flags, was.flags);
                continue;
            }
            std::vector<std::string> expected = tagsOf(was);
            if (!hasTag(was, "gold"))
                expected.push_back("gold");
            QCOMPARE(tagsOf(s), expected);
            nlohmann::json rest = s.flags, restWas = was.flags;
            rest.erase("tags");
            restWas.erase("tags");
            QCOMPARE(rest, restWas);
        }

        widgets::undoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), before), 0);
        widgets::redoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), after), 0);
        widgets::undoBulk(ws, change);
        QCOMPARE(differences(snapshot(ws), before), 0);

        // The tags of a flags text: strings of its "tags" list only.
        QCOMPARE(widgets::sampleTags("{\"tags\":[\"a\",1,\"b\"],\"x\":2}"), (std::vector<std::string>{"a", "b"}));
        QVERIFY(widgets::sampleTags("not json").empty());
        QVERIFY(widgets::sampleTags("{\"tags\":\"a\"}").empty());
    }

    // The page: accept every candidate (two chunks) from the bulk menu after its question, with the
    // progress bar filled and an undo entry; undo and redo through the page's undo stack.
    void pageAcceptsAllMatchingWithUndo()
    {
        const QString path = nextPath();
        auto ws = makeWorkspace(path);
        const auto before = snapshot(ws);
        SampleBrowserPage page;
        page.resize(1200, 700);
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(kSamples));
        widgets::SampleFilterBar* bar = page.filterBar();
        bar->statusCombo()->setCurrentIndex(bar->statusCombo()->findData(int(store::SampleStatus::Candidate)));
        QCOMPARE(page.query().status, std::optional(store::SampleStatus::Candidate));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(kCandidates));

        // "No" to the question writes nothing.
        QAction* acceptAll = bulkAction(page, QStringLiteral("Accept all matching…"));
        QVERIFY(acceptAll);
        answerNextDialog<QMessageBox>([](QMessageBox* box) { box->button(QMessageBox::No)->click(); });
        acceptAll->trigger();
        QVERIFY(!page.bulkRunning());
        QVERIFY(settled(page));
        QCOMPARE(differences(snapshot(ws), before), 0);
        QCOMPARE(page.undoStack()->count(), 0);

        QSignalSpy progress(page.review(), &widgets::SampleReview::bulkProgress);
        QSignalSpy done(page.review(), &widgets::SampleReview::bulkDone);
        QSignalSpy finished(&page, &SampleBrowserPage::bulkFinished);
        QString question;
        answerNextDialog<QMessageBox>([&question](QMessageBox* box) {
            question = box->text();
            box->button(QMessageBox::Yes)->click();
        });
        acceptAll->trigger();
        QCOMPARE(question, QStringLiteral("Accept all 3150 sample(s) matching the filter?"));
        QVERIFY(page.bulkRunning());
        QCOMPARE(page.acceptAllMatching(), quint64(0));  // one bulk action at a time
        QVERIFY(finished.wait(60000));
        QVERIFY(!page.bulkRunning());
        QCOMPARE(done.size(), 1);
        const auto change = done[0][1].value<BulkChange>();
        QVERIFY(done[0][3].toString().isEmpty());
        QVERIFY(change.complete);
        QCOMPARE(change.changed(), qint64(kCandidates));
        // Progress of this job reached the total, and the bar showed it.
        QVERIFY2(!progress.isEmpty(), "no bulkProgress while 3150 samples were written");
        QCOMPARE(progress.last()[0].toULongLong(), done[0][0].toULongLong());
        QCOMPARE(progress.last()[1].toLongLong(), qint64(kCandidates));
        QCOMPARE(progress.last()[2].toLongLong(), qint64(kCandidates));
        auto* bar2 = page.findChild<QProgressBar*>();
        QVERIFY(bar2);
        QCOMPARE(bar2->maximum(), kCandidates);
        QCOMPARE(bar2->value(), kCandidates);
        QVERIFY(bar2->isHidden());

        store::SampleQuery accepted;
        accepted.status = store::SampleStatus::Accepted;
        QCOMPARE(ws.countSamples(accepted), qint64(kCandidates + kAccepted));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(0));  // the filter matches none now
        QCOMPARE(page.undoStack()->count(), 1);
        QCOMPARE(page.undoStack()->undoText(), QStringLiteral("Accept all matching"));

        page.undoStack()->undo();
        QVERIFY(finished.wait(60000));
        QVERIFY(settled(page));
        QCOMPARE(differences(snapshot(ws), before), 0);
        QCOMPARE(page.model()->totalCount(), qint64(kCandidates));
        page.undoStack()->redo();
        QVERIFY(finished.wait(60000));
        QVERIFY(settled(page));
        QCOMPARE(ws.countSamples(accepted), qint64(kCandidates + kAccepted));
        QCOMPARE(page.model()->totalCount(), qint64(0));
        page.undoStack()->undo();
        QVERIFY(finished.wait(60000));
        QVERIFY(settled(page));
        QCOMPARE(differences(snapshot(ws), before), 0);
    }

    // Tag all matching from the menu (its input dialog), undone and redone.
    void pageTagsAllMatching()
    {
        const QString path = nextPath();
        auto ws = makeWorkspace(path);
        const auto before = snapshot(ws);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        page.show();
        QVERIFY(QTest::qWaitForWindowExposed(&page));
        QVERIFY(settled(page));
        page.setSourceCounts(widgets::readSources(ws).toList());
        widgets::SampleFilterBar* bar = page.filterBar();
        bar->sourceCombo()->setCurrentIndex(bar->sourceCombo()->findData(QStringLiteral("gamma")));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(kSamples / 3));

        QSignalSpy finished(&page, &SampleBrowserPage::bulkFinished);
        answerNextDialog<QInputDialog>([](QInputDialog* dialog) {
            dialog->setTextValue(QStringLiteral("  gold "));
            dialog->accept();
        });
        bulkAction(page, QStringLiteral("Tag all matching…"))->trigger();
        QVERIFY(finished.wait(60000));
        QVERIFY(settled(page));
        const auto after = snapshot(ws);
        for (const auto& [id, s] : after)
            QCOMPARE(hasTag(s, "gold"), s.source == "gamma" || hasTag(before.at(id), "gold"));
        QCOMPARE(page.undoStack()->count(), 1);
        QCOMPARE(page.undoStack()->undoText(), QStringLiteral("Tag all matching 'gold'"));

        page.undoStack()->undo();
        QVERIFY(finished.wait(60000));
        QCOMPARE(differences(snapshot(ws), before), 0);
        page.undoStack()->redo();
        QVERIFY(finished.wait(60000));
        QCOMPARE(differences(snapshot(ws), after), 0);
    }

    // Cancel while the first chunk waits for the write lock: that chunk is written, no other, and it
    // is one undo entry that takes back exactly it.
    void pageCancelBetweenChunks()
    {
        const QString path = nextPath();
        auto ws = makeWorkspace(path);
        const auto before = snapshot(ws);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        QVERIFY(settled(page));
        QSignalSpy done(page.review(), &widgets::SampleReview::bulkDone);
        QSignalSpy finished(&page, &SampleBrowserPage::bulkFinished);
        {
            store::Workspace::Transaction lock(ws);  // another writer holds the workspace
            QVERIFY(page.rejectAllMatching() != 0);
            QTest::qWait(500);  // the job has read the ids and waits to write the first chunk
            QVERIFY(page.bulkRunning());
            page.cancelBulk();
        }
        QVERIFY(finished.wait(60000));
        QCOMPARE(done.size(), 1);
        QVERIFY2(done[0][3].toString().isEmpty(), qPrintable(done[0][3].toString()));
        const auto change = done[0][1].value<BulkChange>();
        QVERIFY(!change.complete);
        QCOMPARE(change.changed(), qint64(widgets::kBulkChunk));
        QCOMPARE(differences(snapshot(ws), before), int(widgets::kBulkChunk));
        QCOMPARE(page.undoStack()->count(), 1);
        page.undoStack()->undo();
        QVERIFY(finished.wait(60000));
        QCOMPARE(differences(snapshot(ws), before), 0);
    }

    // Cancelled before it started (behind another write): nothing written, no undo entry.
    void pageCancelBeforeStart()
    {
        const QString path = nextPath();
        auto ws = makeWorkspace(path);
        const auto before = snapshot(ws);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        QVERIFY(settled(page));
        QSemaphore release;
        page.review()->jobs()->enqueue([&release](widgets::JobContext&) {
            release.acquire();
            return QVariant();
        });
        QSignalSpy finished(&page, &SampleBrowserPage::bulkFinished);
        QSignalSpy messages(&page, &SampleBrowserPage::statusMessage);
        QVERIFY(page.tagAllMatching(QStringLiteral("gold")) != 0);
        page.cancelBulk();
        release.release();
        QVERIFY(finished.wait(60000));
        QVERIFY(!page.bulkRunning());
        QCOMPARE(differences(snapshot(ws), before), 0);
        QCOMPARE(page.undoStack()->count(), 0);
        QVERIFY(!messages.isEmpty());
    }

    // "Freeze as dataset…" asks for the freeze dialog; frozen on the page's query, the dataset holds
    // exactly the samples the filter matches and keeps the filter as its recipe.
    void freezeTheFilter()
    {
        const QString path = nextPath();
        auto ws = makeWorkspace(path);
        SampleBrowserPage page;
        page.setWorkspacePath(path);
        QVERIFY(settled(page));
        page.setSourceCounts(widgets::readSources(ws).toList());
        widgets::SampleFilterBar* bar = page.filterBar();
        bar->sourceCombo()->setCurrentIndex(bar->sourceCombo()->findData(QStringLiteral("beta")));
        bar->statusCombo()->setCurrentIndex(bar->statusCombo()->findData(int(store::SampleStatus::Accepted)));
        QVERIFY(settled(page));
        QCOMPARE(page.model()->totalCount(), qint64(kAccepted / 3));

        QSignalSpy requested(&page, &SampleBrowserPage::freezeRequested);
        QAction* freeze = bulkAction(page, QStringLiteral("Freeze as dataset…"));
        QVERIFY(freeze);
        freeze->trigger();
        QCOMPARE(requested.size(), 1);

        widgets::FreezeDialog dialog(path, page.query());
        QSignalSpy ready(&dialog, &widgets::FreezeDialog::ready);
        QVERIFY(ready.wait(10000));
        QSignalSpy frozen(&dialog, &widgets::FreezeDialog::frozen);
        dialog.setName(QStringLiteral("beta-accepted"));
        QVERIFY(dialog.freeze());
        QVERIFY(frozen.wait(10000));
        const auto dataset = ws.dataset("beta-accepted");
        QVERIFY(dataset);
        QCOMPARE(dataset->sampleIds, ws.sampleIds(page.query()));
        QCOMPARE(int(dataset->sampleIds.size()), kAccepted / 3);
        QCOMPARE(store::SampleQuery::fromJson(nlohmann::json::parse(dataset->recipeJson)), page.query());
    }
};

QTEST_MAIN(TestBulkReview)
#include "tst_bulk_review.moc"
