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
    m_rulings = m_judged = m_judgeRight = m_graderRight = 0;
    for (const CurationEntry& e : entries) {
        if (!e.ruling)
            continue;
        ++m_rulings;
        m_graderRight += e.gradedVerdict == *e.ruling;
        if (e.judgeVerdict) {
            ++m_judged;
            m_judgeRight += *e.judgeVerdict == *e.ruling;
        }
    }
    endResetModel();
}

QString CurationDisagreementModel::accuracyText() const
{
    if (m_rulings == 0)
        return {};
    return tr("Rulings: %1; the judge agreed on %2 of %3, the grader on %4 of %1.")
        .arg(m_rulings)
        .arg(m_judgeRight)
        .arg(m_judged)
        .arg(m_graderRight);
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
    case JudgeColumn: return e.judgeVerdict ? SampleTableModel::verdictText(*e.judgeVerdict) : QString();
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
    case JudgeColumn: return tr("Judge");
    case PredColumn: return tr("Extracted answer");
    case GoldColumn: return tr("Reference");
    default: return {};
    }
}

}  // namespace distill::widgets
