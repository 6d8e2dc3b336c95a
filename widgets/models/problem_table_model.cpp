// ProblemTableModel implementation.
#include "widgets/models/problem_table_model.h"

#include "core/store/workspace.h"
#include "widgets/models/error_text.h"

#include <QScopedValueRollback>

namespace distill::widgets {

ProblemTableModel::ProblemTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void ProblemTableModel::setWorkspace(store::Workspace* workspace)
{
    m_workspace = workspace;
    reload();
}

void ProblemTableModel::setSource(const QString& source)
{
    m_source = source;
    reload();
}

void ProblemTableModel::reload()
{
    const QScopedValueRollback changing(m_changing, true);
    beginResetModel();
    m_rows.clear();
    m_rows.shrink_to_fit();
    m_total = 0;
    if (m_workspace) {
        try {
            const std::string source = m_source.toStdString();
            m_total = m_workspace->countProblems(source);
            m_rows = m_workspace->listProblems(source, 0, kPageSize);
        } catch (const std::exception& e) {
            m_rows.clear();
            m_total = 0;
            emit errorOccurred(errorMessage(e));
        }
    }
    endResetModel();
}

bool ProblemTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && qint64(m_rows.size()) < m_total;
}

void ProblemTableModel::fetchMore(const QModelIndex& parent)
{
    // Also refuse while a reset or insert is being announced: slots of those signals (item-model
    // testers, some views) may ask for more rows before the change is complete.
    if (m_changing || !canFetchMore(parent))
        return;
    const QScopedValueRollback changing(m_changing, true);
    std::vector<store::Problem> page;
    try {
        page = m_workspace->listProblems(m_source.toStdString(), qint64(m_rows.size()), kPageSize);
    } catch (const std::exception& e) {
        emit errorOccurred(errorMessage(e));
    }
    if (page.empty()) {
        m_total = qint64(m_rows.size());
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(page.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    endInsertRows();
}

const store::Problem* ProblemTableModel::problemAt(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? &m_rows[row] : nullptr;
}

int ProblemTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ProblemTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || index.column() >= ColumnCount)
        return {};
    const store::Problem& p = m_rows[index.row()];
    if (role == ProblemIdRole)
        return qlonglong(p.id);
    if (role == Qt::TextAlignmentRole && (index.column() == Id || index.column() == Difficulty))
        return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (Column(index.column())) {
    case Id: return qlonglong(p.id);
    case ExternalId: return QString::fromStdString(p.externalId);
    case Domain: return QString::fromStdString(p.domain);
    case Difficulty: return p.difficulty ? QVariant(*p.difficulty) : QVariant();
    case Question: {
        const QString text = QString::fromStdString(p.question);
        return role == Qt::ToolTipRole ? text.left(1000) : text.left(300).simplified();
    }
    case ReferenceAnswer: return QString::fromStdString(p.referenceAnswer).simplified();
    case ColumnCount: break;
    }
    return {};
}

QVariant ProblemTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id: return tr("ID");
    case ExternalId: return tr("Source ID");
    case Domain: return tr("Domain");
    case Difficulty: return tr("Difficulty");
    case Question: return tr("Question");
    case ReferenceAnswer: return tr("Reference answer");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace distill::widgets
