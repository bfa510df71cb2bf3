#include "playground/kvcachepanel.h"

#include "common/qcustomplot.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

namespace llmf::views {

KvCachePanel::KvCachePanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("kvCachePanel"));
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_run = new QPushButton(this);
    m_run->setObjectName(QStringLiteral("abButton"));
    m_result = new QLabel(this);
    m_result->setObjectName(QStringLiteral("abResultLabel"));
    m_result->setWordWrap(true);
    m_result->setTextInteractionFlags(Qt::TextSelectableByMouse);
    connect(m_run, &QPushButton::clicked, this, &KvCachePanel::runRequested);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("abChart"));
    m_plot->setMinimumHeight(90);
    m_plot->setMaximumHeight(140);
    // Horizontal bars: the key axis is the left one.
    m_bars = new QCPBars(m_plot->yAxis, m_plot->xAxis);
    m_bars->setWidth(0.6);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(QColor(0, 158, 115)); // Okabe-Ito bluish green
    m_plot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_plot->yAxis->setRange(0.4, 2.6);
    m_plot->yAxis->grid()->setVisible(false);
    m_plot->yAxis->setSubTicks(false);

    auto *top = new QHBoxLayout;
    top->addWidget(m_run);
    top->addWidget(m_result, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addLayout(top);
    layout->addWidget(m_plot, 1);
    applyPalette();
    retranslate();
}

void KvCachePanel::setRunning(bool running)
{
    m_running = running;
    m_run->setEnabled(!running);
    retranslate();
}

void KvCachePanel::setResult(double withCache, double withoutCache, int tokens, bool sameText)
{
    m_withCache = withCache;
    m_withoutCache = withoutCache;
    m_tokens = tokens;
    m_sameText = sameText;
    m_running = false;
    m_run->setEnabled(true);
    m_bars->setData({1.0, 2.0}, {withoutCache, withCache}, true);
    m_plot->xAxis->setRange(0.0, std::max(withCache, withoutCache) * 1.1 + 1e-9);
    m_plot->replot(QCustomPlot::rpQueuedReplot);
    retranslate();
}

void KvCachePanel::setContextLength(int maxSeqLen)
{
    m_maxSeqLen = maxSeqLen;
    retranslate();
}

void KvCachePanel::retranslate()
{
    m_explanation->setText(
        tr("Without a KV cache the model recomputes the keys and values of the whole context for every new token; "
           "with it, each step only processes the newest token. Both runs use the same prompt, settings and seed. "
           "The gap grows with the length of the context%1.")
            .arg(m_maxSeqLen > 0 ? tr(" (this model's context holds %1 tokens)").arg(m_maxSeqLen) : QString()));
    m_run->setText(tr("Run A/B"));
    m_run->setToolTip(tr("Generate twice, with and without the KV cache, and compare the speed"));
    m_plot->xAxis->setLabel(tr("tokens/s"));
    m_plot->yAxis->ticker().staticCast<QCPAxisTickerText>()->setTicks(
        QVector<double>{1.0, 2.0}, QVector<QString>{tr("without cache"), tr("with cache")});
    if (m_running) {
        m_result->setText(tr("Measuring…"));
    } else if (m_withCache > 0.0 && m_withoutCache > 0.0) {
        QString text = tr("With KV cache: <b>%1</b> tokens/s · without: <b>%2</b> tokens/s · speed-up <b>%3×</b> "
                          "(%n token(s))",
                          nullptr, m_tokens)
                           .arg(m_withCache, 0, 'f', 0)
                           .arg(m_withoutCache, 0, 'f', 0)
                           .arg(m_withCache / m_withoutCache, 0, 'f', 2);
        text += QStringLiteral("<br>") + (m_sameText ? tr("Both produced the same text.")
                                                     : tr("The texts differ: rounding in the two paths can tip a "
                                                          "close choice between tokens."));
        m_result->setText(text);
    } else {
        m_result->setText(tr("Not measured yet."));
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void KvCachePanel::applyPalette()
{
    const QPalette pal = palette();
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlpha(40);
    m_plot->setBackground(pal.brush(QPalette::Base));
    for (QCPAxis *axis : {m_plot->xAxis, m_plot->yAxis}) {
        axis->setBasePen(QPen(text));
        axis->setTickPen(QPen(text));
        axis->setSubTickPen(QPen(text));
        axis->setTickLabelColor(text);
        axis->setLabelColor(text);
        axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
    }
    m_plot->replot(QCustomPlot::rpQueuedReplot);
}

void KvCachePanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        applyPalette();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
