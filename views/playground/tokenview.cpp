#include "playground/tokenview.h"

#include <QCoreApplication>
#include <QHelpEvent>
#include <QKeyEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextCursor>
#include <QToolTip>

namespace llmf::views {

namespace {

const QString kScheme = QStringLiteral("token");

} // namespace

TokenView::TokenView(QWidget *parent) : QTextBrowser(parent)
{
    setOpenLinks(false);
    setOpenExternalLinks(false);
    setUndoRedoEnabled(false);
    connect(this, &QTextBrowser::anchorClicked, this, [this](const QUrl &url) {
        if (url.scheme() != kScheme)
            return;
        bool ok = false;
        const int index = url.path().toInt(&ok);
        if (ok && index >= 0 && index < m_tokens.size())
            Q_EMIT tokenClicked(index);
    });
}

int TokenView::binOf(double p)
{
    return p < 0.1 ? 0 : p < 0.3 ? 1 : p < 0.6 ? 2 : p < 0.9 ? 3 : 4;
}

QString TokenView::binLabel(int bin)
{
    static const char *const labels[] = {QT_TR_NOOP("< 10%"), QT_TR_NOOP("10–30%"), QT_TR_NOOP("30–60%"),
                                         QT_TR_NOOP("60–90%"), QT_TR_NOOP("≥ 90%")};
    return tr(labels[std::clamp(bin, 0, 4)]);
}

QColor TokenView::binColour(int bin, const QColor &base, bool strong)
{
    // ColorBrewer RdYlBu: a diverging scale that colour-blind readers can order too. Surprising tokens are warm.
    static const QColor colours[] = {QColor(215, 48, 39), QColor(252, 141, 89), QColor(254, 224, 144),
                                     QColor(145, 191, 219), QColor(69, 117, 180)};
    QColor c = colours[std::clamp(bin, 0, 4)];
    // Over a dark base the same alpha would leave light text on a light tint; fainter keeps it readable.
    const bool dark = base.lightness() < 128;
    c.setAlpha(dark ? (strong ? 120 : 90) : (strong ? 165 : 125));
    return c;
}

void TokenView::clearTokens()
{
    m_prompt.clear();
    m_generated.clear();
    m_tokens.clear();
    m_spans.clear();
    m_selected = -1;
    setExtraSelections({});
    clear();
}

void TokenView::setPrompt(const QString &prompt)
{
    m_prompt = prompt;
    rebuild();
}

void TokenView::appendTokens(const QVector<Token> &tokens)
{
    QScrollBar *bar = verticalScrollBar();
    const bool atEnd = bar->value() >= bar->maximum() - 4; // follow the stream unless the user scrolled up
    for (const Token &t : tokens) {
        m_tokens.append(t);
        m_generated += t.piece;
        insertToken(static_cast<int>(m_tokens.size()) - 1);
    }
    if (atEnd)
        bar->setValue(bar->maximum());
}

QTextCharFormat TokenView::formatFor(int index) const
{
    const Token &t = m_tokens[index];
    QTextCharFormat f;
    f.setAnchor(true);
    f.setAnchorHref(QStringLiteral("%1:%2").arg(kScheme).arg(index));
    f.setFontUnderline(false);
    f.setBackground(binColour(binOf(t.probability), palette().color(QPalette::Base), index % 2 == 0));
    f.setForeground(palette().brush(QPalette::Text));
    return f;
}

void TokenView::insertToken(int index)
{
    QTextCursor cursor(document());
    cursor.movePosition(QTextCursor::End);
    Span span;
    span.start = cursor.position();
    cursor.insertText(m_tokens[index].piece, formatFor(index));
    span.end = cursor.position();
    if (index < m_spans.size())
        m_spans[index] = span;
    else
        m_spans.append(span);
}

void TokenView::setSelectedToken(int index)
{
    if (index < -1 || index >= m_tokens.size())
        return;
    m_selected = index;
    updateSelection();
    if (index >= 0) {
        QTextCursor cursor(document());
        cursor.setPosition(m_spans[index].start);
        setTextCursor(cursor); // scrolls the token into view without selecting text
        ensureCursorVisible();
    }
}

void TokenView::updateSelection()
{
    // An extra selection leaves the token formats alone; paintEvent() adds an outline and a mark in the margin,
    // so that a one-character token (a comma) is still easy to spot.
    QList<ExtraSelection> selections;
    if (m_selected >= 0 && m_selected < m_spans.size()) {
        ExtraSelection token;
        token.cursor = QTextCursor(document());
        token.cursor.setPosition(m_spans[m_selected].start);
        token.cursor.setPosition(m_spans[m_selected].end, QTextCursor::KeepAnchor);
        token.format.setBackground(palette().brush(QPalette::Highlight));
        token.format.setForeground(palette().brush(QPalette::HighlightedText));
        selections << token;
    }
    setExtraSelections(selections);
    viewport()->update();
}

void TokenView::paintEvent(QPaintEvent *event)
{
    QTextBrowser::paintEvent(event);
    if (m_selected < 0 || m_selected >= m_spans.size() || m_spans[m_selected].start == m_spans[m_selected].end)
        return;
    QTextCursor cursor(document());
    cursor.setPosition(m_spans[m_selected].start);
    const QRect first = cursorRect(cursor);
    cursor.setPosition(m_spans[m_selected].end);
    const QRect last = cursorRect(cursor);
    QPainter painter(viewport());
    painter.setRenderHint(QPainter::Antialiasing);
    const QColor highlight = palette().color(QPalette::Highlight);
    painter.fillRect(QRect(0, first.top(), 3, first.height()), highlight);
    if (last.top() == first.top()) { // not wrapped across lines
        painter.setPen(QPen(highlight, 2));
        painter.setBrush(Qt::NoBrush);
        painter.drawRoundedRect(
            QRectF(first.left() - 2, first.top() - 1, last.left() - first.left() + 4, first.height() + 2), 3, 3);
    }
}

void TokenView::rebuild()
{
    clear();
    QTextCursor cursor(document());
    QTextCharFormat promptFormat;
    promptFormat.setFontWeight(QFont::Bold);
    promptFormat.setForeground(palette().brush(QPalette::Text));
    cursor.insertText(m_prompt, promptFormat);
    m_spans.clear();
    for (int i = 0; i < m_tokens.size(); ++i)
        insertToken(i);
    updateSelection();
}

QString TokenView::toolTipFor(int index) const
{
    if (index < 0 || index >= m_tokens.size())
        return {};
    const Token &t = m_tokens[index];
    return tr("Token %1 “%2” (id %3)\nProbability when sampled: %4%\nClick to see how it was chosen.")
        .arg(index + 1)
        .arg(t.label)
        .arg(t.id)
        .arg(t.probability * 100.0, 0, 'f', 1);
}

void TokenView::keyPressEvent(QKeyEvent *event)
{
    // Stepping token by token, the charts follow; without a selection the keys keep their usual meaning.
    const int step = event->key() == Qt::Key_Left ? -1 : event->key() == Qt::Key_Right ? 1 : 0;
    if (step != 0 && m_selected >= 0 && event->modifiers() == Qt::NoModifier) {
        const int next = std::clamp(m_selected + step, 0, static_cast<int>(m_tokens.size()) - 1);
        if (next != m_selected)
            Q_EMIT tokenClicked(next);
        event->accept();
        return;
    }
    QTextBrowser::keyPressEvent(event);
}

bool TokenView::viewportEvent(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const QUrl url(anchorAt(help->pos()));
        bool ok = false;
        const int index = url.scheme() == kScheme ? url.path().toInt(&ok) : -1;
        if (ok)
            QToolTip::showText(help->globalPos(), toolTipFor(index), viewport());
        else
            QToolTip::hideText();
        return true;
    }
    return QTextBrowser::viewportEvent(event);
}

void TokenView::changeEvent(QEvent *event)
{
    QTextBrowser::changeEvent(event);
    if (event->type() == QEvent::PaletteChange)
        rebuild(); // token backgrounds depend on the base colour (dark mode)
}

} // namespace llmf::views
