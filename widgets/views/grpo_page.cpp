#include "widgets/views/grpo_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/run_checkpoints.h"
#include "widgets/models/run_list_model.h"
#include "widgets/views/group_inspector.h"
#include "widgets/views/run_monitor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QJsonArray>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTabWidget>
#include <QTableView>
#include <QTimer>

#include <cmath>

namespace distill::widgets {

namespace {

QDoubleSpinBox* number(QWidget* parent, double lo, double hi, double value, int decimals, const QString& tip)
{
    auto* box = new QDoubleSpinBox(parent);
    box->setRange(lo, hi);
    box->setDecimals(decimals);
    box->setSingleStep(std::pow(10.0, -decimals + 1));
    box->setValue(value);
    box->setToolTip(tip);
    return box;
}

QSpinBox* integer(QWidget* parent, int lo, int hi, int value, const QString& tip)
{
    auto* box = new QSpinBox(parent);
    box->setRange(lo, hi);
    box->setValue(value);
    box->setToolTip(tip);
    return box;
}

}  // namespace

GrpoPage::GrpoPage(QWidget* parent)
    : RunPage(QStringLiteral("grpo"),
              {{tr("Reward"), {QStringLiteral("grpo/reward_mean"), QStringLiteral("grpo/reward/accuracy/mean"),
                               QStringLiteral("grpo/reward/format/mean")}},
               {tr("Accuracy"), {QStringLiteral("grpo/accuracy")}},
               {tr("KL"), {QStringLiteral("grpo/kl")}},
               {tr("Entropy"), {QStringLiteral("grpo/entropy")}},
               {tr("Response length"), {QStringLiteral("grpo/length_mean")}},
               {tr("Groups without signal"), {QStringLiteral("grpo/no_signal_share")}}},
              parent),
      m_inspector(new GroupInspector(this)), m_groupTimer(new QTimer(this))
{
    auto* config = new QWidget(this);
    auto* form = new QFormLayout(config);
    m_policy = new QComboBox(config);
    m_policy->setEditable(true);
    m_policy->setToolTip(tr("A checkpoint of an SFT run, or any Hugging Face model folder."));
    m_toyCount = integer(config, 0, 10'000'000, 500, tr("Toy train problems (0: use the JSONL file)."));
    m_jsonl = new QLineEdit(config);
    m_jsonl->setPlaceholderText(tr("JSONL file with question and answer fields"));
    m_groupSize = integer(config, 2, 256, 8, tr("G: completions sampled per prompt; advantages compare them."));
    m_promptsPerStep = integer(config, 1, 4096, 4, tr("Prompts per GRPO step."));
    m_temperature = number(config, 0.05, 2.0, 1.0, 2,
                           tr("Sampling temperature of the rollouts; the loss scores them under the same tempered policy."));
    m_epsilon = number(config, 0.0, 1.0, 0.2, 3, tr("ε: clip range of the probability ratio."));
    m_beta = number(config, 0.0, 10.0, 0.0, 4, tr("β: weight of the KL penalty to the reference (0: no reference model)."));
    m_updates = integer(config, 1, 64, 1, tr("μ: optimizer updates per batch of rollouts."));
    m_accuracyWeight = number(config, 0.0, 100.0, 1.0, 2, tr("Weight of the accuracy reward (answer equals the reference)."));
    m_formatWeight = number(config, 0.0, 100.0, 0.1, 2, tr("Weight of the format reward (<think> block and boxed answer)."));
    m_maxSteps = integer(config, 1, 10'000'000, 100, tr("GRPO steps."));
    m_lr = number(config, 1e-8, 1.0, 1e-6, 8, tr("Learning rate (GRPO uses small ones, about 1e-6)."));
    for (auto [widget, name] : {std::pair<QWidget*, const char*>{m_policy, "policy"}, {m_toyCount, "toyCount"},
                                {m_groupSize, "groupSize"}, {m_promptsPerStep, "promptsPerStep"}, {m_temperature, "temperature"},
                                {m_maxSteps, "maxSteps"}, {m_lr, "lr"}})
        widget->setObjectName(QLatin1String(name));
    form->addRow(tr("Policy model"), m_policy);
    form->addRow(tr("Toy problems"), m_toyCount);
    form->addRow(tr("Problems file"), m_jsonl);
    form->addRow(tr("Group size G"), m_groupSize);
    form->addRow(tr("Prompts per step"), m_promptsPerStep);
    form->addRow(tr("Temperature"), m_temperature);
    form->addRow(tr("Clip ε"), m_epsilon);
    form->addRow(tr("KL β"), m_beta);
    form->addRow(tr("Updates μ"), m_updates);
    form->addRow(tr("Accuracy weight"), m_accuracyWeight);
    form->addRow(tr("Format weight"), m_formatWeight);
    form->addRow(tr("Steps"), m_maxSteps);
    form->addRow(tr("Learning rate"), m_lr);

    m_alarms = new QLabel(this);
    m_alarms->setWordWrap(true);

    // The curves and the groups each get the whole height: the inspector shows G completions side by side.
    m_tabs = new QTabWidget(this);
    m_tabs->setObjectName(QStringLiteral("tabs"));
    m_tabs->addTab(monitor(), tr("Curves"));
    m_tabs->addTab(m_inspector, tr("Groups"));
    m_groupTimer->setInterval(2000);
    connect(m_groupTimer, &QTimer::timeout, m_inspector, &GroupInspector::refreshSteps);
    buildLayout(config, m_tabs, m_alarms, 1, 4);

    connect(monitor(), &RunMonitor::selectedRunChanged, this, &GrpoPage::showRun);
    connect(monitor(), &RunMonitor::pointRead, this, [this](qint64 run, const QString& name, qint64 step, double value) {
        m_health[run].add(name.toStdString(), step, value);
        updateAlarms();
    });
    connect(monitor(), &RunMonitor::curvesReset, this, [this] {
        m_health.clear();  // the monitor re-reads the checked runs from their first step
        updateAlarms();
    });
}

QString GrpoPage::title() const
{
    return tr("GRPO");
}

void GrpoPage::setWorkspacePath(const QString& path)
{
    m_health.clear();
    m_inspector->setRunFolder({});
    RunPage::setWorkspacePath(path);
}

void GrpoPage::reload()
{
    monitor()->refresh();
    if (!hasWorkspace()) {
        m_policy->clear();
        return;
    }
    jobs()->start(
        QStringLiteral("checkpoints"),
        [](JobContext& job) { return QVariant::fromValue(readRunCheckpoints(job.reader(), {store::RunKind::Sft})); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                emit statusMessage(error);
                return;
            }
            const QString current = m_policy->currentText();
            m_policy->clear();
            for (const RunCheckpoint& c : result.value<QVector<RunCheckpoint>>())
                m_policy->addItem(c.folder);
            if (!current.isEmpty())
                m_policy->setCurrentText(current);
        });
}

void GrpoPage::showRun(qint64 runId)
{
    if (!hasWorkspace() || runId <= 0)
        return;
    jobs()->start(
        QStringLiteral("runFolder"), [runId](JobContext& job) { return QVariant(readRunFolder(job.reader(), runId)); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty())
                emit statusMessage(error);
            else if (!result.toString().isEmpty())
                m_inspector->setRunFolder(result.toString());
        });
}

QString GrpoPage::alarmText(const RunAlarm& alarm, const RunHealthOptions& o)
{
    switch (alarm.kind) {
    case AlarmKind::RewardFlat:
        return tr("reward flat for %1 steps (range %2) at step %3").arg(o.flatSteps).arg(alarm.value, 0, 'g', 3).arg(alarm.step);
    case AlarmKind::KlExploding:
        return tr("KL %1 above %2 at step %3").arg(alarm.value, 0, 'g', 3).arg(o.klThreshold).arg(alarm.step);
    case AlarmKind::EntropyCollapse:
        return tr("entropy collapsed to %1 at step %2").arg(alarm.value, 0, 'g', 3).arg(alarm.step);
    case AlarmKind::SameGroups:
        return tr("%1 % of groups all-same (no signal) at step %2").arg(alarm.value * 100, 0, 'f', 0).arg(alarm.step);
    }
    return {};
}

QStringList GrpoPage::alarmTexts() const
{
    QStringList lines;
    for (const qint64 run : monitor()->runs()->checkedRuns()) {
        const auto it = m_health.constFind(run);
        if (it == m_health.constEnd())
            continue;
        for (const RunAlarm& alarm : it->alarms())
            lines << QStringLiteral("#%1: %2").arg(run).arg(alarmText(alarm, it->options()));
    }
    return lines;
}

void GrpoPage::updateAlarms()
{
    QStringList lines = alarmTexts();
    for (QString& line : lines)
        line = line.toHtmlEscaped();
    m_alarms->setText(lines.isEmpty() ? QString()
                                      : QStringLiteral("<b style='color:#b00000'>%1</b><br>%2")
                                            .arg(tr("Health alarms"), lines.join(QLatin1String("<br>"))));
}

QJsonObject GrpoPage::spec() const
{
    QJsonObject problems;
    if (m_toyCount->value() > 0)
        problems[QStringLiteral("toy")] = QJsonObject{{QStringLiteral("count"), m_toyCount->value()}};
    else
        problems[QStringLiteral("jsonl")] = m_jsonl->text().trimmed();
    const QString policy = m_policy->currentText().trimmed();
    return {{QStringLiteral("kind"), QStringLiteral("grpo")},
            {QStringLiteral("name"), QStringLiteral("grpo")},
            {QStringLiteral("problems"), problems},
            {QStringLiteral("model"), QJsonObject{{QStringLiteral("path"), policy}}},
            {QStringLiteral("rollout"), QJsonObject{{QStringLiteral("prompts_per_step"), m_promptsPerStep->value()},
                                                    {QStringLiteral("num_generations"), m_groupSize->value()},
                                                    {QStringLiteral("temperature"), m_temperature->value()}}},
            {QStringLiteral("rewards"), QJsonArray{QJsonObject{{QStringLiteral("kind"), QStringLiteral("accuracy")},
                                                               {QStringLiteral("weight"), m_accuracyWeight->value()}},
                                                   QJsonObject{{QStringLiteral("kind"), QStringLiteral("format")},
                                                               {QStringLiteral("weight"), m_formatWeight->value()}}}},
            {QStringLiteral("objective"), QJsonObject{{QStringLiteral("epsilon"), m_epsilon->value()},
                                                      {QStringLiteral("beta"), m_beta->value()},
                                                      {QStringLiteral("updates_per_batch"), m_updates->value()}}},
            {QStringLiteral("train"), QJsonObject{{QStringLiteral("max_steps"), m_maxSteps->value()},
                                                  {QStringLiteral("lr"), m_lr->value()}}}};
}

void GrpoPage::jobStarted(qint64 runId)
{
    monitor()->selectRun(runId);
}

void GrpoPage::jobFinished()
{
    m_inspector->refreshSteps();
}

void GrpoPage::setRunning(bool running)
{
    RunPage::setRunning(running);
    if (running)
        m_groupTimer->start();
    else
        m_groupTimer->stop();
}

}  // namespace distill::widgets
