#pragma once

#include <QMenuBar>

class QAction;
class QMenu;

namespace llmf {

// The window's menus: File (new run, open, recent runs, export, quit), View (one entry per page, Ctrl+1 …),
// Language and Help. The Help menu's two dialogs (keyboard shortcuts, about) only read what is here, so it shows
// them itself; everything else is the window's business and leaves as a signal.
class MainMenuBar final : public QMenuBar
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(MainMenuBar)

public:
    // `pageCount` View entries, in the sidebar's order.
    explicit MainMenuBar(int pageCount, QWidget *parent = nullptr);

    // Called by the window's retranslate(): the page titles come from its table of pages.
    void retranslate(const QStringList &pageTitles);
    void setRecentRuns(const QStringList &runDirs); // newest first; an empty list disables the submenu
    void setLanguageChecked(const QString &code);   // "en" or "zh_CN"

Q_SIGNALS:
    void newRunRequested();
    void openRunRequested();
    void recentRunChosen(const QString &runDir);
    void exportRequested();
    void quitRequested();
    void pageRequested(int page);
    void languageRequested(const QString &code);

private:
    void showShortcuts();
    void showAbout();

    QMenu *m_fileMenu = nullptr;
    QMenu *m_recentMenu = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_languageMenu = nullptr;
    QMenu *m_helpMenu = nullptr;
    QList<QAction *> m_pageActions;
    QAction *m_newRunAction = nullptr;
    QAction *m_openRunAction = nullptr;
    QAction *m_exportAction = nullptr;
    QAction *m_quitAction = nullptr;
    QAction *m_englishAction = nullptr;
    QAction *m_chineseAction = nullptr;
    QAction *m_aboutAction = nullptr;
    QAction *m_shortcutsAction = nullptr;
};

} // namespace llmf
