#include "inspector/headsview.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"
#include "llmf/common/error.h"
#include "llmf/inspect/headmetrics.h"

#include <QComboBox>
#include <QEvent>
#include <QFile>
#include <QHBoxLayout>
#include <QLabel>
#include <QLocale>
#include <QPushButton>
#include <QVBoxLayout>

#include <cmath>
#include <limits>

namespace llmf::views {

namespace {

float metricOf(const HeadMetrics &m, int metric)
{
    switch (metric) {
    case HeadsView::Entropy:
        return m.entropy;
    case HeadsView::MeanDistance:
        return m.meanDistance;
    case HeadsView::PreviousToken:
        return m.previousToken;
    default:
        return m.firstToken;
    }
}

} // namespace

HeadsView::HeadsView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("headsView"));
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_measure = new QPushButton(this);
    m_measure->setObjectName(QStringLiteral("headsMeasureButton"));
    connect(m_measure, &QPushButton::clicked, this, [this] { m_busy ? cancel() : measure(); });
    m_metric = new QComboBox(this);
    m_metric->setObjectName(QStringLiteral("headsMetric"));
    m_metric->addItems({QString(), QString(), QString(), QString()});
    m_metric->setCurrentIndex(PreviousToken);
    connect(m_metric, qOverload<int>(&QComboBox::currentIndexChanged), this, [this] { redraw(); });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("headsStatus"));
    m_status->setWordWrap(true);

    m_chart = new QCustomPlot(this);
    m_chart->setObjectName(QStringLiteral("headsChart"));
    m_chart->setMinimumSize(420, 300);
    auto *scale = new QCPColorScale(m_chart);
    scale->setType(QCPAxis::atRight);
    scale->setGradient(probabilityGradient());
    scale->setBarWidth(12);
    m_chart->plotLayout()->addElement(0, 1, scale);
    m_map = new QCPColorMap(m_chart->xAxis, m_chart->yAxis);
    m_map->setGradient(probabilityGradient());
    m_map->setInterpolate(false);
    m_map->setColorScale(scale);
    m_chart->yAxis->setRangeReversed(true);
    for (QCPAxis *axis : {m_chart->xAxis, m_chart->yAxis}) {
        axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
    }
    connect(m_chart, &QCustomPlot::mousePress, this, [this](QMouseEvent *event) {
        chooseCell(static_cast<int>(std::lround(m_chart->xAxis->pixelToCoord(event->pos().x()))),
                   static_cast<int>(std::lround(m_chart->yAxis->pixelToCoord(event->pos().y()))));
    });
    stylePlot(m_chart);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_measure);
    controls->addWidget(m_metric);
    controls->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addLayout(controls);
    layout->addWidget(m_chart, 1);
    retranslate();
}

QWidget *HeadsView::chartArea() const
{
    return m_chart;
}

HeadsView::~HeadsView() = default;

void HeadsView::setRunDirectory(const QString &runDir)
{
    if (runDir == m_runDir)
        return;
    m_task.cancelAndWait(); // what it measured belongs to the old run
    m_busy = false;
    m_runDir = runDir;
    m_result.reset();
    redraw();
}

void HeadsView::measure()
{
    if (m_busy || m_runDir.isEmpty())
        return;
    m_busy = true;
    m_done = m_total = 0;
    const std::string runDir = m_runDir.toStdString();
    m_task.start([this, runDir](const CancelToken &token) {
        std::shared_ptr<HeadSpecialisation> result;
        QString error;
        try {
            result = std::make_shared<HeadSpecialisation>(probeHeadSpecialisation(
                runDir, defaultHeadProbeText(),
                [this, &token](int done, int total) {
                    token.deliver(this, [this, done, total] {
                        m_done = done;
                        m_total = total;
                        retranslate();
                    });
                },
                token.flag()));
        } catch (const std::exception &e) {
            error = QString::fromStdString(describeException(e));
        }
        // Also after Stop: the checkpoints measured until then are shown.
        token.deliver(this, [this, result, error] { finish(result, error); });
    });
    retranslate();
}

void HeadsView::cancel()
{
    m_task.requestStop();
}

void HeadsView::finish(std::shared_ptr<HeadSpecialisation> result, const QString &error)
{
    if (!m_busy)
        return;
    m_busy = false;
    if (result && !result->steps.empty())
        m_result = std::make_unique<HeadSpecialisation>(*result);
    redraw();
    if (!error.isEmpty())
        Q_EMIT failed(error);
    else
        Q_EMIT finished();
}

void HeadsView::setMetric(Metric metric)
{
    m_metric->setCurrentIndex(metric);
}

double HeadsView::value(int step, int layer, int head) const
{
    if (!m_result || step < 0 || step >= static_cast<int>(m_result->steps.size()) || layer < 0 ||
        layer >= m_result->layers || head < 0 || head >= m_result->heads)
        return std::numeric_limits<double>::quiet_NaN();
    return metricOf(m_result->at(static_cast<size_t>(step), layer, head), m_metric->currentIndex());
}

void HeadsView::chooseCell(int step, int row)
{
    if (!m_result || step < 0 || step >= static_cast<int>(m_result->steps.size()) || row < 0 ||
        row >= m_result->layers * m_result->heads)
        return;
    Q_EMIT headChosen(row / m_result->heads, row % m_result->heads,
                      static_cast<qint64>(m_result->steps[static_cast<size_t>(step)]),
                      QString::fromStdString(m_result->snapshots[static_cast<size_t>(step)]),
                      QString::fromStdString(m_result->probeText));
}

void HeadsView::redraw()
{
    auto xTicks = QSharedPointer<QCPAxisTickerText>::create();
    auto yTicks = QSharedPointer<QCPAxisTickerText>::create();
    if (!m_result) {
        m_map->data()->clear();
    } else {
        const int steps = static_cast<int>(m_result->steps.size()), rows = m_result->layers * m_result->heads;
        m_map->data()->setSize(steps, rows);
        m_map->data()->setRange(QCPRange(0, std::max(1, steps - 1)), QCPRange(0, std::max(1, rows - 1)));
        for (int s = 0; s < steps; ++s)
            for (int r = 0; r < rows; ++r)
                m_map->data()->setCell(s, r, value(s, r / m_result->heads, r % m_result->heads));
        for (int s = 0; s < steps; ++s)
            xTicks->addTick(s, QString::number(m_result->steps[static_cast<size_t>(s)]));
        for (int r = 0; r < rows; ++r)
            yTicks->addTick(r, QStringLiteral("L%1 H%2").arg(r / m_result->heads).arg(r % m_result->heads));
        const int metric = m_metric->currentIndex();
        m_map->setDataRange(metric == PreviousToken || metric == FirstToken ? QCPRange(0, 1)
                                                                            : m_map->data()->dataBounds());
        m_chart->xAxis->setRange(-0.5, steps - 0.5);
        m_chart->yAxis->setRange(-0.5, rows - 0.5);
    }
    m_chart->xAxis->setTicker(xTicks);
    m_chart->yAxis->setTicker(yTicks);
    m_chart->replot();
    retranslate();
}

QString HeadsView::summary() const
{
    if (!m_result || m_result->steps.empty())
        return {};
    // Heads that put more than half their attention on the previous token at the last step.
    const size_t last = m_result->steps.size() - 1;
    QStringList previous;
    for (int l = 0; l < m_result->layers; ++l)
        for (int h = 0; h < m_result->heads; ++h) {
            const float p = m_result->at(last, l, h).previousToken;
            if (p > 0.5f)
                previous << QStringLiteral("L%1 H%2 (%3)").arg(l).arg(h).arg(QLocale().toString(p, 'f', 2));
        }
    return previous.isEmpty() ? tr("At step %1 no head puts more than half its attention on the previous token yet.")
                                    .arg(m_result->steps[last])
                              : tr("Previous-token heads at step %1: %2.")
                                    .arg(m_result->steps[last])
                                    .arg(previous.join(QStringLiteral(", ")));
}

bool HeadsView::exportCsv(const QString &path) const
{
    if (!m_result)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QByteArray out = "step,layer,head,entropy,mean_distance,previous_token,first_token\n";
    for (size_t s = 0; s < m_result->steps.size(); ++s)
        for (int l = 0; l < m_result->layers; ++l)
            for (int h = 0; h < m_result->heads; ++h) {
                const HeadMetrics &m = m_result->at(s, l, h);
                out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                           .arg(m_result->steps[s])
                           .arg(l)
                           .arg(h)
                           .arg(static_cast<double>(m.entropy), 0, 'g', 6)
                           .arg(static_cast<double>(m.meanDistance), 0, 'g', 6)
                           .arg(static_cast<double>(m.previousToken), 0, 'g', 6)
                           .arg(static_cast<double>(m.firstToken), 0, 'g', 6)
                           .toUtf8();
            }
    return file.write(out) == out.size();
}

void HeadsView::retranslate()
{
    m_explanation->setText(
        tr("What has each attention head learned to do? Every saved checkpoint of the run reads the same probe text, "
           "and each head (rows) gets four numbers per step (columns): entropy (how spread its attention is), mean "
           "distance (how far back it looks), previous-token score (1 = it always looks at the token just before) "
           "and first-token score (attention parked on position 0, a \"sink\"). Click a cell to open that head's "
           "attention map at that step."));
    m_measure->setText(m_busy ? tr("Stop") : tr("Measure every checkpoint"));
    // The status beside it wraps, so the layout would squeeze the button below its text.
    m_measure->setMinimumWidth(m_measure->fontMetrics().horizontalAdvance(tr("Measure every checkpoint")) + 24);
    m_measure->setEnabled(!m_runDir.isEmpty());
    m_metric->setItemText(Entropy, tr("Entropy (nats)"));
    m_metric->setItemText(MeanDistance, tr("Mean distance (tokens)"));
    m_metric->setItemText(PreviousToken, tr("Previous-token score"));
    m_metric->setItemText(FirstToken, tr("First-token score"));
    m_chart->xAxis->setLabel(tr("training step"));
    if (m_busy)
        m_status->setText(m_total > 0 ? tr("Measuring checkpoint %1 of %2…").arg(m_done + 1).arg(m_total)
                                      : tr("Loading the checkpoints…"));
    else if (m_result)
        m_status->setText(summary());
    else
        m_status->setText(m_runDir.isEmpty() ? tr("Open a run first.")
                                             : tr("Measures every head on every saved checkpoint of this run."));
    m_chart->replot();
}

void HeadsView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        stylePlot(m_chart);
    QWidget::changeEvent(event);
}

} // namespace llmf::views
