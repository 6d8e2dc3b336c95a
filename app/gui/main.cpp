// distillery: the desktop workbench. `distillery --workspace PATH` opens PATH (creating it when
// missing); without it the most recent workspace is reopened. `--page N` starts on page N.
#include "widgets/views/language.h"
#include "widgets/views/main_window.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>

int main(int argc, char** argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("Distillery"));
    QApplication::setApplicationName(QStringLiteral("Distillery"));
    QApplication::setApplicationVersion(QStringLiteral(DISTILLERY_VERSION));
    distill::widgets::applyLanguage(distill::widgets::effectiveLanguage());

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QApplication::translate("main", "Curate chain-of-thought data and distil a reasoning teacher."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption workspace(QStringList{QStringLiteral("w"), QStringLiteral("workspace")},
                                       QApplication::translate("main", "Open (or create) the workspace at <path>."),
                                       QApplication::translate("main", "path"));
    parser.addOption(workspace);
    const QCommandLineOption page(QStringList{QStringLiteral("p"), QStringLiteral("page")},
                                  QApplication::translate("main", "Start on page <n> of the navigation (0: Samples)."),
                                  QApplication::translate("main", "n"));
    parser.addOption(page);
    parser.process(app);

    distill::widgets::MainWindow window;
    if (parser.isSet(workspace)) {
        window.openWorkspace(parser.value(workspace), true);
    } else {
        const QStringList recent = distill::widgets::MainWindow::recentWorkspaces();
        if (!recent.isEmpty() && QFileInfo::exists(recent.first()))
            window.openWorkspace(recent.first());
    }
    if (parser.isSet(page))
        window.showPage(parser.value(page).toInt());
    window.show();
    return app.exec();
}
