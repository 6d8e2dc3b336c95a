// SampleFilterBar implementation.
#include "widgets/views/sample_filter_bar.h"

#include "widgets/models/sample_table_model.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTimer>
#include <QToolButton>

namespace distill::widgets {

SampleFilterBar::SampleFilterBar(QWidget* parent)
    : QWidget(parent), m_search(new QLineEdit(this)), m_verdict(new QComboBox(this)), m_status(new QComboBox(this)),
      m_source(new QComboBox(this)), m_minTokens(new QSpinBox(this)), m_maxTokens(new QSpinBox(this)),
      m_typing(new QTimer(this))
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

    m_typing->setSingleShot(true);
    m_typing->setInterval(kTypingDelayMs);
    connect(m_typing, &QTimer::timeout, this, &SampleFilterBar::changed);
    connect(m_search, &QLineEdit::textChanged, m_typing, qOverload<>(&QTimer::start));
    for (QComboBox* combo : {m_verdict, m_status, m_source})
        connect(combo, &QComboBox::currentIndexChanged, this, &SampleFilterBar::changed);

    auto* reset = new QToolButton(this);
    reset->setText(tr("Clear filters"));
    connect(reset, &QToolButton::clicked, this, &SampleFilterBar::clear);

    auto* layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_search, 3);
    layout->addWidget(m_verdict);
    layout->addWidget(m_status);
    layout->addWidget(m_source);
    layout->addWidget(new QLabel(tr("Thinking tokens:"), this));
    layout->addWidget(m_minTokens);
    layout->addWidget(new QLabel(QStringLiteral("–"), this));
    layout->addWidget(m_maxTokens);
    layout->addWidget(reset);
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
}

void SampleFilterBar::clear()
{
    {
        const QSignalBlocker b1(m_search), b2(m_verdict), b3(m_status), b4(m_source), b5(m_minTokens), b6(m_maxTokens);
        m_search->clear();
        m_verdict->setCurrentIndex(0);
        m_status->setCurrentIndex(0);
        m_source->setCurrentIndex(0);
        m_minTokens->setValue(0);
        m_maxTokens->setValue(0);
    }
    m_typing->stop();
    emit changed();
}

}  // namespace distill::widgets
