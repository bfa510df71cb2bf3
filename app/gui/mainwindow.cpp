#include "mainwindow.h"

#include "mainmenubar.h"
#include "checklist/checklistpage.h"
#include "checklist/checkliststore.h"
#include "checklist/learningevidence.h"
#include "playground/servepanel.h"
#include "config/configstudio.h"
#include "lessons/actionregistry.h"
#include "lessons/lessoncatalog.h"
#include "lessons/lessonspage.h"
#include "training/experimentrunner.h"
#include "home/homepage.h"
#include "inspector/inspectorpage.h"
#include "inspector/headsview.h"
#include "inspector/logitlensview.h"
#include "llmf/inspect/logitlens.h"
#include "playground/playgroundpage.h"
#include "tokenizerlab/tokenizerlabpage.h"
#include "llmf/common/error.h"
#include "llmf/common/systeminfo.h"
#include "llmf/run/hfexport.h"
#include "llmf/run/rundirectory.h"
#include "training/trainingcontroller.h"
#include "training/trainingdashboard.h"

#include <QApplication>
#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QLabel>
#include <QLibraryInfo>
#include <QListWidget>
#include <QMessageBox>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QStatusBar>
#include <QTranslator>

namespace llmf {

struct MainWindow::PageEntry
{
    Page page;
    const char *name;                       // llmf:page?name=… and the --screenshots file
    const char *title;                      // the sidebar and the View menu; translated in MainWindow's context
    QWidget *(*create)(MainWindow &window); // builds the page into its member, with the stack as parent
};

const MainWindow::PageEntry &MainWindow::pageEntry(int page)
{
    // The pages in sidebar order, one row each: adding or moving a page is a row here and an entry in Page. The
    // rows are built in this order too, after the catalog, the checklist store and the action registry they use.
    static const PageEntry pages[PageCount] = {
        {HomePageIndex, "home", QT_TRANSLATE_NOOP("llmf::MainWindow", "Home"),
         [](MainWindow &w) -> QWidget * { return w.m_home = new views::HomePage(w.m_pages); }},
        {LessonsPageIndex, "lessons", QT_TRANSLATE_NOOP("llmf::MainWindow", "Lessons"),
         [](MainWindow &w) -> QWidget * {
             return w.m_lessons = new views::LessonsPage(w.m_catalog.get(), w.m_actions, w.m_checklist, w.m_pages);
         }},
        {TokenizerLabPageIndex, "tokenizer", QT_TRANSLATE_NOOP("llmf::MainWindow", "Tokenizer Lab"),
         [](MainWindow &w) -> QWidget * { return w.m_tokenizerLab = new views::TokenizerLabPage(w.m_pages); }},
        {ConfigPageIndex, "config", QT_TRANSLATE_NOOP("llmf::MainWindow", "Config Studio"),
         [](MainWindow &w) -> QWidget * { return w.m_configStudio = new views::ConfigStudio(w.m_pages); }},
        {TrainingPageIndex, "training", QT_TRANSLATE_NOOP("llmf::MainWindow", "Training"),
         [](MainWindow &w) -> QWidget * { return w.m_training = new views::TrainingDashboard(w.m_pages); }},
        {InspectorPageIndex, "inspector", QT_TRANSLATE_NOOP("llmf::MainWindow", "Inspector"),
         [](MainWindow &w) -> QWidget * { return w.m_inspector = new views::InspectorPage(w.m_pages); }},
        {PlaygroundPageIndex, "playground", QT_TRANSLATE_NOOP("llmf::MainWindow", "Playground"),
         [](MainWindow &w) -> QWidget * { return w.m_playground = new views::PlaygroundPage(w.m_pages); }},
        {ChecklistPageIndex, "checklist", QT_TRANSLATE_NOOP("llmf::MainWindow", "Checklist"),
         [](MainWindow &w) -> QWidget * {
             return w.m_checklistPage = new views::ChecklistPage(w.m_catalog.get(), w.m_checklist, w.m_pages);
         }},
    };
    Q_ASSERT(page >= 0 && page < PageCount && pages[page].page == page);
    return pages[page];
}

QString MainWindow::pageName(int page)
{
    return page >= 0 && page < PageCount ? QString::fromLatin1(pageEntry(page).name) : QString();
}

MainWindow::MainWindow(QWidget *parent) : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    m_navigation = new QListWidget(this);
    m_navigation->setObjectName(QStringLiteral("navigation"));
    m_navigation->setMaximumWidth(240);
    m_navigation->setMinimumWidth(160);
    // Roomier rows than a plain list: the sidebar is the app's main navigation.
    m_navigation->setStyleSheet(QStringLiteral("QListWidget#navigation { font-size: 11pt; }"
                                               "QListWidget#navigation::item { padding: 8px 12px; }"));
    m_pages = new QStackedWidget(this);
    m_catalog = std::make_unique<views::LessonCatalog>();
    QString manifestError;
    if (!m_catalog->loadFile(views::LessonCatalog::defaultManifestPath(), &manifestError))
        qWarning("lessons: %s", qPrintable(manifestError)); // a build without lessons still runs the tools
    m_checklist = new views::ChecklistStore(QString(), this);
    m_actions = new views::ActionRegistry(this);
    m_evidence = new views::LearningEvidence(m_checklist, this);
    for (int i = 0; i < PageCount; ++i) {
        m_pages->addWidget(pageEntry(i).create(*this));
        new QListWidgetItem(m_navigation);
    }
    m_experiment = new views::ExperimentRunner(m_training, this);
    connect(m_navigation, &QListWidget::currentRowChanged, m_pages, &QStackedWidget::setCurrentIndex);

    auto *splitter = new QSplitter(this);
    splitter->addWidget(m_navigation);
    splitter->addWidget(m_pages);
    splitter->setStretchFactor(1, 1);
    splitter->setSizes({200, 1080});
    setCentralWidget(splitter);

    m_deviceLabel = new QLabel(this);
    m_runLabel = new QLabel(this);
    m_runLabel->setObjectName(QStringLiteral("runLabel"));
    m_stateLabel = new QLabel(this);
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    statusBar()->addWidget(m_deviceLabel);
    statusBar()->addWidget(m_runLabel, 1);
    statusBar()->addPermanentWidget(m_stateLabel);

    m_appTranslator = new QTranslator(this);
    m_qtTranslator = new QTranslator(this);
    buildMenus();

    connect(m_home, &views::HomePage::quickStartRequested, this, &MainWindow::quickStart);
    connect(m_home, &views::HomePage::startHereRequested, this, [this] {
        const QStringList ids = m_catalog->lessonIds();
        if (!ids.isEmpty())
            m_lessons->openLesson(ids.first());
        showPage(LessonsPageIndex);
    });
    connect(m_home, &views::HomePage::runActivated, this, [this](const QString &dir) {
        showPage(TrainingPageIndex);
        m_training->resumeRun(dir);
    });
    connect(m_configStudio, &views::ConfigStudio::configChanged, this, [this](const Config &config, bool valid) {
        const QString file = m_configStudio->currentFile();
        m_configName = file.isEmpty() ? tr("custom") : QFileInfo(file).completeBaseName();
        m_training->setConfig(config, valid, m_configName);
    });
    connect(m_configStudio, &views::ConfigStudio::trainRequested, this, [this](const Config &config) {
        m_training->setConfig(config, true, m_configName);
        showPage(TrainingPageIndex);
        m_training->startTraining();
    });
    connect(m_training, &views::TrainingDashboard::stateChanged, this, [this](const QString &state) {
        m_state = state;
        m_stateLabel->setText(state);
    });
    connect(m_training, &views::TrainingDashboard::runStarted, this, [this](const QString &dir) {
        m_runLabel->setText(tr("Run: %1").arg(QDir::toNativeSeparators(dir)));
        addRecentRun(dir);
    });
    connect(m_training, &views::TrainingDashboard::runFinished, this, [this](const QString &dir) {
        refreshRecentRuns();
        openRunInViewers(dir);
    });
    connect(m_training, &views::TrainingDashboard::runStarted, m_evidence, &views::LearningEvidence::onRunStarted);
    connect(m_training, &views::TrainingDashboard::runFinished, m_evidence, &views::LearningEvidence::onRunFinished);
    connect(m_playground->servePanel(), &views::ServePanel::requestsServed, m_evidence,
            &views::LearningEvidence::onRequestsServed);
    connect(m_playground, &views::PlaygroundPage::strategiesCompared, m_evidence,
            &views::LearningEvidence::onStrategiesCompared);
    connect(m_configStudio, &views::ConfigStudio::parameterQuizAnswered, m_evidence,
            &views::LearningEvidence::onParameterQuiz);
    connect(m_inspector->logitLensView(), &views::LogitLensView::cellSelected, this, [this](int row, int position) {
        const llmf::LogitLens *lens = m_inspector->logitLensView()->lens();
        if (lens)
            m_evidence->onLogitLensCell(row, lens->rows,
                                        QString::fromStdString(lens->tokenTexts[static_cast<size_t>(position)]),
                                        QString::fromStdString(lens->text(row, position)));
    });
    connect(m_inspector->headsView(), &views::HeadsView::headChosen, this,
            [this](int layer, int head, qint64 step) { m_evidence->onHeadOpened(layer, head, step); });
    connect(m_checklist, &views::ChecklistStore::earned, this, [this](const QString &id, const QString &reason) {
        const views::ChecklistItem *item = m_catalog->checklistItem(id);
        statusBar()->showMessage(tr("Checklist: “%1” ticked — %2").arg(item ? item->title.in(m_language) : id, reason),
                                 10000);
    });
    connect(m_actions, &views::ActionRegistry::failed, this,
            [this](const QUrl &, const QString &message) { statusBar()->showMessage(message, 10000); });
    registerActions();
    connectLiveModel();

    m_configStudio->openPreset(QStringLiteral("tiny"));
    m_training->setConfig(m_configStudio->config(), m_configStudio->isConfigValid(), QStringLiteral("tiny"));

    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    if (!settings.contains(QStringLiteral("window/geometry")))
        resize(1280, 820);
    showPage(settings.value(QStringLiteral("window/page"), HomePageIndex).toInt());
    setLanguage(settings.value(QStringLiteral("language"), QStringLiteral("en")).toString());
    refreshRecentRuns();
}

MainWindow::~MainWindow() = default;

void MainWindow::connectLiveModel()
{
    // The Inspector and the Playground can look at the model while it trains: the worker writes a snapshot run
    // directory between two steps and the page that asked opens it.
    connect(m_training->controller(), &views::TrainingController::runningChanged, this, [this](bool running) {
        m_inspector->setLiveAvailable(running);
        m_playground->setLiveAvailable(running);
    });
    connect(m_inspector, &views::InspectorPage::liveModelRequested, this,
            [this] { m_liveForInspector = m_training->requestLiveSnapshot(); });
    connect(m_playground, &views::PlaygroundPage::liveModelRequested, this,
            [this] { m_liveForPlayground = m_training->requestLiveSnapshot(); });
    connect(m_training, &views::TrainingDashboard::liveSnapshotReady, this, [this](const QString &dir, qint64 step) {
        if (m_liveForInspector)
            m_inspector->openRun(dir);
        if (m_liveForPlayground && !m_playground->isBusy())
            m_playground->openRun(dir);
        m_liveForInspector = m_liveForPlayground = false;
        statusBar()->showMessage(tr("Showing the training model as it is at step %1.").arg(step), 8000);
    });
}

void MainWindow::buildMenus()
{
    m_menus = new MainMenuBar(PageCount, this);
    setMenuBar(m_menus);
    connect(m_menus, &MainMenuBar::newRunRequested, this, [this] { showPage(ConfigPageIndex); });
    connect(m_menus, &MainMenuBar::openRunRequested, this, &MainWindow::openRunDirectory);
    connect(m_menus, &MainMenuBar::recentRunChosen, this, [this](const QString &dir) {
        showPage(TrainingPageIndex);
        m_training->resumeRun(dir);
    });
    connect(m_menus, &MainMenuBar::exportRequested, this, &MainWindow::exportRun);
    connect(m_menus, &MainMenuBar::quitRequested, this, &QWidget::close);
    connect(m_menus, &MainMenuBar::pageRequested, this, &MainWindow::showPage);
    connect(m_menus, &MainMenuBar::languageRequested, this, &MainWindow::setLanguage);
}

void MainWindow::retranslate()
{
    setWindowTitle(tr("LLM Foundry"));
    QStringList titles;
    for (int i = 0; i < PageCount; ++i) {
        titles << tr(pageEntry(i).title);
        m_navigation->item(i)->setText(titles.last());
    }
    m_menus->retranslate(titles);

    const SystemInfo info = systemInfo();
    m_deviceLabel->setText(info.cudaAvailable ? tr("Device: CUDA (%n GPU(s))", nullptr, info.cudaDevices)
                                              : tr("Device: CPU, %n thread(s)", nullptr, info.torchThreads));
    m_deviceLabel->setToolTip(tr("BLAS: %1").arg(QString::fromStdString(info.blasName)));
    if (m_runLabel->text().isEmpty())
        m_runLabel->setText(tr("No run open"));
    m_stateLabel->setText(m_state.isEmpty() ? tr("Idle") : m_state);
    refreshRecentRuns();
}

void MainWindow::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QMainWindow::changeEvent(event);
}

void MainWindow::setLanguage(const QString &code)
{
    m_language = code == QLatin1String("zh_CN") ? code : QStringLiteral("en");
    qApp->removeTranslator(m_appTranslator);
    qApp->removeTranslator(m_qtTranslator);
    if (m_language == QLatin1String("en")) {
        // English needs a translator too, for its plural forms ("%n thread(s)" → "1 thread" / "2 threads").
        if (m_appTranslator->load(QStringLiteral(":/i18n/llm_foundry_en.qm")))
            qApp->installTranslator(m_appTranslator);
    } else if (m_language == QLatin1String("zh_CN")) {
        if (m_appTranslator->load(QStringLiteral(":/i18n/llm_foundry_zh_CN.qm")))
            qApp->installTranslator(m_appTranslator);
        if (m_qtTranslator->load(QStringLiteral("qtbase_zh_CN"), QLibraryInfo::path(QLibraryInfo::TranslationsPath)))
            qApp->installTranslator(m_qtTranslator);
    }
    // Installing a translator posts LanguageChange to every widget; deliver it now so the whole window switches
    // in one go (pages retranslate themselves in changeEvent).
    QCoreApplication::sendPostedEvents(nullptr, QEvent::LanguageChange);
    m_menus->setLanguageChecked(m_language);
    QSettings().setValue(QStringLiteral("language"), m_language);
    m_lessons->setLanguage(m_language);
    m_checklistPage->setLanguage(m_language);
    retranslate(); // also when no translator changed (English): the first call fills every text
}

void MainWindow::showPage(int page)
{
    page = qBound(0, page, PageCount - 1);
    m_navigation->setCurrentRow(page);
    m_pages->setCurrentIndex(page);
}

int MainWindow::currentPage() const
{
    return m_pages->currentIndex();
}

void MainWindow::quickStart()
{
    if (m_training->isTraining()) {
        showPage(TrainingPageIndex);
        return;
    }
    m_configStudio->openPreset(QStringLiteral("tiny"));
    m_configName = QStringLiteral("tiny");
    m_training->setConfig(m_configStudio->config(), m_configStudio->isConfigValid(), m_configName);
    showPage(TrainingPageIndex);
    m_training->startTraining();
}

void MainWindow::openRunDirectory()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Open a run directory"), m_training->runsRoot());
    if (dir.isEmpty())
        return;
    try {
        RunDirectory(dir.toStdString()).requireTrainedModel();
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Not a run directory"), QString::fromStdString(e.fullMessage()));
        return;
    }
    m_runLabel->setText(tr("Run: %1").arg(QDir::toNativeSeparators(dir)));
    addRecentRun(dir);
    openRunInViewers(dir);
    showPage(InspectorPageIndex);
}

void MainWindow::openRunInViewers(const QString &runDir)
{
    if (!QFileInfo(QDir(runDir).filePath(QStringLiteral("model.safetensors"))).exists())
        return;
    m_inspector->openRun(runDir);
    m_tokenizerLab->setRunDirectory(runDir);
    if (!m_playground->isBusy())
        m_playground->openRun(runDir);
}

void MainWindow::addRecentRun(const QString &runDir)
{
    QSettings settings;
    QStringList runs = settings.value(QStringLiteral("recentRuns")).toStringList();
    runs.removeAll(runDir);
    runs.prepend(runDir);
    while (runs.size() > 10)
        runs.removeLast();
    settings.setValue(QStringLiteral("recentRuns"), runs);
    refreshRecentRuns();
}

void MainWindow::refreshRecentRuns()
{
    QStringList runs = QSettings().value(QStringLiteral("recentRuns")).toStringList();
    runs.erase(std::remove_if(runs.begin(), runs.end(), [](const QString &d) { return !QFileInfo(d).isDir(); }),
               runs.end());
    m_home->setRecentRuns(runs);
    m_menus->setRecentRuns(runs);
}

void MainWindow::exportRun()
{
    QString run = m_training->runDirectory();
    if (run.isEmpty())
        run = QFileDialog::getExistingDirectory(this, tr("Choose the run to export"), m_training->runsRoot());
    if (run.isEmpty())
        return;
    const QString out = QFileDialog::getExistingDirectory(this, tr("Export to folder"));
    if (out.isEmpty())
        return;
    try {
        LoadedRun loaded = loadRun(run.toStdString());
        exportHuggingFace(loaded, out.toStdString());
        statusBar()->showMessage(tr("Exported to %1").arg(QDir::toNativeSeparators(out)), 5000);
    } catch (const Error &e) {
        QMessageBox::warning(this, tr("Export failed"), QString::fromStdString(e.fullMessage()));
    }
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (m_training->isTraining()) {
        if (m_confirmOnClose &&
            QMessageBox::question(
                this, tr("Training is running"),
                tr("Stop training and save a checkpoint before quitting? You can resume it later.")) !=
                QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_training->stopAndWait();
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/page"), currentPage());
    event->accept();
}

} // namespace llmf
