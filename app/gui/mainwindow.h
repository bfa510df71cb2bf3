#pragma once

#include <QMainWindow>

#include <memory>

class QLabel;
class QListWidget;
class QStackedWidget;
class QTranslator;

namespace llmf::views {
class ActionRegistry;
class ChecklistPage;
class ChecklistStore;
class ConfigStudio;
class ExperimentRunner;
class HomePage;
class LearningEvidence;
class LessonCatalog;
class LessonsPage;
class InspectorPage;
class PlaygroundPage;
class TokenizerLabPage;
class TrainingDashboard;
} // namespace llmf::views

namespace llmf {

class MainMenuBar;

// The application window: a sidebar of pages, menus, a status bar with the device, the open run and the training
// state. Composition only: every page lives in views/.
class MainWindow final : public QMainWindow
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainWindow)

public:
    // The sidebar's order. Everything else about a page (its widget, title, short name) is its row in the table of
    // pages in mainwindow.cpp, which the stack, the sidebar, the View menu, the shortcuts and llmf: links all read.
    enum Page {
        HomePageIndex = 0,
        LessonsPageIndex,
        TokenizerLabPageIndex,
        ConfigPageIndex,
        TrainingPageIndex,
        InspectorPageIndex,
        PlaygroundPageIndex,
        ChecklistPageIndex,
        PageCount
    };
    // Short names used by llmf:page?name=… links and the screenshots; empty for no page.
    static QString pageName(int page);

    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    void showPage(int page);
    int currentPage() const;
    // "en" or "zh_CN"; installs the translators, retranslates every visible widget and remembers the choice.
    void setLanguage(const QString &code);
    QString language() const { return m_language; }
    // Tests close the window without the confirmation dialog.
    void setConfirmOnClose(bool confirm) { m_confirmOnClose = confirm; }

    views::HomePage *homePage() const { return m_home; }
    views::ConfigStudio *configStudio() const { return m_configStudio; }
    views::TrainingDashboard *trainingDashboard() const { return m_training; }
    views::InspectorPage *inspector() const { return m_inspector; }
    views::PlaygroundPage *playground() const { return m_playground; }
    views::TokenizerLabPage *tokenizerLab() const { return m_tokenizerLab; }
    views::LessonsPage *lessons() const { return m_lessons; }
    views::ChecklistPage *checklistPage() const { return m_checklistPage; }
    views::ChecklistStore *checklistStore() const { return m_checklist; }
    views::ActionRegistry *actions() const { return m_actions; }
    views::ExperimentRunner *experiment() const { return m_experiment; }
    const views::LessonCatalog &catalog() const { return *m_catalog; }

public Q_SLOTS:
    void quickStart();

protected:
    void closeEvent(QCloseEvent *event) override;
    void changeEvent(QEvent *event) override;

private:
    struct PageEntry;                            // a row of the table of pages (mainwindow.cpp)
    static const PageEntry &pageEntry(int page); // 0 <= page < PageCount
    // The llmf: links of the lessons (mainwindowactions.cpp).
    void registerActions();
    void connectLiveModel();
    void buildMenus();
    void retranslate();
    void openRunDirectory();
    void addRecentRun(const QString &runDir);
    // Opens a trained run in the pages that look at one (Inspector, Playground).
    void openRunInViewers(const QString &runDir);
    void refreshRecentRuns();
    void exportRun();

    QListWidget *m_navigation = nullptr;
    QStackedWidget *m_pages = nullptr;
    views::HomePage *m_home = nullptr;
    views::ConfigStudio *m_configStudio = nullptr;
    views::TrainingDashboard *m_training = nullptr;
    views::InspectorPage *m_inspector = nullptr;
    views::PlaygroundPage *m_playground = nullptr;
    views::TokenizerLabPage *m_tokenizerLab = nullptr;
    std::unique_ptr<views::LessonCatalog> m_catalog;
    views::ChecklistStore *m_checklist = nullptr;
    views::ActionRegistry *m_actions = nullptr;
    views::LessonsPage *m_lessons = nullptr;
    views::ChecklistPage *m_checklistPage = nullptr;
    views::LearningEvidence *m_evidence = nullptr;
    views::ExperimentRunner *m_experiment = nullptr;
    QLabel *m_deviceLabel = nullptr;
    QLabel *m_runLabel = nullptr;
    QLabel *m_stateLabel = nullptr;
    MainMenuBar *m_menus = nullptr;
    QTranslator *m_appTranslator = nullptr;
    QTranslator *m_qtTranslator = nullptr;
    QString m_language = QStringLiteral("en");
    QString m_state;
    QString m_configName = QStringLiteral("tiny");
    bool m_confirmOnClose = true;
    bool m_liveForInspector = false;
    bool m_liveForPlayground = false;
};

} // namespace llmf
