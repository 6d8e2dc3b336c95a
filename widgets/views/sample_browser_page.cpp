// SampleBrowserPage implementation.
#include "widgets/views/sample_browser_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/edit_history_dialog.h"
#include "widgets/views/sample_commands.h"
#include "widgets/views/sample_detail_pane.h"
#include "widgets/views/sample_filter_bar.h"

#include <QAction>
#include <QHeaderView>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>

namespace distill::widgets {

SampleBrowserPage::SampleBrowserPage(QWidget* parent)
    : Page(parent), m_model(new SampleTableModel(this)), m_review(new SampleReview(this)),
      m_jobs(new JobTracker(this)), m_filters(new SampleFilterBar(this)), m_table(new QTableView(this)),
      m_detail(new SampleDetailPane(this)), m_count(new QLabel(this)), m_undo(new QUndoStack(this)),
      m_bulkProgress(new QProgressBar(this)), m_bulkCancel(new QPushButton(tr("Cancel"), this))
{
    m_table->setModel(m_model);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(SampleTableModel::Id, Qt::AscendingOrder);
    m_table->setWordWrap(false);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->horizontalHeader()->setSectionResizeMode(SampleTableModel::Problem, QHeaderView::Stretch);
    m_table->horizontalHeader()->setStretchLastSection(false);
    const int columnWidths[] = {56, 260, 72, 80, 0, 0, 120, 70, 100, 0, 0, 0};  // 0: as wide as the header
    static_assert(std::size(columnWidths) == SampleTableModel::ColumnCount);
    for (int c = 0; c < SampleTableModel::ColumnCount; ++c)
        if (c != SampleTableModel::Problem)
            m_table->setColumnWidth(c, std::max(columnWidths[c], m_table->horizontalHeader()->sectionSizeHint(c)));

    connect(m_filters, &SampleFilterBar::changed, this, &SampleBrowserPage::applyFilters);
    connect(m_model, &SampleTableModel::totalCountChanged, this, &SampleBrowserPage::updateCount);
    connect(m_model, &SampleTableModel::errorOccurred, this, &SampleBrowserPage::statusMessage);
    connect(m_model, &SampleTableModel::modelReset, this, &SampleBrowserPage::onModelReset);
    connect(m_model, &SampleTableModel::rowsLoaded, this, [this] {
        if (m_pendingRow >= 0)
            selectRow(m_pendingRow);
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showCurrent(); });
    connect(m_review, &SampleReview::detailRead, this, &SampleBrowserPage::onDetailRead);
    connect(m_review, &SampleReview::sampleChanged, this, &SampleBrowserPage::onSampleChanged);
    connect(m_detail, &SampleDetailPane::editCommitted, this,
            [this](qint64 id, store::SampleField field, const QString& before, const QString& after) {
                if (hasWorkspace())
                    m_undo->push(new SampleTextEditCommand(m_review, id, field, before.toStdString(), after.toStdString()));
            });

    auto* toolbar = new QToolBar(this);
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addAction(addShortcut(tr("Accept (A)"), Qt::Key_A, &SampleBrowserPage::acceptCurrent));
    toolbar->addAction(addShortcut(tr("Reject (R)"), Qt::Key_R, &SampleBrowserPage::rejectCurrent));
    toolbar->addAction(addShortcut(tr("Flag (F)"), Qt::Key_F, &SampleBrowserPage::flagCurrent));
    toolbar->addSeparator();
    toolbar->addAction(addShortcut(tr("Next (J)"), Qt::Key_J, &SampleBrowserPage::next));
    toolbar->addAction(addShortcut(tr("Previous (K)"), Qt::Key_K, &SampleBrowserPage::previous));
    toolbar->addSeparator();
    QAction* undo = m_undo->createUndoAction(this, tr("Undo"));
    undo->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_Z));
    QAction* redo = m_undo->createRedoAction(this, tr("Redo"));
    redo->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    for (QAction* a : {undo, redo}) {
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
        addAction(a);
        toolbar->addAction(a);
    }
    toolbar->addSeparator();
    // Bulk actions on every sample the filter matches, not only the loaded rows.
    auto* bulkMenu = new QMenu(this);
    bulkMenu->addAction(tr("Accept all matching…"), this, [this] { confirmStatusForAll(store::SampleStatus::Accepted); });
    bulkMenu->addAction(tr("Reject all matching…"), this, [this] { confirmStatusForAll(store::SampleStatus::Rejected); });
    bulkMenu->addAction(tr("Tag all matching…"), this, [this] {
        bool ok = false;
        const QString tag = QInputDialog::getText(this, tr("Tag samples"),
                                                  tr("Tag for the %n sample(s) matching the filter:", nullptr,
                                                     int(std::min<qint64>(m_model->totalCount(), INT_MAX))),
                                                  QLineEdit::Normal, QString(), &ok);
        if (ok && !tag.trimmed().isEmpty())
            tagAllMatching(tag.trimmed());
    });
    bulkMenu->addAction(tr("Freeze as dataset…"), this, &SampleBrowserPage::freezeRequested);
    auto* bulk = new QToolButton(this);
    bulk->setObjectName(QStringLiteral("bulkActions"));
    bulk->setText(tr("All matching"));
    bulk->setToolTip(tr("Actions on every sample matching the filter, with progress; undo takes them back."));
    bulk->setMenu(bulkMenu);
    bulk->setPopupMode(QToolButton::InstantPopup);
    toolbar->addWidget(bulk);
    m_bulkProgress->setMaximumWidth(180);
    m_bulkProgress->setFormat(QStringLiteral("%v / %m"));
    m_bulkProgress->hide();
    m_bulkCancel->hide();
    connect(m_bulkCancel, &QPushButton::clicked, this, &SampleBrowserPage::cancelBulk);
    toolbar->addWidget(m_bulkProgress);
    toolbar->addWidget(m_bulkCancel);
    toolbar->addSeparator();
    toolbar->addWidget(m_count);
    connect(m_review, &SampleReview::bulkProgress, this, [this](quint64, qint64 done, qint64 total) {
        m_bulkProgress->setRange(0, int(std::min<qint64>(std::max<qint64>(total, 1), INT_MAX)));
        m_bulkProgress->setValue(int(std::min<qint64>(done, INT_MAX)));
    });
    connect(m_review, &SampleReview::bulkDone, this, &SampleBrowserPage::onBulkDone);
    connect(m_detail, &SampleDetailPane::historyRequested, m_review, &SampleReview::readHistory);
    connect(m_review, &SampleReview::historyRead, this,
            [this](qint64 id, const std::vector<store::EditRecord>& edits, const QString& error) {
                if (!error.isEmpty()) {
                    emit statusMessage(error);
                    return;
                }
                if (m_history)
                    m_history->close();
                m_history = new EditHistoryDialog(id, edits, this);
                m_history->setAttribute(Qt::WA_DeleteOnClose);
                m_history->show();
            });

    auto* splitter = new QSplitter(Qt::Horizontal, this);
    splitter->addWidget(m_table);
    splitter->addWidget(m_detail);
    splitter->setStretchFactor(0, 3);
    splitter->setStretchFactor(1, 2);
    splitter->setSizes({3000, 2000});

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(m_filters);
    layout->addWidget(toolbar);
    layout->addWidget(splitter, 1);
    updateCount();
}

QAction* SampleBrowserPage::addShortcut(const QString& text, const QKeySequence& key,
                                        void (SampleBrowserPage::*slot)())
{
    auto* action = new QAction(text, this);
    action->setShortcut(key);
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    connect(action, &QAction::triggered, this, slot);
    addAction(action);
    return action;
}

QString SampleBrowserPage::title() const
{
    return tr("Samples");
}

void SampleBrowserPage::setWorkspacePath(const QString& path)
{
    m_undo->clear();  // the commands belong to the previous workspace
    if (path != m_review->workspacePath()) {
        m_shownId = -1;
        m_detail->showSample(std::nullopt, std::nullopt);
    }
    m_review->setWorkspacePath(path);
    m_jobs->setWorkspacePath(path);
    if (path.isEmpty()) {
        m_filters->setSources({});
        m_filters->setRejectReasons({});
    }
    m_model->setWorkspacePath(path);  // the first row is selected when the rows arrive
    refreshRejectReasons();
}

bool SampleBrowserPage::hasWorkspace() const
{
    return !m_review->workspacePath().isEmpty();
}

void SampleBrowserPage::reload()
{
    m_model->reload();  // the shown sample stays selected when it is still in the rows
    refreshRejectReasons();
}

void SampleBrowserPage::refreshRejectReasons()
{
    if (!hasWorkspace())
        return;
    m_jobs->start(
        QStringLiteral("reasons"), [](JobContext& job) { return QVariant(readRejectReasons(job.reader())); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                emit statusMessage(error);
                return;
            }
            QList<QPair<QString, qint64>> reasons;
            for (const QVariant& row : result.toList())
                reasons.append({row.toList().value(0).toString(), row.toList().value(1).toLongLong()});
            m_filters->setRejectReasons(reasons);
        });
}

void SampleBrowserPage::setSourceCounts(const QVariantList& sources)
{
    QStringList names;
    for (const QVariant& row : sources)
        if (row.toList().value(2).toLongLong() > 0)
            names << row.toList().value(0).toString();
    m_filters->setSources(names);
}

const store::SampleQuery& SampleBrowserPage::query() const
{
    return m_model->query();
}

void SampleBrowserPage::applyFilters()
{
    m_detail->commitEdits();
    store::SampleQuery query = m_model->query();
    m_filters->applyTo(query);
    m_selectFirst = true;
    m_model->setQuery(query);
}

void SampleBrowserPage::updateCount()
{
    m_count->setText(tr("%n sample(s)", nullptr, int(std::min<qint64>(m_model->totalCount(), INT_MAX))));
}

int SampleBrowserPage::currentRow() const
{
    const QModelIndex current = m_table->currentIndex();
    return current.isValid() ? current.row() : -1;
}

bool SampleBrowserPage::selectRow(int row)
{
    if (row < 0)
        return false;
    if (row >= m_model->rowCount()) {
        if (row < m_model->totalCount()) {  // selected when its page has arrived
            m_pendingRow = row;
            m_model->fetchMore({});
        }
        return false;
    }
    m_pendingRow = -1;
    const QModelIndex index = m_model->index(row, std::max(0, m_table->currentIndex().column()));
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

// New rows (a filter, a sort, a reload): the shown sample stays selected when it is still in view
// (not after a new filter), else the first row is, so that review goes on from the keyboard.
void SampleBrowserPage::onModelReset()
{
    m_pendingRow = -1;
    const int row = m_selectFirst ? -1 : m_model->rowOfSample(m_shownId);
    m_selectFirst = false;
    if (row >= 0 || m_model->rowCount() > 0)
        selectRow(std::max(row, 0));
    else
        showCurrent();
}

void SampleBrowserPage::showCurrent()
{
    const qint64 id = m_model->sampleId(currentRow());
    if (id == m_shownId)
        return;
    m_detail->commitEdits();
    m_shownId = id;
    if (id < 0)
        m_detail->showSample(std::nullopt, std::nullopt);
    else
        m_review->readDetail(id);
}

void SampleBrowserPage::onDetailRead(qint64 id, const SampleDetail& detail, const QString& error)
{
    if (id != m_shownId)
        return;  // another sample was selected meanwhile
    if (!error.isEmpty())
        emit statusMessage(error);
    m_detail->commitEdits();  // edits made while reading belong to the sample shown until now
    m_detail->showSample(detail.sample, detail.problem);
}

void SampleBrowserPage::onSampleChanged(qint64 id, const SampleDetail& detail, const QString& error)
{
    if (!error.isEmpty())
        emit statusMessage(error);
    if (!detail.sample)
        return;
    m_model->updateSample(*detail.sample);
    if (m_detail->sampleId() == id && !m_detail->hasPendingEdits())
        m_detail->showSample(detail.sample, detail.problem);
}

void SampleBrowserPage::setCurrentStatus(store::SampleStatus status)
{
    const int row = currentRow();
    if (!hasWorkspace() || row < 0)
        return;
    m_detail->commitEdits();
    const QModelIndex index = m_model->index(row, 0);
    const auto before = store::SampleStatus(m_model->data(index, SampleTableModel::StatusRole).toInt());
    if (before != status)
        m_undo->push(new SampleStatusCommand(m_review, m_model->sampleId(row), before, status));
    next();
}

void SampleBrowserPage::acceptCurrent()
{
    setCurrentStatus(store::SampleStatus::Accepted);
}

void SampleBrowserPage::rejectCurrent()
{
    setCurrentStatus(store::SampleStatus::Rejected);
}

void SampleBrowserPage::flagCurrent()
{
    const int row = currentRow();
    if (!hasWorkspace() || row < 0)
        return;
    const QString flags = m_model->data(m_model->index(row, 0), SampleTableModel::FlagsJsonRole).toString();
    m_undo->push(new SampleFlagCommand(m_review, m_model->sampleId(row), flags.toStdString()));
}

void SampleBrowserPage::next()
{
    selectRow(currentRow() + 1);
}

void SampleBrowserPage::previous()
{
    if (currentRow() > 0)
        selectRow(currentRow() - 1);
}

EditHistoryDialog* SampleBrowserPage::historyDialog() const
{
    return m_history;
}

void SampleBrowserPage::confirmStatusForAll(store::SampleStatus status)
{
    const qint64 n = m_model->totalCount();
    const QString question = status == store::SampleStatus::Accepted
                                 ? tr("Accept all %n sample(s) matching the filter?", nullptr, int(std::min<qint64>(n, INT_MAX)))
                                 : tr("Reject all %n sample(s) matching the filter?", nullptr, int(std::min<qint64>(n, INT_MAX)));
    if (QMessageBox::question(this, tr("All matching samples"), question) != QMessageBox::Yes)
        return;
    if (status == store::SampleStatus::Accepted)
        acceptAllMatching();
    else
        rejectAllMatching();
}

quint64 SampleBrowserPage::acceptAllMatching()
{
    if (!hasWorkspace() || bulkRunning())
        return 0;
    m_detail->commitEdits();
    return startBulk(m_review->setStatusWhere(query(), store::SampleStatus::Accepted), tr("Accept all matching"));
}

quint64 SampleBrowserPage::rejectAllMatching()
{
    if (!hasWorkspace() || bulkRunning())
        return 0;
    m_detail->commitEdits();
    return startBulk(m_review->setStatusWhere(query(), store::SampleStatus::Rejected), tr("Reject all matching"));
}

quint64 SampleBrowserPage::tagAllMatching(const QString& tag)
{
    if (!hasWorkspace() || bulkRunning() || tag.isEmpty())
        return 0;
    m_detail->commitEdits();
    return startBulk(m_review->tagWhere(query(), tag.toStdString()), tr("Tag all matching '%1'").arg(tag));
}

quint64 SampleBrowserPage::startBulk(quint64 job, const QString& what)
{
    m_bulkJob = job;
    m_bulkText = what;
    m_bulkProgress->setRange(0, 0);
    m_bulkProgress->show();
    m_bulkCancel->show();
    return job;
}

void SampleBrowserPage::cancelBulk()
{
    if (m_bulkJob)
        m_review->jobs()->cancel(m_bulkJob);
}

void SampleBrowserPage::onBulkDone(quint64 job, const BulkChange& change, bool undone, const QString& error)
{
    if (!error.isEmpty())
        emit statusMessage(error);
    if (job == m_bulkJob) {
        m_bulkJob = 0;
        m_bulkProgress->hide();
        m_bulkCancel->hide();
        // What was written, also when cancelled part-way, can be undone.
        if (error.isEmpty() && change.changed() > 0)
            m_undo->push(new BulkReviewCommand(m_review, change, m_bulkText));
        emit statusMessage(tr("%1: %n sample(s) changed", nullptr, int(change.changed())).arg(m_bulkText)
                           + (change.complete ? QString() : tr(" (cancelled)")));
    } else {
        emit statusMessage(undone ? tr("Undone: %n sample(s)", nullptr, int(change.changed()))
                                  : tr("Redone: %n sample(s)", nullptr, int(change.changed())));
    }
    m_model->reload();
    refreshRejectReasons();
    if (m_shownId >= 0 && !m_detail->hasPendingEdits())
        m_review->readDetail(m_shownId);  // its status may have changed
    emit bulkFinished();
}

}  // namespace distill::widgets
