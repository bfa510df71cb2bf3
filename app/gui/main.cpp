// llm-foundry: the desktop application.
#include "common/appdata.h"
#include "mainwindow.h"
#include "lessons/actionregistry.h"
#include "lessons/lessonspage.h"
#include "inspector/embeddingmapview.h"
#include "inspector/headsview.h"
#include "inspector/inspectorpage.h"
#include "playground/playgroundpage.h"
#include "playground/precisionpanel.h"
#include "tokenizerlab/tokenizerlabpage.h"
#include "training/trainingdashboard.h"

#include "llmf/common/systeminfo.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QEventLoop>
#include <QStatusBar>
#include <QTimer>
#include <QUrl>

namespace {

// --screenshots DIR: saves every page as PNG (and the Training page after N seconds of Quick start), then quits.
// Used for the docs and to judge the GUI on machines without a display (QT_QPA_PLATFORM=offscreen).
void scheduleScreenshots(llmf::MainWindow &window, const QString &dir, int trainSeconds)
{
    QDir().mkpath(dir);
    QTimer::singleShot(500, &window, [&window, dir, trainSeconds] {
        for (int page = 0; page < llmf::MainWindow::PageCount; ++page) {
            window.showPage(page);
            window.grab().save(QDir(dir).filePath(llmf::MainWindow::pageName(page) + QStringLiteral(".png")));
        }
        // The Tokenizer Lab halfway through replaying its merges (the run's tokenizer once a run is open).
        window.showPage(llmf::MainWindow::TokenizerLabPageIndex);
        window.tokenizerLab()->setMerge(window.tokenizerLab()->mergeCount() / 2);
        window.grab().save(QDir(dir).filePath(QStringLiteral("tokenizer-lab.png")));
        // A lesson with code excerpts, then one of its action links at work (Config Studio opened on `small`
        // with a single KV head, the Diff tab showing what the link changed).
        window.lessons()->openLesson(QStringLiteral("s1-attention-and-ffn"));
        window.showPage(llmf::MainWindow::LessonsPageIndex);
        window.grab().save(QDir(dir).filePath(QStringLiteral("lesson.png")));
        window.actions()->trigger(QUrl(QStringLiteral("llmf:config?preset=small&model.n_kv_heads=1")));
        window.grab().save(QDir(dir).filePath(QStringLiteral("lesson-link-config.png")));
        if (trainSeconds <= 0) {
            QApplication::quit();
            return;
        }
        window.quickStart();
        QTimer::singleShot(trainSeconds * 1000, &window, [&window, dir] {
            window.grab().save(QDir(dir).filePath(QStringLiteral("training-live.png")));
            // Stop (the run is saved and opened in the Inspector), then capture the Inspector on it.
            window.trainingDashboard()->stopAndWait();
            QTimer::singleShot(1000, &window, [&window, dir] {
                // The Inspector loads and probes on its worker thread: each picture waits (at most a minute) for
                // what it shows.
                llmf::views::InspectorPage *inspector = window.inspector();
                window.showPage(llmf::MainWindow::InspectorPageIndex);
                inspector->waitUntilSettled();
                window.grab().save(QDir(dir).filePath(QStringLiteral("inspector-live.png")));
                window.actions()->trigger(QUrl(QStringLiteral(
                    "llmf:inspector?tab=logitlens&text=It%20is%20a%20truth%20universally%20acknowledged")));
                inspector->waitUntilSettled();
                window.grab().save(QDir(dir).filePath(QStringLiteral("logit-lens.png")));
                window.actions()->trigger(QUrl(QStringLiteral("llmf:inspector?tab=embeddings")));
                inspector->embeddingMapView()->search(QStringLiteral(" the"));
                inspector->waitUntilSettled();
                window.grab().save(QDir(dir).filePath(QStringLiteral("embedding-map.png")));
                window.actions()->trigger(QUrl(QStringLiteral("llmf:inspector?tab=heads")));
                {
                    // Every snapshot of a 20-second run is measured in well under a second; wait at most 30 s.
                    llmf::views::HeadsView *heads = window.inspector()->headsView();
                    QEventLoop wait;
                    QObject::connect(heads, &llmf::views::HeadsView::finished, &wait, &QEventLoop::quit);
                    QObject::connect(heads, &llmf::views::HeadsView::failed, &wait, &QEventLoop::quit);
                    QTimer::singleShot(30000, &wait, &QEventLoop::quit);
                    heads->measure();
                    if (heads->isBusy())
                        wait.exec();
                }
                window.grab().save(QDir(dir).filePath(QStringLiteral("head-specialisation.png")));
                // The Tokenizer Lab again, now on the trained run's tokenizer, a third into its merges.
                window.showPage(llmf::MainWindow::TokenizerLabPageIndex);
                window.tokenizerLab()->setMerge(window.tokenizerLab()->mergeCount() / 3);
                window.grab().save(QDir(dir).filePath(QStringLiteral("tokenizer-lab.png")));
                window.showPage(llmf::MainWindow::PlaygroundPageIndex);
                window.playground()->generate();
                QTimer::singleShot(3000, &window, [&window, dir] {
                    window.grab().save(QDir(dir).filePath(QStringLiteral("playground-live.png")));
                    // The Precision tab on the same run: fp32 / int8 / int4 side by side (closes when done, or
                    // after a minute whatever happened).
                    llmf::views::PrecisionPanel *precision = window.playground()->precisionPanel();
                    QObject::connect(precision, &llmf::views::PrecisionPanel::finished, &window, [&window, dir] {
                        window.grab().save(QDir(dir).filePath(QStringLiteral("playground-precision.png")));
                        window.close();
                    });
                    QTimer::singleShot(60000, &window, [&window] { window.close(); });
                    window.playground()->runPrecisionComparison();
                });
            });
        });
    });
}

} // namespace

int main(int argc, char **argv)
{
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("LLM Foundry"));
    QApplication::setApplicationName(QStringLiteral("LLM Foundry"));
    QApplication::setApplicationVersion(QStringLiteral(LLMF_VERSION));
    QApplication::setDesktopFileName(QStringLiteral("llm-foundry"));

    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Build, train, inspect and sample a small LLaMA-style model."));
    parser.addHelpOption();
    parser.addVersionOption();
    const QCommandLineOption screenshots(QStringLiteral("screenshots"),
                                         QStringLiteral("Save every page as PNG into <dir>, then quit."),
                                         QStringLiteral("dir"));
    const QCommandLineOption trainSeconds(QStringLiteral("train-seconds"),
                                          QStringLiteral("With --screenshots: run Quick start for <n> seconds and "
                                                         "capture the live dashboard."),
                                          QStringLiteral("n"), QStringLiteral("0"));
    const QCommandLineOption language(QStringLiteral("language"), QStringLiteral("en or zh_CN"),
                                      QStringLiteral("code"));
    parser.addOptions({screenshots, trainSeconds, language});
    parser.process(app);

    llmf::configureThreads();
    llmf::configureAllocator();
    const QString moved = llmf::views::migrateLegacyAppData(); // before anything reads the data folder
    llmf::MainWindow window;
    if (!moved.isEmpty())
        window.statusBar()->showMessage(moved, 20000);
    if (parser.isSet(language))
        window.setLanguage(parser.value(language));
    window.show();
    if (parser.isSet(screenshots))
        scheduleScreenshots(window, parser.value(screenshots), parser.value(trainSeconds).toInt());
    return QApplication::exec();
}
