// PipelineCurves: a pipeline's curves, one series per stage, filled in live from its events or read
// back from the workspace: the training loss of its SFT stages, the mean rollout reward of its GRPO
// stages, and pass@1 at each benchmark evaluation in the order the pipeline made them (its training
// stages' benchmark hooks and its evaluation stages), so a chain such as SFT → eval → GRPO reads
// from left to right on one axis although each stage counts its own steps.
#pragma once

#include <QHash>
#include <QString>
#include <QWidget>

#include <array>

namespace distill::widgets {

class CurvePlot;

class PipelineCurves : public QWidget {
    Q_OBJECT
public:
    enum Panel { LossPanel, RewardPanel, PassPanel, PanelCount };

    explicit PipelineCurves(QWidget* parent = nullptr);

    // The panel that draws `metric` ("train/loss", "grpo/reward_mean", "eval/<benchmark>/pass@1"),
    // PanelCount for any other.
    static Panel panelOf(const QString& metric);
    // Draws a stage's metric point in its panel; false (nothing drawn) for a metric no panel draws.
    bool addPoint(const QString& stage, const QString& metric, qint64 step, double value);
    void clear();

    CurvePlot* plot(Panel panel) const { return m_plots[panel]; }
    int evaluations() const { return m_evaluations; }

private:
    std::array<CurvePlot*, PanelCount> m_plots{};
    int m_evaluations = 0;  // the pass@1 panel's x: the evaluations drawn so far
};

}  // namespace distill::widgets
