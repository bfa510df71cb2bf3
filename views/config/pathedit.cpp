#include "config/pathedit.h"

#include <QEvent>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>

namespace llmf::views {

PathEdit::PathEdit(bool allowFolder, QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_line = new QLineEdit(this);
    m_line->setClearButtonEnabled(true);
    layout->addWidget(m_line, 1);

    m_browse = new QToolButton(this);
    connect(m_browse, &QToolButton::clicked, this, [this] { browse(false); });
    if (allowFolder) {
        auto *menu = new QMenu(m_browse);
        m_chooseFile = menu->addAction(QString(), this, [this] { browse(false); });
        m_chooseFolder = menu->addAction(QString(), this, [this] { browse(true); });
        m_browse->setMenu(menu);
        m_browse->setPopupMode(QToolButton::MenuButtonPopup);
    }
    layout->addWidget(m_browse);
    retranslate();
}

void PathEdit::retranslate()
{
    m_line->setPlaceholderText(tr("(none)"));
    m_browse->setText(tr("Browse…"));
    if (m_chooseFile) {
        m_chooseFile->setText(tr("Choose a file…"));
        m_chooseFolder->setText(tr("Choose a folder…"));
    }
}

void PathEdit::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_browse)
        retranslate();
    QWidget::changeEvent(event);
}

void PathEdit::browse(bool folder)
{
    const QString start = m_line->text().isEmpty() ? QString() : QFileInfo(m_line->text()).absolutePath();
    const QString chosen = folder ? QFileDialog::getExistingDirectory(this, tr("Choose a folder"), start)
                                  : QFileDialog::getOpenFileName(this, tr("Choose a file"), start, m_filter);
    if (!chosen.isEmpty())
        m_line->setText(chosen); // textChanged: the form stores it
}

} // namespace llmf::views
