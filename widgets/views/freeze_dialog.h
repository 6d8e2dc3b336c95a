// FreezeDialog: freeze the samples matching the browser's current filter into a named dataset
// (the filter is saved as its recipe) and optionally export it to a training file. The count, the
// freeze and the export are JobTracker jobs, off the GUI thread.
#pragma once

#include "core/store/sample_query.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QProgressBar;
class QPushButton;

namespace distill::widgets {

class JobTracker;

class FreezeDialog : public QDialog {
    Q_OBJECT
public:
    // Counts the recipe's samples and reads the datasets' names off the GUI thread (ready()).
    FreezeDialog(const QString& workspacePath, const store::SampleQuery& recipe, QWidget* parent = nullptr);

    void setName(const QString& name);
    // Empty path = freeze without exporting.
    void setExportFile(const QString& path);
    // Starts the freeze (then the export when a file is set). False with a message when it cannot
    // start: no name, a name already taken, the count not read yet, or a freeze still running.
    bool freeze();
    // The count and the dataset names have been read.
    bool isReady() const { return m_ready; }
    bool isExporting() const;
    QLabel* statusLabel() const { return m_status; }

signals:
    void ready();
    void frozen(const QString& name);
    void exportFinished(const QString& path, quint64 records, const QString& error);

private:
    void browse();
    void startExport(const QString& name);

    store::SampleQuery m_recipe;
    JobTracker* m_jobs;
    bool m_ready = false;
    bool m_busy = false;  // a freeze or an export is running
    QStringList m_taken;  // names of the datasets already frozen
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
