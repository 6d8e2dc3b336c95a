// CurationPage: a slider per readability-filter threshold over a histogram of that score across
// the workspace, kept/rejected counts updated as a slider moves, Apply to write the statuses, and
// the disagreement view (re-graded vs stored verdict).
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
class QThread;

namespace distill::widgets {

class BackgroundRead;
class DisagreementView;

class CurationPage : public Page {
    Q_OBJECT
public:
    // The thresholds the page shows, in this order.
    enum Filter { LanguageMix, Repetition, ParagraphChars, ThinkingChars, TailRepeats, FilterCount };

    explicit CurationPage(QWidget* parent = nullptr);
    ~CurationPage() override;

    QString title() const override;
    void setWorkspace(store::Workspace* workspace) override;
    void reload() override;

    // Threshold of `filter` as the config holds it; setThreshold moves the slider to the nearest step.
    double threshold(Filter filter) const;
    void setThreshold(Filter filter, double value);
    QSlider* slider(Filter filter) const { return m_rows[filter].slider; }
    const text::FilterConfig& config() const { return m_config; }
    const std::vector<CurationEntry>& entries() const;
    KeptCount counts() const { return m_counts; }
    DisagreementView* disagreementView() const { return m_disagreements; }
    // Writes statuses and reasons for the current thresholds on a worker thread.
    void apply();

signals:
    void scoresLoaded();
    void applied(qint64 changed);

private:
    struct Row {
        QSlider* slider = nullptr;
        QLabel* value = nullptr;
        QCustomPlot* plot = nullptr;
        QCPBars* bars = nullptr;
        QCPItemStraightLine* line = nullptr;
        double upper = 1.0;  // slider range is [0, upper]
    };
    void onScores(quint64 job, const QVariant& result, const QString& error);
    void onSlider(Filter filter);
    void updateHistogram(Filter filter);
    void updateCounts();

    store::Workspace* m_workspace = nullptr;
    text::FilterConfig m_config;
    std::shared_ptr<const CurationScores> m_scores;
    KeptCount m_counts;
    BackgroundRead* m_reader;
    QThread* m_applyThread = nullptr;
    Row m_rows[FilterCount];
    QLabel* m_countLabel;
    QPushButton* m_apply;
    DisagreementView* m_disagreements;
};

}  // namespace distill::widgets
