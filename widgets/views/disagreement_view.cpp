// DisagreementView implementation.
#include "widgets/views/disagreement_view.h"

#include "widgets/models/curation_disagreement_model.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/sample_table_model.h"
#include "core/store/rulings.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

namespace distill::widgets {

DisagreementView::DisagreementView(QWidget* parent)
    : QWidget(parent), m_jobs(new JobTracker(this)), m_model(new CurationDisagreementModel(this)), m_table(new QTableView(this)),
      m_count(new QLabel(this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->installEventFilter(this);

    auto* correct = new QPushButton(tr("Correct (C)"), this);
    auto* incorrect = new QPushButton(tr("Incorrect (I)"), this);
    auto* unknown = new QPushButton(tr("Unknown (U)"), this);
    connect(correct, &QPushButton::clicked, this, [this] { rule(store::Verdict::Correct); });
    connect(incorrect, &QPushButton::clicked, this, [this] { rule(store::Verdict::Incorrect); });
    connect(unknown, &QPushButton::clicked, this, [this] { rule(store::Verdict::Unknown); });

    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_count, 1);
    buttons->addWidget(correct);
    buttons->addWidget(incorrect);
    buttons->addWidget(unknown);
    auto* layout = new QVBoxLayout(this);
    layout->addLayout(buttons);
    layout->addWidget(m_table, 1);

    auto updateCount = [this] {
        const QString accuracy = m_model->accuracyText();
        m_count->setText(tr("%n sample(s) where the re-graded verdict differs from the stored one or the judge's", nullptr,
                            m_model->rowCount())
                         + (accuracy.isEmpty() ? QString() : QStringLiteral("\n") + accuracy));
    };
    connect(m_model, &QAbstractItemModel::modelReset, this, updateCount);
    connect(m_model, &QAbstractItemModel::rowsRemoved, this, updateCount);
    updateCount();
}

void DisagreementView::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);
}

void DisagreementView::rule(store::Verdict verdict)
{
    const QModelIndex current = m_table->currentIndex();
    if (!m_jobs->hasWorkspace() || !current.isValid())
        return;
    const int row = current.row();
    const CurationEntry& entry = m_model->entry(row);
    const qint64 id = entry.id;
    // Kept as a ruling (the grader's and the judge's verdicts beside the expert's): a regression case.
    const store::Ruling ruling{id, verdict, entry.gradedVerdict, entry.judgeVerdict};
    m_jobs->enqueue(
        [ruling](JobContext& job) {
            store::recordRuling(job.writer(), ruling);
            return QVariant();
        },
        [this, id, verdict](const QVariant&, const QString& error) {
            emit statusMessage(error.isEmpty() ? tr("Sample %1 marked %2").arg(id).arg(SampleTableModel::verdictText(verdict))
                                               : error);
        });
    // The row leaves at once, so that the keys go on with the next one.
    m_model->removeEntry(row);
    if (m_model->rowCount() > 0)
        m_table->setCurrentIndex(m_model->index(std::min(row, m_model->rowCount() - 1), 0));
}

bool DisagreementView::eventFilter(QObject* watched, QEvent* event)
{
    if (watched == m_table && event->type() == QEvent::KeyPress) {
        const auto* key = static_cast<QKeyEvent*>(event);
        if (key->modifiers() == Qt::NoModifier) {
            switch (key->key()) {
            case Qt::Key_C: rule(store::Verdict::Correct); return true;
            case Qt::Key_I: rule(store::Verdict::Incorrect); return true;
            case Qt::Key_U: rule(store::Verdict::Unknown); return true;
            default: break;
            }
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace distill::widgets
