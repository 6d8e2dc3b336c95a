// SampleReview: the sample browser's reads and writes, as JobTracker jobs. A sample's detail (with its
// problem) and its edit history are read superseding older reads; review writes (status, flags, text,
// undo of a text edit, bulk changes of every sample matching a filter) run one at a time in the order
// asked. A text write re-grades the sample, re-scores its filters and recounts its tokens
// (reassessSample), and answers with the sample as stored after it.
#pragma once

#include "core/store/records.h"
#include "core/store/sample_query.h"
#include "widgets/models/bulk_review.h"

#include <QObject>

#include <optional>
#include <string>
#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class JobTracker;

struct SampleDetail {
    std::optional<store::Sample> sample;
    std::optional<store::Problem> problem;
};

// After an edit of its thinking or answer: the sample graded again against its problem's reference
// answer (verify::grade), its readability scores computed again (text::scoreSample, the default
// thresholds), its token counts estimated again (formats::estimateTokens), all in one transaction. An
// empty reject reason or one that grading or the filters gave is replaced by the new one (others, such
// as "duplicate", stay); the flags say "edited" while the sample's edit history is not empty.
void reassessSample(store::Workspace& workspace, qint64 id);

class SampleReview : public QObject {
    Q_OBJECT
public:
    explicit SampleReview(QObject* parent = nullptr);

    // Later reads and writes go to this workspace file; results of the previous one are dropped.
    void setWorkspacePath(const QString& path);
    QString workspacePath() const;
    JobTracker* jobs() const { return m_jobs; }

    // Reads sample `id` and its problem (detailRead); a newer read supersedes it.
    void readDetail(qint64 id);
    // Reads the edits of sample `id`, oldest first (historyRead).
    void readHistory(qint64 id);

    // Writes, in order; each ends with sampleChanged.
    void setStatus(qint64 id, store::SampleStatus status);
    void setFlags(qint64 id, const std::string& flagsJson);
    void setText(qint64 id, store::SampleField field, const std::string& text);
    // Undoes the edit before -> after: through the store's history when it is the sample's latest
    // edit there, else (something else edited the sample since) by writing `before` as a new edit.
    void undoText(qint64 id, store::SampleField field, const std::string& before, const std::string& after);

    // Bulk writes on every sample matching `query` (bulkProgress while they run, then bulkDone with
    // the change, which undoBulk/redoBulk take). Returns the job id (cancel stops between chunks).
    quint64 setStatusWhere(const store::SampleQuery& query, store::SampleStatus status);
    quint64 tagWhere(const store::SampleQuery& query, const std::string& tag);
    quint64 undoBulk(const BulkChange& change);
    quint64 redoBulk(const BulkChange& change);

signals:
    // `detail` is empty when the read failed (`error` says why) or the sample is gone.
    void detailRead(qint64 id, const distill::widgets::SampleDetail& detail, const QString& error);
    // After a write: the sample as stored now, or the error (the sample is then as before).
    void sampleChanged(qint64 id, const distill::widgets::SampleDetail& detail, const QString& error);
    void historyRead(qint64 id, const std::vector<distill::store::EditRecord>& edits, const QString& error);
    void bulkProgress(quint64 job, qint64 done, qint64 total);
    // A bulk write ended (`undone`: an undo); `change` holds what it did, also when it was cancelled.
    void bulkDone(quint64 job, const distill::widgets::BulkChange& change, bool undone, const QString& error);

private:
    template <typename Write>
    void write(qint64 id, Write write);
    template <typename Work>
    quint64 bulk(Work work, bool undone);

    JobTracker* m_jobs;
};

}  // namespace distill::widgets

Q_DECLARE_METATYPE(std::vector<distill::store::EditRecord>)
