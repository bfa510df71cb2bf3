#include "inspector/attentiongrid.h"

#include "common/plotstyle.h"
#include "llmf/inspect/attentionprobe.h"

#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QToolTip>

#include <algorithm>

namespace llmf::views {

namespace {

constexpr int kGap = 10;     // between thumbnails, with room for the selection frame
constexpr int kMinCell = 28; // below this a T×T map is mush
constexpr int kMaxCell = 140;

} // namespace

AttentionGrid::AttentionGrid(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("attentionGrid"));
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Expanding);
    setCursor(Qt::PointingHandCursor);
}

void AttentionGrid::setMaps(const llmf::AttentionMaps &maps)
{
    m_layers = maps.layers;
    m_heads = maps.heads;
    m_kvHeads = maps.kvHeads;
    m_thumbnails.clear();
    const int T = maps.tokens;
    for (int l = 0; l < maps.layers; ++l)
        for (int h = 0; h < maps.heads; ++h) {
            QImage image(T, T, QImage::Format_RGB32);
            for (int q = 0; q < T; ++q) {
                auto *line = reinterpret_cast<QRgb *>(image.scanLine(q));
                for (int k = 0; k < T; ++k)
                    line[k] = probabilityRgb(maps.at(l, h, q, k));
            }
            m_thumbnails.push_back(image);
        }
    if (m_selectedLayer >= m_layers || m_selectedHead >= m_heads)
        m_selectedLayer = m_selectedHead = -1;
    updateGeometry();
    update();
}

void AttentionGrid::clear()
{
    m_layers = m_heads = m_kvHeads = 0;
    m_thumbnails.clear();
    m_selectedLayer = m_selectedHead = -1;
    updateGeometry();
    update();
}

void AttentionGrid::setSelected(int layer, int head)
{
    m_selectedLayer = layer;
    m_selectedHead = head;
    update();
}

int AttentionGrid::rowLabelWidth() const
{
    return fontMetrics().horizontalAdvance(QStringLiteral("L00")) + kGap;
}

int AttentionGrid::headerHeight() const
{
    return 2 * fontMetrics().height() + 8; // "H3" over "kv 1", then the group colour bar
}

int AttentionGrid::cellSize() const
{
    if (m_layers == 0 || m_heads == 0)
        return kMinCell;
    const int byWidth = (width() - rowLabelWidth()) / m_heads - kGap;
    const int byHeight = (height() - headerHeight()) / m_layers - kGap;
    return std::clamp(std::min(byWidth, byHeight), kMinCell, kMaxCell);
}

QSize AttentionGrid::minimumSizeHint() const
{
    return {rowLabelWidth() + std::max(m_heads, 1) * (kMinCell + kGap),
            headerHeight() + std::max(m_layers, 1) * (kMinCell + kGap)};
}

QSize AttentionGrid::sizeHint() const
{
    const int cell = 72;
    return {rowLabelWidth() + std::max(m_heads, 4) * (cell + kGap),
            headerHeight() + std::max(m_layers, 2) * (cell + kGap)};
}

QRect AttentionGrid::thumbnailRect(int layer, int head) const
{
    if (layer < 0 || head < 0 || layer >= m_layers || head >= m_heads)
        return {};
    const int cell = cellSize();
    return {rowLabelWidth() + head * (cell + kGap), headerHeight() + layer * (cell + kGap), cell, cell};
}

bool AttentionGrid::cellAt(const QPoint &pos, int *layer, int *head) const
{
    for (int l = 0; l < m_layers; ++l)
        for (int h = 0; h < m_heads; ++h)
            if (thumbnailRect(l, h).contains(pos)) {
                *layer = l;
                *head = h;
                return true;
            }
    return false;
}

void AttentionGrid::paintEvent(QPaintEvent *)
{
    QPainter painter(this);
    const QPalette pal = palette();
    if (m_thumbnails.isEmpty()) {
        QColor muted = pal.color(QPalette::WindowText);
        muted.setAlphaF(0.6f);
        painter.setPen(muted);
        painter.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap, tr("Open a run to see all its attention maps."));
        return;
    }
    const int cell = cellSize();
    const int groupSize = m_kvHeads > 0 && m_heads >= m_kvHeads ? m_heads / m_kvHeads : 1;
    const int lineHeight = fontMetrics().height();
    painter.setPen(pal.color(QPalette::WindowText));
    for (int h = 0; h < m_heads; ++h) {
        const QRect column = thumbnailRect(0, h);
        const int kv = h / groupSize;
        const QColor group = kvGroupColour(kv);
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(column.left(), 0, cell, lineHeight), Qt::AlignCenter, tr("H%1").arg(h));
        painter.setPen(group);
        painter.drawText(QRect(column.left(), lineHeight, cell, lineHeight), Qt::AlignCenter, tr("kv %1").arg(kv));
        painter.fillRect(QRect(column.left(), 2 * lineHeight + 2, cell, 4), group);
    }
    for (int l = 0; l < m_layers; ++l) {
        const QRect row = thumbnailRect(l, 0);
        painter.setPen(pal.color(QPalette::WindowText));
        painter.drawText(QRect(0, row.top(), rowLabelWidth() - kGap, cell), Qt::AlignRight | Qt::AlignVCenter,
                         tr("L%1").arg(l));
        for (int h = 0; h < m_heads; ++h) {
            const QRect r = thumbnailRect(l, h);
            // Nearest-neighbour scaling keeps each token's cell a crisp square at any device pixel ratio.
            painter.setRenderHint(QPainter::SmoothPixmapTransform, false);
            painter.drawImage(r, m_thumbnails[l * m_heads + h]);
            painter.setPen(QPen(kvGroupColour(h / groupSize), 2));
            painter.drawRect(r.adjusted(-1, -1, 0, 0));
        }
    }
    if (m_selectedLayer >= 0 && m_selectedHead >= 0) {
        // Outside the group frame and in the text colour: the selection must not read as one more KV group.
        painter.setPen(QPen(pal.color(QPalette::WindowText), 2));
        painter.drawRect(thumbnailRect(m_selectedLayer, m_selectedHead).adjusted(-5, -5, 4, 4));
    }
}

void AttentionGrid::mousePressEvent(QMouseEvent *event)
{
    int layer = 0, head = 0;
    if (event->button() == Qt::LeftButton && cellAt(event->position().toPoint(), &layer, &head)) {
        setSelected(layer, head);
        Q_EMIT thumbnailClicked(layer, head);
        return;
    }
    QWidget::mousePressEvent(event);
}

bool AttentionGrid::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        int layer = 0, head = 0;
        if (cellAt(help->pos(), &layer, &head)) {
            const int groupSize = m_kvHeads > 0 && m_heads >= m_kvHeads ? m_heads / m_kvHeads : 1;
            const int kv = head / groupSize;
            QToolTip::showText(
                help->globalPos(),
                groupSize > 1
                    ? tr("Layer %1, head %2: shares key/value head %3 with heads %4–%5. "
                         "Click to enlarge.")
                          .arg(layer)
                          .arg(head)
                          .arg(kv)
                          .arg(kv * groupSize)
                          .arg(kv * groupSize + groupSize - 1)
                    : tr("Layer %1, head %2 (its own key/value head). Click to enlarge.").arg(layer).arg(head),
                this);
        } else {
            QToolTip::hideText();
            event->ignore();
        }
        return true;
    }
    if (event->type() == QEvent::LanguageChange)
        update(); // labels are translated while painting
    return QWidget::event(event);
}

} // namespace llmf::views
