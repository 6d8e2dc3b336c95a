// SampleBrowserPage: the review page — filter bar, lazy sample table sorted by the store, the detail
// pane (an edit re-grades the sample; its edit history opens from the pane), and bulk actions on every
// sample matching the filter (accept, reject, tag, freeze as a dataset) with progress and undo.
// Keys: A accept, R reject, F flag, J/K next/previous, Ctrl+Z / Ctrl+Shift+Z undo/redo.
#pragma once

#include "widgets/models/sample_review.h"
#include "widgets/views/page.h"

#include "core/store/sample_query.h"

#include <QPointer>

class QAction;
class QLabel;
class QProgressBar;
class QPushButton;
class QTableView;
class QUndoStack;

namespace distill::widgets {

class EditHistoryDialog;
class JobTracker;
class SampleDetailPane;
class SampleFilterBar;
class SampleTableModel;

class SampleBrowserPage : public Page {
    Q_OBJECT
public:
    explicit SampleBrowserPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspacePath(const QString& path) override;
    void reload() override;
    void setSourceCounts(const QVariantList& sources) override;

    // The current filter and sort (the recipe a freeze would use).
    const store::SampleQuery& query() const;
    // Selects a loaded row. A row not loaded yet is selected once its page has been read (false now).
    bool selectRow(int row);
    int currentRow() const;

    SampleTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    SampleDetailPane* detail() const { return m_detail; }
    SampleFilterBar* filterBar() const { return m_filters; }
    QUndoStack* undoStack() const { return m_undo; }
    // The reads of the detail pane and the review writes (tests wait on its jobs).
    SampleReview* review() const { return m_review; }

    void acceptCurrent();
    void rejectCurrent();
    void flagCurrent();
    void next();
    void previous();

    // Bulk actions on every sample matching the current filter (one at a time; 0 while one runs).
    quint64 acceptAllMatching();
    quint64 rejectAllMatching();
    quint64 tagAllMatching(const QString& tag);
    void cancelBulk();
    bool bulkRunning() const { return m_bulkJob != 0; }
    // The edit history dialog last opened (null when closed).
    EditHistoryDialog* historyDialog() const;

signals:
    // "Freeze as dataset…" of the bulk menu: the main window opens its freeze dialog on query().
    void freezeRequested();
    // A bulk action, or its undo or redo, has been written and the rows read again.
    void bulkFinished();

private:
    void applyFilters();

    void showCurrent();
    void onModelReset();
    void onDetailRead(qint64 id, const SampleDetail& detail, const QString& error);
    void onSampleChanged(qint64 id, const SampleDetail& detail, const QString& error);
    void setCurrentStatus(store::SampleStatus status);
    void updateCount();
    // Refreshes the reject-reason filter choices off the GUI thread.
    void refreshRejectReasons();
    bool hasWorkspace() const;
    QAction* addShortcut(const QString& text, const QKeySequence& key, void (SampleBrowserPage::*slot)());
    quint64 startBulk(quint64 job, const QString& what);
    void onBulkDone(quint64 job, const BulkChange& change, bool undone, const QString& error);
    void confirmStatusForAll(store::SampleStatus status);

    qint64 m_shownId = -1;      // the sample the detail pane shows or is reading
    int m_pendingRow = -1;      // a row to select once its page has arrived
    bool m_selectFirst = false;  // a new filter: select the first row when the rows arrive
    SampleTableModel* m_model;
    SampleReview* m_review;
    JobTracker* m_jobs;
    SampleFilterBar* m_filters;
    QTableView* m_table;
    SampleDetailPane* m_detail;
    QLabel* m_count;
    QUndoStack* m_undo;
    quint64 m_bulkJob = 0;  // the bulk action running (its undo entry is pushed when it ends)
    QString m_bulkText;
    QProgressBar* m_bulkProgress;
    QPushButton* m_bulkCancel;
    QPointer<EditHistoryDialog> m_history;
};

}  // namespace distill::widgets
