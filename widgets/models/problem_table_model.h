// ProblemTableModel: lazy table of the problems of one source (benchmark set or import), paged
// through canFetchMore/fetchMore like the sample table.
#pragma once

#include "core/store/records.h"

#include <QAbstractTableModel>

#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class ProblemTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Id, ExternalId, Domain, Difficulty, Question, ReferenceAnswer, ColumnCount };
    enum Role { ProblemIdRole = Qt::UserRole + 1 };
    static constexpr int kPageSize = 200;

    explicit ProblemTableModel(QObject* parent = nullptr);

    void setWorkspace(store::Workspace* workspace);
    // Empty source = all problems.
    void setSource(const QString& source);
    QString source() const { return m_source; }
    void reload();

    qint64 totalCount() const { return m_total; }
    // The loaded problem of a row (full texts), or nullptr.
    const store::Problem* problemAt(int row) const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void errorOccurred(const QString& message);

private:
    store::Workspace* m_workspace = nullptr;
    QString m_source;
    qint64 m_total = 0;
    bool m_changing = false;  // a reset or insert is in progress
    std::vector<store::Problem> m_rows;
};

}  // namespace distill::widgets
