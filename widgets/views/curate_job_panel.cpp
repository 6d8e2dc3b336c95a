// CurateJobPanel implementation.
#include "widgets/views/curate_job_panel.h"

#include "widgets/models/curate_spec.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/run_spec.h"

#include <QCheckBox>
#include <QComboBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QListWidget>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QSpinBox>
#include <QTableView>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace distill::widgets {

namespace {

// "a 3, b 1" from a JSON object of counts, largest first.
QString countsText(const QJsonObject& counts)
{
    QList<QPair<qint64, QString>> items;
    for (auto it = counts.begin(); it != counts.end(); ++it)
        items.append({it.value().toInteger(), it.key()});
    std::sort(items.begin(), items.end(), [](const auto& a, const auto& b) { return a.first > b.first; });
    QStringList parts;
    for (const auto& [count, name] : items)
        parts << QStringLiteral("%1 %2").arg(name).arg(count);
    return parts.join(QLatin1String(", "));
}

}  // namespace

CurateJobPanel::CurateJobPanel(QWidget* parent)
    : QWidget(parent), m_controller(new RunController(this)), m_runs(new RunListModel(this))
{
    m_sources = new QListWidget(this);
    m_sources->setObjectName(QStringLiteral("curateSources"));
    m_sources->setMaximumHeight(110);
    m_sources->setToolTip(tr("Sources whose teacher samples are curated; none checked: every source but the bundled benchmarks."));
    m_verify = new QCheckBox(tr("Grade answers against the reference answers"), this);
    m_verify->setChecked(true);
    m_dedup = new QCheckBox(tr("Remove duplicate samples and problems (exact and MinHash)"), this);
    m_dedup->setChecked(true);
    m_decontaminate = new QCheckBox(tr("Remove problems that overlap a benchmark (8-grams)"), this);
    m_decontaminate->setChecked(true);
    m_keepPerProblem = new QSpinBox(this);
    m_keepPerProblem->setRange(0, 1000);
    m_keepPerProblem->setValue(1);
    m_keepPerProblem->setSpecialValueText(tr("all"));
    m_keepPerProblem->setToolTip(tr("Correct, readable samples kept per problem, shortest thinking first (0: all)."));
    m_difficulty = new QComboBox(this);
    m_difficulty->addItem(tr("Teacher pass rate between 20 % and 80 %"), int(text::DifficultyMode::PassRateBand));
    m_difficulty->addItem(tr("Problems a reference model got wrong"), int(text::DifficultyMode::ReferenceWrong));
    m_difficulty->addItem(tr("No difficulty filter"), int(text::DifficultyMode::None));
    m_targetSize = new QSpinBox(this);
    m_targetSize->setRange(0, 10'000'000);
    m_targetSize->setSpecialValueText(tr("all"));
    m_targetSize->setToolTip(tr("Problems selected, spread over domains (0: every problem that passes)."));
    m_dryRun = new QCheckBox(tr("Dry run: count only, write nothing"), this);
    m_dryRun->setObjectName(QStringLiteral("dryRun"));
    m_threads = new QSpinBox(this);
    m_threads->setRange(0, 256);
    m_threads->setSpecialValueText(tr("all cores"));

    auto* form = new QFormLayout;
    form->addRow(tr("Sources"), m_sources);
    form->addRow(QString(), m_verify);
    form->addRow(QString(), m_dedup);
    form->addRow(QString(), m_decontaminate);
    form->addRow(tr("Samples per problem"), m_keepPerProblem);
    form->addRow(tr("Difficulty"), m_difficulty);
    form->addRow(tr("Problems to select"), m_targetSize);
    form->addRow(tr("Threads"), m_threads);
    form->addRow(QString(), m_dryRun);
    auto* note = new QLabel(tr("The readability thresholds are those of the Thresholds tab. Kept samples become "
                               "accepted, all others rejected with their reason."),
                            this);
    note->setWordWrap(true);
    form->addRow(note);

    m_start = new QPushButton(tr("Run curation"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    connect(m_start, &QPushButton::clicked, this, &CurateJobPanel::startJob);
    connect(m_stop, &QPushButton::clicked, this, &CurateJobPanel::stopJob);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);

    m_progress = new QProgressBar(this);
    m_progress->setFormat(QStringLiteral("%v / %m"));
    m_progress->setRange(0, 1);
    m_progress->setValue(0);
    m_progress->setTextVisible(false);  // until a job runs
    m_state = new QLabel(tr("Not running."), this);
    m_state->setWordWrap(true);
    m_summary = new QPlainTextEdit(this);
    m_summary->setReadOnly(true);
    m_summary->setPlaceholderText(tr("The summary of the last curation job appears here."));

    m_runs->setKinds({QStringLiteral("curate")});
    m_runs->setCheckable(false);
    m_runTable = new QTableView(this);
    m_runTable->setModel(m_runs);
    m_runTable->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_runTable->verticalHeader()->hide();
    m_runTable->horizontalHeader()->setStretchLastSection(true);
    m_runTable->setColumnHidden(RunListModel::Best, true);
    m_runTable->setMaximumHeight(130);

    auto* left = new QVBoxLayout;
    left->addLayout(form);
    left->addLayout(buttons);
    left->addWidget(m_progress);
    left->addWidget(m_state);
    left->addStretch(1);
    auto* right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("Summary"), this));
    right->addWidget(m_summary, 1);
    right->addWidget(new QLabel(tr("Curation runs"), this));
    right->addWidget(m_runTable);
    auto* layout = new QHBoxLayout(this);
    layout->addLayout(left, 1);
    layout->addLayout(right, 1);

    connect(m_controller, &RunController::started, this, [this](int jobId, qint64 runId) {
        if (jobId != m_jobId)
            return;
        m_state->setText(tr("Curation run #%1: grading the samples…").arg(runId));
        m_runs->refresh();
    });
    connect(m_controller, &RunController::progress, this, [this](int jobId, qint64 done, qint64 total, double eta) {
        if (jobId != m_jobId)
            return;
        m_progress->setRange(0, int(std::min<qint64>(std::max<qint64>(total, 1), INT_MAX)));
        m_progress->setValue(int(std::min<qint64>(done, INT_MAX)));
        m_state->setText(tr("Graded %1 of %2 samples, %3 s left.")
                             .arg(done)
                             .arg(total)
                             .arg(std::isfinite(eta) ? QString::number(eta, 'f', 0) : QStringLiteral("–")));
    });
    connect(m_controller, &RunController::error, this,
            [this](int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal) {
                if (jobId == m_jobId && fatal)
                    m_state->setText(tr("Error (%1): %2 %3").arg(code, detail, hint));
            });
    connect(m_controller, &RunController::finished, this,
            [this](int jobId, const QString& status, const QJsonObject& summary) {
                if (jobId != m_jobId)
                    return;
                setRunning(false);
                m_runs->refresh();
                if (!summary.isEmpty())
                    m_summary->setPlainText(summaryText(summary));
                if (status == QLatin1String("finished"))
                    m_progress->setValue(m_progress->maximum());
                if (status != QLatin1String("failed"))
                    m_state->setText(tr("Curation run #%1 %2.").arg(m_controller->runId()).arg(status));
                emit statusMessage(m_state->text());
                emit jobFinished(status, m_runningDry);
            });
    setRunning(false);
}

void CurateJobPanel::setWorkspacePath(const QString& path)
{
    if (m_controller->isRunning() && path != m_workspacePath)
        m_controller->stop(5000);
    m_workspacePath = path;
    m_runs->setWorkspacePath(path);
    setRunning(m_controller->isRunning());
}

void CurateJobPanel::setSources(const QStringList& sources)
{
    QStringList checked;
    for (int i = 0; i < m_sources->count(); ++i)
        if (m_sources->item(i)->checkState() == Qt::Checked)
            checked << m_sources->item(i)->text();
    m_sources->clear();
    for (const QString& name : sources) {
        auto* item = new QListWidgetItem(name, m_sources);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(checked.contains(name) ? Qt::Checked : Qt::Unchecked);
    }
}

QJsonObject CurateJobPanel::spec() const
{
    text::CurationRecipe recipe;
    for (int i = 0; i < m_sources->count(); ++i)
        if (m_sources->item(i)->checkState() == Qt::Checked)
            recipe.sources.push_back(m_sources->item(i)->text().toStdString());
    recipe.verify = m_verify->isChecked();
    recipe.filters = m_filters;
    recipe.dedup.exact = recipe.dedup.nearSamples = recipe.dedup.nearProblems = m_dedup->isChecked();
    recipe.decontamination.enabled = m_decontaminate->isChecked();
    recipe.rejection.keepPerProblem = std::size_t(m_keepPerProblem->value());
    recipe.selection.difficulty = text::DifficultyMode(m_difficulty->currentData().toInt());
    recipe.selection.targetSize = std::size_t(m_targetSize->value());
    return curateSpec(recipe, m_dryRun->isChecked(), m_threads->value());
}

bool CurateJobPanel::startJob()
{
    if (m_workspacePath.isEmpty() || m_controller->isRunning())
        return false;
    const QString specPath = writeSpecFile(m_workspacePath + QStringLiteral(".runs/specs"), QStringLiteral("curate"), spec());
    if (specPath.isEmpty()) {
        emit statusMessage(tr("Could not write the job spec next to the workspace."));
        return false;
    }
    m_runningDry = m_dryRun->isChecked();
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(true);
    m_state->setText(tr("Starting…"));
    m_jobId = m_controller->start(specPath, m_workspacePath);
    setRunning(true);
    return true;
}

void CurateJobPanel::stopJob()
{
    m_controller->stop(30'000);
    m_state->setText(tr("Stopping: nothing is written when the job stops before its write-back."));
}

void CurateJobPanel::setRunning(bool running)
{
    m_start->setEnabled(!running && !m_workspacePath.isEmpty());
    m_stop->setEnabled(running);
}

QString CurateJobPanel::summaryText() const
{
    return m_summary->toPlainText();
}

QString CurateJobPanel::summaryText(const QJsonObject& summary)
{
    const QJsonObject problems = summary.value(QLatin1String("problems")).toObject();
    const QJsonObject samples = summary.value(QLatin1String("samples")).toObject();
    QStringList lines;
    if (summary.value(QLatin1String("dry_run")).toBool())
        lines << tr("Dry run: nothing was written.");
    if (summary.value(QLatin1String("stopped")).toBool())
        lines << tr("Stopped before the write-back: nothing was written.");
    lines << tr("Samples: %1 kept of %2.")
                 .arg(samples.value(QLatin1String("kept")).toInteger())
                 .arg(samples.value(QLatin1String("total")).toInteger());
    const QString rejected = countsText(samples.value(QLatin1String("rejected")).toObject());
    if (!rejected.isEmpty())
        lines << tr("Rejected by reason: %1.").arg(rejected);
    const QString verdicts = countsText(samples.value(QLatin1String("verdicts")).toObject());
    if (!verdicts.isEmpty())
        lines << tr("Verdicts: %1.").arg(verdicts);
    lines << tr("Problems: %1 selected of %2; %3 overlap a benchmark, %4 duplicates.")
                 .arg(problems.value(QLatin1String("selected")).toInteger())
                 .arg(problems.value(QLatin1String("total")).toInteger())
                 .arg(problems.value(QLatin1String("contaminated")).toInteger())
                 .arg(problems.value(QLatin1String("duplicates")).toInteger());
    const QString notSelected = countsText(problems.value(QLatin1String("not_selected")).toObject());
    if (!notSelected.isEmpty())
        lines << tr("Problems not selected, by reason: %1.").arg(notSelected);
    return lines.join(QLatin1Char('\n'));
}

}  // namespace distill::widgets
