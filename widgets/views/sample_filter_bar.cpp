// SampleFilterBar implementation.
#include "widgets/views/sample_filter_bar.h"

#include "widgets/models/sample_table_model.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>
#include <QVBoxLayout>

namespace distill::widgets {

SampleFilterBar::SampleFilterBar(QWidget* parent)
    : QWidget(parent), m_search(new QLineEdit(this)), m_verdict(new QComboBox(this)), m_status(new QComboBox(this)),
      m_source(new QComboBox(this)), m_minTokens(new QSpinBox(this)), m_maxTokens(new QSpinBox(this)),
      m_reason(new QComboBox(this)), m_score(new QComboBox(this)), m_minScore(new QDoubleSpinBox(this)),
      m_maxScore(new QDoubleSpinBox(this)), m_typing(new QTimer(this))
{
    m_search->setPlaceholderText(tr("Search question, thinking and answer…"));
    m_search->setClearButtonEnabled(true);
    m_search->setMinimumWidth(220);

    m_verdict->addItem(tr("Any verdict"), -1);
    for (auto v : {store::Verdict::Unknown, store::Verdict::Correct, store::Verdict::Incorrect})
        m_verdict->addItem(SampleTableModel::verdictText(v), int(v));
    m_status->addItem(tr("Any status"), -1);
    for (auto s : {store::SampleStatus::Candidate, store::SampleStatus::Accepted, store::SampleStatus::Rejected})
        m_status->addItem(SampleTableModel::statusText(s), int(s));
    m_source->addItem(tr("All sources"), QString());
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToContents);

    for (QSpinBox* spin : {m_minTokens, m_maxTokens}) {
        spin->setRange(0, 10'000'000);
        spin->setSingleStep(256);
        spin->setSpecialValueText(tr("any"));
        spin->setToolTip(tr("Thinking tokens (0 = no limit)"));
        connect(spin, &QSpinBox::valueChanged, m_typing, qOverload<>(&QTimer::start));
    }

    setRejectReasons({});
    m_reason->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    m_reason->setToolTip(tr("Reject reason: incorrect, a failed filter, duplicate, …"));

    m_score->addItem(tr("Any score"), -1);
    m_score->addItem(tr("Language mix (%)"), int(SampleTableModel::LanguageMix));
    m_score->addItem(tr("Longest paragraph (words)"), int(SampleTableModel::ParagraphWords));
    m_score->addItem(tr("Repeated n-grams (%)"), int(SampleTableModel::Repetition));
    m_score->setToolTip(tr("A range on one readability score; samples without the score are left out"));
    for (QDoubleSpinBox* spin : {m_minScore, m_maxScore}) {
        spin->setSpecialValueText(tr("any"));
        spin->setMinimumWidth(80);
        connect(spin, &QDoubleSpinBox::valueChanged, m_typing, qOverload<>(&QTimer::start));
    }
    connect(m_score, &QComboBox::currentIndexChanged, this, &SampleFilterBar::updateScoreUnits);
    updateScoreUnits();

    m_typing->setSingleShot(true);
    m_typing->setInterval(kTypingDelayMs);
    connect(m_typing, &QTimer::timeout, this, &SampleFilterBar::changed);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    for (QComboBox* combo : {m_verdict, m_status, m_source, m_reason, m_score})
        connect(combo, &QComboBox::currentIndexChanged, this, &SampleFilterBar::changed);

    auto* reset = new QToolButton(this);
    reset->setText(tr("Clear filters"));
    connect(reset, &QToolButton::clicked, this, &SampleFilterBar::clear);

    auto* choices = new QHBoxLayout;
    choices->addWidget(m_search, 3);
    choices->addWidget(m_verdict);
    choices->addWidget(m_status);
    choices->addWidget(m_source);
    choices->addWidget(m_reason);
    auto* ranges = new QHBoxLayout;
    ranges->addWidget(new QLabel(tr("Thinking tokens:"), this));
    ranges->addWidget(m_minTokens);
    ranges->addWidget(new QLabel(QStringLiteral("–"), this));
    ranges->addWidget(m_maxTokens);
    ranges->addSpacing(12);
    ranges->addWidget(m_score);
    ranges->addWidget(m_minScore);
    ranges->addWidget(new QLabel(QStringLiteral("–"), this));
    ranges->addWidget(m_maxScore);
    ranges->addStretch(1);
    ranges->addWidget(reset);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    layout->addLayout(choices);
    layout->addLayout(ranges);
}

void SampleFilterBar::updateScoreUnits()
{
    // Shares are edited in percent, as the table shows them; "any" sits below the range.
    const bool words = m_score->currentData().toInt() == SampleTableModel::ParagraphWords;
    const bool any = m_score->currentData().toInt() < 0;
    for (QDoubleSpinBox* spin : {m_minScore, m_maxScore}) {
        const QSignalBlocker block(spin);
        spin->setDecimals(words ? 0 : 2);
        spin->setRange(-1, words ? 1'000'000 : 100);
        spin->setSingleStep(words ? 50 : 0.5);
        spin->setSuffix(words ? QString() : QStringLiteral(" %"));
        spin->setValue(-1);
        spin->setEnabled(!any);
    }
}

void SampleFilterBar::setRejectReasons(const QList<QPair<QString, qint64>>& reasons)
{
    const QVariant current = m_reason->count() > 0 ? m_reason->currentData() : QVariant();
    const QSignalBlocker block(m_reason);
    m_reason->clear();
    m_reason->addItem(tr("Any reason"), QVariant());
    m_reason->addItem(tr("No reason"), QString(""));
    for (const auto& [reason, samples] : reasons)
        m_reason->addItem(QStringLiteral("%1 (%2)").arg(reason, QLocale().toString(samples)), reason);
    int index = current.isValid() ? m_reason->findData(current) : 0;
    if (index < 0) {  // a chosen reason no sample has any more stays chosen
        m_reason->addItem(QStringLiteral("%1 (0)").arg(current.toString()), current);
        index = m_reason->count() - 1;
    }
    m_reason->setCurrentIndex(index);
}

void SampleFilterBar::setSources(const QStringList& sources)
{
    const QString current = m_source->currentData().toString();
    const QSignalBlocker block(m_source);
    m_source->clear();
    m_source->addItem(tr("All sources"), QString());
    for (const QString& s : sources)
        m_source->addItem(s, s);
    m_source->setCurrentIndex(std::max(0, m_source->findData(current)));
}

void SampleFilterBar::applyTo(store::SampleQuery& query) const
{
    query.search = m_search->text().trimmed().toStdString();
    const int verdict = m_verdict->currentData().toInt();
    query.verdict = verdict < 0 ? std::nullopt : std::optional(store::Verdict(verdict));
    const int status = m_status->currentData().toInt();
    query.status = status < 0 ? std::nullopt : std::optional(store::SampleStatus(status));
    query.source = m_source->currentData().toString().toStdString();
    query.minThinkingTokens = m_minTokens->value() > 0 ? std::optional<std::int64_t>(m_minTokens->value()) : std::nullopt;
    query.maxThinkingTokens = m_maxTokens->value() > 0 ? std::optional<std::int64_t>(m_maxTokens->value()) : std::nullopt;
    const QVariant reason = m_reason->currentData();
    query.rejectReason = reason.isValid() ? std::optional(reason.toString().toStdString()) : std::nullopt;
    query.score.reset();
    if (const int column = m_score->currentData().toInt(); column >= 0) {
        const double scale = column == SampleTableModel::ParagraphWords ? 1 : 100;
        store::ScoreRange range{std::string(store::sampleColumnScore(store::SampleColumn(column))), {}, {}};
        if (m_minScore->value() >= 0)
            range.min = m_minScore->value() / scale;
        if (m_maxScore->value() >= 0)
            range.max = m_maxScore->value() / scale;
        query.score = std::move(range);
    }
}

void SampleFilterBar::clear()
{
    {
        const QSignalBlocker b1(m_search), b2(m_verdict), b3(m_status), b4(m_source), b5(m_minTokens), b6(m_maxTokens),
            b7(m_reason), b8(m_score);
        m_search->clear();
        m_verdict->setCurrentIndex(0);
        m_status->setCurrentIndex(0);
        m_source->setCurrentIndex(0);
        m_minTokens->setValue(0);
        m_maxTokens->setValue(0);
        m_reason->setCurrentIndex(0);
        m_score->setCurrentIndex(0);
        updateScoreUnits();
    }
    m_typing->stop();
    emit changed();
}

}  // namespace distill::widgets
