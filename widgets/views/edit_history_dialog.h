// EditHistoryDialog: the edits of one sample's thinking and answer, oldest first (time and field in a
// list, the text before and after the selected edit side by side).
#pragma once

#include "core/store/records.h"

#include <QDialog>

#include <vector>

class QListWidget;
class QPlainTextEdit;

namespace distill::widgets {

class EditHistoryDialog : public QDialog {
    Q_OBJECT
public:
    EditHistoryDialog(qint64 sampleId, std::vector<store::EditRecord> edits, QWidget* parent = nullptr);

    QListWidget* list() const { return m_list; }
    QPlainTextEdit* beforeView() const { return m_before; }
    QPlainTextEdit* afterView() const { return m_after; }

private:
    void showEdit(int row);

    std::vector<store::EditRecord> m_edits;
    QListWidget* m_list;
    QPlainTextEdit* m_before;
    QPlainTextEdit* m_after;
};

}  // namespace distill::widgets
