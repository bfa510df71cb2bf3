#include "config/pathedit.h"

#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QToolButton>

namespace llmf::views {

PathEdit::PathEdit(const QString &fileFilter, bool allowFolder, QWidget *parent) : QWidget(parent), m_filter(fileFilter)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_line = new QLineEdit(this);
    m_line->setPlaceholderText(tr("(none)"));
    m_line->setClearButtonEnabled(true);
    layout->addWidget(m_line, 1);

    m_browse = new QToolButton(this);
    m_browse->setText(tr("Browse…"));
    connect(m_browse, &QToolButton::clicked, this, [this] { browse(false); });
    if (allowFolder) {
        auto *menu = new QMenu(m_browse);
        menu->addAction(tr("Choose a file…"), this, [this] { browse(false); });
        menu->addAction(tr("Choose a folder…"), this, [this] { browse(true); });
        m_browse->setMenu(menu);
        m_browse->setPopupMode(QToolButton::MenuButtonPopup);
    }
    layout->addWidget(m_browse);
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
