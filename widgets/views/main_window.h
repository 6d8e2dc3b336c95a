// MainWindow: owns the open workspace and wires the pages (left navigation + stacked pages), the
// File menu (new/open/recent workspaces, import, freeze/export) and settings. No page logic here.
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

class BackgroundRead;
class Page;
class ProblemBrowserPage;
class SampleBrowserPage;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget* parent = nullptr);
    ~MainWindow() override;

    // Opens (or, with `create`, creates when missing) a workspace and shows it in every page.
    // On failure shows the reason and keeps the current workspace.
    bool openWorkspace(const QString& path, bool create = false);
    store::Workspace* workspace() const { return m_workspace.get(); }

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

private:
    void buildMenus();
    void rememberWorkspace(const QString& path);
    void updateRecentMenu();
    void updateTitle();
    void showError(const QString& message);

    std::unique_ptr<store::Workspace> m_workspace;
    QListWidget* m_navigation;
    QStackedWidget* m_pages;
    SampleBrowserPage* m_samples;
    ProblemBrowserPage* m_problems;
    BackgroundRead* m_sourcesReader;  // one read of the source list feeds every page
    QMenu* m_recentMenu = nullptr;
    QList<QAction*> m_workspaceActions;  // enabled only while a workspace is open
};

}  // namespace distill::widgets
