// MainWindow implementation: wiring only.
#include "widgets/views/main_window.h"

#include "core/store/workspace.h"
#include "widgets/models/job_tracker.h"
#include "widgets/models/workspace_queries.h"
#include "widgets/views/curation_page.h"
#include "widgets/views/eval_page.h"
#include "widgets/views/freeze_dialog.h"
#include "widgets/views/generate_page.h"
#include "widgets/views/grpo_page.h"
#include "widgets/views/import_dialog.h"
#include "widgets/views/models_page.h"
#include "widgets/views/pipeline_page.h"
#include "widgets/views/page.h"
#include "widgets/views/playground_page.h"
#include "widgets/views/problem_browser_page.h"
#include "widgets/views/sample_browser_page.h"
#include "widgets/views/settings_dialog.h"
#include "widgets/views/train_page.h"

#include <QApplication>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>

#include <utility>

namespace distill::widgets {

namespace {
const char kRecentKey[] = "workspaces/recent";
}

MainWindow::MainWindow(QWidget* parent)
    : QMainWindow(parent), m_navigation(new QListWidget(this)), m_pages(new QStackedWidget(this)),
      m_samples(new SampleBrowserPage(this)), m_problems(new ProblemBrowserPage(this)), m_jobs(new JobTracker(this))
{
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setFrameShape(QFrame::NoFrame);
    m_navigation->setSpacing(2);
    m_navigation->setMaximumWidth(140);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto* central = new QWidget(this);
    auto* layout = new QHBoxLayout(central);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_navigation);
    layout->addWidget(m_pages, 1);
    setCentralWidget(central);

    // Pages, in navigation order. Adding a page is one line here.
    addPage(m_samples);
    connect(m_samples, &SampleBrowserPage::freezeRequested, this, &MainWindow::showFreezeDialog);
    addPage(m_problems);
    auto* generate = new GeneratePage(this);
    addPage(generate);
    connect(generate, &GeneratePage::samplesChanged, m_samples, &SampleBrowserPage::reload);
    auto* curation = new CurationPage(this);
    addPage(curation);
    connect(curation, &CurationPage::curated, m_samples, &SampleBrowserPage::reload);
    auto* train = new TrainPage(this);
    addPage(train);
    auto* grpo = new GrpoPage(this);
    addPage(grpo);
    auto* evaluate = new EvalPage(this);
    addPage(evaluate);
    auto* pipeline = new PipelinePage(this);
    addPage(pipeline);
    connect(pipeline, &PipelinePage::samplesChanged, m_samples, &SampleBrowserPage::reload);
    // A stage's run opens on the page of its kind.
    const QHash<QString, Page*> byKind = {{QStringLiteral("generate"), generate}, {QStringLiteral("curate"), curation},
                                          {QStringLiteral("freeze"), m_samples},  {QStringLiteral("sft"), train},
                                          {QStringLiteral("grpo"), grpo},         {QStringLiteral("eval"), evaluate}};
    connect(pipeline, &PipelinePage::stageRunActivated, this, [this, byKind](qint64, const QString& kind) {
        if (Page* page = byKind.value(kind))
            showPage(m_pages->indexOf(page));
    });
    auto* models = new ModelsPage(this);
    addPage(models);
    addPage(new PlaygroundPage(models->models(), this));

    buildMenus();
    showPage(0);
    updateTitle();
    resize(1280, 800);
}

MainWindow::~MainWindow()
{
    for (int i = 0; i < pageCount(); ++i)
        page(i)->setWorkspacePath({});
    releaseWorkspace();  // the tracker waits for the close when it goes
}

QString MainWindow::workspacePath() const
{
    return m_jobs->workspacePath();
}

void MainWindow::addPage(Page* page)
{
    m_pages->addWidget(page);
    m_navigation->addItem(page->title());
    connect(page, &Page::statusMessage, this, [this](const QString& m) { statusBar()->showMessage(m, 8000); });
    page->setWorkspacePath(workspacePath());
}

void MainWindow::showPage(int index)
{
    m_navigation->setCurrentRow(index);
}

int MainWindow::pageCount() const
{
    return m_pages->count();
}

Page* MainWindow::page(int index) const
{
    return qobject_cast<Page*>(m_pages->widget(index));
}

void MainWindow::buildMenus()
{
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New workspace…"), QKeySequence::New, this, &MainWindow::newWorkspace);
    file->addAction(tr("&Open workspace…"), QKeySequence::Open, this, &MainWindow::chooseWorkspace);
    m_recentMenu = file->addMenu(tr("Open &recent"));
    file->addSeparator();
    m_workspaceActions << file->addAction(tr("&Import records…"), QKeySequence(Qt::CTRL | Qt::Key_I), this,
                                          &MainWindow::showImportDialog);
    m_workspaceActions << file->addAction(tr("&Freeze/export dataset…"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                                          &MainWindow::showFreezeDialog);
    file->addSeparator();
    file->addAction(tr("&Settings…"), this, &MainWindow::showSettings);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, qApp, &QApplication::closeAllWindows);

    QMenu* help = menuBar()->addMenu(tr("&Help"));
    help->addAction(tr("&About Distillery"), this, [this] {
        QMessageBox::about(this, tr("About Distillery"),
                           tr("<b>Distillery %1</b><p>Curate chain-of-thought data and distil a reasoning "
                              "teacher into a small student model.</p><p>GPL-3.0-or-later.</p>")
                               .arg(QApplication::applicationVersion()));
    });
    updateRecentMenu();
    for (QAction* a : m_workspaceActions)
        a->setEnabled(false);
}

bool MainWindow::openWorkspace(const QString& path, bool create)
{
    const QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    if (!create && !QFileInfo::exists(clean)) {
        showError(tr("Cannot open workspace %1:\n%2").arg(path, tr("the file does not exist.")));
        return false;
    }
    statusBar()->showMessage(tr("Opening %1…").arg(clean));
    // Opening migrates an older file and creating imports the bundled benchmarks: both off the GUI thread.
    m_jobs->start(
        QStringLiteral("open"),
        [clean, create](JobContext&) {
            const std::string p = clean.toStdString();
            if (create && !QFileInfo::exists(clean))
                store::Workspace::create(p).close();
            return QVariant::fromValue(std::make_shared<store::Workspace>(store::Workspace::open(p, store::OpenOptions::browser())));
        },
        [this, path, clean](const QVariant& result, const QString& error) {
            if (error.isEmpty())
                showWorkspace(result.value<std::shared_ptr<store::Workspace>>(), clean);
            else
                showError(tr("Cannot open workspace %1:\n%2").arg(path, error));
        });
    return true;
}

void MainWindow::showWorkspace(std::shared_ptr<store::Workspace> workspace, const QString& path)
{
    releaseWorkspace();
    // Kept open while shown, so that the jobs' short connections are never the last one (the
    // last connection to close checkpoints the write-ahead log).
    m_workspace = std::move(workspace);
    m_jobs->setWorkspacePath(path);
    for (int i = 0; i < pageCount(); ++i)
        page(i)->setWorkspacePath(path);
    for (QAction* a : m_workspaceActions)
        a->setEnabled(true);
    rememberWorkspace(path);
    updateTitle();
    readSourceCounts();
    emit workspaceOpened(path);
}

void MainWindow::releaseWorkspace()
{
    if (m_workspace)  // closed on a worker: a close may checkpoint the write-ahead log
        m_jobs->enqueue([workspace = std::exchange(m_workspace, nullptr)](JobContext&) mutable {
            workspace.reset();
            return QVariant();
        });
}

void MainWindow::readSourceCounts()
{
    // One read of the source list feeds every page.
    m_jobs->start(
        QStringLiteral("sources"), [](JobContext& job) { return readSources(job.reader()); },
        [this](const QVariant& result, const QString& error) {
            if (!error.isEmpty())
                statusBar()->showMessage(error, 8000);
            for (int i = 0; i < pageCount(); ++i)
                page(i)->setSourceCounts(result.toList());
        });
}

void MainWindow::newWorkspace()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("New workspace"), QDir::homePath(),
                                                      tr("Distillery workspace (*.distillery)"));
    if (path.isEmpty())
        return;
    if (QFileInfo::exists(path)) {
        showError(tr("%1 already exists; use Open workspace to open it.").arg(path));
        return;
    }
    openWorkspace(path, true);
}

void MainWindow::chooseWorkspace()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Open workspace"), QDir::homePath(),
                                                      tr("Distillery workspace (*.distillery);;All files (*)"));
    if (!path.isEmpty())
        openWorkspace(path);
}

void MainWindow::showImportDialog()
{
    if (!m_workspace)
        return;
    auto* dialog = new ImportDialog(workspacePath(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &ImportDialog::imported, this, &MainWindow::reloadPages);
    dialog->open();
}

void MainWindow::showFreezeDialog()
{
    if (!m_workspace)
        return;
    auto* dialog = new FreezeDialog(workspacePath(), m_samples->query(), this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &FreezeDialog::frozen, this, &MainWindow::updateTitle);
    dialog->open();
}

void MainWindow::showSettings()
{
    auto* dialog = new SettingsDialog(this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    dialog->open();
}

void MainWindow::reloadPages()
{
    for (int i = 0; i < pageCount(); ++i)
        page(i)->reload();
    updateTitle();
    if (m_workspace)
        readSourceCounts();
}

QStringList MainWindow::recentWorkspaces()
{
    return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::rememberWorkspace(const QString& path)
{
    QStringList recent = recentWorkspaces();
    recent.removeAll(path);
    recent.prepend(path);
    while (recent.size() > kMaxRecent)
        recent.removeLast();
    QSettings().setValue(kRecentKey, recent);
    updateRecentMenu();
}

void MainWindow::updateRecentMenu()
{
    m_recentMenu->clear();
    const QStringList recent = recentWorkspaces();
    for (const QString& path : recent)
        m_recentMenu->addAction(path, this, [this, path] { openWorkspace(path); });
    m_recentMenu->setEnabled(!recent.isEmpty());
}

void MainWindow::updateTitle()
{
    if (!m_workspace) {
        setWindowTitle(tr("Distillery"));
        statusBar()->showMessage(tr("No workspace open. Use File › New workspace or Open workspace."));
        return;
    }
    const QString path = workspacePath();
    setWindowTitle(tr("%1 — Distillery").arg(QFileInfo(path).fileName()));
    statusBar()->showMessage(path);
    m_jobs->start(
        QStringLiteral("counts"), [](JobContext& job) { return QVariant::fromValue(readWorkspaceCounts(job.reader())); },
        [this, path](const QVariant& result, const QString& error) {
            if (!error.isEmpty()) {
                statusBar()->showMessage(error);
                return;
            }
            const auto counts = result.value<WorkspaceCounts>();
            statusBar()->showMessage(tr("%1 · %2 problems · %3 samples · %4 datasets")
                                         .arg(path)
                                         .arg(counts.problems)
                                         .arg(counts.samples)
                                         .arg(counts.datasets));
        });
}

void MainWindow::showError(const QString& message)
{
    statusBar()->showMessage(message, 15000);
    auto* box = new QMessageBox(QMessageBox::Warning, tr("Distillery"), message, QMessageBox::Ok, this);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->open();
}

}  // namespace distill::widgets
