// distillery: the desktop workbench. `distillery --workspace PATH` opens PATH (creating it when
// missing); without it the most recent workspace is reopened. `--page N` starts on page N. `--demo`
// (what ./run.sh passes) shows the Pipeline page and, on a workspace without a pipeline run, runs the
// toy demo's pipeline there, as `distillery-cli demo` does headless.
// `--screenshots DIR` renders every page offscreen to DIR/<page>.png once its reads have landed, then exits.
#include "core/train/toy_demo.h"  // first: a core header, before Qt defines `emit`
#include "widgets/views/language.h"
#include "widgets/views/main_window.h"
#include "widgets/views/page_screenshots.h"
#include "widgets/views/pipeline_page.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QFileInfo>
#include <QTimer>

#include <cstdio>
#include <cstring>

int main(int argc, char** argv)
{
    // Screenshots need no display: the offscreen platform, chosen before the application starts.
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--screenshots") == 0 && qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
            qputenv("QT_QPA_PLATFORM", "offscreen");
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
    const QCommandLineOption screenshots(
        QStringLiteral("screenshots"),
        QApplication::translate("main", "Render every page to <dir>/<page>.png once loaded, then exit."),
        QApplication::translate("main", "dir"));
    parser.addOption(screenshots);
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QApplication::translate("main", "Show the Pipeline page; on a workspace without a pipeline run, run the toy demo there."));
    parser.addOption(demo);
    parser.process(app);

    distill::widgets::MainWindow window;
    if (parser.isSet(screenshots)) {
        window.resize(1440, 900);
        auto* shots = new distill::widgets::PageScreenshots(&window, parser.value(screenshots), &window);
        QObject::connect(shots, &distill::widgets::PageScreenshots::finished, &app,
                         [](bool ok, const QStringList& files) {
                             for (const QString& file : files)
                                 std::printf("%s\n", qPrintable(file));
                             QCoreApplication::exit(ok ? 0 : 1);
                         });
        if (parser.isSet(workspace)) {
            QObject::connect(&window, &distill::widgets::MainWindow::workspaceOpened, shots,
                             &distill::widgets::PageScreenshots::start);
            window.openWorkspace(parser.value(workspace), true);
            // A workspace that cannot be opened never reports: give up rather than wait forever.
            QTimer::singleShot(120'000, &app, [shots] {
                if (!shots->started()) {
                    std::fprintf(stderr, "the workspace did not open\n");
                    QCoreApplication::exit(2);
                }
            });
        } else {
            QTimer::singleShot(0, shots, &distill::widgets::PageScreenshots::start);
        }
        window.show();
        return app.exec();
    }
    auto* pipeline = window.findChild<distill::widgets::PipelinePage*>();
    // The demo's pipeline runs end with its report (teacher samples kept, pass@1 before and after).
    pipeline->setReportMaker([](const distill::store::Workspace& ws, qint64 runId) {
        return QString::fromStdString(distill::train::toyDemoReportText(ws, runId));
    });
    if (parser.isSet(demo)) {
        pipeline->startWhenNew(QString::fromStdString(distill::train::toyDemoPipelineYaml({})));
        for (int i = 0; i < window.pageCount(); ++i)
            if (window.page(i) == pipeline)
                window.showPage(i);
    }
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
