// EvalLauncher implementation.
#include "widgets/views/eval_launcher.h"

#include "widgets/models/job_spec.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_spec.h"
#include "widgets/views/job_form.h"

#include <QComboBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QRadioButton>
#include <QSpinBox>
#include <QVBoxLayout>

#include <cmath>

namespace distill::widgets {

EvalLauncher::EvalLauncher(QWidget* parent)
    : QWidget(parent), m_form(new JobForm(QStringLiteral("eval"), this)), m_controller(new RunController(this))
{
    m_form->setBrowse(QStringLiteral("model"), KeyField::Browse::Folder);
    m_form->setBrowse(QStringLiteral("tokenizer"), KeyField::Browse::Folder);
    m_form->setSuggestions(QStringLiteral("device"), computeDevices());

    auto* targetBox = new QGroupBox(tr("What to evaluate"), this);
    auto* target = new QFormLayout(targetBox);
    m_fromFolder = new QRadioButton(tr("The model folder of the form"), targetBox);
    m_fromRun = new QRadioButton(tr("The checkpoints of a run"), targetBox);
    m_fromFolder->setChecked(true);
    m_run = new QComboBox(targetBox);
    m_run->setObjectName(QStringLiteral("evalRun"));
    m_every = new QSpinBox(targetBox);
    m_every->setObjectName(QStringLiteral("evalEvery"));
    m_every->setRange(1, 100000);
    m_every->setPrefix(tr("every "));
    m_every->setToolTip(tr("Evaluate every Nth checkpoint (1: all); the last one always."));
    m_budgets = new QLineEdit(targetBox);
    m_budgets->setObjectName(QStringLiteral("evalBudgets"));
    m_budgets->setPlaceholderText(tr("e.g. 256, 512, 1024 (empty: the form's)"));
    m_budgets->setToolTip(tr("One evaluation per thinking budget (max_thinking_tokens, budget forcing): "
                             "accuracy against budget appears in the budget plot."));
    auto* r1 = new QPushButton(tr("R1 protocol"), targetBox);
    r1->setObjectName(QStringLiteral("r1Protocol"));
    r1->setToolTip(tr("64 samples per problem, temperature 0.6, top-p 0.95: DeepSeek-R1's evaluation."));
    auto* runRow = new QHBoxLayout;
    runRow->addWidget(m_run, 1);
    runRow->addWidget(m_every);
    target->addRow(m_fromFolder);
    target->addRow(m_fromRun);
    target->addRow(tr("Run"), runRow);
    target->addRow(tr("Thinking budgets"), m_budgets);
    target->addRow(QString(), r1);

    m_start = new QPushButton(tr("Evaluate"), this);
    m_start->setObjectName(QStringLiteral("evaluate"));
    m_stop = new QPushButton(tr("Stop"), this);
    m_state = new QLabel(tr("Not running."), this);
    m_state->setWordWrap(true);
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addStretch(1);

    auto* layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(targetBox);
    layout->addWidget(m_form, 1);
    layout->addLayout(buttons);
    layout->addWidget(m_state);

    connect(r1, &QPushButton::clicked, this, &EvalLauncher::applyR1Protocol);
    connect(m_fromRun, &QRadioButton::toggled, this, &EvalLauncher::updateTarget);
    connect(m_run, &QComboBox::currentIndexChanged, this, &EvalLauncher::updateTarget);
    connect(m_start, &QPushButton::clicked, this, &EvalLauncher::start);
    connect(m_stop, &QPushButton::clicked, this, &EvalLauncher::stop);
    connect(m_controller, &RunController::started, this, [this](int jobId, qint64 runId) {
        if (jobId == m_jobId)
            emit runStarted(runId);
    });
    connect(m_controller, &RunController::progress, this, [this](int jobId, qint64 done, qint64 total, double eta) {
        if (jobId == m_jobId)
            m_state->setText(tr("Evaluation %1 of %2: %3 of %4 responses, %5 s left.")
                                 .arg(m_total - m_queue.size()).arg(m_total).arg(done).arg(total)
                                 .arg(std::isfinite(eta) ? QString::number(eta, 'f', 0) : QStringLiteral("–")));
    });
    connect(m_controller, &RunController::failed, this, [this](int jobId, const QString& message) {
        if (jobId == m_jobId)
            m_state->setText(message);
    });
    connect(m_controller, &RunController::finished, this, [this](int jobId, const QString& status) {
        if (jobId != m_jobId)
            return;
        emit evaluationEnded();
        if (status == QLatin1String("finished") && !m_queue.isEmpty()) {
            launchNext();
            return;
        }
        m_queue.clear();
        setRunning(false);
        if (status != QLatin1String("failed"))
            m_state->setText(tr("Evaluations %1.").arg(status));
        emit statusMessage(m_state->text());
        emit finished(status);
    });
    setRunning(false);
    updateTarget();
}

void EvalLauncher::setWorkspacePath(const QString& path)
{
    if (m_controller->isRunning() && path != m_workspacePath) {
        m_queue.clear();
        m_controller->stop(5000);
    }
    m_workspacePath = path;
    m_form->setWorkspacePath(path);
    setRunning(m_controller->isRunning());
}

void EvalLauncher::setBenchmarks(const QStringList& benchmarks)
{
    m_form->setSuggestions(QStringLiteral("benchmarks"), benchmarks);
}

void EvalLauncher::setCheckpoints(const QVector<RunCheckpoint>& checkpoints)
{
    m_checkpoints = checkpoints;
    const qint64 current = m_run->currentData().toLongLong();
    const QSignalBlocker block(m_run);
    m_run->clear();
    QList<qint64> runs;
    for (const RunCheckpoint& c : checkpoints)
        if (!runs.contains(c.runId)) {
            runs << c.runId;
            m_run->addItem(QStringLiteral("#%1 %2").arg(c.runId).arg(c.runName), c.runId);
        }
    m_run->setCurrentIndex(std::max(0, m_run->findData(current)));
    QStringList folders;
    for (const RunCheckpoint& c : checkpoints)
        folders << c.folder;
    m_form->setSuggestions(QStringLiteral("model"), folders);
    updateTarget();
}

void EvalLauncher::setRunCheckpoints(qint64 runId, int every)
{
    m_every->setValue(every);
    const int index = m_run->findData(runId);
    if (runId > 0 && index >= 0) {
        m_run->setCurrentIndex(index);
        m_fromRun->setChecked(true);
    } else {
        m_fromFolder->setChecked(true);
    }
    updateTarget();
}

void EvalLauncher::setBudgets(const QString& budgets)
{
    m_budgets->setText(budgets);
}

void EvalLauncher::applyR1Protocol()
{
    m_form->setValue(QStringLiteral("samples"), 64);
    m_form->setValue(QStringLiteral("temperature"), 0.6);
    m_form->setValue(QStringLiteral("top_p"), 0.95);
}

void EvalLauncher::updateTarget()
{
    const bool fromRun = m_fromRun->isChecked();
    m_run->setEnabled(fromRun);
    m_every->setEnabled(fromRun);
    // The form shows the run's last checkpoint as its model: what one evaluation of the queue reads.
    const QVector<RunCheckpoint> chosen = chosenCheckpoints();
    if (fromRun && !chosen.isEmpty()) {
        m_form->setValue(QStringLiteral("model"), chosen.back().folder.toStdString());
        m_form->setName(QStringLiteral("eval %1").arg(chosen.back().runName));
    }
    if (KeyField* model = m_form->field(QStringLiteral("model")))
        model->setEnabled(!fromRun);
}

QVector<RunCheckpoint> EvalLauncher::chosenCheckpoints() const
{
    QVector<RunCheckpoint> run;
    for (const RunCheckpoint& c : m_checkpoints)
        if (c.runId == m_run->currentData().toLongLong())
            run << c;
    QVector<RunCheckpoint> chosen;
    for (int i = 0; i < run.size(); ++i)
        if (i % m_every->value() == 0 || i == run.size() - 1)
            chosen << run[i];
    return chosen;
}

QStringList EvalLauncher::plannedSpecs(QString* error) const
{
    const auto fail = [error](const QString& why) {
        if (error)
            *error = why;
        return QStringList();
    };
    const QStringList problems = m_form->problems();
    if (!problems.isEmpty())
        return fail(problems.join(QLatin1Char('\n')));
    QList<qint64> budgets;
    for (const QString& part : m_budgets->text().split(QLatin1Char(','), Qt::SkipEmptyParts)) {
        bool ok = false;
        const qint64 b = part.trimmed().toLongLong(&ok);
        if (!ok || b < 0)
            return fail(tr("'%1' is not a thinking budget (a number of tokens).").arg(part.trimmed()));
        budgets << b;
    }
    // One evaluation per (model, budget): checkpoints are labelled step-N so that they form a curve.
    struct Target {
        QString model, label, name;
    };
    QVector<Target> targets;
    if (m_fromRun->isChecked()) {
        const QVector<RunCheckpoint> chosen = chosenCheckpoints();
        if (chosen.isEmpty())
            return fail(tr("The run has no complete checkpoint."));
        for (const RunCheckpoint& c : chosen)
            targets.append({c.folder, QStringLiteral("step-%1").arg(c.step), m_form->name()});
    } else {
        targets.append({QString(), QString(), m_form->name()});
    }
    QStringList specs;
    for (const Target& t : targets) {
        for (int i = 0; i < std::max<qsizetype>(1, budgets.size()); ++i) {
            nlohmann::ordered_json values = m_form->values();
            QString name = t.name;
            if (!t.model.isEmpty()) {
                values["model"] = t.model.toStdString();
                values["checkpoint"] = t.label.toStdString();
            }
            if (!budgets.isEmpty()) {
                values["max_thinking_tokens"] = budgets[i];
                name += tr(" budget %1").arg(budgets[i]);
            }
            const QString yaml = jobSpecYaml(QStringLiteral("eval"), name, values);
            const SpecCheck check = checkJobSpec(yaml);
            if (!check.ok())
                return fail(check.error);
            specs << yaml;
        }
    }
    return specs;
}

bool EvalLauncher::start()
{
    if (m_workspacePath.isEmpty() || m_controller->isRunning())
        return false;
    QString error;
    const QStringList specs = plannedSpecs(&error);
    if (specs.isEmpty()) {
        m_state->setText(tr("Cannot start: %1").arg(error));
        emit statusMessage(m_state->text());
        return false;
    }
    m_queue = specs;
    m_total = int(specs.size());
    setRunning(true);
    launchNext();
    return true;
}

void EvalLauncher::launchNext()
{
    const QString yaml = m_queue.takeFirst();
    const QString path = writeSpecFile(m_workspacePath + QStringLiteral(".runs/specs"), QStringLiteral("eval"), yaml);
    if (path.isEmpty()) {
        m_queue.clear();
        setRunning(false);
        emit statusMessage(tr("Could not write the job spec next to the workspace."));
        emit finished(QStringLiteral("failed"));
        return;
    }
    m_state->setText(tr("Evaluation %1 of %2: starting…").arg(m_total - m_queue.size()).arg(m_total));
    m_jobId = m_controller->start(path, m_workspacePath);
}

void EvalLauncher::stop()
{
    m_queue.clear();
    m_controller->stop(30'000);
    m_state->setText(tr("Stopping after the responses in flight…"));
}

bool EvalLauncher::isRunning() const
{
    return m_controller->isRunning();
}

QString EvalLauncher::stateText() const
{
    return m_state->text();
}

void EvalLauncher::setRunning(bool running)
{
    m_start->setEnabled(!running && !m_workspacePath.isEmpty());
    m_stop->setEnabled(running);
}

}  // namespace distill::widgets
