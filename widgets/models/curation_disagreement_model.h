// CurationDisagreementModel: samples whose re-graded verdict differs from the stored one, or where the
// generative judge and the re-grade disagree and no expert has ruled, one row each (id, stored verdict,
// re-graded verdict, extracted answer, reference answer, judge's verdict), for a ruling.
#pragma once

#include "widgets/models/curation_scores.h"

#include <QAbstractTableModel>

namespace distill::widgets {

class CurationDisagreementModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { IdColumn, StoredColumn, GradedColumn, PredColumn, GoldColumn, JudgeColumn, ColumnCount };

    using QAbstractTableModel::QAbstractTableModel;

    // Lists the disagreements among `entries` (copied).
    void setEntries(const std::vector<CurationEntry>& entries);
    const CurationEntry& entry(int row) const { return m_rows.at(std::size_t(row)); }
    // The expert ruled on `row`: it leaves the list.
    void removeEntry(int row);
    // The judge and the re-grade against the expert's rulings among the entries last set:
    // "Rulings: n; the judge agreed on j of k, the grader on g of n", empty without rulings.
    QString accuracyText() const;

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    std::vector<CurationEntry> m_rows;
    std::int64_t m_rulings = 0, m_judged = 0, m_judgeRight = 0, m_graderRight = 0;
};

}  // namespace distill::widgets
