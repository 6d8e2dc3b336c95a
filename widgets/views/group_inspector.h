// GroupInspector: one GRPO step of a run, read from the run folder's groups/step_*.jsonl: each
// prompt with its reference answer and its G completions side by side in a grid, each with its
// total reward, per-function scores and advantage (tinted by the advantage's sign).
#pragma once

#include <QWidget>

class QComboBox;
class QLabel;
class QScrollArea;

namespace distill::widgets {

class GroupInspector : public QWidget {
    Q_OBJECT
public:
    explicit GroupInspector(QWidget* parent = nullptr);

    // Lists the run folder's steps and shows the last one (empty folder: nothing).
    void setRunFolder(const QString& folder);
    // Re-lists the steps (a running job adds one per step), keeping the shown step.
    void refreshSteps();
    void showStep(qint64 step);
    qint64 currentStep() const;
    int shownPrompts() const { return m_shownPrompts; }
    int shownCompletions() const { return m_shownCompletions; }

    static constexpr int kColumns = 4;  // completions per row of a prompt's grid

private:
    QString m_folder;
    QComboBox* m_steps;
    QLabel* m_info;
    QScrollArea* m_scroll;
    int m_shownPrompts = 0;
    int m_shownCompletions = 0;
};

}  // namespace distill::widgets
