// ModelsPage: the model manager. Lists Hugging Face model folders (added with a folder dialog, kept
// in the settings) with architecture, sizes, dtype, files and tokenizer, and the details of one. A
// run's checkpoint joins the list from the workspace's training runs, and the selected model is
// exported as GGUF (f16, bf16, q8_0) for llama.cpp, Ollama and LM Studio.
#pragma once

#include "widgets/views/page.h"

class QFormLayout;
class QLabel;
class QPushButton;
class QTableView;

namespace distill::widgets {

class JobTracker;
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
    // Exports the selected model to `out` in a background job (`type`: f16, bf16 or q8_0); the state
    // line shows the result and exportFinished() reports it. False when no model is selected.
    bool exportSelected(const QString& out, const QString& type);
    QString stateText() const;

signals:
    // `error` is empty when the GGUF file was written.
    void exportFinished(const QString& out, const QString& error);

private:
    void chooseFolder();
    void chooseRunCheckpoint();
    void chooseExport();
    void removeSelected();
    void showDetails();
    int currentRow() const;

    ModelListModel* m_models;
    QTableView* m_table;
    QPushButton* m_remove;
    QPushButton* m_export;
    QLabel* m_state;
    JobTracker* m_jobs;
    QLabel* m_heading;
    QFormLayout* m_form;
    QList<QPair<QString, QLabel*>> m_fields;
};

}  // namespace distill::widgets
