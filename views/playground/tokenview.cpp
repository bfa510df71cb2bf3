#include "playground/tokenview.h"

#include <QCoreApplication>
#include <QHelpEvent>
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
    if (index == m_selected) {
        f.setBackground(palette().brush(QPalette::Highlight));
        f.setForeground(palette().brush(QPalette::HighlightedText));
    } else {
        f.setBackground(binColour(binOf(t.probability), palette().color(QPalette::Base), index % 2 == 0));
        f.setForeground(palette().brush(QPalette::Text));
    }
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

void TokenView::restyle(int index)
{
    if (index < 0 || index >= m_spans.size() || m_spans[index].start == m_spans[index].end)
        return;
    QTextCursor cursor(document());
    cursor.setPosition(m_spans[index].start);
    cursor.setPosition(m_spans[index].end, QTextCursor::KeepAnchor);
    cursor.setCharFormat(formatFor(index));
}

void TokenView::setSelectedToken(int index)
{
    if (index < -1 || index >= m_tokens.size() || index == m_selected)
        return;
    const int previous = m_selected;
    m_selected = index;
    restyle(previous);
    restyle(index);
    if (index >= 0 && m_spans[index].start != m_spans[index].end) {
        QTextCursor cursor(document());
        cursor.setPosition(m_spans[index].start);
        setTextCursor(cursor); // scrolls the token into view without selecting text
        ensureCursorVisible();
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
