// CurationPage: a slider per readability-filter threshold over a histogram of that score across
// the workspace, kept/rejected counts updated as a slider moves, Apply to write the statuses, the
// disagreement view (re-graded vs stored verdict), and the whole curation pass run as a job.
#pragma once

#include "core/text/readability_filter.h"
#include "widgets/models/curation_scores.h"
#include "widgets/views/page.h"

#include <memory>
#include <vector>

class QCustomPlot;
class QCPBars;
class QCPItemStraightLine;
class QLabel;
class QPushButton;
class QSlider;

namespace distill::widgets {

class CurateJobPanel;
class DisagreementView;
class JobTracker;

class CurationPage : public Page {
    Q_OBJECT
public:
    // The thresholds the page shows, in this order.
    enum Filter { LanguageMix, Repetition, ParagraphChars, ThinkingChars, TailRepeats, FilterCount };

    explicit CurationPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    // Reads every sample's scores again off the GUI thread (scoresLoaded when done).
    void reload() override;
    void setSourceCounts(const QVariantList& sources) override;

    // Threshold of `filter` as the config holds it; setThreshold moves the slider to the nearest step.
    double threshold(Filter filter) const;
    void setThreshold(Filter filter, double value);
    QSlider* slider(Filter filter) const { return m_rows[filter].slider; }
    const text::FilterConfig& config() const { return m_config; }
    const std::vector<CurationEntry>& entries() const;
    KeptCount counts() const { return m_counts; }
    DisagreementView* disagreementView() const { return m_disagreements; }
    CurateJobPanel* jobPanel() const { return m_job; }
    // Writes statuses and reasons for the current thresholds on a worker thread.
    void apply();

signals:
    void scoresLoaded();
    void applied(qint64 changed);
    // A curation job wrote to the workspace (statuses, verdicts, reasons).
    void curated();

private:
    struct Row {
        QSlider* slider = nullptr;
        QLabel* value = nullptr;
        QCustomPlot* plot = nullptr;
        QCPBars* bars = nullptr;
        QCPItemStraightLine* line = nullptr;
        double upper = 1.0;  // slider range is [0, upper]
    };
    void onScores(const QVariant& result, const QString& error);
    void onSlider(Filter filter);
    void updateHistogram(Filter filter);
    void updateCounts();

    bool hasWorkspace() const;

    text::FilterConfig m_config;
    std::shared_ptr<const CurationScores> m_scores;
    KeptCount m_counts;
    JobTracker* m_jobs;
    bool m_applying = false;
    Row m_rows[FilterCount];
    QLabel* m_countLabel;
    QPushButton* m_apply;
    DisagreementView* m_disagreements;
    CurateJobPanel* m_job;
};

}  // namespace distill::widgets
