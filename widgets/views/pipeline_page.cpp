#include "widgets/views/pipeline_page.h"

#include "core/store/benchmarks.h"
#include "core/store/workspace.h"
#include "widgets/models/job_spec.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/metric_reader.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_spec.h"
#include "widgets/views/job_form.h"
#include "widgets/views/pipeline_curves.h"

#include <yaml-cpp/yaml.h>

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFontDatabase>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QJsonArray>
#include <QJsonDocument>
#include <QLabel>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSaveFile>
#include <QSplitter>
#include <QTableWidget>
#include <QTimer>
#include <QVBoxLayout>

#include <cmath>
#include <utility>

namespace distill::widgets {

namespace {

QString recipesDir()
{
    const std::string resources = store::bundledResourcesDir();
    return resources.empty() ? QString() : QString::fromStdString(resources) + QStringLiteral("/recipes");
}

// The newest pipeline run of a workspace with its stages' runs, as the page shows them.
struct StoredPipeline {
    qint64 runId = 0;
    QString status;
    QString config;
    QList<QJsonObject> stages;  // {"stage", "kind", "run_id", "status", "summary"}
    QList<QPair<QString, QVector<MetricPoint>>> curves;  // each stage's points the curves draw, oldest stage first
    QString report;
};

}  // namespace
}  // namespace distill::widgets

Q_DECLARE_METATYPE(distill::widgets::StoredPipeline)

namespace distill::widgets {

PipelinePage::PipelinePage(QWidget* parent)
    : Page(parent), m_jobs(new JobTracker(this)), m_controller(new RunController(this))
{
    m_recipe = new QComboBox(this);
    m_recipe->addItems(recipes());
    auto* load = new QPushButton(tr("Load recipe"), this);
    auto* open = new QPushButton(tr("Open…"), this);
    auto* save = new QPushButton(tr("Save as…"), this);
    auto* checkButton = new QPushButton(tr("Check"), this);
    m_start = new QPushButton(tr("Start"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_resume = new QPushButton(tr("Resume"), this);
    m_editStage = new QPushButton(tr("Edit stage…"), this);
    m_editStage->setToolTip(tr("Edit the selected stage with its job form"));
    m_editor = new QPlainTextEdit(this);
    m_editor->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_editor->setLineWrapMode(QPlainTextEdit::NoWrap);
    m_chain = new QLabel(this);
    m_chain->setWordWrap(true);
    m_state = new QLabel(tr("Not running."), this);
    m_state->setWordWrap(true);
    m_stages = new QTableWidget(0, ColumnCount, this);
    m_stages->setHorizontalHeaderLabels({tr("Stage"), tr("Kind"), tr("Status"), tr("Run"), tr("Progress"), tr("pass@1 before → after")});
    m_stages->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_stages->horizontalHeader()->setStretchLastSection(true);
    m_stages->verticalHeader()->hide();
    m_stages->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_stages->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_curves = new PipelineCurves(this);
    m_report = new QPlainTextEdit(this);
    m_report->setReadOnly(true);
    m_report->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_report->setMaximumHeight(m_report->fontMetrics().lineSpacing() * 9);
    m_report->hide();
    m_samplesTimer = new QTimer(this);
    m_samplesTimer->setInterval(2000);

    auto* recipeRow = new QHBoxLayout;
    recipeRow->addWidget(new QLabel(tr("Recipe:"), this));
    recipeRow->addWidget(m_recipe);
    recipeRow->addWidget(load);
    recipeRow->addWidget(open);
    recipeRow->addWidget(save);
    recipeRow->addWidget(checkButton);
    recipeRow->addStretch(1);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addLayout(recipeRow);
    leftLayout->addWidget(m_editor, 1);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resume);
    buttons->addStretch(1);
    buttons->addWidget(m_editStage);
    auto* right = new QWidget(this);
    auto* rightLayout = new QVBoxLayout(right);
    rightLayout->setContentsMargins(0, 0, 0, 0);
    rightLayout->addWidget(m_chain);
    rightLayout->addWidget(m_stages, 1);
    rightLayout->addLayout(buttons);
    rightLayout->addWidget(m_state);
    auto* split = new QSplitter(this);
    split->addWidget(left);
    split->addWidget(right);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 3);
    auto* bottom = new QWidget(this);
    auto* bottomLayout = new QVBoxLayout(bottom);
    bottomLayout->setContentsMargins(0, 0, 0, 0);
    bottomLayout->addWidget(m_curves, 1);
    bottomLayout->addWidget(m_report);
    auto* vertical = new QSplitter(Qt::Vertical, this);
    vertical->addWidget(split);
    vertical->addWidget(bottom);
    vertical->setStretchFactor(0, 1);
    vertical->setStretchFactor(1, 1);
    auto* layout = new QVBoxLayout(this);
    layout->addWidget(vertical);

    connect(load, &QPushButton::clicked, this, [this] { loadRecipe(m_recipe->currentText()); });
    connect(open, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getOpenFileName(this, tr("Open a pipeline"), recipesDir(), tr("YAML (*.yaml *.yml)"));
        if (!path.isEmpty())
            loadFile(path);
    });
    connect(save, &QPushButton::clicked, this, [this] {
        const QString path = QFileDialog::getSaveFileName(this, tr("Save the pipeline"), QString(), tr("YAML (*.yaml *.yml)"));
        if (!path.isEmpty())
            saveFile(path);
    });
    connect(checkButton, &QPushButton::clicked, this, [this] {
        const QString error = check();
        m_state->setText(error.isEmpty() ? tr("The pipeline reads.") : tr("Invalid: %1").arg(error));
    });
    connect(m_start, &QPushButton::clicked, this, &PipelinePage::startPipeline);
    connect(m_stop, &QPushButton::clicked, this, &PipelinePage::stopPipeline);
    connect(m_resume, &QPushButton::clicked, this, [this] { resumePipeline(); });
    connect(m_editStage, &QPushButton::clicked, this, &PipelinePage::editSelectedStage);
    connect(m_stages, &QTableWidget::itemSelectionChanged, this, [this] { setRunning(m_controller->isRunning()); });
    connect(m_stages, &QTableWidget::cellDoubleClicked, this, [this](int row) {
        const qint64 run = m_stages->item(row, RunColumn)->text().toLongLong();
        if (run > 0)
            emit stageRunActivated(run, m_stages->item(row, KindColumn)->text());
    });
    connect(m_controller, &RunController::started, this, [this](int jobId, qint64 runId) {
        if (jobId != m_jobId)
            return;
        m_runId = runId;
        m_state->setText(tr("Pipeline run #%1 running.").arg(runId));
    });
    connect(m_controller, &RunController::stage, this, [this](int jobId, const QJsonObject& e) {
        if (jobId == m_jobId)
            onStage(e);
    });
    connect(m_controller, &RunController::progress, this,
            [this](int jobId, qint64 done, qint64 total, double eta, double, const QJsonObject& e) {
                const int row = rowOf(e.value(QLatin1String("stage")).toString());
                if (jobId != m_jobId || row < 0)
                    return;
                m_stages->item(row, ProgressColumn)
                    ->setText(tr("%1 of %2, %3 s left").arg(done).arg(total)
                                  .arg(std::isfinite(eta) ? QString::number(eta, 'f', 0) : QStringLiteral("–")));
            });
    connect(m_controller, &RunController::metric, this,
            [this](int jobId, const QString& name, qint64 step, double value, const QString& stage) {
                if (jobId == m_jobId)
                    m_curves->addPoint(stage, name, step, value);
            });
    connect(m_samplesTimer, &QTimer::timeout, this, &PipelinePage::samplesChanged);
    connect(m_controller, &RunController::failed, this, [this](int jobId, const QString& message) {
        if (jobId == m_jobId)
            m_state->setText(message);
    });
    connect(m_controller, &RunController::finished, this, [this](int jobId, const QString& status) {
        if (jobId != m_jobId)
            return;
        setRunning(false);
        emit samplesChanged();
        if (status != QLatin1String("failed"))
            readReport(m_runId);
        if (status == QLatin1String("finished"))
            m_state->setText(tr("Pipeline run #%1 finished.").arg(m_runId));
        else if (status == QLatin1String("stopped"))
            m_state->setText(tr("Pipeline run #%1 stopped: Resume goes on with the unfinished stage.").arg(m_runId));
        else if (!m_state->text().startsWith(tr("Error")))
            m_state->setText(tr("Pipeline run #%1 failed.").arg(m_runId));
    });
    connect(m_editor, &QPlainTextEdit::textChanged, this, [this] { check(); });

    if (!recipes().isEmpty())
        loadRecipe(recipes().front());
    setRunning(false);
}

QString PipelinePage::title() const
{
    return tr("Pipeline");
}

QStringList PipelinePage::recipes() const
{
    const QString dir = recipesDir();
    if (dir.isEmpty())
        return {};
    QStringList names;
    for (const QString& file : QDir(dir).entryList({QStringLiteral("*.yaml")}, QDir::Files, QDir::Name))
        names << file.chopped(5);
    return names;
}

bool PipelinePage::loadRecipe(const QString& name)
{
    return loadFile(recipesDir() + QLatin1Char('/') + name + QStringLiteral(".yaml"));
}

bool PipelinePage::loadFile(const QString& path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        m_state->setText(tr("Cannot read %1: %2").arg(path, file.errorString()));
        return false;
    }
    setYaml(QString::fromUtf8(file.readAll()));
    m_state->setText(tr("Loaded %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool PipelinePage::saveFile(const QString& path)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(yaml().toUtf8()) < 0 || !file.commit()) {
        m_state->setText(tr("Cannot write %1: %2").arg(path, file.errorString()));
        return false;
    }
    m_state->setText(tr("Saved %1.").arg(QDir::toNativeSeparators(path)));
    return true;
}

QString PipelinePage::yaml() const
{
    return m_editor->toPlainText();
}

void PipelinePage::setYaml(const QString& text)
{
    m_editor->setPlainText(text);
}

QString PipelinePage::check()
{
    const SpecCheck spec = checkJobSpec(yaml());
    QStringList names, kinds;
    try {
        const YAML::Node root = YAML::Load(yaml().toStdString());
        if (root["stages"] && root["stages"].IsSequence())
            for (const YAML::Node& stage : root["stages"]) {
                names << QString::fromStdString(stage["name"] ? stage["name"].as<std::string>() : std::string());
                kinds << QString::fromStdString(stage["spec"] && stage["spec"]["kind"] ? stage["spec"]["kind"].as<std::string>()
                                                                                       : std::string());
            }
    } catch (const YAML::Exception&) {
        // The parser's message above says where.
    }
    if (!m_controller->isRunning())
        showStages(names, kinds);
    m_start->setEnabled(spec.ok() && !m_workspacePath.isEmpty() && !m_controller->isRunning());
    if (!spec.ok())
        m_chain->setText(tr("Invalid: %1").arg(spec.error));
    return spec.error;
}

JobForm* PipelinePage::stageForm(int index, QWidget* parent)
{
    QString error;
    const auto stages = pipelineStages(yaml(), &error);
    if (index < 0 || std::size_t(index) >= stages.size()) {
        m_state->setText(tr("Cannot edit the stage: %1").arg(error.isEmpty() ? tr("there is no such stage") : error));
        return nullptr;
    }
    const run::EditableStage& stage = stages[std::size_t(index)];
    auto* form = new JobForm(QString::fromStdString(stage.kind), parent);
    nlohmann::ordered_json values = nlohmann::ordered_json(stage.shown);
    values.erase("kind");
    values.erase("name");
    form->setValues(values);
    form->setName(QString::fromStdString(stage.name));
    form->setWorkspacePath(m_workspacePath);
    return form;
}

bool PipelinePage::applyStageForm(int index, const JobForm& form)
{
    QString error;
    const auto stages = pipelineStages(yaml(), &error);
    if (index < 0 || std::size_t(index) >= stages.size() || stages[std::size_t(index)].kind != form.kind().toStdString()) {
        m_state->setText(tr("Cannot write the stage back: %1").arg(error.isEmpty() ? tr("the stages changed") : error));
        return false;
    }
    const auto& stage = stages[std::size_t(index)];
    setYaml(QString::fromStdString(
        run::withStageSpec(yaml().toStdString(), std::size_t(index), run::mergeStageEdit(stage, form.fullValues(), form.values()))));
    m_state->setText(tr("Stage %1 edited.").arg(QString::fromStdString(stage.name)));
    return true;
}

void PipelinePage::editSelectedStage()
{
    const int row = m_stages->currentRow();
    QDialog dialog(this);
    JobForm* form = stageForm(row, &dialog);
    if (!form)
        return;
    dialog.setWindowTitle(tr("Stage %1 (%2)").arg(m_stages->item(row, StageColumn)->text(), form->kind()));
    auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, &dialog);
    connect(buttons, &QDialogButtonBox::accepted, &dialog, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, &dialog, &QDialog::reject);
    auto* layout = new QVBoxLayout(&dialog);
    layout->addWidget(form, 1);
    layout->addWidget(buttons);
    dialog.resize(760, 680);
    if (dialog.exec() == QDialog::Accepted)
        applyStageForm(row, *form);
}

void PipelinePage::showStages(const QStringList& names, const QStringList& kinds)
{
    m_stages->setRowCount(int(names.size()));
    for (int row = 0; row < names.size(); ++row) {
        const QStringList cells = {names[row], kinds[row], tr("not started"), QString(), QString(), QString()};
        for (int column = 0; column < ColumnCount; ++column)
            m_stages->setItem(row, column, new QTableWidgetItem(cells[column]));
    }
    m_chain->setText(names.join(QStringLiteral("  →  ")));
}

int PipelinePage::rowOf(const QString& stage) const
{
    for (int row = 0; row < m_stages->rowCount(); ++row)
        if (m_stages->item(row, StageColumn)->text() == stage)
            return row;
    return -1;
}

void PipelinePage::onStage(const QJsonObject& e)
{
    const int row = rowOf(e.value(QLatin1String("stage")).toString());
    if (row < 0)
        return;
    const QString event = e.value(QLatin1String("event")).toString();
    if (event == QLatin1String("started")) {  // the stage's own run, with its id
        m_stages->item(row, RunColumn)->setText(QString::number(e.value(QLatin1String("run_id")).toInteger()));
        m_stages->item(row, StatusColumn)->setText(tr("running"));
        return;
    }
    if (event == QLatin1String("finished")) {
        m_stages->item(row, PassColumn)->setText(passText(e.value(QLatin1String("summary")).toObject()));
        return;
    }
    const QString status = e.value(QLatin1String("status")).toString();
    static const QHash<QString, const char*> shown = {
        {QStringLiteral("started"), QT_TR_NOOP("running")},   {QStringLiteral("resumed"), QT_TR_NOOP("resumed")},
        {QStringLiteral("skipped"), QT_TR_NOOP("finished")},  {QStringLiteral("finished"), QT_TR_NOOP("finished")},
        {QStringLiteral("stopped"), QT_TR_NOOP("stopped")},   {QStringLiteral("failed"), QT_TR_NOOP("failed")}};
    m_stages->item(row, StatusColumn)->setText(tr(shown.value(status, "running")));
    if (const qint64 run = e.value(QLatin1String("run_id")).toInteger(); run > 0)
        m_stages->item(row, RunColumn)->setText(QString::number(run));
    if (e.contains(QLatin1String("summary")))
        m_stages->item(row, PassColumn)->setText(passText(e.value(QLatin1String("summary")).toObject()));
    if (status == QLatin1String("finished") || status == QLatin1String("skipped"))
        m_stages->item(row, ProgressColumn)->setText(tr("done"));
    m_stages->selectRow(row);
}

QString PipelinePage::passText(const QJsonObject& summary)
{
    const auto pass = [](const QJsonObject& results, QString* benchmark) -> double {
        for (auto it = results.begin(); it != results.end(); ++it) {
            const QJsonObject r = it.value().toObject();
            if (r.contains(QLatin1String("pass@1"))) {
                *benchmark = it.key();
                return r.value(QLatin1String("pass@1")).toObject().value(QLatin1String("value")).toDouble();
            }
        }
        return NAN;
    };
    QString benchmark;
    const QJsonObject hook = summary.value(QLatin1String("benchmarks")).toObject();
    if (!hook.isEmpty()) {  // a training run: its first and last benchmark evaluation
        const double first = pass(hook.value(QLatin1String("first")).toObject(), &benchmark);
        const double last = pass(hook.value(QLatin1String("last")).toObject(), &benchmark);
        if (std::isfinite(first) && std::isfinite(last))
            return QStringLiteral("%1 → %2 (%3)").arg(first, 0, 'f', 3).arg(last, 0, 'f', 3).arg(benchmark);
    }
    const double value = pass(summary, &benchmark);  // an evaluation
    return std::isfinite(value) ? QStringLiteral("%1 (%2)").arg(value, 0, 'f', 3).arg(benchmark) : QString();
}

bool PipelinePage::startPipeline()
{
    if (m_workspacePath.isEmpty() || m_controller->isRunning())
        return false;
    if (const QString error = check(); !error.isEmpty()) {
        m_state->setText(tr("Cannot start: %1").arg(error));
        return false;
    }
    const QString spec = writeSpecFile(m_workspacePath + QStringLiteral(".runs/specs"), QStringLiteral("pipeline"), yaml());
    if (spec.isEmpty()) {
        m_state->setText(tr("Could not write the job spec next to the workspace."));
        return false;
    }
    m_curves->clear();
    showReport({});
    m_jobId = m_controller->start(spec, m_workspacePath);
    m_state->setText(tr("Starting…"));
    setRunning(true);
    return true;
}

void PipelinePage::startWhenNew(const QString& yaml)
{
    m_startWhenNew = yaml;
    if (!m_workspacePath.isEmpty())
        readNewestRun();
}

bool PipelinePage::resumePipeline(qint64 runId)
{
    const qint64 run = runId > 0 ? runId : m_runId;
    if (m_workspacePath.isEmpty() || m_controller->isRunning() || run <= 0)
        return false;
    showReport({});
    m_jobId = m_controller->start(QString(), m_workspacePath, run);
    m_runId = run;
    m_state->setText(tr("Resuming pipeline run #%1…").arg(run));
    setRunning(true);
    return true;
}

void PipelinePage::stopPipeline()
{
    m_controller->stop(120'000);
    m_state->setText(tr("Stopping after the current unit of the stage in flight…"));
}

QString PipelinePage::stateText() const
{
    return m_state->text();
}

void PipelinePage::setRunning(bool running)
{
    const bool workspace = !m_workspacePath.isEmpty();
    m_start->setEnabled(!running && workspace);
    m_resume->setEnabled(!running && workspace && m_runId > 0);
    m_stop->setEnabled(running);
    m_editor->setReadOnly(running);
    if (running)
        m_samplesTimer->start();
    else
        m_samplesTimer->stop();
    m_editStage->setEnabled(!running && m_stages->currentRow() >= 0);
}

void PipelinePage::setWorkspacePath(const QString& path)
{
    m_workspacePath = path;
    m_jobs->setWorkspacePath(path);
    m_runId = 0;
    setRunning(m_controller->isRunning());
    if (!path.isEmpty())
        readNewestRun();
}

void PipelinePage::readNewestRun()
{
    m_jobs->start(
        QStringLiteral("pipeline"),
        [maker = m_reportMaker](JobContext& job) {
            StoredPipeline out;
            const store::Workspace& ws = job.reader();
            for (const store::Run& r : ws.runs())
                if (r.kind == store::RunKind::Pipeline) {
                    out.runId = r.id;
                    out.status = QString::fromStdString(r.status);
                    out.config = QString::fromStdString(r.config);
                }
            if (out.runId > 0)
                for (const store::Run& r : ws.childRuns(out.runId))
                    out.stages << QJsonObject{{QStringLiteral("stage"), QString::fromStdString(r.stage)},
                                              {QStringLiteral("kind"), QString::fromStdString(std::string(store::runKindName(r.kind)))},
                                              {QStringLiteral("run_id"), qint64(r.id)},
                                              {QStringLiteral("status"), QString::fromStdString(r.status)},
                                              {QStringLiteral("summary"),
                                               QJsonDocument::fromJson(QByteArray::fromStdString(r.summary)).object()}};
            MetricReader metrics;
            for (const QJsonObject& stage : std::as_const(out.stages)) {
                QVector<MetricPoint> points = metrics.poll(ws, stage.value(QLatin1String("run_id")).toInteger());
                points.removeIf([](const MetricPoint& m) { return PipelineCurves::panelOf(m.name) == PipelineCurves::PanelCount; });
                out.curves.append({stage.value(QLatin1String("stage")).toString(), points});
            }
            if (out.runId > 0 && maker)
                out.report = maker(ws, out.runId);
            return QVariant::fromValue(out);
        },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty() || m_controller->isRunning())
                return;
            const auto stored = result.value<StoredPipeline>();
            const QString first = std::exchange(m_startWhenNew, QString());
            if (stored.runId == 0) {
                if (!first.isEmpty()) {
                    setYaml(first);
                    startPipeline();
                }
                return;
            }
            m_runId = stored.runId;
            // The stored spec (below its "# resolved ..." line) and where each stage got to.
            const qsizetype eol = stored.config.indexOf(QLatin1Char('\n'));
            setYaml(stored.config.startsWith(QLatin1Char('#')) ? stored.config.mid(eol + 1) : stored.config);
            for (const QJsonObject& stage : stored.stages) {
                const int row = rowOf(stage.value(QLatin1String("stage")).toString());
                if (row < 0)
                    continue;
                m_stages->item(row, StatusColumn)->setText(stage.value(QLatin1String("status")).toString());
                m_stages->item(row, RunColumn)->setText(QString::number(stage.value(QLatin1String("run_id")).toInteger()));
                m_stages->item(row, PassColumn)->setText(passText(stage.value(QLatin1String("summary")).toObject()));
            }
            m_curves->clear();
            for (const auto& [stage, points] : stored.curves)
                for (const MetricPoint& m : points)
                    m_curves->addPoint(stage, m.name, m.step, m.value);
            showReport(stored.report);
            m_state->setText(tr("Pipeline run #%1: %2.").arg(stored.runId).arg(stored.status));
            setRunning(false);
        });
}

void PipelinePage::readReport(qint64 runId)
{
    if (!m_reportMaker || runId <= 0)
        return;
    m_jobs->start(
        QStringLiteral("pipeline report"),
        [maker = m_reportMaker, runId](JobContext& job) { return QVariant(maker(job.reader(), runId)); },
        [this, runId](const QVariant& result, const QString& error) {
            if (runId != m_runId || m_controller->isRunning())
                return;
            showReport(error.isEmpty() ? result.toString() : tr("The report could not be read: %1").arg(error));
        });
}

void PipelinePage::showReport(const QString& text)
{
    m_report->setPlainText(text);
    m_report->setVisible(!text.isEmpty());
    emit reportRead(text);
}

QString PipelinePage::reportText() const
{
    return m_report->toPlainText();
}

}  // namespace distill::widgets
