#include "inspector/attentionheatmap.h"

#include "common/plotstyle.h"

#include <QToolTip>

#include <algorithm>
#include <cmath>
#include <limits>

namespace llmf::views {

namespace {

QString shortLabel(const QString &token)
{
    constexpr int kMax = 12;
    return token.size() <= kMax ? token : token.left(kMax - 1) + QChar(0x2026);
}

} // namespace

AttentionHeatmap::AttentionHeatmap(QWidget *parent) : QCustomPlot(parent)
{
    setObjectName(QStringLiteral("attentionMap"));
    setMinimumSize(320, 280);
    setMouseTracking(true);

    m_title = new QCPTextElement(this);
    QFont titleFont = font();
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    plotLayout()->insertRow(0);
    plotLayout()->addElement(0, 0, m_title);

    m_scale = new QCPColorScale(this);
    m_scale->setType(QCPAxis::atRight);
    m_scale->setDataRange(QCPRange(0.0, 1.0));
    m_scale->setGradient(probabilityGradient());
    m_scale->setBarWidth(12);
    plotLayout()->addElement(1, 1, m_scale);
    auto *margins = new QCPMarginGroup(this);
    axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_scale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);

    m_map = new QCPColorMap(xAxis, yAxis);
    m_map->setGradient(probabilityGradient());
    // A fixed 0..1 scale: a head that spreads its attention looks pale next to one that locks onto a token.
    m_map->setDataRange(QCPRange(0.0, 1.0));
    m_map->setInterpolate(false);
    m_map->setTightBoundary(false);
    m_map->setColorScale(m_scale);

    // Reading order: the first query at the top, as in a matrix.
    yAxis->setRangeReversed(true);
    xAxis->setTickLabelRotation(60);
    for (QCPAxis *axis : {xAxis, yAxis}) {
        axis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
    }
    // Names the empty upper triangle, which a learner otherwise takes for a rendering gap. Light text: that corner
    // is always the darkest colour of the scale.
    m_futureLabel = new QCPItemText(this);
    m_futureLabel->setColor(QColor(235, 235, 235));
    m_futureLabel->setClipToAxisRect(true);
    m_futureLabel->setVisible(false);
    stylePlot(this);
    retranslate();
}

void AttentionHeatmap::retranslate()
{
    xAxis->setLabel(tr("key: the token being looked at"));
    yAxis->setLabel(tr("query: the token doing the looking"));
    m_scale->axis()->setLabel(tr("attention weight"));
    m_futureLabel->setText(tr("future tokens:\nmasked to 0"));
    m_title->setText(m_tokens.isEmpty() ? tr("No map yet: open a run and type a text.") : m_titleText);
    replot(rpQueuedReplot);
}

void AttentionHeatmap::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange) {
        stylePlot(this);
        m_title->setTextColor(palette().color(QPalette::Text));
        replot(rpQueuedReplot);
    }
    QCustomPlot::changeEvent(event);
}

void AttentionHeatmap::setMap(const std::vector<float> &weights, const QStringList &tokens, const QString &title)
{
    const int T = static_cast<int>(tokens.size());
    Q_ASSERT(weights.size() == static_cast<size_t>(T) * T);
    m_tokens = tokens;
    m_titleText = title;
    m_title->setText(T == 0 ? tr("No map yet: open a run and type a text.") : title);
    m_title->setTextColor(palette().color(QPalette::Text));
    // Cell (key, query) is centred on integer coordinates; a single token still needs a non-empty range.
    m_map->data()->setSize(T, T);
    m_map->data()->setRange(QCPRange(0, std::max(T - 1, 1)), QCPRange(0, std::max(T - 1, 1)));
    for (int q = 0; q < T; ++q)
        for (int k = 0; k < T; ++k)
            m_map->data()->setCell(k, q, weights[static_cast<size_t>(q) * T + k]);
    xAxis->setRange(-0.5, std::max(T, 2) - 0.5);
    yAxis->setRange(-0.5, std::max(T, 2) - 0.5);
    m_futureLabel->position->setCoords(0.72 * (T - 1), 0.25 * (T - 1));
    m_futureLabel->setVisible(T >= 6);
    updateTicks();
    setHover({});
    replot(rpQueuedReplot);
}

void AttentionHeatmap::clearMap()
{
    setMap({}, {}, QString());
}

void AttentionHeatmap::updateTicks()
{
    // Every token gets a label while they fit; on long texts every n-th, so labels never overlap.
    const int T = static_cast<int>(m_tokens.size());
    const int lineHeight = QFontMetrics(xAxis->tickLabelFont()).height();
    const int room = std::max(80, std::min(width(), height()) - 160);
    const int step = std::max(1, static_cast<int>(std::ceil(double(T) * lineHeight / room)));
    QVector<double> positions;
    QVector<QString> labels;
    for (int i = 0; i < T; i += step) {
        positions.push_back(i);
        labels.push_back(shortLabel(m_tokens[i]));
    }
    for (QCPAxis *axis : {xAxis, yAxis})
        qSharedPointerCast<QCPAxisTickerText>(axis->ticker())->setTicks(positions, labels);
}

double AttentionHeatmap::value(int query, int key) const
{
    const int T = tokenCount();
    if (query < 0 || key < 0 || query >= T || key >= T)
        return std::numeric_limits<double>::quiet_NaN();
    return m_map->data()->cell(key, query);
}

QString AttentionHeatmap::describeCell(int query, int key) const
{
    const double w = value(query, key);
    if (std::isnan(w))
        return {};
    const QString cell = tr("query %1 “%2” → key %3 “%4”: %5")
                             .arg(query)
                             .arg(m_tokens[query])
                             .arg(key)
                             .arg(m_tokens[key])
                             .arg(w, 0, 'f', 4);
    return key > query ? cell + tr(" (masked: a token cannot see the tokens after it)") : cell;
}

void AttentionHeatmap::setHover(const QString &text)
{
    if (text == m_hoverText)
        return;
    m_hoverText = text;
    Q_EMIT hovered(text);
}

void AttentionHeatmap::mouseMoveEvent(QMouseEvent *event)
{
    QCustomPlot::mouseMoveEvent(event);
    const QPointF pos = event->position();
    QString text;
    if (axisRect()->rect().contains(pos.toPoint())) {
        const int key = static_cast<int>(std::lround(xAxis->pixelToCoord(pos.x())));
        const int query = static_cast<int>(std::lround(yAxis->pixelToCoord(pos.y())));
        text = describeCell(query, key);
    }
    setHover(text);
    if (text.isEmpty())
        QToolTip::hideText();
    else
        QToolTip::showText(event->globalPosition().toPoint(), text, this);
}

void AttentionHeatmap::resizeEvent(QResizeEvent *event)
{
    updateTicks();
    QCustomPlot::resizeEvent(event);
}

void AttentionHeatmap::leaveEvent(QEvent *event)
{
    setHover({});
    QCustomPlot::leaveEvent(event);
}

} // namespace llmf::views
