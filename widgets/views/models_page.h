// ModelsPage: the model manager. Lists Hugging Face model folders (added with a folder dialog, kept
// in the settings) with architecture, sizes, dtype, files and tokenizer, and the details of one.
#pragma once

#include "widgets/views/page.h"

class QFormLayout;
class QLabel;
class QPushButton;
class QTableView;

namespace distill::widgets {

class ModelListModel;

class ModelsPage : public Page {
    Q_OBJECT
public:
    explicit ModelsPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspacePath(const QString& path) override;

    ModelListModel* models() const { return m_models; }
    QTableView* table() const { return m_table; }
    // Adds a folder without the dialog (tests, drag and drop); selects its row.
    void addFolder(const QString& path);
    void selectRow(int row);
    // The details pane's value of a field, by its label (tests).
    QString detail(const QString& label) const;

private:
    void chooseFolder();
    void removeSelected();
    void showDetails();
    int currentRow() const;

    ModelListModel* m_models;
    QTableView* m_table;
    QPushButton* m_remove;
    QLabel* m_heading;
    QFormLayout* m_form;
    QList<QPair<QString, QLabel*>> m_fields;
};

}  // namespace distill::widgets
