#include "playground/kvcachepanel.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"
#include "playground/generationcontroller.h"
#include "playground/generationworker.h"

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

void KvCachePanel::setController(GenerationController *controller)
{
    m_controller = controller;
    connect(controller->worker(), &GenerationWorker::finished, this, &KvCachePanel::onFinished);
    connect(controller->worker(), &GenerationWorker::failed, this, &KvCachePanel::onFailed);
}

void KvCachePanel::run(const llmf::GenerationConfig &config, const QString &prompt)
{
    if (!m_controller || isBusy())
        return;
    m_withCache = m_withoutCache = 0.0;
    m_textWith.clear();
    m_textWithout.clear();
    GenerationRequest request;
    request.prompt = prompt;
    // A short untimed run first, so that neither measurement pays for first-use allocations.
    request.config = config;
    request.config.max_new_tokens = std::min<int64_t>(config.max_new_tokens, 8);
    m_requests.insert(m_controller->submit(request), Leg::Warmup);
    request.config = config;
    request.config.use_kv_cache = false;
    m_requests.insert(m_controller->submit(request), Leg::WithoutCache);
    request.config.use_kv_cache = true;
    m_requests.insert(m_controller->submit(request), Leg::WithCache);
    m_running = true;
    m_run->setEnabled(false);
    retranslate();
    Q_EMIT busyChanged(true);
}

void KvCachePanel::reset(int maxSeqLen)
{
    const bool wasBusy = isBusy();
    m_requests.clear();
    m_maxSeqLen = maxSeqLen;
    m_withCache = m_withoutCache = 0.0;
    m_running = false;
    m_run->setEnabled(true);
    showResult();
    if (wasBusy)
        Q_EMIT busyChanged(false);
}

void KvCachePanel::onFinished(const GenerationSummary &summary)
{
    if (!m_requests.contains(summary.requestId))
        return;
    const Leg leg = m_requests.take(summary.requestId);
    if (summary.cancelled) {
        m_requests.clear(); // Stop cancels the other legs as well
        m_withCache = m_withoutCache = 0.0;
        finishRun(false);
        return;
    }
    if (leg == Leg::WithCache) {
        m_withCache = summary.tokensPerSecond;
        m_textWith = summary.text;
        m_tokens = summary.tokenCount;
    } else if (leg == Leg::WithoutCache) {
        m_withoutCache = summary.tokensPerSecond;
        m_textWithout = summary.text;
    }
    if (m_requests.isEmpty())
        finishRun(true);
}

void KvCachePanel::onFailed(int requestId, const QString &message)
{
    if (!m_requests.contains(requestId))
        return;
    m_requests.clear();
    m_withCache = m_withoutCache = 0.0;
    finishRun(false);
    Q_EMIT failed(message);
}

void KvCachePanel::finishRun(bool measured)
{
    m_running = false;
    m_run->setEnabled(true);
    m_sameText = !measured || m_textWith == m_textWithout;
    showResult();
    Q_EMIT busyChanged(false);
}

void KvCachePanel::showResult()
{
    m_bars->setData({1.0, 2.0}, {m_withoutCache, m_withCache}, true);
    m_plot->xAxis->setRange(0.0, std::max({m_withCache, m_withoutCache, 1.0}) * 1.1);
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
                          "(tokens per run: %4)")
                           .arg(m_withCache, 0, 'f', 0)
                           .arg(m_withoutCache, 0, 'f', 0)
                           .arg(m_withCache / m_withoutCache, 0, 'f', 2)
                           .arg(m_tokens);
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
    stylePlot(m_plot);
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
