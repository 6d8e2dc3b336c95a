// PagedTableModel implementation.
#include "widgets/models/paged_table_model.h"

#include <QScopedValueRollback>

namespace distill::widgets {

namespace {
// One kind for every read of the rows: a reload supersedes a page read still running.
const QString kRows = QStringLiteral("rows");
}  // namespace

PagedTableModel::PagedTableModel(QObject* parent) : QAbstractTableModel(parent), m_jobs(new JobTracker(this)) {}

void PagedTableModel::setWorkspacePath(const QString& path)
{
    if (path != m_jobs->workspacePath()) {
        m_jobs->setWorkspacePath(path);
        empty();  // rows of another workspace
    }
    reloadRows();
}

bool PagedTableModel::isLoading() const
{
    return m_jobs->isRunning(kRows);
}

int PagedTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : loadedRows();
}

bool PagedTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && qint64(loadedRows()) < m_total && !isLoading();
}

void PagedTableModel::reloadRows()
{
    if (!m_jobs->hasWorkspace()) {
        empty();
        return;
    }
    m_jobs->start(kRows, pageRead(true, 0, kPageSize),
                  [this](const QVariant& result, const QString& error) { onRows(true, result, error); });
}

void PagedTableModel::fetchMore(const QModelIndex& parent)
{
    // Also refuse while a reset or insert is being announced: slots of those signals (item-model
    // testers, some views) may ask for more rows before the change is complete.
    if (m_changing || !canFetchMore(parent))
        return;
    m_jobs->start(kRows, pageRead(false, loadedRows(), kPageSize),
                  [this](const QVariant& result, const QString& error) { onRows(false, result, error); });
}

void PagedTableModel::empty()
{
    if (loadedRows() == 0 && m_total == 0)
        return;
    const QScopedValueRollback changing(m_changing, true);
    beginResetModel();
    clearRows();
    m_total = 0;
    endResetModel();
    emit totalCountChanged(m_total);
}

void PagedTableModel::onRows(bool reset, const QVariant& result, const QString& error)
{
    if (!error.isEmpty()) {
        emit errorOccurred(error);
        if (reset) {
            empty();
        } else {  // stop asking for more
            m_total = loadedRows();
            emit totalCountChanged(m_total);
        }
        return;
    }
    {
        const QScopedValueRollback changing(m_changing, true);
        qint64 total = -1;
        if (reset) {
            beginResetModel();
            clearRows();
            stagePage(result, total);
            commitPage();
            m_total = total;
            endResetModel();
            emit totalCountChanged(m_total);
        } else if (const int fetched = stagePage(result, total); fetched == 0) {  // rows vanished under us
            m_total = loadedRows();
            emit totalCountChanged(m_total);
        } else {
            const int first = loadedRows();
            beginInsertRows({}, first, first + fetched - 1);
            commitPage();
            endInsertRows();
        }
    }
    emit rowsLoaded();
}

}  // namespace distill::widgets
