// SampleFilterBar: the sample browser's filters — full-text search (store FTS5), verdict, status,
// source, reject reason, a thinking-length range and a range on one readability score — edited as a
// store::SampleQuery (sorting stays with the table). Two rows: search and choices, then ranges.
#pragma once

#include "core/store/sample_query.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QLineEdit;
class QSpinBox;
class QTimer;

namespace distill::widgets {

class SampleFilterBar : public QWidget {
    Q_OBJECT
public:
    explicit SampleFilterBar(QWidget* parent = nullptr);

    // Fills the source combo (keeps the current choice when it still exists).
    void setSources(const QStringList& sources);
    // Fills the reject-reason combo from (reason, samples) pairs; keeps the current choice.
    void setRejectReasons(const QList<QPair<QString, qint64>>& reasons);
    // Writes the filter fields into `query` (leaves its sort alone).
    void applyTo(store::SampleQuery& query) const;
    void clear();

    QLineEdit* searchEdit() const { return m_search; }
    QComboBox* verdictCombo() const { return m_verdict; }
    QComboBox* statusCombo() const { return m_status; }
    QComboBox* sourceCombo() const { return m_source; }
    QSpinBox* minTokensSpin() const { return m_minTokens; }
    QSpinBox* maxTokensSpin() const { return m_maxTokens; }
    QComboBox* reasonCombo() const { return m_reason; }
    QComboBox* scoreCombo() const { return m_score; }
    QDoubleSpinBox* minScoreSpin() const { return m_minScore; }
    QDoubleSpinBox* maxScoreSpin() const { return m_maxScore; }

    static constexpr int kTypingDelayMs = 250;

signals:
    // A filter changed (text edits are debounced by kTypingDelayMs).
    void changed();

private:
    QLineEdit* m_search;
    QComboBox* m_verdict;
    QComboBox* m_status;
    QComboBox* m_source;
    QSpinBox* m_minTokens;
    QSpinBox* m_maxTokens;
    QComboBox* m_reason;
    QComboBox* m_score;
    QDoubleSpinBox* m_minScore;
    QDoubleSpinBox* m_maxScore;
    QTimer* m_typing;

    void updateScoreUnits();
};

}  // namespace distill::widgets
