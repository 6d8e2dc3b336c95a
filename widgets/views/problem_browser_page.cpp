// ProblemBrowserPage implementation.
#include "widgets/views/problem_browser_page.h"

#include "widgets/models/problem_table_model.h"
#include "widgets/views/cot_highlighter.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

namespace distill::widgets {

ProblemBrowserPage::ProblemBrowserPage(QWidget* parent)
    : Page(parent), m_model(new ProblemTableModel(this)), m_source(new QComboBox(this)), m_table(new QTableView(this)),
      m_count(new QLabel(this)), m_question(new QPlainTextEdit(this)), m_answer(new QLabel(this)),
      m_solution(new QPlainTextEdit(this))
{
    m_source->setSizeAdjustPolicy(QComboBox::AdjustToContents);
    // The rows of a new source arrive off the GUI thread; its first problem is shown then.
    connect(m_source, &QComboBox::currentIndexChanged, this, [this] { m_model->setSource(m_source->currentData().toString()); });
    connect(m_model, &ProblemTableModel::errorOccurred, this, &ProblemBrowserPage::statusMessage);
    connect(m_model, &ProblemTableModel::totalCountChanged, this, &ProblemBrowserPage::showCount);

    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(ProblemTableModel::Question, QHeaderView::Stretch);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &ProblemBrowserPage::showCurrent);
    connect(m_model, &ProblemTableModel::modelReset, this, [this] {
        if (m_model->rowCount() > 0)
            m_table->setCurrentIndex(m_model->index(0, 0));
        showCurrent();
    });

    for (QPlainTextEdit* view : {m_question, m_solution}) {
        view->setReadOnly(true);
        new CotHighlighter(view->document());
    }
    m_answer->setTextFormat(Qt::PlainText);
    m_answer->setWordWrap(true);
    m_answer->setTextInteractionFlags(Qt::TextSelectableByMouse);

    auto* questionBox = new QGroupBox(tr("Problem"), this);
    (new QVBoxLayout(questionBox))->addWidget(m_question);
    auto* answerBox = new QGroupBox(tr("Reference answer and solution"), this);
    auto* answerLayout = new QVBoxLayout(answerBox);
    answerLayout->addWidget(m_answer);
    answerLayout->addWidget(m_solution, 1);

    auto* detail = new QSplitter(Qt::Vertical, this);
    detail->addWidget(questionBox);
    detail->addWidget(answerBox);
    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);

    auto* top = new QHBoxLayout;
    top->addWidget(new QLabel(tr("Source:"), this));
    top->addWidget(m_source);
    top->addWidget(m_count);
    top->addStretch(1);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(top);
    layout->addWidget(splitter, 1);
}

QString ProblemBrowserPage::title() const
{
    return tr("Problems");
}

void ProblemBrowserPage::setWorkspacePath(const QString& path)
{
    fillSources({});
    m_model->setWorkspacePath(path);
}

void ProblemBrowserPage::setSourceCounts(const QVariantList& sources)
{
    fillSources(sources);
}

void ProblemBrowserPage::fillSources(const QVariantList& sources)
{
    const QString current = m_source->currentData().toString();
    const QSignalBlocker block(m_source);
    m_source->clear();
    m_source->addItem(tr("All sources"), QString());
    for (const QVariant& row : sources) {
        const QVariantList r = row.toList();
        if (r.value(1).toLongLong() > 0)
            m_source->addItem(tr("%1 (%2)").arg(r.value(0).toString()).arg(r.value(1).toLongLong()), r.value(0));
    }
    const int index = m_source->findData(current);
    m_source->setCurrentIndex(std::max(0, index));
    if (index < 0 && !current.isEmpty())  // the shown source is gone
        m_model->setSource({});
}

void ProblemBrowserPage::showCount()
{
    m_count->setText(tr("%n problem(s)", nullptr, int(m_model->totalCount())));
}

void ProblemBrowserPage::reload()
{
    m_model->reload();  // the source list follows through setSourceCounts
}

void ProblemBrowserPage::showCurrent()
{
    const store::Problem* p = m_model->problemAt(m_table->currentIndex().row());
    if (!p) {
        m_question->clear();
        m_answer->clear();
        m_solution->clear();
        return;
    }
    m_question->setPlainText(QString::fromStdString(p->question));
    m_answer->setText(tr("Answer: %1").arg(QString::fromStdString(p->referenceAnswer)));
    m_solution->setPlainText(QString::fromStdString(p->referenceSolution));
}

}  // namespace distill::widgets
