#include "inspector/anatomyview.h"

#include "common/qcustomplot.h"
#include "inspector/inspectorcsv.h"
#include "common/plotstyle.h"
#include "llmf/inspect/weightprobe.h"
#include "llmf/model/accounting.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QLabel>
#include <QVBoxLayout>

#include <algorithm>

namespace llmf::views {

namespace {

QCustomPlot *makePlot(QWidget *parent, const char *name)
{
    auto *plot = new QCustomPlot(parent);
    plot->setObjectName(QLatin1String(name));
    plot->setMinimumSize(280, 200);
    stylePlot(plot);
    return plot;
}

} // namespace

AnatomyView::AnatomyView(QWidget *parent) : QWidget(parent)
{
    m_charts = new QWidget(this);
    m_parameterPlot = makePlot(m_charts, "anatomyPlot");
    m_bars = new QCPBars(m_parameterPlot->yAxis, m_parameterPlot->xAxis); // horizontal: parts down the left
    m_bars->setWidth(0.6);
    m_parameterPlot->yAxis->setRangeReversed(true); // data-flow order from the top
    m_parameterPlot->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_parameterPlot->yAxis->grid()->setVisible(false);

    m_gainPlot = makePlot(m_charts, "anatomyGainPlot");
    placeLegendAbove(m_gainPlot, 2);
    m_unitGain = new QCPItemStraightLine(m_gainPlot);
    m_gainPlot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));

    m_weightPlot = makePlot(m_charts, "anatomyWeightPlot");
    placeLegendRight(m_weightPlot);
    m_weightPlot->xAxis->setTicker(QSharedPointer<QCPAxisTickerText>(new QCPAxisTickerText));
    m_perElement = new QCheckBox(this);
    m_perElement->setObjectName(QStringLiteral("anatomyPerElementCheck"));
    connect(m_perElement, &QCheckBox::toggled, this, &AnatomyView::updateWeights);

    m_parameterCaption = new QLabel(this);
    m_gainCaption = new QLabel(this);
    m_weightCaption = new QLabel(this);
    for (QLabel *caption : {m_parameterCaption, m_gainCaption, m_weightCaption})
        caption->setWordWrap(true);

    auto *grid = new QGridLayout(m_charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->addWidget(m_parameterPlot, 0, 0, 3, 1);
    grid->addWidget(m_parameterCaption, 3, 0);
    grid->addWidget(m_gainPlot, 0, 1);
    grid->addWidget(m_gainCaption, 1, 1);
    grid->addWidget(m_weightPlot, 2, 1);
    auto *weightFooter = new QVBoxLayout;
    weightFooter->addWidget(m_perElement);
    weightFooter->addWidget(m_weightCaption);
    grid->addLayout(weightFooter, 3, 1);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->setRowStretch(0, 1);
    grid->setRowStretch(2, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_charts);
    restyle();
    retranslate();
}

AnatomyView::~AnatomyView() = default;

void AnatomyView::restyle()
{
    for (QCustomPlot *plot : {m_parameterPlot, m_gainPlot, m_weightPlot})
        stylePlot(plot);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(seriesColour(0));
    QColor faint = palette().color(QPalette::Text);
    faint.setAlphaF(0.4f);
    m_unitGain->setPen(QPen(faint, 1, Qt::DashLine));
}

void AnatomyView::retranslate()
{
    m_parameterPlot->xAxis->setLabel(tr("parameters"));
    m_gainPlot->xAxis->setLabel(tr("layer"));
    m_gainPlot->yAxis->setLabel(tr("RMSNorm gain"));
    m_weightPlot->xAxis->setLabel(tr("layer"));
    m_perElement->setText(tr("Per element (root mean square) instead of the whole matrix's norm"));
    m_gainCaption->setText(tr("Each RMSNorm multiplies every channel by a learned gain, initialised to 1 (dashed). "
                              "Dots: the mean over channels; bars: the smallest and largest gain."));
    updateParameters();
    updateGains();
    updateWeights();
}

void AnatomyView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_perElement)
        retranslate();
    else if (event->type() == QEvent::PaletteChange && m_parameterPlot) {
        restyle();
        updateParameters(); // value labels and series pens follow the palette
        updateGains();
        updateWeights();
    }
    QWidget::changeEvent(event);
}

void AnatomyView::setData(const llmf::ParameterBreakdown &parameters, const llmf::WeightStats &weights)
{
    m_parameters = std::make_unique<llmf::ParameterBreakdown>(parameters);
    m_weights = std::make_unique<llmf::WeightStats>(weights);
    updateParameters();
    updateGains();
    updateWeights();
}

void AnatomyView::clear()
{
    m_parameters.reset();
    m_weights.reset();
    updateParameters();
    updateGains();
    updateWeights();
}

int AnatomyView::parameterBarCount() const
{
    return m_bars->dataCount();
}

void AnatomyView::updateParameters()
{
    m_parameterPlot->clearItems();
    m_bars->data()->clear();
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_parameterPlot->yAxis->ticker());
    ticker->clear();
    if (!m_parameters) {
        m_parameterCaption->setText(tr("Open a run to see where its parameters are."));
        m_parameterPlot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const auto rows = m_parameters->rows();
    const auto partName = [this](const std::string &key) {
        if (key == "embedding")
            return tr("embedding");
        if (key == "attention")
            return tr("attention");
        if (key == "feed-forward")
            return tr("feed-forward");
        if (key == "block norms")
            return tr("block norms");
        if (key == "final norm")
            return tr("final norm");
        return QString::fromStdString(key); // lm_head and any future part: a tensor name, not a word
    };
    const double total = static_cast<double>(std::max<int64_t>(1, m_parameters->total));
    double largest = 1;
    for (size_t i = 0; i < rows.size(); ++i) {
        const double count = static_cast<double>(rows[i].second);
        m_bars->addData(static_cast<double>(i), count);
        ticker->addTick(static_cast<double>(i), partName(rows[i].first));
        largest = std::max(largest, count);
        // The count next to each bar: the final norm's few hundred parameters are invisible at this scale.
        auto *label = new QCPItemText(m_parameterPlot);
        label->setPositionAlignment(Qt::AlignLeft | Qt::AlignVCenter);
        label->position->setAxes(m_parameterPlot->xAxis, m_parameterPlot->yAxis);
        label->position->setCoords(count, static_cast<double>(i));
        label->setPadding(QMargins(6, 0, 0, 0));
        label->setColor(palette().color(QPalette::Text));
        const double percent = 100.0 * count / total;
        label->setText(
            QStringLiteral("%1 (%2%)")
                .arg(QString::fromStdString(llmf::humanCount(rows[i].second)),
                     count > 0 && percent < 0.1 ? QStringLiteral("<0.1") : QString::number(percent, 'f', 1)));
    }
    m_parameterPlot->xAxis->setRange(0, largest * 1.45);
    m_parameterPlot->yAxis->setRange(-0.6, static_cast<double>(rows.size()) - 0.4);
    m_parameterCaption->setText(tr("%1 parameters in all. Embedding and lm_head grow with the vocabulary, the "
                                   "blocks with dim² × layers.")
                                    .arg(QString::fromStdString(llmf::humanCount(m_parameters->total))));
    m_parameterPlot->replot(QCustomPlot::rpQueuedReplot);
}

void AnatomyView::updateGains()
{
    m_gainPlot->clearPlottables();
    if (!m_weights) {
        m_gainPlot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const auto &w = *m_weights;
    const auto addSeries = [&](const std::vector<llmf::GainStats> &stats, double shift, int colour,
                               const QString &name) {
        QVector<double> x, mean, below, above;
        for (size_t l = 0; l < stats.size(); ++l) {
            x << static_cast<double>(l) + shift;
            mean << stats[l].mean;
            below << stats[l].mean - stats[l].min;
            above << stats[l].max - stats[l].mean;
        }
        QCPGraph *graph = m_gainPlot->addGraph();
        graph->setName(name);
        graph->setData(x, mean, true);
        graph->setLineStyle(QCPGraph::lsNone);
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, seriesColour(colour), 8));
        auto *bars = new QCPErrorBars(m_gainPlot->xAxis, m_gainPlot->yAxis);
        bars->removeFromLegend();
        bars->setDataPlottable(graph);
        bars->setData(below, above);
        bars->setPen(QPen(seriesColour(colour), 1.5));
    };
    // Side by side within a layer, so the two norms' bars do not hide each other.
    addSeries(w.inputNormGains, -0.12, 0, tr("before attention (input_layernorm)"));
    addSeries(w.postAttentionNormGains, 0.12, 1, tr("before the FFN (post_attention_layernorm)"));
    addSeries({w.finalNormGain}, w.layers, 2, tr("final norm"));

    auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_gainPlot->xAxis->ticker());
    ticker->clear();
    for (int l = 0; l < w.layers; ++l)
        ticker->addTick(l, QString::number(l));
    ticker->addTick(w.layers, tr("final"));
    m_unitGain->point1->setCoords(0, 1);
    m_unitGain->point2->setCoords(1, 1);
    m_gainPlot->rescaleAxes();
    m_gainPlot->xAxis->setRange(-0.6, w.layers + 0.6);
    QCPRange y = m_gainPlot->yAxis->range();
    y.lower = std::min(y.lower, 1.0);
    y.upper = std::max(y.upper, 1.0);
    m_gainPlot->yAxis->setRange(y.lower - 0.1 * (y.size() + 0.1), y.upper + 0.1 * (y.size() + 0.1));
    m_gainPlot->replot(QCustomPlot::rpQueuedReplot);
}

void AnatomyView::updateWeights()
{
    m_weightPlot->clearGraphs();
    const bool rms = m_perElement->isChecked();
    m_weightPlot->yAxis->setLabel(rms ? tr("root mean square of the weights") : tr("Frobenius norm ‖W‖"));
    m_weightCaption->setText(rms ? tr("Per-element size, comparable between matrices of different shapes: 0.02 at "
                                      "initialisation.")
                                 : tr("Size of each weight matrix, sqrt(Σ w²). Matrices that learned more grow "
                                      "further from their initial N(0, 0.02) values."));
    if (!m_weights) {
        m_weightPlot->replot(QCustomPlot::rpQueuedReplot);
        return;
    }
    const auto &w = *m_weights;
    for (size_t m = 0; m < w.matrixNames.size(); ++m) {
        QCPGraph *graph = m_weightPlot->addGraph();
        graph->setName(QString::fromStdString(w.matrixNames[m]));
        graph->setPen(QPen(seriesColour(static_cast<int>(m)), 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 6));
        for (int l = 0; l < w.layers; ++l)
            graph->addData(l,
                           rms ? w.matrixRootMeanSquare(l, static_cast<int>(m)) : w.matrixNorm(l, static_cast<int>(m)));
    }
    auto ticker = qSharedPointerCast<QCPAxisTickerText>(m_weightPlot->xAxis->ticker());
    ticker->clear();
    for (int l = 0; l < w.layers; ++l)
        ticker->addTick(l, QString::number(l));
    m_weightPlot->rescaleAxes();
    m_weightPlot->xAxis->setRange(-0.3, std::max(1, w.layers - 1) + 0.3);
    m_weightPlot->yAxis->scaleRange(1.2);
    m_weightPlot->replot(QCustomPlot::rpQueuedReplot);
}

bool AnatomyView::exportCsv(const QString &path) const
{
    return m_parameters && m_weights && writeAnatomyCsv(*m_parameters, *m_weights, path);
}

} // namespace llmf::views
