#include "training/trainingcharts.h"

#include <QGridLayout>
#include <QPainter>
#include "common/plotstyle.h"
#include "common/qcustomplot.h"

#include <cmath>

namespace llmf::views {

namespace {

enum LossGraph { StepLoss = 0, SmoothedLoss, EvalTrain, EvalVal };

QColor accent(int index)
{
    // Colour-blind-safe (Okabe-Ito) hues that read on light and dark backgrounds alike.
    static const QColor colours[] = {QColor(0, 114, 178), QColor(230, 159, 0), QColor(0, 158, 115), QColor(213, 94, 0),
                                     QColor(204, 121, 167)};
    return colours[index % 5];
}

} // namespace

TrainingCharts::TrainingCharts(QWidget *parent) : QWidget(parent)
{
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 0, 0);
    m_loss = makePlot(QStringLiteral("lossChart"));
    m_lr = makePlot(QStringLiteral("lrChart"));
    m_gradNorm = makePlot(QStringLiteral("gradNormChart"));
    m_throughput = makePlot(QStringLiteral("throughputChart"));
    grid->addWidget(m_loss, 0, 0, 1, 3);
    grid->addWidget(m_lr, 1, 0);
    grid->addWidget(m_gradNorm, 1, 1);
    grid->addWidget(m_throughput, 1, 2);
    grid->setRowStretch(0, 3);
    grid->setRowStretch(1, 2);

    const QColor stepColour = accent(0).lighter(150);
    m_loss->addGraph()->setPen(QPen(stepColour, 1));
    m_loss->addGraph()->setPen(QPen(accent(0), 2.5));
    for (int g : {EvalTrain, EvalVal}) {
        QCPGraph *graph = m_loss->addGraph();
        graph->setPen(QPen(accent(g == EvalTrain ? 2 : 3), 1.5));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 7));
    }
    m_loss->legend->setVisible(true);
    m_loss->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignTop | Qt::AlignRight);
    m_expectedLine = new QCPItemStraightLine(m_loss);
    m_expectedLine->setPen(QPen(palette().color(QPalette::WindowText), 1, Qt::DashLine));
    m_expectedLine->setVisible(false);
    m_expectedLabel = new QCPItemText(m_loss);
    m_expectedLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);
    m_expectedLabel->position->setType(QCPItemPosition::ptAxisRectRatio);
    m_expectedLabel->setColor(palette().color(QPalette::WindowText));
    m_expectedLabel->setVisible(false);

    m_lr->addGraph()->setPen(QPen(accent(1), 2));
    m_gradNorm->addGraph()->setPen(QPen(accent(4), 1.5));
    m_throughput->addGraph()->setPen(QPen(accent(2), 1.5));
    retranslate();

    m_replotTimer.setInterval(33); // ~30 Hz
    connect(&m_replotTimer, &QTimer::timeout, this, &TrainingCharts::replotIfDirty);
    m_replotTimer.start();
}

QCustomPlot *TrainingCharts::makePlot(const QString &objectName)
{
    auto *plot = new QCustomPlot(this);
    plot->setObjectName(objectName);
    plot->setMinimumSize(200, 150);
    stylePlot(plot);
    plot->setNoAntialiasingOnDrag(true);
    return plot;
}

void TrainingCharts::retranslate()
{
    m_loss->xAxis->setLabel(tr("step"));
    m_loss->yAxis->setLabel(tr("loss (nats)"));
    m_loss->graph(StepLoss)->setName(tr("train loss (each step)"));
    m_loss->graph(SmoothedLoss)->setName(tr("train loss (smoothed)"));
    m_loss->graph(EvalTrain)->setName(tr("eval: train"));
    m_loss->graph(EvalVal)->setName(tr("eval: validation"));
    m_lr->xAxis->setLabel(tr("step"));
    m_lr->yAxis->setLabel(tr("learning rate"));
    m_gradNorm->xAxis->setLabel(tr("step"));
    m_gradNorm->yAxis->setLabel(tr("gradient norm"));
    m_throughput->xAxis->setLabel(tr("step"));
    m_throughput->yAxis->setLabel(tr("tokens/s"));
    m_throughput->yAxis2->setLabel(tr("all-reduce, % of step"));
    m_throughput->graph(0)->setName(tr("all ranks"));
    retranslateRankGraphs();
    if (m_expectedLoss > 0)
        setExpectedInitialLoss(m_expectedLoss);
    m_dirty = true;
}

void TrainingCharts::retranslateRankGraphs()
{
    for (qsizetype r = 0; r < m_rankGraphs.size(); ++r)
        m_rankGraphs[r]->setName(tr("rank %1").arg(r));
    if (m_allReduceShare)
        m_allReduceShare->setName(tr("all-reduce share"));
}

void TrainingCharts::clear()
{
    for (QCustomPlot *plot : {m_loss, m_lr, m_gradNorm, m_throughput})
        for (int i = 0; i < plot->graphCount(); ++i)
            if (!m_overlays.contains(plot->graph(i)))
                plot->graph(i)->data()->clear();
    m_smoothed = -1.0;
    removeRankGraphs();
    m_dirty = true;
}

void TrainingCharts::removeRankGraphs()
{
    for (QCPGraph *graph : std::as_const(m_rankGraphs))
        m_throughput->removeGraph(graph);
    m_rankGraphs.clear();
    if (m_allReduceShare)
        m_throughput->removeGraph(m_allReduceShare);
    m_allReduceShare = nullptr;
    m_throughput->legend->setVisible(false);
    m_throughput->yAxis2->setVisible(false);
}

void TrainingCharts::addRankPoints(const llmf::StepMetrics &m)
{
    if (m.worldSize <= 1 || m.rankTokensPerSecond.empty())
        return;
    const double x = static_cast<double>(m.step);
    while (m_rankGraphs.size() < static_cast<qsizetype>(m.rankTokensPerSecond.size())) {
        QCPGraph *graph = m_throughput->addGraph();
        graph->setPen(QPen(accent(static_cast<int>(m_rankGraphs.size()) + 3), 1, Qt::DashLine));
        m_rankGraphs.push_back(graph);
    }
    for (size_t r = 0; r < m.rankTokensPerSecond.size(); ++r)
        m_rankGraphs[static_cast<qsizetype>(r)]->addData(x, m.rankTokensPerSecond[r]);
    if (!m_allReduceShare) {
        m_throughput->yAxis2->setVisible(true);
        m_allReduceShare = m_throughput->addGraph(m_throughput->xAxis, m_throughput->yAxis2);
        m_allReduceShare->setPen(QPen(accent(1), 1.5));
        m_throughput->legend->setVisible(true);
        m_throughput->axisRect()->insetLayout()->setInsetAlignment(0, Qt::AlignBottom | Qt::AlignLeft);
    }
    if (m.stepSeconds > 0)
        m_allReduceShare->addData(x, 100.0 * m.allReduceSeconds / m.stepSeconds);
    retranslateRankGraphs();
}

double TrainingCharts::lastAllReduceShare() const
{
    return m_allReduceShare && m_allReduceShare->dataCount() > 0 ? (m_allReduceShare->data()->constEnd() - 1)->value
                                                                 : 0.0;
}

void TrainingCharts::setExpectedInitialLoss(double loss)
{
    m_expectedLoss = loss;
    m_expectedLine->point1->setCoords(0, loss);
    m_expectedLine->point2->setCoords(1, loss);
    m_expectedLine->setVisible(true);
    m_expectedLabel->position->setCoords(0.02, 0.08);
    m_expectedLabel->setText(
        tr("Expected first loss: ln(vocab) = %1 (a uniform guess among all tokens)").arg(loss, 0, 'f', 2));
    m_expectedLabel->setVisible(true);
    m_dirty = true;
}

void TrainingCharts::addSteps(const QVector<llmf::StepMetrics> &steps)
{
    for (const auto &m : steps) {
        const double x = static_cast<double>(m.step);
        // An exponential moving average shows the trend through the per-batch noise.
        m_smoothed = m_smoothed < 0 ? m.loss : 0.9 * m_smoothed + 0.1 * m.loss;
        m_loss->graph(StepLoss)->addData(x, m.loss);
        m_loss->graph(SmoothedLoss)->addData(x, m_smoothed);
        m_lr->graph(0)->addData(x, m.learningRate);
        if (std::isfinite(m.gradNorm))
            m_gradNorm->graph(0)->addData(x, m.gradNorm);
        m_throughput->graph(0)->addData(x, m.tokensPerSecond);
        addRankPoints(m);
    }
    m_dirty = m_dirty || !steps.isEmpty();
}

void TrainingCharts::addEval(const llmf::EvalMetrics &metrics)
{
    m_loss->graph(EvalTrain)->addData(static_cast<double>(metrics.step), metrics.trainLoss);
    m_loss->graph(EvalVal)->addData(static_cast<double>(metrics.step), metrics.valLoss);
    m_dirty = true;
}

void TrainingCharts::addOverlay(const QString &label, const QVector<double> &steps, const QVector<double> &loss)
{
    QCPGraph *graph = m_loss->addGraph();
    graph->setName(label);
    graph->setPen(QPen(accent(static_cast<int>(m_overlays.size()) + 1), 2, Qt::DashLine));
    graph->setData(steps, loss, true);
    m_overlays.push_back(graph);
    m_dirty = true;
}

void TrainingCharts::clearOverlays()
{
    for (QCPGraph *graph : std::as_const(m_overlays))
        m_loss->removeGraph(graph);
    m_overlays.clear();
    m_dirty = true;
}

QStringList TrainingCharts::overlayLabels() const
{
    QStringList labels;
    for (const QCPGraph *graph : m_overlays)
        labels << graph->name();
    return labels;
}

int TrainingCharts::lossPointCount() const
{
    return m_loss->graph(StepLoss)->dataCount();
}

int TrainingCharts::evalPointCount() const
{
    return m_loss->graph(EvalVal)->dataCount();
}

void TrainingCharts::replotIfDirty()
{
    if (!m_dirty || !isVisible())
        return;
    m_dirty = false;
    for (QCustomPlot *plot : {m_loss, m_lr, m_gradNorm, m_throughput}) {
        plot->rescaleAxes();
        if (plot == m_throughput && m_allReduceShare)
            plot->yAxis2->setRange(0.0, 100.0);
        if (plot == m_loss && m_expectedLoss > 0) {
            QCPRange y = plot->yAxis->range();
            y.lower = 0.0;
            y.upper = std::max(y.upper, m_expectedLoss) * 1.08;
            plot->yAxis->setRange(y);
        }
        plot->replot(QCustomPlot::rpQueuedReplot);
    }
}

bool TrainingCharts::savePng(const QString &path) const
{
    QPixmap image = const_cast<TrainingCharts *>(this)->grab();
    return image.save(path, "PNG");
}

} // namespace llmf::views
