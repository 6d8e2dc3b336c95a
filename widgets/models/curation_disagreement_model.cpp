// CurationDisagreementModel implementation.
#include "widgets/models/curation_disagreement_model.h"

#include "widgets/models/sample_table_model.h"

namespace distill::widgets {

void CurationDisagreementModel::setEntries(const std::vector<CurationEntry>& entries)
{
    beginResetModel();
    m_rows.clear();
    for (const std::size_t i : disagreements(entries))
        m_rows.push_back(entries[i]);
    endResetModel();
}

void CurationDisagreementModel::removeEntry(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
}

int CurationDisagreementModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int CurationDisagreementModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CurationDisagreementModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const CurationEntry& e = m_rows[std::size_t(index.row())];
    if (role == Qt::UserRole)
        return qlonglong(e.id);
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case IdColumn: return qlonglong(e.id);
    case StoredColumn: return SampleTableModel::verdictText(e.storedVerdict);
    case GradedColumn: return SampleTableModel::verdictText(e.gradedVerdict);
    case PredColumn: return QString::fromStdString(e.predAnswer);
    case GoldColumn: return QString::fromStdString(e.gold);
    default: return {};
    }
}

QVariant CurationDisagreementModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case IdColumn: return tr("Sample");
    case StoredColumn: return tr("Stored verdict");
    case GradedColumn: return tr("Re-graded");
    case PredColumn: return tr("Extracted answer");
    case GoldColumn: return tr("Reference");
    default: return {};
    }
}

}  // namespace distill::widgets
