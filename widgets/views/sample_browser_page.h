// SampleBrowserPage: the review page — filter bar, lazy sample table sorted by the store, and the
// detail pane. Keys: A accept, R reject, F flag, J/K next/previous, Ctrl+Z / Ctrl+Shift+Z undo/redo.
#pragma once

#include "widgets/views/page.h"

#include "core/store/sample_query.h"

class QAction;
class QLabel;
class QTableView;
class QUndoStack;

namespace distill::widgets {

class BackgroundRead;
class SampleDetailPane;
class SampleFilterBar;
class SampleTableModel;

class SampleBrowserPage : public Page {
    Q_OBJECT
public:
    explicit SampleBrowserPage(QWidget* parent = nullptr);

    QString title() const override;
    void setWorkspace(store::Workspace* workspace) override;
    void reload() override;
    void setSourceCounts(const QVariantList& sources) override;

    // The current filter and sort (the recipe a freeze would use).
    const store::SampleQuery& query() const;
    // Selects a loaded row (fetching pages as needed); false when out of range.
    bool selectRow(int row);
    int currentRow() const;

    SampleTableModel* model() const { return m_model; }
    QTableView* table() const { return m_table; }
    SampleDetailPane* detail() const { return m_detail; }
    SampleFilterBar* filterBar() const { return m_filters; }
    QUndoStack* undoStack() const { return m_undo; }

    void acceptCurrent();
    void rejectCurrent();
    void flagCurrent();
    void next();
    void previous();

private:
    void applyFilters();

    void showCurrent();
    void setCurrentStatus(store::SampleStatus status);
    void onSampleChanged(qint64 id, const QString& error);
    void updateCount();
    // Refreshes the reject-reason filter choices on a worker thread.
    void readRejectReasons();
    QAction* addShortcut(const QString& text, const QKeySequence& key, void (SampleBrowserPage::*slot)());

    store::Workspace* m_workspace = nullptr;
    SampleTableModel* m_model;
    SampleFilterBar* m_filters;
    QTableView* m_table;
    SampleDetailPane* m_detail;
    QLabel* m_count;
    QUndoStack* m_undo;
    BackgroundRead* m_reasonsReader;
};

}  // namespace distill::widgets
