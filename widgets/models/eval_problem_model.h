// The drill-down of one evaluation (run, checkpoint, benchmark): EvalProblemModel lists its
// problems (question, responses, correct count, extracted answers) and EvalResponseModel the
// stored responses of one problem (sample index, extracted answer, verdict, length).
#pragma once

#include <QAbstractTableModel>
#include <QMetaType>
#include <QVector>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

struct EvalResponse {
    qint64 sampleIndex = 0;
    QString answer;  // extracted answer; empty when none was found
    bool correct = false;
    qint64 tokens = 0;
};

struct EvalProblemEntry {
    qint64 problemId = 0;
    QString question;
    QString reference;
    QVector<EvalResponse> responses;  // by sample index
    int correct() const;
};

struct EvalDrilldown {
    qint64 runId = 0;
    QString checkpoint, benchmark;
    QVector<EvalProblemEntry> problems;  // by problem id
};

// The stored responses of one evaluation with their problems' texts (run as a JobTracker job).
EvalDrilldown readEvalDrilldown(const store::Workspace& workspace, qint64 runId, const QString& checkpoint,
                                const QString& benchmark);

class EvalProblemModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Problem, Question, Responses, Correct, Answers, Reference, ColumnCount };
    enum Role { SortRole = Qt::UserRole + 1 };

    explicit EvalProblemModel(QObject* parent = nullptr);

    void setDrilldown(EvalDrilldown drilldown);
    const EvalDrilldown& drilldown() const { return m_drilldown; }
    const EvalProblemEntry* problem(int row) const;
    // "3 ×3, 5 ×1, (none) ×1": the distinct extracted answers (as written), most frequent first,
    // ties in order of first appearance.
    static QString answerCounts(const QVector<EvalResponse>& responses);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    EvalDrilldown m_drilldown;
};

class EvalResponseModel : public QAbstractTableModel {
    Q_OBJECT
public:
    enum Column { Sample, Answer, Verdict, Tokens, ColumnCount };

    explicit EvalResponseModel(QObject* parent = nullptr);

    void setResponses(QVector<EvalResponse> responses);
    static QString verdictText(bool correct);

    int rowCount(const QModelIndex& parent = {}) const override;
    int columnCount(const QModelIndex& parent = {}) const override;
    QVariant data(const QModelIndex& index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

private:
    QVector<EvalResponse> m_responses;
};

}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::widgets::EvalDrilldown)
