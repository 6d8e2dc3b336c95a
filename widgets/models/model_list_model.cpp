// ModelListModel implementation: one job per inspection, of a kind per folder.
#include "widgets/models/model_list_model.h"

#include "widgets/models/job_tracker.h"

#include <QDir>
#include <QFileInfo>
#include <QLocale>
#include <QSettings>

#include <algorithm>

namespace distill::widgets {

namespace {

QString yesNo(bool value)
{
    return value ? ModelListModel::tr("yes") : ModelListModel::tr("no");
}

QString number(qint64 value)
{
    return value > 0 ? QLocale().toString(value) : QString();
}

}  // namespace

ModelListModel::ModelListModel(QObject* parent, const QString& settingsKey)
    : QAbstractTableModel(parent), m_settingsKey(settingsKey), m_jobs(new JobTracker(this))
{
    qRegisterMetaType<ModelFolderInfo>();
}

int ModelListModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int ModelListModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ModelListModel::parameterText(qint64 count)
{
    if (count <= 0)
        return {};
    const QLocale locale;
    if (count >= 1'000'000'000)
        return locale.toString(double(count) / 1e9, 'f', count >= 10'000'000'000 ? 1 : 2) + QStringLiteral("B");
    if (count >= 1'000'000)
        return locale.toString(double(count) / 1e6, 'f', count >= 100'000'000 ? 0 : 1) + QStringLiteral("M");
    if (count >= 1'000)
        return locale.toString(double(count) / 1e3, 'f', 1) + QStringLiteral("K");
    return locale.toString(count);
}

QVariant ModelListModel::display(const ModelFolderInfo& info, int column) const
{
    if (column == Name)
        return info.name;
    if (column == Status) {
        if (info.reading)
            return tr("Reading…");
        if (!info.error.isEmpty())
            return info.error;
        if (!info.tokenizerError.isEmpty())
            return tr("Weights readable; tokenizer: %1").arg(info.tokenizerError);
        return info.hasTokenizerJson ? tr("Ready") : tr("Ready (no tokenizer.json, no chat)");
    }
    if (info.reading || info.modelType.isEmpty())
        return {};
    switch (Column(column)) {
    case Architecture: return info.modelType;
    case Parameters: return parameterText(info.parameters);
    case Hidden: return number(info.hiddenSize);
    case Layers: return number(info.layers);
    case Heads: return number(info.heads);
    case KvHeads: return number(info.kvHeads);
    case HeadDim: return number(info.headDim);
    case Vocabulary: return number(info.vocabSize);
    case Dtype: return info.storedDtype.isEmpty() ? info.configDtype : info.storedDtype;
    case Size: return info.shards > 0 ? QLocale().formattedDataSize(info.diskBytes) : QString();
    case Shards: return info.shards > 0 ? QLocale().toString(info.shards) : QString();
    case Tokenizer: return yesNo(info.hasTokenizerJson);
    case ChatTemplate: return info.hasTokenizerJson ? yesNo(info.hasChatTemplate) : QString();
    case Eos: {
        QStringList ids;
        for (qint64 id : info.eosIds)
            ids << QString::number(id);
        if (info.eosToken.isEmpty())
            return ids.join(QStringLiteral(", "));
        return ids.isEmpty() ? info.eosToken
                             : QStringLiteral("%1 (%2)").arg(info.eosToken, ids.join(QStringLiteral(", ")));
    }
    case Name:
    case Status:
    case ColumnCount: break;
    }
    return {};
}

QVariant ModelListModel::raw(const ModelFolderInfo& info, int column) const
{
    switch (Column(column)) {
    case Name: return info.name;
    case Architecture: return info.modelType;
    case Parameters: return info.parameters;
    case Hidden: return info.hiddenSize;
    case Layers: return info.layers;
    case Heads: return info.heads;
    case KvHeads: return info.kvHeads;
    case HeadDim: return info.headDim;
    case Vocabulary: return info.vocabSize;
    case Dtype: return info.storedDtype;
    case Size: return info.diskBytes;
    case Shards: return info.shards;
    case Tokenizer: return info.hasTokenizerJson;
    case ChatTemplate: return info.hasChatTemplate;
    case Eos: return info.eosToken;
    case Status: return info.error;
    case ColumnCount: break;
    }
    return {};
}

QVariant ModelListModel::data(const QModelIndex& index, int role) const
{
    if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
        return {};
    const ModelFolderInfo& info = m_rows[std::size_t(index.row())].info;
    switch (role) {
    case Qt::DisplayRole: return display(info, index.column());
    case RawRole: return raw(info, index.column());
    case PathRole: return info.path;
    case UsableRole: return info.usable();
    case ChatReadyRole: return info.chatReady();
    case Qt::ToolTipRole:
        if (index.column() == Name)
            return info.path;
        if (index.column() == Status)
            return display(info, Status);
        return {};
    case Qt::TextAlignmentRole:
        if (index.column() >= Parameters && index.column() <= Shards && index.column() != Dtype)
            return int(Qt::AlignRight | Qt::AlignVCenter);
        return {};
    default: return {};
    }
}

QVariant ModelListModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return QAbstractTableModel::headerData(section, orientation, role);
    switch (Column(section)) {
    case Name: return tr("Model");
    case Architecture: return tr("Architecture");
    case Parameters: return tr("Parameters");
    case Hidden: return tr("Hidden");
    case Layers: return tr("Layers");
    case Heads: return tr("Heads");
    case KvHeads: return tr("KV heads");
    case HeadDim: return tr("Head dim");
    case Vocabulary: return tr("Vocabulary");
    case Dtype: return tr("Dtype");
    case Size: return tr("Size on disk");
    case Shards: return tr("Shards");
    case Tokenizer: return tr("tokenizer.json");
    case ChatTemplate: return tr("Chat template");
    case Eos: return tr("EOS token");
    case Status: return tr("Status");
    case ColumnCount: break;
    }
    return {};
}

int ModelListModel::rowOf(const QString& path) const
{
    const QString clean = QDir::cleanPath(path);
    for (std::size_t i = 0; i < m_rows.size(); ++i)
        if (m_rows[i].info.path == clean)
            return int(i);
    return -1;
}

int ModelListModel::addFolder(const QString& path)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    int row = rowOf(clean);
    if (row < 0) {
        row = int(m_rows.size());
        beginInsertRows({}, row, row);
        Row r;
        r.info.path = clean;
        r.info.name = QFileInfo(clean).fileName();
        m_rows.push_back(std::move(r));
        endInsertRows();
        save();
    }
    inspect(row);
    return row;
}

void ModelListModel::removeFolder(int row)
{
    if (row < 0 || row >= rowCount())
        return;
    beginRemoveRows({}, row, row);
    m_rows.erase(m_rows.begin() + row);
    endRemoveRows();
    save();
}

void ModelListModel::refresh()
{
    for (int row = 0; row < rowCount(); ++row)
        inspect(row);
}

void ModelListModel::restore()
{
    if (m_settingsKey.isEmpty())
        return;
    const QStringList paths = QSettings().value(m_settingsKey).toStringList();
    beginResetModel();
    m_rows.clear();
    for (const QString& path : paths) {
        if (rowOf(path) >= 0)
            continue;
        Row r;
        r.info.path = QDir::cleanPath(path);
        r.info.name = QFileInfo(r.info.path).fileName();
        m_rows.push_back(std::move(r));
    }
    endResetModel();
    refresh();
}

QStringList ModelListModel::folders() const
{
    QStringList paths;
    for (const Row& r : m_rows)
        paths << r.info.path;
    return paths;
}

int ModelListModel::pending() const
{
    return int(std::count_if(m_rows.begin(), m_rows.end(), [](const Row& r) { return r.info.reading; }));
}

void ModelListModel::save() const
{
    if (!m_settingsKey.isEmpty())
        QSettings().setValue(m_settingsKey, folders());
}

void ModelListModel::inspect(int row)
{
    Row& r = m_rows[std::size_t(row)];
    r.info.reading = true;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    const QString path = r.info.path;
    m_jobs->start(
        QStringLiteral("inspect:") + path, [path](JobContext&) { return QVariant::fromValue(inspectModelFolder(path)); },
        [this, path](const QVariant& result, const QString& error) {
            ModelFolderInfo info = result.value<ModelFolderInfo>();
            if (!error.isEmpty()) {
                info.path = path;
                info.name = QFileInfo(path).fileName();
                info.error = error;
            }
            onRead(path, info);
        });
}

void ModelListModel::onRead(const QString& path, const ModelFolderInfo& info)
{
    const int row = rowOf(path);
    if (row < 0)
        return;  // removed meanwhile
    m_rows[std::size_t(row)].info = info;
    m_rows[std::size_t(row)].info.reading = false;
    emit dataChanged(index(row, 0), index(row, ColumnCount - 1));
    emit folderRead(row);
}

}  // namespace distill::widgets
