// PagedTableModel: the lazy-paging half of the browser tables. Rows come from a store query in
// pages of kPageSize through canFetchMore/fetchMore; the total comes from a count query. Every
// query runs as a JobTracker job on a worker thread; the rows arrive as a model reset (count and
// first page) or an insertion (a further page). Subclasses say how to count and read their rows.
#pragma once

#include "widgets/models/job_tracker.h"

#include <QAbstractTableModel>

#include <functional>
#include <memory>
#include <vector>

namespace distill::widgets {

class PagedTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    static constexpr int kPageSize = 200;

    explicit PagedTableModel(QObject* parent = nullptr);

    // The workspace file the rows are read from; empty: none (the model is empty). Reads the rows.
    void setWorkspacePath(const QString& path);
    // The rows' reads (tests wait on it; the owner may run its own jobs elsewhere).
    JobTracker* jobs() const { return m_jobs; }
    // A count or a page is being read.
    bool isLoading() const;

    qint64 totalCount() const { return m_total; }
    int rowCount(const QModelIndex& parent = {}) const override;
    // False while a read is running: the next page is asked for when the rows have arrived.
    bool canFetchMore(const QModelIndex& parent) const override;
    // Starts reading the next page; the rows are inserted when they arrive.
    void fetchMore(const QModelIndex& parent) override;

signals:
    void totalCountChanged(qint64 total);
    // A store call failed; the text is ready for the user.
    void errorOccurred(const QString& message);
    // Rows arrived: a reload replaced them (after modelReset) or a page was appended.
    void rowsLoaded();

protected:
    // Reads the count and the first page again; the rows shown stay until the new ones arrive.
    void reloadRows();

    // The read of rows [offset, offset + limit) (and of their count with `count`) as it stands now:
    // it runs on a worker, so it holds copies of the model's query.
    virtual JobTracker::Work pageRead(bool count, qint64 offset, int limit) const = 0;
    // Moves a page read's rows into a staging buffer; returns how many and sets `total` when counted.
    virtual int stagePage(const QVariant& page, qint64& total) = 0;
    virtual void commitPage() = 0;  // staging buffer -> rows
    virtual void clearRows() = 0;
    virtual int loadedRows() const = 0;

private:
    void onRows(bool reset, const QVariant& result, const QString& error);
    void empty();

    JobTracker* m_jobs;
    qint64 m_total = 0;
    bool m_changing = false;  // a reset or insert is being announced
};

// PagedTableModel that keeps its rows as a vector of a store row type.
template <typename Row>
class PagedRowsModel : public PagedTableModel {
public:
    using PagedTableModel::PagedTableModel;

protected:
    // How the rows are counted and read, bound to copies of the model's current query.
    struct RowSource {
        std::function<qint64(const store::Workspace&)> count;
        std::function<std::vector<Row>(const store::Workspace&, qint64 offset, int limit)> page;
    };
    virtual RowSource rowSource() const = 0;

    const Row* rowAt(int row) const { return row >= 0 && row < loadedRows() ? &m_rows[std::size_t(row)] : nullptr; }
    Row* rowAt(int row) { return row >= 0 && row < loadedRows() ? &m_rows[std::size_t(row)] : nullptr; }
    const std::vector<Row>& rows() const { return m_rows; }

    JobTracker::Work pageRead(bool count, qint64 offset, int limit) const override
    {
        return [source = rowSource(), count, offset, limit](JobContext& job) {
            const store::Workspace& workspace = job.reader();
            auto page = std::make_shared<Page>();
            if (count)
                page->total = source.count(workspace);
            page->rows = source.page(workspace, offset, limit);
            return QVariant::fromValue(page);
        };
    }
    int stagePage(const QVariant& result, qint64& total) override
    {
        const auto page = result.value<std::shared_ptr<Page>>();
        total = page->total;
        m_page = std::move(page->rows);
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
    struct Page {
        qint64 total = -1;
        std::vector<Row> rows;
    };
    std::vector<Row> m_rows;
    std::vector<Row> m_page;
};

}  // namespace distill::widgets
