// ProblemTableModel: lazy table of the problems of one source (benchmark set or import), paged
// through canFetchMore/fetchMore and read off the GUI thread like the sample table.
#pragma once

#include "core/store/records.h"

#include "widgets/models/paged_table_model.h"

#include <vector>

namespace distill::widgets {

class ProblemTableModel : public PagedRowsModel<store::Problem> {
    Q_OBJECT
public:
    enum Column { Id, ExternalId, Domain, Difficulty, Question, ReferenceAnswer, ColumnCount };
    enum Role { ProblemIdRole = Qt::UserRole + 1 };

    explicit ProblemTableModel(QObject* parent = nullptr);

    // Empty source = all problems.
    void setSource(const QString& source);
    QString source() const { return m_source; }
    void reload();

    // The loaded problem of a row (full texts), or nullptr.
    const store::Problem* problemAt(int row) const;

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

protected:
    RowSource rowSource() const override;

private:
    QString m_source;
};

}  // namespace distill::widgets
