// MainWindow: owns the open workspace and wires the pages (left navigation + stacked pages), the
// File menu (new/open/recent workspaces, import, freeze/export) and settings. No page logic here.
// Pages get the workspace's path, never the workspace: every read and write is a JobTracker job.
#pragma once

#include <QMainWindow>

#include <memory>

class QListWidget;
class QStackedWidget;
class QMenu;

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class JobTracker;
class Page;
class ProblemBrowserPage;
class SampleBrowserPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens (or, with `create`, creates when missing) a workspace off the GUI thread, then shows it
    // in every page (workspaceOpened). False at once for a missing file without `create`; a file
    // that cannot be opened is reported when the open has failed. The current workspace stays until then.
    bool openWorkspace(const QString& path, bool create = false);
    store::Workspace* workspace() const { return m_workspace.get(); }
    QString workspacePath() const;
    // The open, the status-bar counts and the source list (tests wait on it).
    JobTracker* jobs() const { return m_jobs; }

    // Adds a page to the navigation; the window takes ownership.
    void addPage(Page* page);
    void showPage(int index);
    int pageCount() const;
    Page* page(int index) const;
    SampleBrowserPage* sampleBrowser() const { return m_samples; }
    ProblemBrowserPage* problemBrowser() const { return m_problems; }

    static QStringList recentWorkspaces();
    static constexpr int kMaxRecent = 8;

    void newWorkspace();
    void chooseWorkspace();
    void showImportDialog();
    void showFreezeDialog();
    void showSettings();
    // Re-reads the workspace in every page (after imports or jobs).
    void reloadPages();

signals:
    void workspaceOpened(const QString& path);

private:
    void buildMenus();
    void rememberWorkspace(const QString& path);
    void updateRecentMenu();
    void showWorkspace(std::shared_ptr<store::Workspace> workspace, const QString& path);
    // Hands the open workspace to a job that closes it.
    void releaseWorkspace();
    void updateTitle();
    void readSourceCounts();
    void showError(const QString& message);

    // The open workspace (opened and, when older, migrated off the GUI thread); pages get its path.
    std::shared_ptr<store::Workspace> m_workspace;
    QListWidget* m_navigation;
    QStackedWidget* m_pages;
    SampleBrowserPage* m_samples;
    ProblemBrowserPage* m_problems;
    JobTracker* m_jobs;
    QMenu* m_recentMenu = nullptr;
    QList<QAction*> m_workspaceActions;  // enabled only while a workspace is open
};

}  // namespace distill::widgets
