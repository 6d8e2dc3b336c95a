// DisagreementView: the samples where the re-graded verdict and the stored verdict differ; the
// expert sets the verdict with buttons or keys (C correct, I incorrect, U unknown).
#pragma once

#include "core/store/records.h"

#include <QWidget>

class QLabel;
class QTableView;

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class CurationDisagreementModel;

class DisagreementView : public QWidget {
    Q_OBJECT
public:
    explicit DisagreementView(QWidget* parent = nullptr);

    void setWorkspace(store::Workspace* workspace) { m_workspace = workspace; }
    CurationDisagreementModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    // Writes `verdict` for the selected sample and drops it from the list.
    void rule(store::Verdict verdict);

signals:
    void statusMessage(const QString& message);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    store::Workspace* m_workspace = nullptr;
    CurationDisagreementModel* m_model;
    QTableView* m_table;
    QLabel* m_count;
};

}  // namespace distill::widgets
