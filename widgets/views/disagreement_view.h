// DisagreementView: the samples where the re-graded verdict and the stored verdict differ, or the
// judge's and the re-grade; the expert sets the verdict with buttons or keys (C correct, I incorrect,
// U unknown), kept as a ruling (store/rulings.h) and written off the GUI thread in the order given.
// The judge's and the grader's agreement with the rulings so far is shown above the list.
#pragma once

#include "core/store/records.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace distill::widgets {

class CurationDisagreementModel;
class JobTracker;

class DisagreementView : public QWidget {
    Q_OBJECT
public:
    explicit DisagreementView(QWidget* parent = nullptr);

    void setWorkspacePath(const QString& path);
    CurationDisagreementModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    JobTracker* writes() const { return m_jobs; }
    // Drops the selected sample from the list and writes `verdict` for it (a failed write is
    // reported; the sample is back at the next read of the page).
    void rule(store::Verdict verdict);

signals:
    void statusMessage(const QString& message);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    JobTracker* m_jobs;
    CurationDisagreementModel* m_model;
    QTableView* m_table;
    QLabel* m_count;
};

}  // namespace distill::widgets
