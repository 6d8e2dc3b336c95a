// Page: one entry of the main window's navigation (Samples, Problems, and later Generate, Curate,
// Train, Evaluate). A page shows one aspect of the open workspace.
#pragma once

#include <QVariant>
#include <QWidget>

namespace distill::store {
class Workspace;
}

namespace distill::widgets {

class Page : public QWidget {
    Q_OBJECT
public:
    using QWidget::QWidget;

    // The navigation label (translated).
    virtual QString title() const = 0;
    // The main window hands over the open workspace, or nullptr when it closes one. The workspace
    // outlives the page's use of it: it is replaced only through this call.
    virtual void setWorkspace(store::Workspace* workspace) = 0;
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
