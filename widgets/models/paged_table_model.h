// PagedTableModel: the lazy-paging half of the browser tables. Rows come from a store query in
// pages of kPageSize through canFetchMore/fetchMore; the total comes from a count query. Subclasses
// say how to count, fetch and keep a page of their row type.
#pragma once

#include <QAbstractTableModel>

#include <vector>

namespace distill::widgets {

class PagedTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPageSize = 200;

    using QAbstractTableModel::QAbstractTableModel;

    qint64 totalCount() const { return m_total; }
    int rowCount(const QModelIndex& parent = {}) const override;
    bool canFetchMore(const QModelIndex& parent) const override;
    void fetchMore(const QModelIndex& parent) override;

signals:
    void totalCountChanged(qint64 total);
    // A store call failed; the text is ready for the user.
    void errorOccurred(const QString& message);

protected:
    // Drops all rows and loads the count and first page again (a reset of the model).
    void reloadRows();
    // Reports a failed store call.
    void reportError(const std::exception& error);

    virtual bool hasSource() const = 0;                       // false: the model stays empty
    virtual qint64 countRows() const = 0;                     // may throw
    virtual int fetchPage(qint64 offset, int limit) = 0;     // into a staging buffer; may throw
    virtual void commitPage() = 0;                            // staging buffer -> rows
    virtual void clearRows() = 0;
    virtual int loadedRows() const = 0;

private:
    qint64 m_total = 0;
    bool m_changing = false;  // a reset or insert is being announced
};

// PagedTableModel that keeps its rows as a vector of a store row type.
template <typename Row>
class PagedRowsModel : public PagedTableModel {
public:
    using PagedTableModel::PagedTableModel;

protected:
    // One page of the query (may throw).
    virtual std::vector<Row> queryPage(qint64 offset, int limit) const = 0;

    const Row* rowAt(int row) const { return row >= 0 && row < loadedRows() ? &m_rows[std::size_t(row)] : nullptr; }
    Row* rowAt(int row) { return row >= 0 && row < loadedRows() ? &m_rows[std::size_t(row)] : nullptr; }
    const std::vector<Row>& rows() const { return m_rows; }

    int fetchPage(qint64 offset, int limit) override
    {
        m_page = queryPage(offset, limit);
        return int(m_page.size());
    }
    void commitPage() override
    {
        m_rows.insert(m_rows.end(), std::make_move_iterator(m_page.begin()), std::make_move_iterator(m_page.end()));
        m_page.clear();
    }
    void clearRows() override
    {
        m_rows.clear();
        m_rows.shrink_to_fit();
        m_page.clear();
    }
    int loadedRows() const override { return int(m_rows.size()); }

private:
    std::vector<Row> m_rows;
    std::vector<Row> m_page;
};

}  // namespace distill::widgets
