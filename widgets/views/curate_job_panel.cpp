// CurateJobPanel implementation.
#include "widgets/views/curate_job_panel.h"

#include "widgets/models/job_spec.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/run_spec.h"
#include "widgets/views/job_form.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QPushButton>
#include <QTableView>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <climits>
#include <cmath>

namespace distill::widgets {

CurateJobPanel::CurateJobPanel(QWidget* parent)
    : QWidget(parent), m_form(new JobForm(QStringLiteral("curate"), this)), m_controller(new RunController(this)),
      m_runs(new RunListModel(this))
{
    m_form->setBrowse(QStringLiteral("decontamination.benchmarks_dir"), KeyField::Browse::Folder);
    auto* note = new QLabel(tr("The readability thresholds follow the Thresholds tab. Kept samples become "
                               "accepted, all others rejected with their reason."),
                            this);
    note->setWordWrap(true);

    m_preview = new QPushButton(tr("Preview stages"), this);
    m_preview->setObjectName(QStringLiteral("previewStages"));
    m_preview->setToolTip(tr("Two dry runs that write nothing: what each stage would remove and why."));
    m_start = new QPushButton(tr("Run curation"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    connect(m_preview, &QPushButton::clicked, this, &CurateJobPanel::startPreview);
    connect(m_start, &QPushButton::clicked, this, &CurateJobPanel::startJob);
    connect(m_stop, &QPushButton::clicked, this, &CurateJobPanel::stopJob);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_preview);
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

    m_stageTable = new QTableWidget(0, 4, this);
    m_stageTable->setObjectName(QStringLiteral("stages"));
    m_stageTable->setHorizontalHeaderLabels({tr("Stage"), tr("Removes (samples)"), tr("Why"), tr("Examples")});
    m_stageTable->verticalHeader()->hide();
    m_stageTable->horizontalHeader()->setStretchLastSection(true);
    m_stageTable->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_stageTable->setWordWrap(true);
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
    left->addWidget(m_form, 1);
    left->addWidget(note);
    left->addLayout(buttons);
    left->addWidget(m_progress);
    left->addWidget(m_state);
    auto* right = new QVBoxLayout;
    right->addWidget(new QLabel(tr("What each stage would remove (last preview)"), this));
    right->addWidget(m_stageTable, 2);
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
        m_state->setText(m_previewStep > 0 ? tr("Preview run #%1 (%2 of 2): grading the samples…").arg(runId).arg(m_previewStep)
                                           : tr("Curation run #%1: grading the samples…").arg(runId));
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
    connect(m_controller, &RunController::failed, this, [this](int jobId, const QString& message) {
        if (jobId == m_jobId)
            m_state->setText(message);
    });
    connect(m_controller, &RunController::finished, this,
            [this](int jobId, const QString& status, const QJsonObject& summary) {
                if (jobId == m_jobId)
                    onFinished(status, summary);
            });
    setRunning(false);
}

void CurateJobPanel::setWorkspacePath(const QString& path)
{
    if (m_controller->isRunning() && path != m_workspacePath)
        m_controller->stop(5000);
    m_workspacePath = path;
    m_form->setWorkspacePath(path);
    m_runs->setWorkspacePath(path);
    setRunning(m_controller->isRunning());
}

void CurateJobPanel::setSources(const QStringList& sources)
{
    m_form->setSuggestions(QStringLiteral("sources"), sources);
}

void CurateJobPanel::setFilters(const text::FilterConfig& filters)
{
    // Only the keys that changed since the last call: what was typed into the form's other filter
    // keys (min_language_share, require_summary, ...) stays.
    const auto next = nlohmann::ordered_json::parse(text::toJson(filters).dump());
    for (const auto& [key, value] : next.items())
        if (!m_pushedFilters.contains(key) || m_pushedFilters.at(key) != value)
            m_form->setValue(QStringLiteral("filters.") + QString::fromStdString(key), value);
    m_pushedFilters = next;
}

bool CurateJobPanel::launch(const nlohmann::ordered_json& values, bool dryRun)
{
    if (m_workspacePath.isEmpty() || m_controller->isRunning())
        return false;
    const QString yaml = jobSpecYaml(QStringLiteral("curate"), m_form->name(), values);
    const QStringList problems = m_form->problems();
    const SpecCheck check = problems.isEmpty() ? checkJobSpec(yaml) : SpecCheck{{}, problems.join(QLatin1Char('\n'))};
    if (!check.ok()) {
        m_state->setText(tr("Cannot start: %1").arg(check.error));
        emit statusMessage(m_state->text());
        return false;
    }
    const QString specPath = writeSpecFile(m_workspacePath + QStringLiteral(".runs/specs"), QStringLiteral("curate"), yaml);
    if (specPath.isEmpty()) {
        emit statusMessage(tr("Could not write the job spec next to the workspace."));
        return false;
    }
    m_runningDry = dryRun;
    m_progress->setRange(0, 0);
    m_progress->setTextVisible(true);
    m_state->setText(tr("Starting…"));
    m_jobId = m_controller->start(specPath, m_workspacePath);
    setRunning(true);
    return true;
}

bool CurateJobPanel::startJob()
{
    m_previewStep = 0;
    const nlohmann::ordered_json values = m_form->values();
    return launch(values, values.value("dry_run", false));
}

bool CurateJobPanel::startPreview()
{
    nlohmann::ordered_json values = m_form->values();
    values["dry_run"] = true;
    values["selection"] = {{"target_size", 0}, {"difficulty", "none"}};
    m_previewStep = 1;
    if (launch(values, true))
        return true;
    m_previewStep = 0;
    return false;
}

void CurateJobPanel::onFinished(const QString& status, const QJsonObject& summary)
{
    setRunning(false);
    m_runs->refresh();
    if (!summary.isEmpty())
        m_summary->setPlainText(summaryText(summary));
    if (status == QLatin1String("finished"))
        m_progress->setValue(m_progress->maximum());
    if (status != QLatin1String("failed"))
        m_state->setText(tr("Curation run #%1 %2.").arg(m_controller->runId()).arg(status));
    const int step = m_previewStep;
    m_previewStep = 0;
    if (step == 1 && status == QLatin1String("finished")) {
        m_withoutSelection = summary;
        nlohmann::ordered_json values = m_form->values();
        values["dry_run"] = true;
        m_previewStep = 2;
        if (!launch(values, true))
            m_previewStep = 0;
        return;
    }
    if (step == 2 && status == QLatin1String("finished")) {
        m_stages = curateStages(m_withoutSelection, summary);
        showStages();
        m_state->setText(tr("Preview: %1 of %2 samples would be kept; nothing was written.")
                             .arg(summary.value(QLatin1String("samples")).toObject().value(QLatin1String("kept")).toInteger())
                             .arg(summary.value(QLatin1String("samples")).toObject().value(QLatin1String("total")).toInteger()));
        emit previewReady();
    }
    emit statusMessage(m_state->text());
    emit jobFinished(status, m_runningDry);
}

void CurateJobPanel::showStages()
{
    m_stageTable->setRowCount(int(m_stages.size()));
    for (int row = 0; row < m_stages.size(); ++row) {
        const CurateStage& s = m_stages[row];
        const QStringList cells{curateStageName(s.kind), QString::number(s.removed), s.why.join(QLatin1String(", ")),
                                s.examples.join(QLatin1String("; "))};
        for (int column = 0; column < cells.size(); ++column) {
            auto* item = new QTableWidgetItem(cells[column]);
            item->setToolTip(cells[column]);
            if (column == 1)
                item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_stageTable->setItem(row, column, item);
        }
    }
    m_stageTable->resizeColumnsToContents();
    m_stageTable->resizeRowsToContents();
}

void CurateJobPanel::stopJob()
{
    m_controller->stop(30'000);
    m_state->setText(tr("Stopping: nothing is written when the job stops before its write-back."));
}

void CurateJobPanel::setRunning(bool running)
{
    m_preview->setEnabled(!running && !m_workspacePath.isEmpty());
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
    const QString rejected = countLines(samples.value(QLatin1String("rejected")).toObject()).join(QLatin1String(", "));
    if (!rejected.isEmpty())
        lines << tr("Rejected by reason: %1.").arg(rejected);
    const QString verdicts = countLines(samples.value(QLatin1String("verdicts")).toObject()).join(QLatin1String(", "));
    if (!verdicts.isEmpty())
        lines << tr("Verdicts: %1.").arg(verdicts);
    lines << tr("Problems: %1 selected of %2; %3 overlap a benchmark, %4 duplicates.")
                 .arg(problems.value(QLatin1String("selected")).toInteger())
                 .arg(problems.value(QLatin1String("total")).toInteger())
                 .arg(problems.value(QLatin1String("contaminated")).toInteger())
                 .arg(problems.value(QLatin1String("duplicates")).toInteger());
    const QString notSelected = countLines(problems.value(QLatin1String("not_selected")).toObject()).join(QLatin1String(", "));
    if (!notSelected.isEmpty())
        lines << tr("Problems not selected, by reason: %1.").arg(notSelected);
    return lines.join(QLatin1Char('\n'));
}

}  // namespace distill::widgets
