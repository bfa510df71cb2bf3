#include "config/parameterchart.h"

#include "common/statuscolors.h"

#include <QEvent>

#include <algorithm>

namespace llmf::views {

ParameterChart::ParameterChart(QWidget *parent) : QCustomPlot(parent)
{
    setMinimumHeight(fontMetrics().height() * 12);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setInteractions({}); // a picture, not a zoomable plot: the wheel scrolls the page
    // The key axis is the left one; reversed so the first component is at the top.
    m_bars = new QCPBars(yAxis, xAxis);
    m_bars->setWidth(0.65);
    yAxis->setRangeReversed(true);
    yAxis->setSubTicks(false);
    yAxis->setTickLength(0, 0);
    yAxis->grid()->setVisible(false);
    xAxis->setVisible(false);
    xAxis->grid()->setVisible(false);
    axisRect()->setAutoMargins(QCP::msLeft);
    axisRect()->setMargins(QMargins(0, 6, 6, 6));
    applyColours();
}

void ParameterChart::setBars(const QStringList &names, const QVector<double> &values, const QStringList &labels)
{
    QVector<double> keys;
    double largest = 1;
    for (int i = 0; i < values.size(); ++i) {
        keys << i + 1.0;
        largest = std::max(largest, values[i]);
    }
    m_bars->setData(keys, values, true);
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTicks(keys, names.toVector());
    yAxis->setTicker(ticker);
    yAxis->setRange(0.4, static_cast<double>(values.size()) + 0.6);
    xAxis->setRange(0, largest * 1.45); // room on the right for the labels

    while (m_labels.size() < static_cast<size_t>(values.size())) {
        auto *label = new QCPItemText(this);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->position->setType(QCPItemPosition::ptPlotCoords);
        label->setPadding(QMargins(6, 0, 0, 0));
        label->setClipToAxisRect(false);
        m_labels.push_back(label);
    }
    for (size_t i = 0; i < m_labels.size(); ++i) {
        const int row = static_cast<int>(i);
        m_labels[i]->setVisible(row < values.size());
        if (row < values.size()) {
            m_labels[i]->setText(labels.value(row));
            m_labels[i]->position->setCoords(values[row], keys[row]);
        }
    }
    applyColours();
    replot(rpQueuedReplot);
}

void ParameterChart::applyColours()
{
    const QPalette &p = palette();
    const QColor text = p.color(QPalette::WindowText);
    const QColor accent = p.color(QPalette::Highlight);
    setBackground(p.color(QPalette::Window));
    axisRect()->setBackground(p.color(QPalette::Window));
    yAxis->setBasePen(QPen(mutedTextColor(p)));
    yAxis->setTickLabelColor(text);
    yAxis->setTickLabelFont(font());
    QColor fill = accent;
    fill.setAlphaF(0.75f);
    m_bars->setPen(QPen(accent));
    m_bars->setBrush(fill);
    for (auto *label : m_labels) {
        label->setColor(text);
        label->setFont(font());
    }
}

void ParameterChart::changeEvent(QEvent *event)
{
    if (m_bars && (event->type() == QEvent::PaletteChange || event->type() == QEvent::FontChange)) {
        applyColours();
        replot(rpQueuedReplot);
    }
    QCustomPlot::changeEvent(event);
}

} // namespace llmf::views
