#include "widgets/views/group_inspector.h"

#include "widgets/models/run_groups.h"

#include <QComboBox>
#include <QCoreApplication>
#include <QGridLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPlainTextEdit>
#include <QScrollArea>
#include <QVBoxLayout>

namespace distill::widgets {

namespace {

QWidget* completionCard(const GroupCompletion& c, int index, QWidget* parent)
{
    auto* card = new QFrame(parent);
    card->setFrameShape(QFrame::StyledPanel);
    const QColor tint = c.advantage > 1e-9 ? QColor(220, 245, 220) : c.advantage < -1e-9 ? QColor(250, 225, 225) : QColor(238, 238, 238);
    card->setAutoFillBackground(true);
    QPalette palette = card->palette();
    palette.setColor(QPalette::Window, tint);
    card->setPalette(palette);
    auto* layout = new QVBoxLayout(card);
    layout->setContentsMargins(4, 4, 4, 4);
    QStringList scores;
    for (auto it = c.scores.cbegin(); it != c.scores.cend(); ++it)
        scores << QStringLiteral("%1 %2").arg(it.key(), QString::number(it.value(), 'g', 3));
    QString header = QCoreApplication::translate("distill::widgets::GroupInspector", "#%1  reward %2  advantage %3")
                         .arg(index + 1)
                         .arg(QString::number(c.reward, 'f', 3))
                         .arg(QString::number(c.advantage, 'f', 3));
    if (c.truncated)
        header += QCoreApplication::translate("distill::widgets::GroupInspector", "  (truncated)");
    auto* title = new QLabel(header, card);
    title->setStyleSheet(QStringLiteral("font-weight: bold"));
    layout->addWidget(title);
    if (!scores.isEmpty())
        layout->addWidget(new QLabel(scores.join(QLatin1String(", ")), card));
    auto* text = new QPlainTextEdit(c.text, card);
    text->setReadOnly(true);
    text->setMinimumHeight(90);
    layout->addWidget(text, 1);
    return card;
}

}  // namespace

GroupInspector::GroupInspector(QWidget* parent)
    : QWidget(parent), m_steps(new QComboBox(this)), m_info(new QLabel(this)), m_scroll(new QScrollArea(this))
{
    m_scroll->setWidgetResizable(true);
    auto* bar = new QHBoxLayout;
    bar->addWidget(new QLabel(tr("Step"), this));
    bar->addWidget(m_steps);
    bar->addWidget(m_info, 1);
    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(bar);
    layout->addWidget(m_scroll, 1);
    connect(m_steps, &QComboBox::currentIndexChanged, this, [this](int index) {
        if (index >= 0)
            showStep(m_steps->itemData(index).toLongLong());
    });
}

void GroupInspector::setRunFolder(const QString& folder)
{
    m_folder = folder;
    const QSignalBlocker block(m_steps);
    m_steps->clear();
    refreshSteps();
    if (m_steps->count() > 0) {
        m_steps->setCurrentIndex(m_steps->count() - 1);
        showStep(m_steps->currentData().toLongLong());
    } else {
        m_scroll->setWidget(new QLabel(tr("No group records in this run."), m_scroll));
        m_info->clear();
        m_shownPrompts = m_shownCompletions = 0;
    }
}

void GroupInspector::refreshSteps()
{
    const QVector<qint64> steps = m_folder.isEmpty() ? QVector<qint64>() : groupSteps(m_folder);
    const QSignalBlocker block(m_steps);
    for (int i = m_steps->count(); i < steps.size(); ++i)
        m_steps->addItem(QString::number(steps[i]), steps[i]);
}

qint64 GroupInspector::currentStep() const
{
    return m_steps->currentIndex() >= 0 ? m_steps->currentData().toLongLong() : -1;
}

void GroupInspector::showStep(qint64 step)
{
    const int index = m_steps->findData(step);
    if (index >= 0 && index != m_steps->currentIndex()) {
        const QSignalBlocker block(m_steps);
        m_steps->setCurrentIndex(index);
    }
    int skipped = 0;
    const QVector<PromptGroup> groups = readGroups(m_folder, step, &skipped);
    auto* content = new QWidget;
    auto* layout = new QVBoxLayout(content);
    m_shownCompletions = 0;
    int sameGroups = 0;
    for (const PromptGroup& g : groups) {
        auto* box = new QGroupBox(content);
        auto* boxLayout = new QVBoxLayout(box);
        auto* question = new QLabel(tr("<b>Prompt %1</b>: %2<br><b>Reference</b>: %3")
                                        .arg(g.prompt + 1)
                                        .arg(g.promptText.toHtmlEscaped(), g.gold.toHtmlEscaped()),
                                    box);
        question->setWordWrap(true);
        boxLayout->addWidget(question);
        auto* grid = new QGridLayout;
        bool same = true;
        for (int i = 0; i < g.completions.size(); ++i) {
            grid->addWidget(completionCard(g.completions[i], i, box), i / kColumns, i % kColumns);
            same = same && g.completions[i].reward == g.completions.front().reward;
        }
        sameGroups += same && !g.completions.isEmpty();
        m_shownCompletions += int(g.completions.size());
        boxLayout->addLayout(grid);
        layout->addWidget(box);
    }
    layout->addStretch();
    m_scroll->setWidget(content);
    m_shownPrompts = int(groups.size());
    QString info = tr("%1 prompts, %2 completions, %3 groups with equal rewards (no signal)")
                       .arg(groups.size()).arg(m_shownCompletions).arg(sameGroups);
    if (skipped > 0)
        info += tr(", %1 unreadable lines").arg(skipped);
    m_info->setText(info);
}

}  // namespace distill::widgets
