// SampleDetailPane: one sample as three readable blocks — question, thinking, answer — with the
// thinking and answer editable, an "edited" marker and a button that opens the edit history. Finished
// edits are reported as (field, before, after) so the browser can push them onto its undo stack; the
// pane itself never writes to the store.
#pragma once

#include "core/store/records.h"

#include <QWidget>

#include <optional>

class QLabel;
class QPlainTextEdit;
class QPushButton;
class QGroupBox;

namespace distill::widgets {

class SampleDetailPane : public QWidget {
    Q_OBJECT
public:
    explicit SampleDetailPane(QWidget* parent = nullptr);

    // Shows the sample (and its problem); nullopt clears the pane. Uncommitted edits are dropped,
    // so call commitEdits() first.
    void showSample(const std::optional<store::Sample>& sample, const std::optional<store::Problem>& problem);
    qint64 sampleId() const { return m_sample ? m_sample->id : -1; }
    // Emits editCommitted for every block whose text differs from the shown sample.
    void commitEdits();
    bool hasPendingEdits() const;

    QPlainTextEdit* questionView() const { return m_question; }
    QPlainTextEdit* thinkingEditor() const { return m_thinking; }
    QPlainTextEdit* answerEditor() const { return m_answer; }
    QPushButton* historyButton() const { return m_history; }
    // The shown sample carries the "edited" flag (its edit history is not empty).
    static bool isEdited(const std::string& flagsJson);

signals:
    void editCommitted(qint64 sampleId, distill::store::SampleField field, const QString& before, const QString& after);
    void historyRequested(qint64 sampleId);

protected:
    bool eventFilter(QObject* watched, QEvent* event) override;

private:
    QPlainTextEdit* makeBlock(const QString& objectName, const QColor& background, bool readOnly);
    void updateTitles();

    std::optional<store::Sample> m_sample;
    QString m_shownThinking;
    QString m_shownAnswer;
    QLabel* m_header;
    QLabel* m_reference;
    QPushButton* m_history;
    QGroupBox* m_questionBox;
    QGroupBox* m_thinkingBox;
    QGroupBox* m_answerBox;
    QPlainTextEdit* m_question;
    QPlainTextEdit* m_thinking;
    QPlainTextEdit* m_answer;
};

}  // namespace distill::widgets
