// ModelListModel: the model manager's list of Hugging Face model folders (persisted in QSettings),
// one row per folder with its architecture, sizes, dtype, files and tokenizer, read off the GUI
// thread as JobTracker jobs (a newer read of a folder supersedes an older one).
#pragma once

#include "widgets/models/model_inspector.h"

#include <QAbstractTableModel>
#include <QStringList>

#include <vector>

namespace distill::widgets {

class JobTracker;

class ModelListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column {
        Name,
        Architecture,
        Parameters,
        Hidden,
        Layers,
        Heads,
        KvHeads,
        HeadDim,
        Vocabulary,
        Dtype,
        Size,
        Shards,
        Tokenizer,
        ChatTemplate,
        Eos,
        Status,
        ColumnCount
    };
    // Qt::UserRole: the raw value of a cell (qint64 counts, bool flags, the dtype text).
    static constexpr int RawRole = Qt::UserRole;
    static constexpr int PathRole = Qt::UserRole + 1;      // the folder, in every column
    static constexpr int UsableRole = Qt::UserRole + 2;    // bool: a readable model
    static constexpr int ChatReadyRole = Qt::UserRole + 3; // bool: usable and with a tokenizer

    // `settingsKey`: the QSettings key the folder list lives under; empty = not persisted.
    explicit ModelListModel(QObject* parent = nullptr, const QString& settingsKey = QStringLiteral("models/folders"));

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Adds a folder (a folder already listed is re-read instead) and starts reading it; returns its row.
    int addFolder(const QString& path);
    void removeFolder(int row);
    // Reads every folder again (files may have changed on disk).
    void refresh();
    // The folders of the QSettings list, read again.
    void restore();

    QStringList folders() const;
    const ModelFolderInfo& info(int row) const { return m_rows[std::size_t(row)].info; }
    int rowOf(const QString& path) const;
    // Inspections still running.
    int pending() const;

    // "1.5B", "494M", "12.3K" parameters; "" for 0.
    static QString parameterText(qint64 count);

signals:
    // A folder was read (row `row` changed).
    void folderRead(int row);

private:
    struct Row {
        ModelFolderInfo info;
    };
    void inspect(int row);
    void onRead(const QString& path, const ModelFolderInfo& info);
    void save() const;
    QVariant display(const ModelFolderInfo& info, int column) const;
    QVariant raw(const ModelFolderInfo& info, int column) const;

    QString m_settingsKey;
    std::vector<Row> m_rows;
    JobTracker* m_jobs;
};

}  // namespace distill::widgets
