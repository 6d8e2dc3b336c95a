// SampleTableModel: the sample browser's lazy table over a workspace. Rows arrive in pages of 200
// through canFetchMore/fetchMore; filtering and sorting re-run the store query (ORDER BY), never a proxy.
#pragma once

#include "core/store/sample_query.h"

#include "widgets/models/paged_table_model.h"

#include <vector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class SampleTableModel : public PagedRowsModel<store::SampleRow> {
    Q_OBJECT
public:
    // Column order equals store::SampleColumn so a column index is also the sort key.
    enum Column {
        Id, Problem, Verdict, Status, ThinkingTokens, AnswerTokens, Origin, Flags, RejectReason, LanguageMix,
        ParagraphWords, Repetition, ColumnCount
    };
    enum Role { SampleIdRole = Qt::UserRole + 1, StatusRole, VerdictRole, SourceRole };

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

    qint64 sampleId(int row) const;
    int rowOfSample(qint64 id) const;  // among the loaded rows; -1 if not loaded

    static QString verdictText(store::Verdict verdict);
    static QString statusText(store::SampleStatus status);
    static QString originText(store::Origin origin);
    // Flags JSON as short text: "flagged, dup, readability 0.8".
    static QString flagsText(const std::string& flagsJson);
    // A readability score column (LanguageMix, ParagraphWords, Repetition) of the flags JSON's
    // "filters" as shown: shares in percent, words as a count; empty when the sample has no score.
    static QString scoreText(const std::string& flagsJson, Column column);

    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;
    void sort(int column, Qt::SortOrder order = Qt::AscendingOrder) override;

protected:
    bool hasSource() const override { return m_workspace != nullptr; }
    qint64 countRows() const override;
    std::vector<store::SampleRow> queryPage(qint64 offset, int limit) const override;

private:
    store::Workspace* m_workspace = nullptr;
    store::SampleQuery m_query;
};

}  // namespace distill::widgets
