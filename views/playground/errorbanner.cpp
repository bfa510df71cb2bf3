#include "playground/errorbanner.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QToolButton>

namespace llmf::views {

ErrorBanner::ErrorBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    // The same red as the Training page's banner; white on it reads in light and dark themes alike.
    setStyleSheet(QStringLiteral(
        "QFrame#banner { background: #b3261e; border-radius: 4px; }"
        "QFrame#banner QLabel, QFrame#banner QToolButton { color: white; background: transparent; border: none; }"));
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("bannerLabel"));
    m_text->setWordWrap(true);
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("bannerClose"));
    m_close->setText(QStringLiteral("✕"));
    m_close->setToolTip(tr("Dismiss"));
    connect(m_close, &QToolButton::clicked, this, &ErrorBanner::dismiss);
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(10, 6, 6, 6);
    layout->addWidget(m_text, 1);
    layout->addWidget(m_close, 0, Qt::AlignTop);
    hide();
}

void ErrorBanner::showError(const QString &text)
{
    m_message = text;
    m_text->setText(text);
    show();
}

void ErrorBanner::dismiss()
{
    m_message.clear();
    hide();
}

void ErrorBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        m_close->setToolTip(tr("Dismiss"));
    QFrame::changeEvent(event);
}

} // namespace llmf::views
