// EvalResultsModel and the evaluation page's background read.
#include "widgets/models/eval_results_model.h"

#include "core/eval/stored_results.h"
#include "core/store/workspace.h"

#include <QSet>

#include <limits>
#include <map>
#include <set>
#include <tuple>

namespace distill::widgets {

namespace {

EvalRow makeRow(const store::Run& run, const eval::StoredProtocol& protocol, const std::string& checkpoint,
                const std::vector<store::EvalResult>& results)
{
    const eval::EvalSummary s = eval::summarizeStored(
        results, protocol.bootstrap, protocol.found ? std::optional<std::int64_t>(protocol.maxTokens) : std::nullopt);
    EvalRow row;
    row.runId = run.id;
    row.runName = QString::fromStdString(run.name);
    row.runKind = QString::fromUtf8(store::runKindName(run.kind));
    row.checkpoint = QString::fromStdString(checkpoint);
    row.step = eval::checkpointStep(checkpoint).value_or(-1);
    row.benchmark = QString::fromStdString(s.benchmark);
    row.problems = s.problems;
    row.samplesPerProblem = s.samplesPerProblem;
    row.responses = s.samples;
    row.pass1 = s.pass1.value;
    row.pass1Low = s.pass1.low;
    row.pass1High = s.pass1.high;
    if (const auto it = s.passAtK.find(s.samplesPerProblem); it != s.passAtK.end())
        row.passAtK = it->second.value;
    row.consAtK = s.consAtK.value;
    row.meanResponseTokens = s.responseTokens.value;
    row.truncatedShare = s.truncatedShare.value_or(-1.0);
    row.responseTokens.reserve(qsizetype(results.size()));
    for (const store::EvalResult& r : results)
        row.responseTokens.append(r.responseTokens);
    row.protocolKnown = protocol.found;
    row.maxThinkingTokens = protocol.maxThinkingTokens;
    row.keyWithoutBudget = QString::fromStdString(protocol.keyWithoutBudget);
    return row;
}

}  // namespace

EvalOverview readEvalOverview(const store::Workspace& workspace)
{
    EvalOverview out;
    const std::vector<store::Run> runs = workspace.runs();
    std::set<std::string> benchmarks;
    for (const store::Run& run : runs) {
        const std::vector<store::EvalResult> results = workspace.evalResults(run.id);
        if (results.empty())
            continue;
        const eval::StoredProtocol protocol = eval::readStoredProtocol(run.config);
        // (step, label, benchmark) -> rows: step-N labels in step order, other labels after them by name.
        std::map<std::tuple<std::int64_t, std::string, std::string>, std::vector<store::EvalResult>> groups;
        for (const store::EvalResult& r : results) {
            const std::int64_t step = eval::checkpointStep(r.checkpoint).value_or(std::numeric_limits<std::int64_t>::max());
            groups[{step, r.checkpoint, r.benchmark}].push_back(r);
        }
        for (const auto& [key, rows] : groups) {
            out.rows.append(makeRow(run, protocol, std::get<1>(key), rows));
            benchmarks.insert(std::get<2>(key));
        }
    }
    // Curves of every training run on every benchmark that has results (an eval job stores its
    // numbers at step 0: no curve over training steps).
    for (const store::Run& run : runs) {
        if (run.kind == store::RunKind::Eval)
            continue;
        QHash<QString, QVector<QPointF>> curves;
        for (const std::string& bench : benchmarks)
            for (const char* name : {"pass@1", "cons@k", "response_len"}) {
                const std::string metric = "eval/" + bench + "/" + name;
                QVector<QPointF> points;
                for (const store::Metric& m : workspace.metrics(run.id, metric))
                    points.append(QPointF(double(m.step), m.value));
                if (!points.isEmpty())
                    curves.insert(QString::fromStdString(metric), points);
            }
        if (!curves.isEmpty())
            out.curves.insert(run.id, curves);
    }
    for (const std::string& bench : benchmarks)
        out.benchmarks.append(QString::fromStdString(bench));
    return out;
}

QVector<BudgetSeries> budgetSweeps(const QVector<EvalRow>& rows)
{
    std::map<std::pair<QString, QString>, std::map<qint64, const EvalRow*>> groups;  // (benchmark, key) -> cap
    for (const EvalRow& r : rows)
        if (r.protocolKnown && r.maxThinkingTokens >= 0)
            groups[{r.benchmark, r.keyWithoutBudget}].emplace(r.maxThinkingTokens, &r);  // first row of a cap
    QVector<BudgetSeries> out;
    QSet<QString> names;
    for (const auto& [key, byCap] : groups) {
        if (byCap.size() < 2)
            continue;
        BudgetSeries series;
        series.benchmark = key.first;
        series.name = key.first + QLatin1Char(' ') + byCap.begin()->second->checkpoint;
        for (int n = 2; names.contains(series.name); ++n)  // same label, another protocol
            series.name = key.first + QLatin1Char(' ') + byCap.begin()->second->checkpoint + QStringLiteral(" (%1)").arg(n);
        names.insert(series.name);
        for (const auto& [cap, row] : byCap)
            series.points.append(QPointF(double(cap), row->pass1));
        out.append(std::move(series));
    }
    return out;
}

EvalResultsModel::EvalResultsModel(QObject* parent) : QAbstractTableModel(parent) {}

void EvalResultsModel::setRows(QVector<EvalRow> rows)
{
    beginResetModel();
    m_rows = std::move(rows);
    endResetModel();
}

const EvalRow* EvalResultsModel::row(int index) const
{
    return index >= 0 && index < m_rows.size() ? &m_rows[index] : nullptr;
}

int EvalResultsModel::rowCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : int(m_rows.size());
}

int EvalResultsModel::columnCount(const QModelIndex& parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EvalResultsModel::data(const QModelIndex& index, int role) const
{
    if (!index.isValid() || index.row() >= m_rows.size())
        return {};
    const EvalRow& r = m_rows[index.row()];
    if (role == RunIdRole)
        return r.runId;
    if (role == Qt::TextAlignmentRole)
        return index.column() >= Problems ? QVariant(Qt::AlignRight | Qt::AlignVCenter) : QVariant();
    if (role == SortRole) {
        switch (index.column()) {
        case Run: return r.runId;
        case Checkpoint: return r.step;
        case Benchmark: return r.benchmark;
        case Problems: return r.problems;
        case K: return r.samplesPerProblem;
        case Pass1: return r.pass1;
        case Pass1Interval: return r.pass1High - r.pass1Low;
        case PassAtK: return r.passAtK;
        case ConsAtK: return r.consAtK;
        case MeanTokens: return r.meanResponseTokens;
        case Truncated: return r.truncatedShare;
        }
        return {};
    }
    if (role == Qt::ToolTipRole) {
        if (index.column() == Truncated && r.truncatedShare < 0)
            return tr("The run's config names no token limit, so whether a stored response was cut off is unknown.");
        if (index.column() == Run)
            return tr("Run #%1 (%2)").arg(r.runId).arg(r.runKind);
        return {};
    }
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Run: return tr("#%1 %2").arg(r.runId).arg(r.runName);
    case Checkpoint: return r.checkpoint;
    case Benchmark: return r.benchmark;
    case Problems: return r.problems;
    case K: return r.samplesPerProblem;
    case Pass1: return QString::number(r.pass1, 'f', 3);
    case Pass1Interval: return tr("[%1, %2]").arg(r.pass1Low, 0, 'f', 3).arg(r.pass1High, 0, 'f', 3);
    case PassAtK: return QString::number(r.passAtK, 'f', 3);
    case ConsAtK: return QString::number(r.consAtK, 'f', 3);
    case MeanTokens: return QString::number(r.meanResponseTokens, 'f', 1);
    case Truncated:
        return r.truncatedShare < 0 ? tr("–") : tr("%1 %").arg(100.0 * r.truncatedShare, 0, 'f', 1);
    }
    return {};
}

QVariant EvalResultsModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || section < 0 || section >= ColumnCount)
        return {};
    if (role == Qt::DisplayRole) {
        switch (section) {
        case Run: return tr("Run");
        case Checkpoint: return tr("Checkpoint");
        case Benchmark: return tr("Benchmark");
        case Problems: return tr("Problems");
        case K: return tr("k");
        case Pass1: return tr("pass@1");
        case Pass1Interval: return tr("95% CI");
        case PassAtK: return tr("pass@k");
        case ConsAtK: return tr("cons@k");
        case MeanTokens: return tr("Mean tokens");
        case Truncated: return tr("Truncated");
        }
    }
    if (role == Qt::ToolTipRole) {
        switch (section) {
        case K: return tr("Responses per problem (the smallest count over the problems).");
        case Pass1: return tr("Mean over problems of the share of correct responses.");
        case Pass1Interval: return tr("Percentile bootstrap interval of pass@1, resampling problems.");
        case PassAtK: return tr("Chance that at least one of k responses is correct (the unbiased estimator).");
        case ConsAtK: return tr("Share of problems whose majority answer over the k responses is correct.");
        case MeanTokens: return tr("Mean over problems of the mean response length in tokens.");
        case Truncated: return tr("Share of responses that reached the token limit.");
        default: return {};
        }
    }
    return {};
}

}  // namespace distill::widgets
