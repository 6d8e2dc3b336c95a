// SampleReview: the sample browser's reads and writes of single samples, as JobTracker jobs. A
// sample's detail (with its problem) is read superseding older reads; review writes (status, flags,
// text, undo of a text edit) run one at a time in the order asked, each answering with the sample
// as stored after it.
#pragma once

#include "core/store/records.h"

#include <QObject>

#include <optional>
#include <string>

namespace distill::widgets {

class JobTracker;

struct SampleDetail {
    std::optional<store::Sample> sample;
    std::optional<store::Problem> problem;
};

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

    // Writes, in order; each ends with sampleChanged.
    void setStatus(qint64 id, store::SampleStatus status);
    void setFlags(qint64 id, const std::string& flagsJson);
    void setText(qint64 id, store::SampleField field, const std::string& text);
    // Undoes the edit before -> after: through the store's history when it is the sample's latest
    // edit there, else (something else edited the sample since) by writing `before` as a new edit.
    void undoText(qint64 id, store::SampleField field, const std::string& before, const std::string& after);

signals:
    // `detail` is empty when the read failed (`error` says why) or the sample is gone.
    void detailRead(qint64 id, const distill::widgets::SampleDetail& detail, const QString& error);
    // After a write: the sample as stored now, or the error (the sample is then as before).
    void sampleChanged(qint64 id, const distill::widgets::SampleDetail& detail, const QString& error);

private:
    template <typename Write>
    void write(qint64 id, Write write);

    JobTracker* m_jobs;
};

}  // namespace distill::widgets
