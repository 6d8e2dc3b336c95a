// PagedTableModel implementation.
#include "widgets/models/paged_table_model.h"

#include "widgets/models/error_text.h"

#include <QScopedValueRollback>

namespace distill::widgets {

int PagedTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : loadedRows();
}

bool PagedTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && qint64(loadedRows()) < m_total;
}

void PagedTableModel::reloadRows()
{
    const QScopedValueRollback changing(m_changing, true);
    beginResetModel();
    clearRows();
    m_total = 0;
    if (hasSource()) {
        try {
            m_total = countRows();
            fetchPage(0, kPageSize);
            commitPage();
        } catch (const std::exception& e) {
            clearRows();
            m_total = 0;
            reportError(e);
        }
    }
    endResetModel();
    emit totalCountChanged(m_total);
}

void PagedTableModel::fetchMore(const QModelIndex& parent)
{
    // Also refuse while a reset or insert is being announced: slots of those signals (item-model
    // testers, some views) may ask for more rows before the change is complete.
    if (m_changing || !canFetchMore(parent))
        return;
    const QScopedValueRollback changing(m_changing, true);
    int fetched = 0;
    try {
        fetched = fetchPage(loadedRows(), kPageSize);
    } catch (const std::exception& e) {
        reportError(e);
    }
    if (fetched == 0) {  // rows vanished under us: stop asking for more
        m_total = loadedRows();
        emit totalCountChanged(m_total);
        return;
    }
    const int first = loadedRows();
    beginInsertRows({}, first, first + fetched - 1);
    commitPage();
    endInsertRows();
}

void PagedTableModel::reportError(const std::exception& error)
{
    emit errorOccurred(errorMessage(error));
}

}  // namespace distill::widgets
