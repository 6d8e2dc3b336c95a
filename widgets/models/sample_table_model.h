// SampleTableModel: the sample browser's lazy table over a workspace. Rows arrive in pages of 200
// through canFetchMore/fetchMore, read off the GUI thread; filtering and sorting re-run the store
// query (ORDER BY), never a proxy.
#pragma once

#include "core/store/sample_query.h"

#include "widgets/models/paged_table_model.h"

#include <vector>

namespace distill::widgets {

class SampleTableModel : public PagedRowsModel<store::SampleRow> {
    Q_OBJECT
public:
    // Column order equals store::SampleColumn so a column index is also the sort key.
    enum Column {
        Id, Problem, Verdict, Status, ThinkingTokens, AnswerTokens, Origin, Flags, RejectReason, LanguageMix,
        ParagraphWords, Repetition, ColumnCount
    };
    enum Role { SampleIdRole = Qt::UserRole + 1, StatusRole, VerdictRole, SourceRole, FlagsJsonRole };

    explicit SampleTableModel(QObject* parent = nullptr);

    // Replaces filter and sort; the first page of the new query replaces the rows when it arrives.
    void setQuery(const store::SampleQuery& query);
    const store::SampleQuery& query() const { return m_query; }
    // Re-runs the current query (after imports or other writers).
    void reload();
    // Takes verdict, status, tokens, reason and flags of a sample as stored after a change into its
    // loaded row, if any.
    void updateSample(const store::Sample& sample);

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
    RowSource rowSource() const override;

private:
    store::SampleQuery m_query;
};

}  // namespace distill::widgets
