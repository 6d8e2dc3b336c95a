// ProblemBrowserPage: browse the benchmark sets and imported problems — source combo, lazy table,
// and the selected problem's text with its reference answer and solution.
#pragma once

#include "widgets/views/page.h"

#include <QVariant>

class QComboBox;
class QLabel;
class QPlainTextEdit;
class QTableView;

namespace distill::widgets {

class ProblemTableModel;

class ProblemBrowserPage : public Page {
    Q_OBJECT
public:
    explicit ProblemBrowserPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    void reload() override;
    void setSourceCounts(const QVariantList& sources) override;

    ProblemTableModel* model() const { return m_model; }
    QComboBox* sourceCombo() const { return m_source; }
    QTableView* table() const { return m_table; }
    QPlainTextEdit* questionView() const { return m_question; }
    QPlainTextEdit* solutionView() const { return m_solution; }

private:
    void showCurrent();
    void showCount();
    void fillSources(const QVariantList& sources);

    ProblemTableModel* m_model;
    QComboBox* m_source;
    QTableView* m_table;
    QLabel* m_count;
    QPlainTextEdit* m_question;
    QLabel* m_answer;
    QPlainTextEdit* m_solution;
};

}  // namespace distill::widgets
