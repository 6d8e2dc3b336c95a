// RunListModel: the workspace's runs (kind, name, status, created, best metrics), newest first,
// re-read by refresh() (the pages call it on a timer while jobs may be writing). Rows can be checked
// to pick the runs a monitor overlays.
#pragma once

#include <QAbstractTableModel>
#include <QSet>
#include <QVector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Kind, Name, Status, Created, Best, ColumnCount };
    enum Role { RunIdRole = Qt::UserRole + 1 };

    explicit RunListModel(QObject* parent = nullptr);

    void setWorkspace(store::Workspace* workspace);
    // Only runs of these kinds ("sft", "grpo", ...); empty = all.
    void setKinds(const QStringList& kinds);
    // Re-reads the runs; keeps the check marks of runs still there.
    void refresh();

    qint64 runId(int row) const;
    int rowOfRun(qint64 runId) const;
    QList<qint64> checkedRuns() const;
    void setChecked(qint64 runId, bool checked);

    // "loss 0.412, eval_loss 0.455": the best value of each metric (minimum for names with "loss",
    // else maximum), in name order.
    static QString bestMetrics(const QVector<QPair<QString, double>>& metrics);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    bool setData(const QModelIndex& index, const QVariant& value, int role = Qt::EditRole) override;
    Qt::ItemFlags flags(const QModelIndex& index) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

signals:
    void checkedRunsChanged();

private:
    struct Row {
        qint64 id = 0;
        QString kind, name, status, best;
        qint64 createdAt = 0;
    };
    store::Workspace* m_workspace = nullptr;
    QStringList m_kinds;
    QVector<Row> m_rows;
    QSet<qint64> m_checked;
};

}  // namespace distill::widgets
