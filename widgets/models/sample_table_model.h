// SampleTableModel: the sample browser's lazy table over a workspace. Rows arrive in pages of 200
// through canFetchMore/fetchMore; filtering and sorting re-run the store query (ORDER BY), never a proxy.
#pragma once

#include "core/store/sample_query.h"

#include <QAbstractTableModel>

#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class SampleTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    // Column order equals store::SampleColumn so a column index is also the sort key.
    enum Column { Id, Problem, Verdict, Status, ThinkingTokens, AnswerTokens, Origin, Flags, ColumnCount };
    enum Role { SampleIdRole = Qt::UserRole + 1, StatusRole, VerdictRole, SourceRole };
    static constexpr int kPageSize = 200;

    explicit SampleTableModel(QObject* parent = nullptr);

    // The workspace must outlive the model or be replaced first; nullptr empties the model.
    void setWorkspace(store::Workspace* workspace);
    store::Workspace* workspace() const { return m_workspace; }
    // Replaces filter and sort; resets to the first page.
    void setQuery(const store::SampleQuery& query);
    const store::SampleQuery& query() const { return m_query; }
    // Re-runs the current query (after imports or other writers).
    void reload();
    // Re-reads verdict, status, tokens and flags of a loaded row after it was changed.
    void refreshRow(int row);

    qint64 totalCount() const { return m_total; }
    qint64 sampleId(int row) const;
    int rowOfSample(qint64 id) const;  // among the loaded rows; -1 if not loaded

    static QString verdictText(store::Verdict verdict);
    static QString statusText(store::SampleStatus status);
    static QString originText(store::Origin origin);
    // Flags JSON as short text: "flagged, dup, readability 0.8".
    static QString flagsText(const std::string& flagsJson);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

signals:
    void totalCountChanged(qint64 total);
    // A store call failed; the text is ready for the user.
    void errorOccurred(const QString& message);

private:
    void resetRows();

    store::Workspace* m_workspace = nullptr;
    store::SampleQuery m_query;
    qint64 m_total = 0;
    bool m_changing = false;  // a reset or insert is in progress
    std::vector<store::SampleRow> m_rows;
};

}  // namespace distill::widgets
