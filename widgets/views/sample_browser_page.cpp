// SampleBrowserPage implementation.
#include "widgets/views/sample_browser_page.h"

#include "core/store/workspace.h"
#include "widgets/models/background_read.h"
#include "widgets/models/error_text.h"
#include "widgets/models/sample_table_model.h"
#include "widgets/views/sample_commands.h"
#include "widgets/views/sample_detail_pane.h"
#include "widgets/views/sample_filter_bar.h"

#include <QAction>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QToolBar>
#include <QUndoStack>
#include <QVBoxLayout>

namespace distill::widgets {

SampleBrowserPage::SampleBrowserPage(QWidget* parent)
    : Page(parent), m_model(new SampleTableModel(this)), m_filters(new SampleFilterBar(this)),
      m_table(new QTableView(this)), m_detail(new SampleDetailPane(this)), m_count(new QLabel(this)),
      m_undo(new QUndoStack(this)), m_reasonsReader(new BackgroundRead(this))
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
    connect(m_reasonsReader, &BackgroundRead::finished, this,
            [this](quint64 jobId, const QVariant& result, const QString& error) {
                if (jobId != m_reasonsReader->latestJob())
                    return;  // a stale read
                if (!error.isEmpty()) {
                    emit statusMessage(error);
                    return;
                }
                QList<QPair<QString, qint64>> reasons;
                for (const QVariant& row : result.toList())
                    reasons.append({row.toList().value(0).toString(), row.toList().value(1).toLongLong()});
                m_filters->setRejectReasons(reasons);
            });
    connect(m_model, &SampleTableModel::totalCountChanged, this, &SampleBrowserPage::updateCount);
    connect(m_model, &SampleTableModel::errorOccurred, this, &SampleBrowserPage::statusMessage);
    // A new sort or filter keeps the shown sample selected when it is still in view, else selects
    // the first row, so that review goes on from the keyboard.
    connect(m_model, &SampleTableModel::modelReset, this, [this] {
        const int row = m_model->rowOfSample(m_detail->sampleId());
        if (row >= 0 || m_model->rowCount() > 0)
            selectRow(std::max(row, 0));
        else
            showCurrent();
    });
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this] { showCurrent(); });
    connect(m_detail, &SampleDetailPane::editCommitted, this,
            [this](qint64 id, store::SampleField field, const QString& before, const QString& after) {
                if (!m_workspace)
                    return;
                m_undo->push(new SampleTextEditCommand(m_workspace, id, field, before.toStdString(), after.toStdString(),
                                                       [this](qint64 sid, const QString& e) { onSampleChanged(sid, e); }));
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
    toolbar->addWidget(m_count);

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

void SampleBrowserPage::setWorkspace(store::Workspace* workspace)
{
    m_undo->clear();  // the commands point into the previous workspace
    m_workspace = workspace;
    if (!workspace) {
        m_filters->setSources({});
        m_filters->setRejectReasons({});
    }
    m_model->setWorkspace(workspace);
    readRejectReasons();
    if (m_model->rowCount() > 0)
        selectRow(0);
}

void SampleBrowserPage::reload()
{
    const qint64 current = m_model->sampleId(currentRow());
    m_model->reload();
    readRejectReasons();
    const int row = m_model->rowOfSample(current);
    selectRow(row >= 0 ? row : 0);
}

void SampleBrowserPage::readRejectReasons()
{
    if (!m_workspace)
        return;
    m_reasonsReader->start(m_workspace->path(), [](const store::Workspace& ws) {
        QVariantList rows;
        for (const auto& [reason, samples] : ws.rejectReasons())
            rows.append(QVariant(QVariantList{QString::fromStdString(reason), qlonglong(samples)}));
        return QVariant(rows);
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
    m_model->setQuery(query);
    if (m_model->rowCount() > 0)
        selectRow(0);
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
    while (row >= m_model->rowCount() && m_model->canFetchMore({}))
        m_model->fetchMore({});
    if (row < 0 || row >= m_model->rowCount())
        return false;
    const QModelIndex index = m_model->index(row, std::max(0, m_table->currentIndex().column()));
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
    return true;
}

void SampleBrowserPage::showCurrent()
{
    const qint64 id = m_model->sampleId(currentRow());
    if (id == m_detail->sampleId())
        return;
    m_detail->commitEdits();
    if (!m_workspace || id < 0) {
        m_detail->showSample(std::nullopt, std::nullopt);
        return;
    }
    try {
        const auto sample = m_workspace->sample(id);
        const auto problem = sample ? m_workspace->problem(sample->problemId) : std::nullopt;
        m_detail->showSample(sample, problem);
    } catch (const std::exception& e) {
        m_detail->showSample(std::nullopt, std::nullopt);
        emit statusMessage(errorMessage(e));
    }
}

void SampleBrowserPage::onSampleChanged(qint64 id, const QString& error)
{
    if (!error.isEmpty())
        emit statusMessage(error);
    m_model->refreshRow(m_model->rowOfSample(id));
    if (m_detail->sampleId() == id && m_workspace) {
        try {
            const auto sample = m_workspace->sample(id);
            const auto problem = sample ? m_workspace->problem(sample->problemId) : std::nullopt;
            if (sample && !m_detail->hasPendingEdits())
                m_detail->showSample(sample, problem);
        } catch (const std::exception& e) {
            emit statusMessage(errorMessage(e));
        }
    }
}

void SampleBrowserPage::setCurrentStatus(store::SampleStatus status)
{
    const int row = currentRow();
    if (!m_workspace || row < 0)
        return;
    m_detail->commitEdits();
    const QModelIndex index = m_model->index(row, 0);
    const auto before = store::SampleStatus(m_model->data(index, SampleTableModel::StatusRole).toInt());
    if (before != status)
        m_undo->push(new SampleStatusCommand(m_workspace, m_model->sampleId(row), before, status,
                                             [this](qint64 id, const QString& e) { onSampleChanged(id, e); }));
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
    if (!m_workspace || row < 0)
        return;
    try {
        const auto sample = m_workspace->sample(m_model->sampleId(row));
        if (sample)
            m_undo->push(new SampleFlagCommand(m_workspace, sample->id, sample->flagsJson,
                                               [this](qint64 id, const QString& e) { onSampleChanged(id, e); }));
    } catch (const std::exception& e) {
        emit statusMessage(errorMessage(e));
    }
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

}  // namespace distill::widgets
