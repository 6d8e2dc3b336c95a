// ImportDialog: pick a file, see its first records as the importer reads them (format auto-detected
// or overridden; read off the GUI thread), then import off the GUI thread with progress, ETA,
// cancel and a list of bad lines.
#pragma once

#include "core/util/progress.h"
#include "core/formats/importer.h"

#include <QDialog>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QProgressBar;
class QPushButton;
class QTableWidget;
class QTreeWidget;

namespace distill::widgets {

class ImportJob;
struct ImportPreview;
class JobTracker;

class ImportDialog : public QDialog {
    Q_OBJECT
public:
    explicit ImportDialog(const QString& workspacePath, QWidget* parent = nullptr);
    ~ImportDialog() override;

    // Sets the file and reads the preview again (previewShown once it is in the table).
    void setFile(const QString& path);
    void setFormat(formats::RecordFormat format);
    void startImport();
    void cancelImport();
    bool isImporting() const;

    QComboBox* formatCombo() const { return m_format; }
    QTableWidget* previewTable() const { return m_preview; }
    QTreeWidget* errorList() const { return m_errors; }
    QProgressBar* progressBar() const { return m_progress; }
    QLabel* statusLabel() const { return m_status; }
    // The report of the last finished import.
    const std::optional<formats::ImportReport>& lastReport() const { return m_report; }

signals:
    void previewShown();
    // An import finished and wrote to the workspace.
    void imported(const distill::formats::ImportReport& report);

protected:
    void reject() override;

private:
    void browse();
    void refreshPreview();
    void showPreview(const ImportPreview& preview);
    formats::ImportOptions options() const;
    void showErrors(const std::vector<formats::ImportError>& errors);
    void onProgress(quint64 jobId, quint64 done, quint64 total);
    void onFinished(quint64 jobId, const formats::ImportReport& report, const QString& error);
    void setRunning(bool running);

    QString m_workspacePath;
    ImportJob* m_job;
    JobTracker* m_previews;
    quint64 m_jobId = 0;
    EtaEstimator m_eta{10.0};
    std::optional<formats::ImportReport> m_report;

    QLineEdit* m_file;
    QComboBox* m_format;
    QComboBox* m_target;
    QLineEdit* m_source;
    QLabel* m_detected;
    QTableWidget* m_preview;
    QProgressBar* m_progress;
    QLabel* m_status;
    QTreeWidget* m_errors;
    QPushButton* m_import;
    QPushButton* m_cancel;
    QPushButton* m_close;
};

}  // namespace distill::widgets
