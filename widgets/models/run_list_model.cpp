#include "widgets/models/run_list_model.h"

#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"

#include <QDateTime>
#include <QMap>

#include <algorithm>

namespace distill::widgets {

namespace {

QVector<RunListModel::Row> readRuns(const store::Workspace& workspace, const QStringList& kinds)
{
    QVector<RunListModel::Row> rows;
    for (const store::Run& run : workspace.runs()) {
        RunListModel::Row row;
        row.id = run.id;
        row.kind = QString::fromStdString(std::string(store::runKindName(run.kind)));
        if (!kinds.isEmpty() && !kinds.contains(row.kind))
            continue;
        row.name = QString::fromStdString(run.name);
        row.status = QString::fromStdString(run.status);
        row.createdAt = run.createdAt;
        QVector<QPair<QString, double>> metrics;
        for (const store::Metric& m : workspace.metrics(run.id))
            metrics.append({QString::fromStdString(m.name), m.value});
        row.best = RunListModel::bestMetrics(metrics);
        rows.append(row);
    }
    std::reverse(rows.begin(), rows.end());
    return rows;
}

}  // namespace

RunListModel::RunListModel(QObject* parent) : QAbstractTableModel(parent), m_jobs(new JobTracker(this)) {}

void RunListModel::setWorkspacePath(const QString& path)
{
    m_jobs->setWorkspacePath(path);
    m_checked.clear();
    m_checkWhenListed.clear();
    refresh();
}

void RunListModel::setKinds(const QStringList& kinds)
{
    m_kinds = kinds;
    refresh();
}

QString RunListModel::bestMetrics(const QVector<QPair<QString, double>>& metrics)
{
    QMap<QString, double> best;
    for (const auto& [name, value] : metrics) {
        const bool lower = name.contains(QLatin1String("loss"));
        auto it = best.find(name);
        if (it == best.end())
            best.insert(name, value);
        else if (lower ? value < *it : value > *it)
            *it = value;
    }
    QStringList parts;
    for (auto it = best.cbegin(); it != best.cend(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.key(), QString::number(it.value(), 'g', 4));
    return parts.join(QLatin1String(", "));
}

void RunListModel::refresh()
{
    if (!m_jobs->hasWorkspace()) {
        setRows({});
        return;
    }
    m_jobs->start(
        QStringLiteral("runs"), [kinds = m_kinds](JobContext& job) { return QVariant::fromValue(readRuns(job.reader(), kinds)); },
        [this](const QVariant& result, const QString& error) {
            // A workspace being written by a job may be busy for a moment: keep the last list.
            if (error.isEmpty())
                setRows(result.value<QVector<Row>>());
        });
}

void RunListModel::setRows(const QVector<Row>& rows)
{
    beginResetModel();
    m_rows = rows;
    QSet<qint64> present;
    for (const Row& row : m_rows)
        present.insert(row.id);
    const QSet<qint64> listedNow = m_checkWhenListed & present;
    m_checkWhenListed -= listedNow;
    const bool checkedChanged = !(m_checked - present).isEmpty() || !listedNow.isEmpty();
    m_checked &= present;
    m_checked += listedNow;
    endResetModel();
    if (checkedChanged)
        emit checkedRunsChanged();
    emit refreshed();
}

qint64 RunListModel::runId(int row) const
{
    return row >= 0 && row < m_rows.size() ? m_rows[row].id : 0;
}

int RunListModel::rowOfRun(qint64 runId) const
{
    for (int i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == runId)
            return i;
    return -1;
}

QList<qint64> RunListModel::checkedRuns() const
{
    QList<qint64> ids;
    for (const Row& row : m_rows)
        if (m_checked.contains(row.id))
            ids.append(row.id);
    return ids;
}

void RunListModel::setChecked(qint64 runId, bool checked)
{
    const int row = rowOfRun(runId);
    if (row < 0) {
        if (checked)
            m_checkWhenListed.insert(runId);
        else
            m_checkWhenListed.remove(runId);
        return;
    }
    if (m_checked.contains(runId) == checked)
        return;
    if (checked)
        m_checked.insert(runId);
    else
        m_checked.remove(runId);
    emit dataChanged(index(row, Id), index(row, Id), {Qt::CheckStateRole});
    emit checkedRunsChanged();
}

int RunListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int RunListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant RunListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const Row& row = m_rows[index.row()];
    if (role == RunIdRole)
        return row.id;
    if (role == Qt::CheckStateRole && index.column() == Id && m_checkable)
        return m_checked.contains(row.id) ? Qt::Checked : Qt::Unchecked;
    if (role != Qt::DisplayRole && role != Qt::ToolTipRole)
        return {};
    switch (index.column()) {
    case Id: return row.id;
    case Kind: return row.kind;
    case Name: return row.name;
    case Status: return row.status;
    case Created: return QDateTime::fromMSecsSinceEpoch(row.createdAt).toString(QStringLiteral("yyyy-MM-dd HH:mm"));
    case Best: return row.best;
    default: return {};
    }
}

bool RunListModel::setData(const QModelIndex& index, const QVariant& value, int role)
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid) ||
        role != Qt::CheckStateRole || index.column() != Id || !m_checkable)
        return false;
    setChecked(m_rows[index.row()].id, value.toInt() == Qt::Checked);
    return true;
}

Qt::ItemFlags RunListModel::flags(const QModelIndex& index) const
{
    Qt::ItemFlags f = QAbstractTableModel::flags(index);
    if (index.isValid() && index.column() == Id && m_checkable)
        f |= Qt::ItemIsUserCheckable;
    return f;
}

QVariant RunListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (section) {
    case Id: return tr("Run");
    case Kind: return tr("Kind");
    case Name: return tr("Name");
    case Status: return tr("Status");
    case Created: return tr("Created");
    case Best: return tr("Best metrics");
    default: return {};
    }
}

}  // namespace distill::widgets
