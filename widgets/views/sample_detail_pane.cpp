// SampleDetailPane implementation.
#include "widgets/views/sample_detail_pane.h"

#include "widgets/models/sample_table_model.h"
#include "widgets/views/cot_highlighter.h"

#include <nlohmann/json.hpp>

#include <QEvent>
#include <QFontDatabase>
#include <QGroupBox>
#include <QLabel>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QShortcut>
#include <QSplitter>
#include <QVBoxLayout>

namespace distill::widgets {

SampleDetailPane::SampleDetailPane(QWidget* parent)
    : QWidget(parent), m_header(new QLabel(this)), m_reference(new QLabel(this)), m_history(new QPushButton(this)),
      m_questionBox(new QGroupBox(this)), m_thinkingBox(new QGroupBox(this)), m_answerBox(new QGroupBox(this))
{
    m_header->setTextFormat(Qt::PlainText);
    m_header->setWordWrap(true);
    QFont headerFont = m_header->font();
    headerFont.setBold(true);
    m_header->setFont(headerFont);
    m_reference->setTextFormat(Qt::PlainText);
    m_reference->setWordWrap(true);
    m_reference->setTextInteractionFlags(Qt::TextSelectableByMouse);

    m_question = makeBlock(QStringLiteral("question"), QColor(0xf4, 0xf6, 0xf8), true);
    m_thinking = makeBlock(QStringLiteral("thinking"), QColor(0xfb, 0xf8, 0xef), false);
    m_answer = makeBlock(QStringLiteral("answer"), QColor(0xf0, 0xf8, 0xf1), false);

    auto* splitter = new QSplitter(Qt::Vertical, this);
    const std::pair<QGroupBox*, QPlainTextEdit*> blocks[] = {
        {m_questionBox, m_question}, {m_thinkingBox, m_thinking}, {m_answerBox, m_answer}};
    for (const auto& [box, editor] : blocks) {
        auto* boxLayout = new QVBoxLayout(box);
        boxLayout->setContentsMargins(4, 4, 4, 4);
        boxLayout->addWidget(editor);
        splitter->addWidget(box);
    }
    splitter->setStretchFactor(0, 2);
    splitter->setStretchFactor(1, 5);
    splitter->setStretchFactor(2, 2);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_history->setText(tr("Edit history…"));
    m_history->setObjectName(QStringLiteral("editHistory"));
    m_history->setToolTip(tr("Every edit of this sample's thinking and answer, with the text before and after."));
    connect(m_history, &QPushButton::clicked, this, [this] {
        if (m_sample)
            emit historyRequested(m_sample->id);
    });
    auto* headerRow = new QHBoxLayout;
    headerRow->addWidget(m_header, 1);
    headerRow->addWidget(m_history);
    layout->addLayout(headerRow);
    layout->addWidget(m_reference);
    layout->addWidget(splitter, 1);

    auto* save = new QShortcut(QKeySequence::Save, this, this, &SampleDetailPane::commitEdits,
                               Qt::WidgetWithChildrenShortcut);
    Q_UNUSED(save);
    showSample(std::nullopt, std::nullopt);
}

QPlainTextEdit* SampleDetailPane::makeBlock(const QString& objectName, const QColor& background, bool readOnly)
{
    auto* editor = new QPlainTextEdit(this);
    editor->setObjectName(objectName);
    editor->setReadOnly(readOnly);
    editor->setLineWrapMode(QPlainTextEdit::WidgetWidth);
    QPalette palette = editor->palette();
    palette.setColor(QPalette::Base, background);
    palette.setColor(QPalette::Text, QColor(0x20, 0x20, 0x20));
    editor->setPalette(palette);
    new CotHighlighter(editor->document());
    if (!readOnly)
        editor->installEventFilter(this);
    return editor;
}

bool SampleDetailPane::eventFilter(QObject* watched, QEvent* event)
{
    if (event->type() == QEvent::FocusOut && (watched == m_thinking || watched == m_answer))
        commitEdits();
    return QWidget::eventFilter(watched, event);
}

void SampleDetailPane::showSample(const std::optional<store::Sample>& sample,
                                  const std::optional<store::Problem>& problem)
{
    m_sample = sample;
    const bool has = sample.has_value();
    m_thinking->setReadOnly(!has);
    m_answer->setReadOnly(!has);
    m_history->setVisible(has && isEdited(sample->flagsJson));
    if (!has) {
        m_header->setText(tr("No sample selected"));
        m_reference->clear();
        m_reference->hide();
        m_question->clear();
        m_thinking->clear();
        m_answer->clear();
        m_shownThinking.clear();
        m_shownAnswer.clear();
        updateTitles();
        return;
    }
    m_header->setText(tr("Sample %1 · %2 · %3 · %4")
                          .arg(sample->id)
                          .arg(problem ? QString::fromStdString(problem->source) : QString())
                          .arg(SampleTableModel::verdictText(sample->verdict))
                          .arg(SampleTableModel::statusText(sample->status))
                      + (isEdited(sample->flagsJson) ? tr(" · edited") : QString()));
    const QString reference = problem ? QString::fromStdString(problem->referenceAnswer) : QString();
    m_reference->setText(tr("Reference answer: %1").arg(reference));
    m_reference->setVisible(!reference.isEmpty());
    m_question->setPlainText(problem ? QString::fromStdString(problem->question) : QString());
    m_thinking->setPlainText(QString::fromStdString(sample->thinking));
    m_answer->setPlainText(QString::fromStdString(sample->answer));
    m_shownThinking = m_thinking->toPlainText();
    m_shownAnswer = m_answer->toPlainText();
    updateTitles();
}

void SampleDetailPane::updateTitles()
{
    m_questionBox->setTitle(tr("Question"));
    if (m_sample) {
        m_thinkingBox->setTitle(tr("Thinking (%n tokens)", nullptr, int(m_sample->thinkingTokens)));
        m_answerBox->setTitle(tr("Answer (%n tokens)", nullptr, int(m_sample->answerTokens)));
    } else {
        m_thinkingBox->setTitle(tr("Thinking"));
        m_answerBox->setTitle(tr("Answer"));
    }
}

bool SampleDetailPane::isEdited(const std::string& flagsJson)
{
    const auto flags = nlohmann::json::parse(flagsJson, nullptr, false);
    return flags.is_object() && flags.value("edited", false);
}

bool SampleDetailPane::hasPendingEdits() const
{
    return m_sample && (m_thinking->toPlainText() != m_shownThinking || m_answer->toPlainText() != m_shownAnswer);
}

void SampleDetailPane::commitEdits()
{
    if (!m_sample)
        return;
    struct Block {
        store::SampleField field;
        QPlainTextEdit* editor;
        QString& shown;    // the text as the editor showed it after loading
        std::string& stored;  // the text in the store
    };
    const Block blocks[] = {{store::SampleField::Thinking, m_thinking, m_shownThinking, m_sample->thinking},
                            {store::SampleField::Answer, m_answer, m_shownAnswer, m_sample->answer}};
    for (const Block& b : blocks) {
        const QString now = b.editor->toPlainText();
        if (now == b.shown)
            continue;
        const QString before = QString::fromStdString(b.stored);
        b.shown = now;
        b.stored = now.toStdString();
        emit editCommitted(m_sample->id, b.field, before, now);
    }
}

}  // namespace distill::widgets
