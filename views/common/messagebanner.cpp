#include "common/messagebanner.h"

#include "common/statuscolors.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPainter>
#include <QStyle>
#include <QTimer>
#include <QToolButton>

namespace llmf::views {

MessageBanner::MessageBanner(QWidget *parent) : QFrame(parent)
{
    setObjectName(QStringLiteral("banner"));
    setFrameShape(QFrame::StyledPanel);
    auto *layout = new QHBoxLayout(this);
    m_icon = new QLabel(this);
    layout->addWidget(m_icon, 0, Qt::AlignTop);
    m_text = new QLabel(this);
    m_text->setObjectName(QStringLiteral("bannerLabel"));
    m_text->setWordWrap(true);
    m_text->setTextFormat(Qt::PlainText); // messages quote file contents and paths
    m_text->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(m_text, 1);
    m_close = new QToolButton(this);
    m_close->setObjectName(QStringLiteral("bannerCloseButton"));
    m_close->setAutoRaise(true);
    m_close->setIcon(style()->standardIcon(QStyle::SP_TitleBarCloseButton));
    connect(m_close, &QToolButton::clicked, this, &QWidget::hide);
    layout->addWidget(m_close, 0, Qt::AlignTop);

    m_autoHide = new QTimer(this);
    m_autoHide->setSingleShot(true);
    m_autoHide->setInterval(6000);
    connect(m_autoHide, &QTimer::timeout, this, &QWidget::hide);
    retranslate();
    hide();
}

void MessageBanner::retranslate()
{
    m_close->setToolTip(tr("Close this message"));
    if (m_message)
        m_text->setText(m_message());
}

void MessageBanner::showMessage(Kind kind, const std::function<QString()> &text)
{
    m_kind = kind;
    m_message = text;
    m_text->setText(m_message());
    updateIcon();
    if (kind == Kind::Info)
        m_autoHide->start();
    else
        m_autoHide->stop();
    show();
    update();
}

void MessageBanner::showMessage(Kind kind, const QString &text)
{
    showMessage(kind, [text] { return text; });
}

QString MessageBanner::text() const
{
    return m_text->text();
}

void MessageBanner::updateIcon()
{
    const int size = style()->pixelMetric(QStyle::PM_SmallIconSize, nullptr, this);
    const auto icon = m_kind == Kind::Error ? QStyle::SP_MessageBoxWarning : QStyle::SP_MessageBoxInformation;
    m_icon->setPixmap(style()->standardIcon(icon).pixmap(QSize(size, size), devicePixelRatioF()));
}

void MessageBanner::paintEvent(QPaintEvent *event)
{
    QPainter painter(this);
    painter.fillRect(rect(), tintedBackground(palette(), m_kind == Kind::Error ? warningTint() : infoTint()));
    painter.end();
    QFrame::paintEvent(event);
}

void MessageBanner::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::StyleChange && m_icon)
        updateIcon();
    else if (event->type() == QEvent::LanguageChange && m_close)
        retranslate();
    QFrame::changeEvent(event);
}

} // namespace llmf::views
