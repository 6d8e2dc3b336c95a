// Page: one entry of the main window's navigation (Samples, Problems, Generate, Curate, Train, …).
// A page shows one aspect of the open workspace; it reads and writes it only off the GUI thread.
#pragma once

#include <QVariant>
#include <QWidget>

namespace distill::widgets {

class Page : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The navigation label (translated).
    virtual QString title() const = 0;
    // The main window hands over the path of the open workspace, or an empty path when it closes
    // one. Pages never hold the workspace: their reads and writes are JobTracker jobs, each with its
    // own connection to this file.
    virtual void setWorkspacePath(const QString& path) = 0;
    // Something else wrote to the workspace (an import, a job): re-read what is shown.
    virtual void reload() {}
    // The workspace's sources as [name, problems, samples] lists, read off the GUI thread by the
    // main window after every open and reload (grouping a large workspace takes seconds).
    virtual void setSourceCounts(const QVariantList& sources) { Q_UNUSED(sources); }

signals:
    // A short message for the status bar (errors from the store, results of actions).
    void statusMessage(const QString& message);
};

}  // namespace distill::widgets
