#include "widgets/views/run_page.h"

#include "widgets/models/job_spec.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/run_spec.h"
#include "widgets/views/job_form.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QProcess>
#include <QPushButton>
#include <QSplitter>
#include <QStandardPaths>
#include <QVBoxLayout>

#include <cmath>

namespace distill::widgets {

RunPage::RunPage(const QString& kind, const QVector<RunMonitor::Panel>& panels, QWidget* parent)
    : Page(parent), m_kind(kind), m_jobs(new JobTracker(this)), m_controller(new RunController(this)),
      m_monitor(new RunMonitor({kind}, panels, this)), m_form(new JobForm(kind, this))
{
    m_start = new QPushButton(tr("Start"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_resume = new QPushButton(tr("Resume selected"), this);
    m_state = new QLabel(tr("Not running."), this);
    m_state->setWordWrap(true);
    m_gpuInfo = new QLabel(this);
    m_gpuInfo->setWordWrap(true);
    m_gpuBoxes = new QHBoxLayout;
    m_gpuBoxes->setContentsMargins(0, 0, 0, 0);
    m_form->setBrowse(QStringLiteral("model.path"), KeyField::Browse::Folder);
    m_form->setBrowse(QStringLiteral("model.tokenizer"), KeyField::Browse::Folder);

    connect(m_start, &QPushButton::clicked, this, &RunPage::startJob);
    connect(m_stop, &QPushButton::clicked, this, &RunPage::stopJob);
    connect(m_resume, &QPushButton::clicked, this, [this] { resumeJob(m_monitor->selectedRun()); });
    connect(m_controller, &RunController::started, this, [this](int jobId, qint64 runId) {
        if (jobId != m_jobId)
            return;
        m_monitor->refresh();
        m_monitor->runs()->setChecked(runId, true);
        m_state->setText(tr("Run #%1 running.").arg(runId));
        jobStarted(runId);
    });
    connect(m_controller, &RunController::progress, this, [this](int jobId, qint64 done, qint64 total, double eta) {
        if (jobId == m_jobId)
            m_state->setText(tr("Run #%1: step %2 of %3, %4 s left.").arg(m_controller->runId()).arg(done).arg(total)
                                 .arg(std::isfinite(eta) ? QString::number(eta, 'f', 0) : QStringLiteral("–")));
    });
    connect(m_controller, &RunController::failed, this, [this](int jobId, const QString& message) {
        if (jobId == m_jobId)
            m_state->setText(message);
    });
    connect(m_controller, &RunController::finished, this, [this](int jobId, const QString& status) {
        if (jobId != m_jobId)
            return;
        setRunning(false);
        m_monitor->refresh();
        jobFinished();
        if (status != QLatin1String("failed"))
            m_state->setText(tr("Run #%1 %2.").arg(m_controller->runId()).arg(status));
        emit statusMessage(m_state->text());
    });
    setDevices(computeDevices());
    detectGpus();
}

void RunPage::buildLayout(QWidget* right, QWidget* belowState, int leftStretch, int rightStretch)
{
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resume);
    auto* gpuRow = new QHBoxLayout;
    gpuRow->addWidget(new QLabel(tr("Data-parallel GPUs"), this));
    gpuRow->addLayout(m_gpuBoxes);
    gpuRow->addStretch(1);
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(m_form, 1);
    leftLayout->addLayout(gpuRow);
    leftLayout->addWidget(m_gpuInfo);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_state);
    if (belowState)
        leftLayout->addWidget(belowState);
    // The form is never cut on the right: the pane is at least as wide as the form wants.
    left->setMinimumWidth(m_form->minimumSizeHint().width());
    auto* splitter = new QSplitter(this);
    splitter->addWidget(left);
    splitter->addWidget(right);
    splitter->setStretchFactor(0, leftStretch);
    splitter->setStretchFactor(1, rightStretch);
    auto* layout = new QHBoxLayout(this);
    layout->addWidget(splitter);
    setRunning(false);
}

void RunPage::setWorkspacePath(const QString& path)
{
    if (m_controller->isRunning() && path != m_workspacePath)
        m_controller->stop(5000);
    m_workspacePath = path;
    m_jobs->setWorkspacePath(path);
    m_monitor->setWorkspacePath(path);
    m_form->setWorkspacePath(path);
    reload();
    setRunning(m_controller->isRunning());
}

void RunPage::setDevices(const QStringList& devices)
{
    m_devices = devices;
    m_form->setSuggestions(QStringLiteral("model.device"), devices);
    qDeleteAll(m_gpuChecks);
    m_gpuChecks.clear();
    for (const QString& device : devices) {
        if (!device.startsWith(QLatin1String("cuda:")))
            continue;
        auto* box = new QCheckBox(device.mid(5), this);
        box->setObjectName(QStringLiteral("gpu:") + device.mid(5));
        box->setToolTip(tr("Run one process on %1 (data parallel over the ticked GPUs)").arg(device));
        connect(box, &QCheckBox::toggled, this, &RunPage::updateGpus);
        m_gpuBoxes->addWidget(box);
        m_gpuChecks << box;
    }
    if (m_gpuChecks.isEmpty())
        m_gpuInfo->setText(tr("CPU only: libtorch sees no GPU."));
    updateGpus();
}

QList<int> RunPage::dataParallelGpus() const
{
    QList<int> gpus;
    for (const QCheckBox* box : m_gpuChecks)
        if (box->isChecked())
            gpus << box->text().toInt();
    return gpus;
}

void RunPage::setDataParallelGpus(const QList<int>& gpus)
{
    for (QCheckBox* box : m_gpuChecks)
        box->setChecked(gpus.contains(box->text().toInt()));
}

void RunPage::updateGpus()
{
    const QList<int> gpus = dataParallelGpus();
    m_form->setGpus(gpus);
    // Each rank of a data-parallel launch runs on its own GPU: the spec says `cuda`.
    const auto device = m_form->value(QStringLiteral("model.device"));
    if (!gpus.isEmpty() && !(device.is_string() && device.get<std::string>().starts_with("cuda")))
        m_form->setValue(QStringLiteral("model.device"), "cuda");
}

QStringList RunPage::parseGpuList(const QString& csv)
{
    QStringList gpus;
    for (const QString& line : csv.split(QLatin1Char('\n'), Qt::SkipEmptyParts)) {
        const QStringList f = line.split(QLatin1Char(','));
        if (f.size() < 5)
            continue;
        gpus << tr("%1: %2, %3 MiB, %4 MiB used, %5 % busy")
                    .arg(f[0].trimmed(), f[1].trimmed(), f[2].trimmed().remove(QStringLiteral(" MiB")),
                         f[3].trimmed().remove(QStringLiteral(" MiB")), f[4].trimmed().remove(QStringLiteral(" %")));
    }
    return gpus;
}

void RunPage::detectGpus()
{
    const QString smi = QStandardPaths::findExecutable(QStringLiteral("nvidia-smi"));
    if (smi.isEmpty())
        return;
    auto* process = new QProcess(this);
    connect(process, &QProcess::finished, this, [this, process] {
        const QStringList gpus = parseGpuList(QString::fromUtf8(process->readAllStandardOutput()));
        if (!gpus.isEmpty())
            m_gpuInfo->setText(gpus.join(QLatin1Char('\n')));
        process->deleteLater();
    });
    connect(process, &QProcess::errorOccurred, process, &QObject::deleteLater);
    process->start(smi, {QStringLiteral("--query-gpu=index,name,memory.total,memory.used,utilization.gpu"),
                         QStringLiteral("--format=csv,noheader")});
}

bool RunPage::startJob()
{
    return launch(0);
}

bool RunPage::resumeJob(qint64 runId)
{
    return runId > 0 && launch(runId);
}

bool RunPage::launch(qint64 resumeRunId)
{
    if (!hasWorkspace() || m_controller->isRunning())
        return false;
    const QString workspacePath = m_workspacePath;
    QString specPath;  // a resumed run re-reads its stored spec
    if (resumeRunId == 0) {
        const SpecCheck check = m_form->check();
        if (!check.ok()) {
            m_state->setText(tr("Cannot start: %1").arg(check.error));
            emit statusMessage(m_state->text());
            return false;
        }
        specPath = writeSpecFile(workspacePath + QStringLiteral(".runs/specs"), m_kind, m_form->yaml());
        if (specPath.isEmpty()) {
            emit statusMessage(tr("Could not write the job spec next to the workspace."));
            return false;
        }
    }
    m_jobId = m_controller->start(specPath, workspacePath, resumeRunId, {}, dataParallelGpus());
    m_state->setText(tr("Starting…"));
    setRunning(true);
    return true;
}

void RunPage::stopJob()
{
    m_controller->stop(60'000);
    m_state->setText(tr("Stopping after the current step…"));
}

QString RunPage::stateText() const
{
    return m_state->text();
}

void RunPage::setRunning(bool running)
{
    m_start->setEnabled(!running && hasWorkspace());
    m_resume->setEnabled(!running && hasWorkspace());
    m_stop->setEnabled(running);
}

}  // namespace distill::widgets
