// ProblemTableModel implementation.
#include "widgets/models/problem_table_model.h"

#include "core/store/workspace.h"

namespace distill::widgets {

ProblemTableModel::ProblemTableModel(QObject* parent) : PagedRowsModel(parent) {}

void ProblemTableModel::setSource(const QString& source)
{
    m_source = source;
    reloadRows();
}

void ProblemTableModel::reload()
{
    reloadRows();
}

ProblemTableModel::RowSource ProblemTableModel::rowSource() const
{
    return {[source = m_source.toStdString()](const store::Workspace& ws) { return ws.countProblems(source); },
            [source = m_source.toStdString()](const store::Workspace& ws, qint64 offset, int limit) {
                return ws.listProblems(source, offset, limit);
            }};
}

const store::Problem* ProblemTableModel::problemAt(int row) const
{
    return rowAt(row);
}

int ProblemTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant ProblemTableModel::data(const QModelIndex& index, int role) const
{
    const store::Problem* row = index.isValid() && index.column() < ColumnCount ? rowAt(index.row()) : nullptr;
    if (!row)
        return {};
    const store::Problem& p = *row;
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
