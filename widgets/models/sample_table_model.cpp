// SampleTableModel implementation.
#include "widgets/models/sample_table_model.h"

#include "core/store/workspace.h"
#include "widgets/models/error_text.h"

#include <nlohmann/json.hpp>

#include <QScopedValueRollback>

namespace distill::widgets {

SampleTableModel::SampleTableModel(QObject* parent) : QAbstractTableModel(parent) {}

void SampleTableModel::setWorkspace(store::Workspace* workspace)
{
    m_workspace = workspace;
    resetRows();
}

void SampleTableModel::setQuery(const store::SampleQuery& query)
{
    m_query = query;
    resetRows();
}

void SampleTableModel::reload()
{
    resetRows();
}

void SampleTableModel::resetRows()
{
    const QScopedValueRollback changing(m_changing, true);
    beginResetModel();
    m_rows.clear();
    m_rows.shrink_to_fit();
    m_total = 0;
    if (m_workspace) {
        try {
            m_total = m_workspace->countSamples(m_query);
            m_rows = m_workspace->listSamples(m_query, 0, kPageSize);
        } catch (const std::exception& e) {
            m_rows.clear();
            m_total = 0;
            emit errorOccurred(errorMessage(e));
        }
    }
    endResetModel();
    emit totalCountChanged(m_total);
}

bool SampleTableModel::canFetchMore(const QModelIndex& parent) const
{
    return !parent.isValid() && qint64(m_rows.size()) < m_total;
}

void SampleTableModel::fetchMore(const QModelIndex& parent)
{
    // Also refuse while a reset or insert is being announced: slots of those signals (item-model
    // testers, some views) may ask for more rows before the change is complete.
    if (m_changing || !canFetchMore(parent))
        return;
    const QScopedValueRollback changing(m_changing, true);
    std::vector<store::SampleRow> page;
    try {
        page = m_workspace->listSamples(m_query, qint64(m_rows.size()), kPageSize);
    } catch (const std::exception& e) {
        emit errorOccurred(errorMessage(e));
    }
    if (page.empty()) {  // rows vanished under us: stop asking for more
        m_total = qint64(m_rows.size());
        emit totalCountChanged(m_total);
        return;
    }
    const int first = int(m_rows.size());
    beginInsertRows({}, first, first + int(page.size()) - 1);
    m_rows.insert(m_rows.end(), std::make_move_iterator(page.begin()), std::make_move_iterator(page.end()));
    endInsertRows();
}

void SampleTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_query.sortBy = store::SampleColumn(column);
    m_query.descending = order == Qt::DescendingOrder;
    resetRows();
}

void SampleTableModel::refreshRow(int row)
{
    if (!m_workspace || row < 0 || row >= int(m_rows.size()))
        return;
    try {
        const auto sample = m_workspace->sample(m_rows[row].id);
        if (!sample)
            return;
        store::SampleRow& r = m_rows[row];
        r.verdict = sample->verdict;
        r.status = sample->status;
        r.thinkingTokens = sample->thinkingTokens;
        r.answerTokens = sample->answerTokens;
        r.flagsJson = sample->flagsJson;
    } catch (const std::exception& e) {
        emit errorOccurred(errorMessage(e));
        return;
    }
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

qint64 SampleTableModel::sampleId(int row) const
{
    return row >= 0 && row < int(m_rows.size()) ? m_rows[row].id : -1;
}

int SampleTableModel::rowOfSample(qint64 id) const
{
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].id == id)
            return int(i);
    return -1;
}

int SampleTableModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int SampleTableModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString SampleTableModel::verdictText(store::Verdict verdict)
{
    switch (verdict) {
    case store::Verdict::Unknown: return tr("unknown");
    case store::Verdict::Correct: return tr("correct");
    case store::Verdict::Incorrect: return tr("incorrect");
    }
    return {};
}

QString SampleTableModel::statusText(store::SampleStatus status)
{
    switch (status) {
    case store::SampleStatus::Candidate: return tr("candidate");
    case store::SampleStatus::Accepted: return tr("accepted");
    case store::SampleStatus::Rejected: return tr("rejected");
    }
    return {};
}

QString SampleTableModel::originText(store::Origin origin)
{
    switch (origin) {
    case store::Origin::Teacher: return tr("teacher");
    case store::Origin::Import: return tr("import");
    case store::Origin::Human: return tr("human");
    case store::Origin::Reference: return tr("reference");
    }
    return {};
}

QString SampleTableModel::flagsText(const std::string& flagsJson)
{
    const auto json = nlohmann::json::parse(flagsJson, nullptr, false);
    if (!json.is_object())
        return {};
    QStringList parts;
    for (const auto& [key, value] : json.items()) {
        const QString name = QString::fromStdString(key);
        if (value.is_boolean()) {
            if (value.get<bool>())
                parts << name;
        } else if (value.is_number()) {
            parts << QStringLiteral("%1 %2").arg(name).arg(value.get<double>(), 0, 'g', 3);
        } else if (value.is_string()) {
            parts << QStringLiteral("%1 %2").arg(name, QString::fromStdString(value.get<std::string>()));
        }
    }
    return parts.join(QStringLiteral(", "));
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= int(m_rows.size()) || index.column() >= ColumnCount)
        return {};
    const store::SampleRow& r = m_rows[index.row()];
    switch (role) {
    case Qt::DisplayRole:
        switch (Column(index.column())) {
        case Id: return qlonglong(r.id);
        case Problem: return QString::fromStdString(r.questionPreview).simplified();
        case Verdict: return verdictText(r.verdict);
        case Status: return statusText(r.status);
        case ThinkingTokens: return qlonglong(r.thinkingTokens);
        case AnswerTokens: return qlonglong(r.answerTokens);
        case Origin:
            return r.originDetail.empty()
                       ? originText(r.origin)
                       : QStringLiteral("%1 · %2").arg(originText(r.origin), QString::fromStdString(r.originDetail));
        case Flags: return flagsText(r.flagsJson);
        case ColumnCount: break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Problem)
            return QStringLiteral("[%1] %2").arg(QString::fromStdString(r.source),
                                                 QString::fromStdString(r.questionPreview));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Id || index.column() == ThinkingTokens || index.column() == AnswerTokens)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SampleIdRole: return qlonglong(r.id);
    case StatusRole: return int(r.status);
    case VerdictRole: return int(r.verdict);
    case SourceRole: return QString::fromStdString(r.source);
    default: return {};
    }
}

QVariant SampleTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Id: return tr("ID");
    case Problem: return tr("Problem");
    case Verdict: return tr("Verdict");
    case Status: return tr("Status");
    case ThinkingTokens: return tr("Thinking\ntokens");
    case AnswerTokens: return tr("Answer\ntokens");
    case Origin: return tr("Origin");
    case Flags: return tr("Flags");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace distill::widgets
