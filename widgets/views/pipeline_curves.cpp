#include "widgets/views/pipeline_curves.h"

#include "widgets/plots/curve_plot.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace distill::widgets {

namespace {

const QString kLoss = QStringLiteral("train/loss");
const QString kReward = QStringLiteral("grpo/reward_mean");

// "eval/<benchmark>/pass@1": the benchmark's name, else empty.
QString passBenchmark(const QString& metric)
{
    static const QString prefix = QStringLiteral("eval/");
    static const QString suffix = QStringLiteral("/pass@1");
    if (!metric.startsWith(prefix) || !metric.endsWith(suffix) || metric.size() <= prefix.size() + suffix.size())
        return {};
    return metric.mid(prefix.size(), metric.size() - prefix.size() - suffix.size());
}

}  // namespace

PipelineCurves::PipelineCurves(QWidget* parent) : QWidget(parent)
{
    const QString titles[PanelCount] = {tr("SFT training loss"), tr("GRPO mean rollout reward"),
                                        tr("pass@1 at each evaluation")};
    const QString xLabels[PanelCount] = {tr("step"), tr("step"), tr("evaluation, in pipeline order")};
    const QString yLabels[PanelCount] = {tr("loss"), tr("reward"), tr("pass@1")};
    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    for (int p = 0; p < PanelCount; ++p) {
        auto* box = new QWidget(this);
        auto* column = new QVBoxLayout(box);
        column->setContentsMargins(0, 0, 0, 0);
        column->setSpacing(2);
        column->addWidget(new QLabel(titles[p], box));
        m_plots[p] = new CurvePlot(box);
        m_plots[p]->setAxisLabels(xLabels[p], yLabels[p]);
        m_plots[p]->setMarkers(p != LossPanel);  // a GRPO run has few steps, a pipeline few evaluations
        column->addWidget(m_plots[p], 1);
        layout->addWidget(box, 1);
    }
}

PipelineCurves::Panel PipelineCurves::panelOf(const QString& metric)
{
    if (metric == kLoss)
        return LossPanel;
    if (metric == kReward)
        return RewardPanel;
    return passBenchmark(metric).isEmpty() ? PanelCount : PassPanel;
}

bool PipelineCurves::addPoint(const QString& stage, const QString& metric, qint64 step, double value)
{
    const Panel panel = panelOf(metric);
    if (panel == PanelCount)
        return false;
    if (panel == PassPanel)
        m_plots[panel]->appendPoint(tr("%1 (%2)").arg(stage, passBenchmark(metric)), ++m_evaluations, value);
    else
        m_plots[panel]->appendPoint(stage, double(step), value);
    return true;
}

void PipelineCurves::clear()
{
    for (CurvePlot* plot : m_plots)
        plot->clear();
    m_evaluations = 0;
}

}  // namespace distill::widgets
