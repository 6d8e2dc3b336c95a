// FreezeDialog: freeze the samples matching the browser's current filter into a named dataset
// (the filter is saved as its recipe) and optionally export it to a training file off the GUI thread.
#pragma once

#include "core/store/sample_query.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;
class QThread;

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class FreezeDialog : public QDialog {
    Q_OBJECT
public:
    FreezeDialog(store::Workspace* workspace, const store::SampleQuery& recipe, QWidget* parent = nullptr);
    ~FreezeDialog() override;

    void setName(const QString& name);
    // Empty path = freeze without exporting.
    void setExportFile(const QString& path);
    // Freezes (and starts the export when a file is set). False with a message on failure.
    bool freeze();
    bool isExporting() const { return m_thread != nullptr; }
    QLabel* statusLabel() const { return m_status; }

signals:
    void frozen(const QString& name);
    void exportFinished(const QString& path, quint64 records, const QString& error);

private:
    void browse();
    void onExportDone(quint64 jobId, quint64 records, const QString& error);
    void onExportProgress(quint64 jobId, quint64 done, quint64 total);

    store::Workspace* m_workspace;
    store::SampleQuery m_recipe;
    quint64 m_jobId = 0;
    QThread* m_thread = nullptr;
    QString m_exportPath;

    QLineEdit* m_name;
    QPlainTextEdit* m_recipeView;
    QLabel* m_count;
    QComboBox* m_format;
    QLineEdit* m_file;
    QProgressBar* m_progress;
    QLabel* m_status;
    QPushButton* m_freeze;
};

}  // namespace distill::widgets
