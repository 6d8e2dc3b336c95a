// EditHistoryDialog implementation.
#include "widgets/views/edit_history_dialog.h"

#include "widgets/views/cot_highlighter.h"

#include <QDateTime>
#include <QDialogButtonBox>
#include <QGroupBox>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QVBoxLayout>

namespace distill::widgets {

namespace {

QPlainTextEdit* textView(QWidget* parent)
{
    auto* view = new QPlainTextEdit(parent);
    view->setReadOnly(true);
    new CotHighlighter(view->document());
    return view;
}

QGroupBox* titled(const QString& title, QWidget* content, QWidget* parent)
{
    auto* box = new QGroupBox(title, parent);
    auto* layout = new QVBoxLayout(box);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addWidget(content);
    return box;
}

}  // namespace

EditHistoryDialog::EditHistoryDialog(qint64 sampleId, std::vector<store::EditRecord> edits, QWidget* parent)
    : QDialog(parent), m_edits(std::move(edits)), m_list(new QListWidget(this)), m_before(textView(this)),
      m_after(textView(this))
{
    setWindowTitle(tr("Edit history of sample %1").arg(sampleId));
    for (const store::EditRecord& e : m_edits) {
        const QString field = e.field == store::SampleField::Thinking ? tr("thinking")
                              : e.field == store::SampleField::Answer ? tr("answer")
                                                                      : tr("reject reason");
        m_list->addItem(tr("%1 · %2 · %3 → %4 characters")
                            .arg(QDateTime::fromMSecsSinceEpoch(e.time).toString(QStringLiteral("yyyy-MM-dd HH:mm:ss")),
                                 field)
                            .arg(QString::fromStdString(e.before).size())
                            .arg(QString::fromStdString(e.after).size()));
    }
    if (m_edits.empty())
        m_list->addItem(tr("No edits."));
    auto* texts = new QSplitter(Qt::Horizontal, this);
    texts->addWidget(titled(tr("Before"), m_before, this));
    texts->addWidget(titled(tr("After"), m_after, this));
    auto* split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_list);
    split->addWidget(texts);
    split->setStretchFactor(1, 3);
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(split, 1);
    layout->addWidget(buttons);
    connect(m_list, &QListWidget::currentRowChanged, this, &EditHistoryDialog::showEdit);
    if (!m_edits.empty())
        m_list->setCurrentRow(int(m_edits.size()) - 1);  // the latest edit
    resize(900, 600);
}

void EditHistoryDialog::showEdit(int row)
{
    if (row < 0 || row >= int(m_edits.size()))
        return;
    m_before->setPlainText(QString::fromStdString(m_edits[std::size_t(row)].before));
    m_after->setPlainText(QString::fromStdString(m_edits[std::size_t(row)].after));
}

}  // namespace distill::widgets
