// PageScreenshots: every page of the main window rendered to <dir>/<page>.png (TrainPage ->
// train_page.png), each once its reads have landed: what `distillery --workspace W --screenshots DIR`
// does before it exits, for the docs and for review.
#pragma once

#include <QElapsedTimer>
#include <QObject>
#include <QStringList>

class QTimer;

namespace distill::widgets {

class MainWindow;
class Page;

class PageScreenshots : public QObject {
    Q_OBJECT
public:
    PageScreenshots(MainWindow* window, const QString& dir, QObject* parent = nullptr);

    // Shows each page in turn and saves it when every job of the window is done (at most
    // kMaxWaitMs a page); `finished` follows the last one.
    void start();
    bool started() const { return m_index >= 0; }
    // "train_page.png" for TrainPage.
    static QString fileName(const Page* page);

    static constexpr int kMaxWaitMs = 30000;

signals:
    // `files`: the pictures written; ok is false when one could not be written.
    void finished(bool ok, const QStringList& files);

private:
    void showPage(int index);
    void poll();
    bool idle() const;

    MainWindow* m_window;
    QString m_dir;
    QTimer* m_poll;
    QElapsedTimer m_waited;
    int m_index = -1;
    int m_idlePolls = 0;
    bool m_ok = true;
    QStringList m_files;
};

}  // namespace distill::widgets
