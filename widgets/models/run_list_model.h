// RunListModel: the workspace's runs (kind, name, status, created, best metrics), newest first,
// re-read off the GUI thread by refresh() (the pages call it on a timer while jobs may be writing).
// Rows can be checked to pick the runs a monitor overlays.
#pragma once

#include <QAbstractTableModel>
#include <QSet>
#include <QVector>

namespace distill::widgets {

class JobTracker;

class RunListModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, Kind, Name, Status, Created, Best, ColumnCount };
    enum Role { RunIdRole = Qt::UserRole + 1 };

    explicit RunListModel(QObject* parent = nullptr);

    // The workspace file the runs are read from (empty: none); drops the check marks and reads.
    void setWorkspacePath(const QString& path);
    // Only runs of these kinds ("sft", "grpo", "curate", ...); empty = all.
    void setKinds(const QStringList& kinds);
    // Whether rows have a check box (a list that overlays nothing has none); default true.
    void setCheckable(bool checkable) { m_checkable = checkable; }
    // Re-reads the runs off the GUI thread; the check marks of runs still there are kept.
    void refresh();
    JobTracker* jobs() const { return m_jobs; }

    qint64 runId(int row) const;
    int rowOfRun(qint64 runId) const;
    QList<qint64> checkedRuns() const;
    // Checking a run not listed yet (a job just started) checks it once a refresh lists it.
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

    struct Row {
        qint64 id = 0;
        QString kind, name, status, best;
        qint64 createdAt = 0;
    };

signals:
    void checkedRunsChanged();
    // A refresh's rows are in (after the model reset).
    void refreshed();

private:
    void setRows(const QVector<Row>& rows);

    JobTracker* m_jobs;
    QStringList m_kinds;
    QVector<Row> m_rows;
    QSet<qint64> m_checked;
    QSet<qint64> m_checkWhenListed;
    bool m_checkable = true;
};

}  // namespace distill::widgets
