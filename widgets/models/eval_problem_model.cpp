// EvalProblemModel, EvalResponseModel and the drill-down read.
#include "widgets/models/eval_problem_model.h"

#include "core/store/workspace.h"

#include <algorithm>
#include <map>

namespace distill::widgets {

namespace {

constexpr int kQuestionPreview = 160;

QString preview(const QString& text)
{
    QString flat = text.simplified();
    return flat.size() > kQuestionPreview ? flat.left(kQuestionPreview) + QStringLiteral("…") : flat;
}

}  // namespace

int EvalProblemEntry::correct() const
{
    return int(std::count_if(responses.begin(), responses.end(), [](const EvalResponse& r) { return r.correct; }));
}

EvalDrilldown readEvalDrilldown(const store::Workspace& workspace, qint64 runId, const QString& checkpoint,
                                const QString& benchmark)
{
    EvalDrilldown out;
    out.runId = runId;
    out.checkpoint = checkpoint;
    out.benchmark = benchmark;
    const std::string bench = benchmark.toStdString();
    std::map<std::int64_t, QVector<EvalResponse>> byProblem;
    for (const store::EvalResult& r : workspace.evalResults(runId, checkpoint.toStdString()))
        if (r.benchmark == bench)
            byProblem[r.problemId].append({r.sampleIndex, QString::fromStdString(r.extractedAnswer), r.correct,
                                           r.responseTokens});
    for (auto& [id, responses] : byProblem) {
        std::sort(responses.begin(), responses.end(),
                  [](const EvalResponse& a, const EvalResponse& b) { return a.sampleIndex < b.sampleIndex; });
        EvalProblemEntry entry;
        entry.problemId = id;
        if (const auto problem = workspace.problem(id)) {
            entry.question = QString::fromStdString(problem->question);
            entry.reference = QString::fromStdString(problem->referenceAnswer);
        }
        entry.responses = std::move(responses);
        out.problems.append(std::move(entry));
    }
    return out;
}

// ---- EvalProblemModel

EvalProblemModel::EvalProblemModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalProblemModel::setDrilldown(EvalDrilldown drilldown)
{
    beginResetModel();
    m_drilldown = std::move(drilldown);
    endResetModel();
}

const EvalProblemEntry* EvalProblemModel::problem(int row) const
{
    return row >= 0 && row < m_drilldown.problems.size() ? &m_drilldown.problems[row] : nullptr;
}

QString EvalProblemModel::answerCounts(const QVector<EvalResponse>& responses)
{
    QVector<QPair<QString, int>> counts;  // in order of first appearance
    for (const EvalResponse& r : responses) {
        auto it = std::find_if(counts.begin(), counts.end(), [&](const auto& c) { return c.first == r.answer; });
        if (it == counts.end())
            counts.append({r.answer, 1});
        else
            ++it->second;
    }
    std::stable_sort(counts.begin(), counts.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    QStringList parts;
    for (const auto& [answer, n] : counts)
        parts << tr("%1 ×%2").arg(answer.isEmpty() ? tr("(none)") : answer).arg(n);
    return parts.join(QStringLiteral(", "));
}

int EvalProblemModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_drilldown.problems.size());
}

int EvalProblemModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalProblemModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_drilldown.problems.size())
        return {};
    const EvalProblemEntry& p = m_drilldown.problems[index.row()];
    if (role == Qt::ToolTipRole && index.column() == Question)
        return p.question;
    if (role == Qt::TextAlignmentRole)
        return index.column() == Responses || index.column() == Correct || index.column() == Problem
                   ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                   : QVariant();
    if (role != Qt::DisplayRole && role != SortRole)
        return {};
    switch (index.column()) {
    case Problem: return p.problemId;
    case Question: return role == SortRole ? p.question : preview(p.question);
    case Responses: return qlonglong(p.responses.size());
    case Correct: return p.correct();
    case Answers: return answerCounts(p.responses);
    case Reference: return p.reference;
    }
    return {};
}

QVariant EvalProblemModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Problem: return tr("Problem");
    case Question: return tr("Question");
    case Responses: return tr("k");
    case Correct: return tr("Correct");
    case Answers: return tr("Extracted answers");
    case Reference: return tr("Reference");
    }
    return {};
}

// ---- EvalResponseModel

EvalResponseModel::EvalResponseModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalResponseModel::setResponses(QVector<EvalResponse> responses)
{
    beginResetModel();
    m_responses = std::move(responses);
    endResetModel();
}

QString EvalResponseModel::verdictText(bool correct)
{
    return correct ? tr("correct") : tr("incorrect");
}

int EvalResponseModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_responses.size());
}

int EvalResponseModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalResponseModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_responses.size())
        return {};
    const EvalResponse& r = m_responses[index.row()];
    if (role == Qt::TextAlignmentRole)
        return index.column() == Sample || index.column() == Tokens ? QVariant(Qt::AlignRight | Qt::AlignVCenter)
                                                                    : QVariant();
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Sample: return r.sampleIndex;
    case Answer: return r.answer.isEmpty() ? tr("(none)") : r.answer;
    case Verdict: return verdictText(r.correct);
    case Tokens: return r.tokens;
    }
    return {};
}

QVariant EvalResponseModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Sample: return tr("Sample");
    case Answer: return tr("Extracted answer");
    case Verdict: return tr("Verdict");
    case Tokens: return tr("Tokens");
    }
    return {};
}

}  // namespace distill::widgets
