#include "playground/stagechart.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"

#include <QLabel>
#include <QVBoxLayout>

namespace llmf::views {

namespace {

constexpr int kMaxBars = 10;
constexpr int kMaxLabelLength = 9;

const QColor kBarColour(0, 114, 178);     // Okabe-Ito blue: readable on light and dark backgrounds
const QColor kSampledColour(230, 159, 0); // Okabe-Ito orange

// Probabilities read more naturally as percentages on a small chart.
class PercentTicker final : public QCPAxisTicker
{
protected:
    QString getTickLabel(double tick, const QLocale &locale, QChar, int) override
    {
        return locale.toString(tick * 100.0, 'g', 3) + QLatin1Char('%');
    }
};

QString percent(double p)
{
    if (p >= 0.995)
        return QStringLiteral("100%");
    return p >= 0.1 ? QStringLiteral("%1%").arg(p * 100.0, 0, 'f', 0) : QStringLiteral("%1%").arg(p * 100.0, 0, 'f', 1);
}

} // namespace

StageChart::StageChart(QWidget *parent) : QWidget(parent)
{
    m_title = new QLabel(this);
    m_title->setObjectName(QStringLiteral("title"));
    m_title->setWordWrap(true);
    m_title->setAlignment(Qt::AlignHCenter);
    // Titles are two lines (stage, then setting); a fixed height keeps the four plots aligned.
    m_title->setMinimumHeight(2 * m_title->fontMetrics().lineSpacing() + 2);
    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("plot"));
    m_plot->setMinimumSize(160, 140);
    m_plot->setNoAntialiasingOnDrag(true);
    m_plot->axisRect()->setAutoMargins(QCP::msLeft | QCP::msBottom);
    m_plot->axisRect()->setMargins(QMargins(0, 14, 6, 0)); // room for the value labels above the bars
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(m_title);
    layout->addWidget(m_plot, 1);

    m_bars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    m_sampledBars = new QCPBars(m_plot->xAxis, m_plot->yAxis);
    for (QCPBars *bars : {m_bars, m_sampledBars}) {
        bars->setWidth(0.7);
        bars->setPen(Qt::NoPen);
        bars->setSelectable(QCP::stNone);
    }
    m_bars->setBrush(kBarColour);
    m_sampledBars->setBrush(kSampledColour);
    m_plot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->xAxis->setTickLabelRotation(-60);
    m_plot->xAxis->setSubTicks(false);
    m_plot->xAxis->setTickLength(0, 3);
    m_plot->xAxis->grid()->setVisible(false);
    m_plot->xAxis->setRange(0.0, kMaxBars + 0.6); // the first bar's value label clears the axis
    m_plot->yAxis->setTicker(QSharedPointer<PercentTicker>::create());
    m_plot->yAxis->ticker()->setTickCount(3);
    m_plot->yAxis->setRange(0.0, 1.0);

    QFont small = font();
    small.setPointSizeF(small.pointSizeF() * 0.8);
    for (int i = 0; i < kMaxBars; ++i) {
        auto *label = new QCPItemText(m_plot);
        label->setPositionAlignment(Qt::AlignHCenter | Qt::AlignBottom);
        label->setFont(small);
        label->setClipToAxisRect(false);
        label->setVisible(false);
        m_valueLabels.append(label);
    }
    QFont tickFont = font();
    tickFont.setPointSizeF(tickFont.pointSizeF() * 0.85);
    m_plot->xAxis->setTickLabelFont(tickFont);
    m_plot->yAxis->setTickLabelFont(small);
    // Runs after each layout pass, before drawing: the bar width in pixels is known there.
    connect(m_plot, &QCustomPlot::afterLayout, this, &StageChart::fitValueLabels);
    applyPalette();
}

void StageChart::setTitle(const QString &title)
{
    m_title->setText(title);
}

QString StageChart::title() const
{
    return m_title->text();
}

void StageChart::setBars(const QVector<Bar> &bars)
{
    m_data = bars.mid(0, kMaxBars);
    rebuild();
}

void StageChart::setValueRange(double upper)
{
    m_plot->yAxis->setRange(0.0, std::max(upper, 1e-3));
    rebuild();
}

QStringList StageChart::labels() const
{
    QStringList out;
    for (const Bar &b : m_data)
        out << b.label;
    return out;
}

QVector<double> StageChart::values() const
{
    QVector<double> out;
    for (const Bar &b : m_data)
        out << b.probability;
    return out;
}

void StageChart::rebuild()
{
    QVector<double> keys, values, sampledKeys, sampledValues, ticks;
    QVector<QString> tickLabels;
    for (int i = 0; i < m_data.size(); ++i) {
        const Bar &b = m_data[i];
        const double key = i + 1;
        (b.sampled ? sampledKeys : keys).append(key);
        (b.sampled ? sampledValues : values).append(b.probability);
        ticks.append(key);
        tickLabels.append(b.label.size() > kMaxLabelLength ? b.label.left(kMaxLabelLength - 1) + QChar(0x2026)
                                                           : b.label);
        QCPItemText *text = m_valueLabels[i];
        text->position->setCoords(key, b.probability);
        text->setText(percent(b.probability));
        text->setVisible(true);
    }
    for (int i = static_cast<int>(m_data.size()); i < m_valueLabels.size(); ++i)
        m_valueLabels[i]->setVisible(false);
    m_bars->setData(keys, values, true);
    m_sampledBars->setData(sampledKeys, sampledValues, true);
    m_plot->xAxis->ticker().staticCast<QCPAxisTickerText>()->setTicks(ticks, tickLabels);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void StageChart::fitValueLabels()
{
    // Every value when they fit above their bars; on a narrow chart only the sampled token's, the one that matters.
    const double slot = std::abs(m_plot->xAxis->coordToPixel(2.0) - m_plot->xAxis->coordToPixel(1.0));
    int widest = 0;
    for (int i = 0; i < m_data.size(); ++i)
        widest = std::max(widest, QFontMetrics(m_valueLabels[i]->font()).horizontalAdvance(m_valueLabels[i]->text()));
    const bool all = widest + 4 <= slot;
    for (int i = 0; i < m_data.size(); ++i)
        m_valueLabels[i]->setVisible(all || m_data[i].sampled);
}

void StageChart::applyPalette()
{
    stylePlot(m_plot);
    const QColor text = palette().color(QPalette::Text);
    for (QCPItemText *label : m_valueLabels)
        label->setColor(text);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void StageChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
