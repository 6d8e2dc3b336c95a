// CurationPage implementation.
#include "widgets/views/curation_page.h"

#include "widgets/models/curation_disagreement_model.h"
#include "widgets/models/job_tracker.h"
#include "widgets/views/curate_job_panel.h"
#include "widgets/views/disagreement_view.h"

#include <qcustomplot.h>

#include <QGridLayout>
#include <QLabel>
#include <QPushButton>
#include <QSlider>
#include <QTabWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace distill::widgets {

namespace {

constexpr int kSteps = 1000;
constexpr int kBins = 30;
const QString kScores = QStringLiteral("scores");

using Filter = CurationPage::Filter;

bool integral(Filter f)
{
    return f == Filter::ParagraphChars || f == Filter::ThinkingChars || f == Filter::TailRepeats;
}

double scoreOf(const text::FilterScores& s, Filter f)
{
    switch (f) {
    case Filter::LanguageMix: return s.languageMix;
    case Filter::Repetition: return s.repeatedNgramShare;
    case Filter::ParagraphChars: return double(s.longestParagraphChars);
    case Filter::ThinkingChars: return double(s.thinkingChars);
    case Filter::TailRepeats: return double(s.tailRepeats);
    case Filter::FilterCount: break;
    }
    return 0.0;
}

double thresholdOf(const text::FilterConfig& c, Filter f)
{
    switch (f) {
    case Filter::LanguageMix: return c.maxLanguageMix;
    case Filter::Repetition: return c.maxRepeatedNgramShare;
    case Filter::ParagraphChars: return double(c.maxParagraphChars);
    case Filter::ThinkingChars: return double(c.maxThinkingChars);
    case Filter::TailRepeats: return double(c.maxTailRepeats);
    case Filter::FilterCount: break;
    }
    return 0.0;
}

void setThresholdOf(text::FilterConfig& c, Filter f, double v)
{
    switch (f) {
    case Filter::LanguageMix: c.maxLanguageMix = v; break;
    case Filter::Repetition: c.maxRepeatedNgramShare = v; break;
    case Filter::ParagraphChars: c.maxParagraphChars = std::size_t(std::llround(v)); break;
    case Filter::ThinkingChars: c.maxThinkingChars = std::size_t(std::llround(v)); break;
    case Filter::TailRepeats: c.maxTailRepeats = std::size_t(std::llround(v)); break;
    case Filter::FilterCount: break;
    }
}

QString filterLabel(Filter f)
{
    switch (f) {
    case Filter::LanguageMix: return CurationPage::tr("Language mix (share of letters in another script)");
    case Filter::Repetition: return CurationPage::tr("Repeated n-gram share of the thinking");
    case Filter::ParagraphChars: return CurationPage::tr("Longest paragraph (characters, 0 = no limit)");
    case Filter::ThinkingChars: return CurationPage::tr("Thinking length (characters, 0 = no limit)");
    case Filter::TailRepeats: return CurationPage::tr("Repeats of the last sentence (0 = off)");
    case Filter::FilterCount: break;
    }
    return {};
}

}  // namespace

CurationPage::CurationPage(QWidget* parent)
    : Page(parent), m_jobs(new JobTracker(this)), m_countLabel(new QLabel(this)),
      m_apply(new QPushButton(tr("Apply"), this)), m_disagreements(new DisagreementView(this)),
      m_job(new CurateJobPanel(this))
{
    auto* thresholds = new QWidget(this);
    auto* grid = new QGridLayout(thresholds);
    for (int i = 0; i < FilterCount; ++i) {
        const auto f = Filter(i);
        Row& row = m_rows[i];
        row.slider = new QSlider(Qt::Horizontal, thresholds);
        row.slider->setRange(0, kSteps);
        row.value = new QLabel(thresholds);
        row.value->setMinimumWidth(80);
        row.plot = new QCustomPlot(thresholds);
        row.plot->setMinimumHeight(110);
        row.bars = new QCPBars(row.plot->xAxis, row.plot->yAxis);
        row.bars->setPen(Qt::NoPen);
        row.bars->setBrush(QColor(70, 130, 180));
        row.line = new QCPItemStraightLine(row.plot);
        row.line->setPen(QPen(QColor(200, 40, 40), 2));
        row.plot->yAxis->setLabel(tr("samples"));
        auto* label = new QLabel(filterLabel(f), thresholds);
        grid->addWidget(label, 2 * i, 0, 1, 2);
        grid->addWidget(row.slider, 2 * i, 2);
        grid->addWidget(row.value, 2 * i, 3);
        grid->addWidget(row.plot, 2 * i + 1, 0, 1, 4);
        connect(row.slider, &QSlider::valueChanged, this, [this, f] { onSlider(f); });
    }
    grid->setColumnStretch(2, 1);

    auto* top = new QHBoxLayout;
    top->addWidget(m_countLabel, 1);
    top->addWidget(m_apply);
    m_apply->setEnabled(false);
    connect(m_apply, &QPushButton::clicked, this, &CurationPage::apply);

    auto* tabs = new QTabWidget(this);
    tabs->addTab(thresholds, tr("Thresholds"));
    tabs->addTab(m_disagreements, tr("Disagreements"));
    tabs->addTab(m_job, tr("Curation job"));
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(tabs, 1);

    connect(m_jobs, &JobTracker::progress, this, [this](quint64, qint64 done, qint64 total) {
        m_countLabel->setText(tr("Reading filter scores… %1 of %2 samples").arg(done).arg(total));
    });
    connect(m_disagreements, &DisagreementView::statusMessage, this, &Page::statusMessage);
    connect(m_job, &CurateJobPanel::statusMessage, this, &Page::statusMessage);
    connect(m_job, &CurateJobPanel::jobFinished, this, [this](const QString& status, bool dryRun) {
        if (status == QLatin1String("finished") && !dryRun) {
            reload();
            emit curated();
        }
    });
    m_job->setFilters(m_config);
    updateCounts();
}

QString CurationPage::title() const
{
    return tr("Curate");
}

void CurationPage::setWorkspacePath(const QString& path)
{
    if (path != m_jobs->workspacePath())
        m_applying = false;  // an apply of the previous workspace reports nothing here
    m_jobs->setWorkspacePath(path);
    m_disagreements->setWorkspacePath(path);
    m_job->setWorkspacePath(path);
    if (path.isEmpty())
        m_job->setSources({});
    reload();
}

bool CurationPage::hasWorkspace() const
{
    return m_jobs->hasWorkspace();
}

void CurationPage::setSourceCounts(const QVariantList& sources)
{
    QStringList names;
    for (const QVariant& row : sources)
        if (row.toList().value(2).toLongLong() > 0)
            names << row.toList().value(0).toString();
    m_job->setSources(names);
}

void CurationPage::reload()
{
    m_scores.reset();
    m_apply->setEnabled(false);
    m_disagreements->model()->setEntries({});
    updateCounts();
    if (!hasWorkspace())
        return;
    m_countLabel->setText(tr("Reading filter scores…"));
    m_jobs->start(
        kScores,
        [config = m_config](JobContext& job) {
            return QVariant::fromValue(
                std::make_shared<const CurationScores>(readCurationScores(job.reader(), config, job.progressFn())));
        },
        [this](const QVariant& result, const QString& error) { onScores(result, error); });
}

const std::vector<CurationEntry>& CurationPage::entries() const
{
    static const std::vector<CurationEntry> none;
    return m_scores ? m_scores->entries : none;
}

void CurationPage::onScores(const QVariant& result, const QString& error)
{
    if (!error.isEmpty()) {
        m_countLabel->setText(error);
        emit statusMessage(error);
        return;
    }
    m_scores = result.value<std::shared_ptr<const CurationScores>>();
    for (int i = 0; i < FilterCount; ++i) {
        const auto f = Filter(i);
        // The range follows the data (a default bound far above every score would squash the
        // histogram); with no samples it is the threshold's.
        double top = m_scores->entries.empty() ? thresholdOf(m_config, f) : 0.0;
        for (const CurationEntry& e : m_scores->entries)
            top = std::max(top, scoreOf(e.scores, f));
        // Shares (language mix, repeated n-grams) never pass 1, nor do their thresholds (a job's
        // recipe refuses a share above 1).
        m_rows[i].upper = integral(f) ? std::max(1.0, std::ceil(top * 1.1)) : std::clamp(top * 1.1, 1e-3, 1.0);
        updateHistogram(f);
        setThreshold(f, thresholdOf(m_config, f));
    }
    m_disagreements->model()->setEntries(m_scores->entries);
    m_apply->setEnabled(!m_applying);
    updateCounts();
    emit scoresLoaded();
}

double CurationPage::threshold(Filter filter) const
{
    return thresholdOf(m_config, filter);
}

void CurationPage::setThreshold(Filter filter, double value)
{
    const Row& row = m_rows[filter];
    const int pos = int(std::lround(std::clamp(value / row.upper, 0.0, 1.0) * kSteps));
    if (row.slider->value() == pos)
        onSlider(filter);  // same step: still take the exact value's rounding below
    else
        row.slider->setValue(pos);
}

void CurationPage::onSlider(Filter filter)
{
    Row& row = m_rows[filter];
    double value = row.upper * row.slider->value() / kSteps;
    if (integral(filter))
        value = std::round(value);
    setThresholdOf(m_config, filter, value);
    m_job->setFilters(m_config);
    row.value->setText(integral(filter) ? QString::number(qlonglong(value)) : QString::number(value, 'g', 3));
    row.line->point1->setCoords(value, 0);
    row.line->point2->setCoords(value, 1);
    row.plot->replot(QCustomPlot::rpQueuedReplot);
    updateCounts();
}

void CurationPage::updateHistogram(Filter filter)
{
    Row& row = m_rows[filter];
    const double width = row.upper / kBins;
    QVector<double> keys(kBins), counts(kBins, 0.0);
    for (int b = 0; b < kBins; ++b)
        keys[b] = (b + 0.5) * width;
    for (const CurationEntry& e : entries()) {
        const int b = std::clamp(int(scoreOf(e.scores, filter) / width), 0, kBins - 1);
        counts[b] += 1.0;
    }
    row.bars->setWidth(width * 0.9);
    row.bars->setData(keys, counts, true);
    row.plot->xAxis->setRange(0, row.upper);
    row.plot->yAxis->setRange(0, std::max(1.0, *std::max_element(counts.begin(), counts.end()) * 1.1));
    row.plot->replot(QCustomPlot::rpQueuedReplot);
}

void CurationPage::updateCounts()
{
    m_counts = m_scores ? countKept(m_scores->entries, m_config) : KeptCount{};
    if (m_scores)
        m_countLabel->setText(tr("Kept: %1    Rejected: %2    (of %3 samples)")
                                  .arg(m_counts.kept)
                                  .arg(m_counts.rejected)
                                  .arg(qlonglong(m_scores->entries.size())));
    else if (!hasWorkspace())
        m_countLabel->setText(tr("No workspace open"));
}

void CurationPage::apply()
{
    if (!hasWorkspace() || !m_scores || m_applying)
        return;
    m_applying = true;
    m_apply->setEnabled(false);
    m_jobs->enqueue(
        [scores = m_scores, config = m_config](JobContext& job) {
            return QVariant(qlonglong(applyCuration(job.writer(), scores->entries, config)));
        },
        [this](const QVariant& result, const QString& error) {
            m_applying = false;
            m_apply->setEnabled(m_scores != nullptr);
            const qint64 changed = error.isEmpty() ? result.toLongLong() : -1;
            emit statusMessage(error.isEmpty() ? tr("Curation applied: %n sample(s) changed", nullptr, int(changed)) : error);
            emit applied(changed);
        });
}

}  // namespace distill::widgets
