// SampleTableModel implementation.
#include "widgets/models/sample_table_model.h"

#include "core/store/workspace.h"

#include <nlohmann/json.hpp>

namespace distill::widgets {

static_assert(int(SampleTableModel::Repetition) == int(store::SampleColumn::Repetition),
              "the columns equal store::SampleColumn");

SampleTableModel::SampleTableModel(QObject* parent) : PagedRowsModel(parent) {}

void SampleTableModel::setQuery(const store::SampleQuery& query)
{
    m_query = query;
    reloadRows();
}

void SampleTableModel::reload()
{
    reloadRows();
}

SampleTableModel::RowSource SampleTableModel::rowSource() const
{
    return {[query = m_query](const store::Workspace& ws) { return ws.countSamples(query); },
            [query = m_query](const store::Workspace& ws, qint64 offset, int limit) {
                return ws.listSamples(query, offset, limit);
            }};
}

void SampleTableModel::sort(int column, Qt::SortOrder order)
{
    if (column < 0 || column >= ColumnCount)
        return;
    m_query.sortBy = store::SampleColumn(column);
    m_query.descending = order == Qt::DescendingOrder;
    reloadRows();
}

void SampleTableModel::updateSample(const store::Sample& sample)
{
    const int row = rowOfSample(sample.id);
    store::SampleRow* loaded = rowAt(row);
    if (!loaded)
        return;
    loaded->verdict = sample.verdict;
    loaded->status = sample.status;
    loaded->thinkingTokens = sample.thinkingTokens;
    loaded->answerTokens = sample.answerTokens;
    loaded->rejectReason = sample.rejectReason;
    loaded->flagsJson = sample.flagsJson;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

qint64 SampleTableModel::sampleId(int row) const
{
    const store::SampleRow* r = rowAt(row);
    return r ? r->id : -1;
}

int SampleTableModel::rowOfSample(qint64 id) const
{
    for (std::size_t i = 0; i < rows().size(); ++i)
        if (rows()[i].id == id)
            return int(i);
    return -1;
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

QString SampleTableModel::scoreText(const std::string& flagsJson, Column column)
{
    const std::string_view name = store::sampleColumnScore(store::SampleColumn(column));
    if (name.empty())
        return {};
    const auto json = nlohmann::json::parse(flagsJson, nullptr, false);
    if (!json.is_object())
        return {};
    const auto filters = json.find("filters");
    if (filters == json.end() || !filters->is_object())
        return {};
    const auto score = filters->find(name);
    if (score == filters->end() || !score->is_number())
        return {};
    const double value = score->get<double>();
    if (column == ParagraphWords)
        return QString::number(qlonglong(value));
    return QStringLiteral("%1 %").arg(value * 100, 0, 'f', value * 100 < 10 ? 2 : 1);
}

QVariant SampleTableModel::data(const QModelIndex& index, int role) const
{
    const store::SampleRow* row = index.isValid() && index.column() < ColumnCount ? rowAt(index.row()) : nullptr;
    if (!row)
        return {};
    const store::SampleRow& r = *row;
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
        case RejectReason: return QString::fromStdString(r.rejectReason);
        case LanguageMix:
        case ParagraphWords:
        case Repetition: return scoreText(r.flagsJson, Column(index.column()));
        case ColumnCount: break;
        }
        return {};
    case Qt::ToolTipRole:
        if (index.column() == Problem)
            return QStringLiteral("[%1] %2").arg(QString::fromStdString(r.source),
                                                 QString::fromStdString(r.questionPreview));
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() == Id || index.column() == ThinkingTokens || index.column() == AnswerTokens
            || index.column() >= LanguageMix)
            return QVariant::fromValue(Qt::Alignment(Qt::AlignRight | Qt::AlignVCenter));
        return {};
    case SampleIdRole: return qlonglong(r.id);
    case StatusRole: return int(r.status);
    case VerdictRole: return int(r.verdict);
    case SourceRole: return QString::fromStdString(r.source);
    case FlagsJsonRole: return QString::fromStdString(r.flagsJson);
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
    case RejectReason: return tr("Reject\nreason");
    case LanguageMix: return tr("Language\nmix");
    case ParagraphWords: return tr("Longest\nparagraph");
    case Repetition: return tr("Repeated\nn-grams");
    case ColumnCount: break;
    }
    return {};
}

}  // namespace distill::widgets
