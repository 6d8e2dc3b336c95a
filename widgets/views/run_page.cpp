#include "widgets/views/run_page.h"

#include "widgets/models/job_tracker.h"
#include "widgets/models/run_controller.h"
#include "widgets/models/run_list_model.h"
#include "widgets/models/run_spec.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QScrollArea>
#include <QScrollBar>
#include <QSplitter>
#include <QVBoxLayout>

#include <cmath>

namespace distill::widgets {

RunPage::RunPage(const QString& kind, const QVector<RunMonitor::Panel>& panels, QWidget* parent)
    : Page(parent), m_kind(kind), m_jobs(new JobTracker(this)), m_controller(new RunController(this)),
      m_monitor(new RunMonitor({kind}, panels, this))
{
    m_start = new QPushButton(tr("Start"), this);
    m_stop = new QPushButton(tr("Stop"), this);
    m_resume = new QPushButton(tr("Resume selected"), this);
    m_state = new QLabel(tr("Not running."), this);
    m_state->setWordWrap(true);

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
    connect(m_controller, &RunController::error, this,
            [this](int jobId, const QString& code, const QString& detail, const QString& hint, bool fatal) {
                if (jobId == m_jobId && fatal)
                    m_state->setText(tr("Error (%1): %2 %3").arg(code, detail, hint));
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
}

void RunPage::buildLayout(QWidget* config, QWidget* right, QWidget* belowState, int leftStretch, int rightStretch)
{
    auto* buttons = new QHBoxLayout;
    buttons->addWidget(m_start);
    buttons->addWidget(m_stop);
    buttons->addWidget(m_resume);
    auto* scroll = new QScrollArea(this);
    scroll->setWidget(config);
    scroll->setWidgetResizable(true);
    // The form is never cut on the right: the pane is at least as wide as the form wants.
    scroll->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    scroll->setMinimumWidth(config->sizeHint().width() + scroll->verticalScrollBar()->sizeHint().width()
                            + 2 * scroll->frameWidth());
    auto* left = new QWidget(this);
    auto* leftLayout = new QVBoxLayout(left);
    leftLayout->setContentsMargins(0, 0, 0, 0);
    leftLayout->addWidget(scroll, 1);
    leftLayout->addLayout(buttons);
    leftLayout->addWidget(m_state);
    if (belowState)
        leftLayout->addWidget(belowState);
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
    reload();
    setRunning(m_controller->isRunning());
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
        specPath = writeSpecFile(workspacePath + QStringLiteral(".runs/specs"), m_kind, spec());
        if (specPath.isEmpty()) {
            emit statusMessage(tr("Could not write the job spec next to the workspace."));
            return false;
        }
    }
    m_jobId = m_controller->start(specPath, workspacePath, resumeRunId);
    m_state->setText(tr("Starting…"));
    setRunning(true);
    return true;
}

void RunPage::stopJob()
{
    m_controller->stop(60'000);
    m_state->setText(tr("Stopping after the current step…"));
}

void RunPage::setRunning(bool running)
{
    m_start->setEnabled(!running && hasWorkspace());
    m_resume->setEnabled(!running && hasWorkspace());
    m_stop->setEnabled(running);
}

}  // namespace distill::widgets
