#include "mainmenubar.h"

#include "llmf/common/systeminfo.h"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QDir>
#include <QKeySequence>
#include <QMenu>
#include <QMessageBox>

#include <utility>

namespace llmf {

MainMenuBar::MainMenuBar(int pageCount, QWidget *parent) : QMenuBar(parent)
{
    m_fileMenu = addMenu(QString());
    m_newRunAction = m_fileMenu->addAction(QString(), this, &MainMenuBar::newRunRequested);
    m_newRunAction->setShortcut(QKeySequence::New);
    m_openRunAction = m_fileMenu->addAction(QString(), this, &MainMenuBar::openRunRequested);
    m_openRunAction->setShortcut(QKeySequence::Open);
    m_recentMenu = m_fileMenu->addMenu(QString());
    m_exportAction = m_fileMenu->addAction(QString(), this, &MainMenuBar::exportRequested);
    m_fileMenu->addSeparator();
    m_quitAction = m_fileMenu->addAction(QString(), this, &MainMenuBar::quitRequested);
    m_quitAction->setShortcut(QKeySequence::Quit);

    m_viewMenu = addMenu(QString());
    for (int i = 0; i < pageCount; ++i) {
        QAction *action = m_viewMenu->addAction(QString(), this, [this, i] { Q_EMIT pageRequested(i); });
        action->setShortcut(QKeySequence(Qt::CTRL | static_cast<Qt::Key>(Qt::Key_1 + i)));
        m_pageActions.push_back(action);
    }

    m_languageMenu = addMenu(QString());
    auto *languages = new QActionGroup(this);
    // Each language is named in itself, so it can be found whatever the current one is.
    m_englishAction = m_languageMenu->addAction(QStringLiteral("English"), this,
                                                [this] { Q_EMIT languageRequested(QStringLiteral("en")); });
    m_chineseAction = m_languageMenu->addAction(QStringLiteral("简体中文"), this,
                                                [this] { Q_EMIT languageRequested(QStringLiteral("zh_CN")); });
    for (QAction *action : {m_englishAction, m_chineseAction}) {
        action->setCheckable(true);
        languages->addAction(action);
    }

    m_helpMenu = addMenu(QString());
    m_shortcutsAction = m_helpMenu->addAction(QString(), this, &MainMenuBar::showShortcuts);
    m_aboutAction = m_helpMenu->addAction(QString(), this, &MainMenuBar::showAbout);
}

void MainMenuBar::retranslate(const QStringList &pageTitles)
{
    for (int i = 0; i < m_pageActions.size() && i < pageTitles.size(); ++i)
        m_pageActions[i]->setText(pageTitles[i]);
    m_fileMenu->setTitle(tr("&File"));
    m_newRunAction->setText(tr("&New run…"));
    m_openRunAction->setText(tr("&Open run directory…"));
    m_recentMenu->setTitle(tr("&Recent runs"));
    m_exportAction->setText(tr("&Export run to Hugging Face format…"));
    m_quitAction->setText(tr("&Quit"));
    m_viewMenu->setTitle(tr("&View"));
    m_languageMenu->setTitle(tr("&Language"));
    m_helpMenu->setTitle(tr("&Help"));
    m_shortcutsAction->setText(tr("&Keyboard shortcuts"));
    m_aboutAction->setText(tr("&About LLM Foundry"));
}

void MainMenuBar::setRecentRuns(const QStringList &runDirs)
{
    m_recentMenu->clear();
    for (const QString &dir : runDirs)
        m_recentMenu->addAction(QDir::toNativeSeparators(dir), this, [this, dir] { Q_EMIT recentRunChosen(dir); });
    m_recentMenu->setEnabled(!runDirs.isEmpty());
}

void MainMenuBar::setLanguageChecked(const QString &code)
{
    m_englishAction->setChecked(code == QLatin1String("en"));
    m_chineseAction->setChecked(code == QLatin1String("zh_CN"));
}

void MainMenuBar::showAbout()
{
    const SystemInfo info = systemInfo();
    QString text = tr("<h3>LLM Foundry %1</h3><p>Build, train, inspect and sample a small LLaMA-style model.</p>"
                      "<p>LibTorch %2<br>BLAS: %3 (%4)<br>Threads: %5 on %6 physical cores<br>CUDA: %7</p>")
                       .arg(QApplication::applicationVersion(), QString::fromStdString(info.torchVersion),
                            QString::fromStdString(info.blasName), QString::fromStdString(info.blasLibrary))
                       .arg(info.torchThreads)
                       .arg(info.physicalCores)
                       .arg(info.cudaAvailable ? tr("%n device(s)", nullptr, info.cudaDevices) : tr("not available"));
    if (const std::string warning = blasWarning(info); !warning.empty())
        text += tr("<p><b>Warning:</b> %1</p>").arg(QString::fromStdString(warning));
    QMessageBox::about(window(), tr("About LLM Foundry"), text);
}

void MainMenuBar::showShortcuts()
{
    QString pages; // a row per page, from the View menu's actions: the shortcuts that are really set
    for (const QAction *action : std::as_const(m_pageActions))
        pages += QStringLiteral("<tr><td>%1</td><td>%2</td></tr>")
                     .arg(action->shortcut().toString(QKeySequence::NativeText), action->text().toHtmlEscaped());
    QMessageBox::information(window(), tr("Keyboard shortcuts"),
                             QStringLiteral("<table>%1%2</table>")
                                 .arg(pages, tr("<tr><td>Ctrl+N</td><td>New run (Config Studio)</td></tr>"
                                                "<tr><td>Ctrl+O</td><td>Open a run directory</td></tr>"
                                                "<tr><td>Ctrl+Q</td><td>Quit (a running training is stopped and "
                                                "saved)</td></tr>")));
}

} // namespace llmf
