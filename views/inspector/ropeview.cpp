#include "inspector/ropeview.h"

#include "common/qcustomplot.h"
#include "inspector/inspectorcsv.h"
#include "common/plotstyle.h"
#include "llmf/inspect/ropeprobe.h"

#include <QCheckBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace llmf::views {

namespace {

constexpr double kTwoPi = 6.283185307179586;

QCustomPlot *makePlot(QWidget *parent, const char *name)
{
    auto *plot = new QCustomPlot(parent);
    plot->setObjectName(QLatin1String(name));
    plot->setMinimumSize(260, 200);
    stylePlot(plot);
    return plot;
}

QLabel *makeCaption(QWidget *parent)
{
    auto *label = new QLabel(parent);
    label->setWordWrap(true);
    return label;
}

} // namespace

RopeView::RopeView(QWidget *parent) : QWidget(parent)
{
    m_charts = new QWidget(this);
    buildPlots();

    m_pairLabel = new QLabel(this);
    m_pairSpin = new QSpinBox(this);
    m_pairSpin->setObjectName(QStringLiteral("ropePairSpin"));
    m_pairLabel->setBuddy(m_pairSpin);
    m_positionLabel = new QLabel(this);
    m_positionSlider = new QSlider(Qt::Horizontal, this);
    m_positionSlider->setObjectName(QStringLiteral("ropePositionSlider"));
    m_positionLabel->setBuddy(m_positionSlider);
    m_play = new QPushButton(this);
    m_play->setObjectName(QStringLiteral("ropePlayButton"));
    m_play->setCheckable(true);
    m_wrap = new QCheckBox(this);
    m_wrap->setObjectName(QStringLiteral("ropeWrapCheck"));
    m_wrap->setChecked(true);

    auto *controls = new QHBoxLayout;
    controls->addWidget(m_pairLabel);
    controls->addWidget(m_pairSpin);
    controls->addSpacing(12);
    controls->addWidget(m_positionLabel);
    controls->addWidget(m_positionSlider, 1);
    controls->addWidget(m_play);

    const auto panel = [this](QCustomPlot *plot, QLabel *caption, QLayout *extra, QWidget *extraWidget) {
        auto *box = new QWidget(m_charts);
        auto *layout = new QVBoxLayout(box);
        layout->setContentsMargins(0, 0, 0, 0);
        layout->addWidget(plot, 1);
        if (extra)
            layout->addLayout(extra);
        if (extraWidget)
            layout->addWidget(extraWidget);
        layout->addWidget(caption);
        return box;
    };
    auto *grid = new QGridLayout(m_charts);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setColumnStretch(0, 1);
    grid->setColumnStretch(1, 1);
    grid->addWidget(panel(m_frequencyPlot, m_frequencyCaption, nullptr, nullptr), 0, 0);
    grid->addWidget(panel(m_anglePlot, m_angleCaption, nullptr, m_wrap), 0, 1);
    grid->addWidget(panel(m_rotationPlot, m_rotationCaption, controls, nullptr), 1, 0);
    grid->addWidget(panel(m_relativePlot, m_relativeCaption, nullptr, nullptr), 1, 1);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_charts);

    m_playTimer.setInterval(80);
    connect(&m_playTimer, &QTimer::timeout, this, [this] {
        const int next = position() + 1 > m_positionSlider->maximum() ? 0 : position() + 1;
        m_positionSlider->setValue(next);
    });
    connect(m_play, &QPushButton::toggled, this, [this](bool on) {
        on ? m_playTimer.start() : m_playTimer.stop();
        retranslate();
    });
    connect(m_pairSpin, &QSpinBox::valueChanged, this, [this] {
        updateFrequencies();
        updateRotation();
    });
    connect(m_positionSlider, &QSlider::valueChanged, this, [this] {
        updateRotation();
        updateAngles();
    });
    connect(m_wrap, &QCheckBox::toggled, this, &RopeView::updateAngles);
    connect(m_rotationPlot, &QCustomPlot::afterLayout, this, &RopeView::keepRotationSquare);
    clear();
    retranslate();
}

RopeView::~RopeView() = default;

void RopeView::buildPlots()
{
    m_frequencyPlot = makePlot(m_charts, "ropeFrequencyPlot");
    m_frequencyPlot->yAxis->setScaleType(QCPAxis::stLogarithmic);
    m_frequencyPlot->yAxis->setTicker(QSharedPointer<QCPAxisTickerLog>(new QCPAxisTickerLog));
    m_frequencyPlot->yAxis->setNumberFormat(QStringLiteral("eb"));
    m_frequencyPlot->yAxis->setNumberPrecision(0);
    m_frequencyPlot->addGraph()->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    m_frequencyPlot->addGraph()->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 11));
    m_frequencyPlot->graph(1)->setLineStyle(QCPGraph::lsNone);
    m_oneTurnLine = new QCPItemStraightLine(m_frequencyPlot);
    m_oneTurnLabel = new QCPItemText(m_frequencyPlot);
    m_oneTurnLabel->setPositionAlignment(Qt::AlignLeft | Qt::AlignBottom);

    m_anglePlot = makePlot(m_charts, "ropeAnglePlot");
    m_angleMap = new QCPColorMap(m_anglePlot->xAxis, m_anglePlot->yAxis);
    m_angleMap->setInterpolate(false);
    m_angleMap->setTightBoundary(false);
    m_angleScale = new QCPColorScale(m_anglePlot);
    m_anglePlot->plotLayout()->addElement(0, 1, m_angleScale);
    m_angleScale->setBarWidth(10);
    m_angleMap->setColorScale(m_angleScale);
    auto *margins = new QCPMarginGroup(m_anglePlot);
    m_anglePlot->axisRect()->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_angleScale->setMarginGroup(QCP::msTop | QCP::msBottom, margins);
    m_angleCursor = new QCPItemStraightLine(m_anglePlot);

    m_rotationPlot = makePlot(m_charts, "ropeRotationPlot");
    m_circle = new QCPCurve(m_rotationPlot->xAxis, m_rotationPlot->yAxis);
    m_trace = new QCPCurve(m_rotationPlot->xAxis, m_rotationPlot->yAxis);
    m_trace->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssDisc, 4));
    m_startArrow = new QCPItemLine(m_rotationPlot);
    m_arrow = new QCPItemLine(m_rotationPlot);
    for (QCPItemLine *arrow : {m_startArrow, m_arrow})
        arrow->setHead(QCPLineEnding::esSpikeArrow);

    m_relativePlot = makePlot(m_charts, "ropeRelativePlot");
    m_relativePlot->addGraph();
    m_relativePlot->addGraph();
    placeLegendAbove(m_relativePlot, 2);

    m_frequencyCaption = makeCaption(m_charts);
    m_angleCaption = makeCaption(m_charts);
    m_rotationCaption = makeCaption(m_charts);
    m_relativeCaption = makeCaption(m_charts);
    restyle();
}

void RopeView::restyle()
{
    for (QCustomPlot *plot : {m_frequencyPlot, m_anglePlot, m_rotationPlot, m_relativePlot})
        stylePlot(plot);
    const QColor text = palette().color(QPalette::Text);
    QColor faint = text;
    faint.setAlphaF(0.35f);
    m_frequencyPlot->graph(0)->setPen(QPen(seriesColour(0), 1.5));
    m_frequencyPlot->graph(1)->setPen(QPen(seriesColour(3), 2));
    m_oneTurnLine->setPen(QPen(faint, 1, Qt::DashLine));
    m_oneTurnLabel->setColor(text);
    m_angleCursor->setPen(QPen(text, 1.5, Qt::DashLine));
    m_circle->setPen(QPen(faint, 1, Qt::DotLine));
    m_trace->setPen(QPen(seriesColour(0), 1.5));
    m_startArrow->setPen(QPen(faint, 2));
    m_arrow->setPen(QPen(seriesColour(3), 2.5));
    // The first curve wide and pale, the second thin and dashed on top: where they coincide both stay visible.
    QColor wide = seriesColour(0);
    wide.setAlphaF(0.45f);
    m_relativePlot->graph(0)->setPen(QPen(wide, 6));
    m_relativePlot->graph(1)->setPen(QPen(seriesColour(3), 1.8, Qt::DashLine));
}

void RopeView::retranslate()
{
    m_pairLabel->setText(tr("&Pair:"));
    m_positionLabel->setText(tr("P&osition:"));
    m_play->setText(m_play->isChecked() ? tr("Pause") : tr("Play"));
    m_wrap->setText(tr("Wrap angles to one turn (0 … 2π)"));
    m_frequencyPlot->xAxis->setLabel(tr("dimension pair i"));
    m_frequencyPlot->yAxis->setLabel(tr("radians per token (log)"));
    m_frequencyPlot->graph(0)->setName(tr("θ^(−2i/d)"));
    m_oneTurnLabel->setText(tr("one turn over the whole context"));
    m_anglePlot->xAxis->setLabel(tr("position"));
    m_anglePlot->yAxis->setLabel(tr("dimension pair"));
    m_angleScale->axis()->setLabel(tr("angle (rad)"));
    m_rotationPlot->xAxis->setLabel(tr("dimension i"));
    m_rotationPlot->yAxis->setLabel(tr("dimension i + d/2"));
    m_relativePlot->xAxis->setLabel(tr("offset: query position − key position (tokens)"));
    m_relativePlot->yAxis->setLabel(tr("q · k after RoPE"));
    m_frequencyCaption->setText(tr("Each pair of dimensions turns at its own speed: pair 0 by one radian per token, "
                                   "the last pairs so slowly that they barely move within the context."));
    m_angleCaption->setText(tr("Rotation angle position × speed for every pair: fast pairs cycle quickly (stripes), "
                               "slow ones change smoothly. The dashed line is the selected position."));
    updateRotation();
    updateRelative();
}

void RopeView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange && m_pairLabel)
        retranslate();
    else if (event->type() == QEvent::PaletteChange && m_frequencyPlot) {
        restyle();
        for (QCustomPlot *plot : {m_frequencyPlot, m_anglePlot, m_rotationPlot, m_relativePlot})
            plot->replot(QCustomPlot::rpQueuedReplot);
    }
    QWidget::changeEvent(event);
}

void RopeView::setData(const llmf::RopeTables &tables, const llmf::RopeRelativeCurve &relative)
{
    m_tables = std::make_unique<llmf::RopeTables>(tables);
    m_relative = std::make_unique<llmf::RopeRelativeCurve>(relative);
    {
        const QSignalBlocker blockPair(m_pairSpin), blockPosition(m_positionSlider);
        m_pairSpin->setRange(0, std::max(0, tables.pairs - 1));
        m_positionSlider->setRange(0, std::max(0, tables.positions - 1));
        m_pairSpin->setValue(std::min(m_pairSpin->value(), m_pairSpin->maximum()));
    }
    for (QWidget *w : std::initializer_list<QWidget *>{m_pairSpin, m_positionSlider, m_play, m_wrap})
        w->setEnabled(true);
    updateFrequencies();
    updateAngles();
    updateRotation();
    updateRelative();
}

void RopeView::clear()
{
    m_tables.reset();
    m_relative.reset();
    m_play->setChecked(false);
    for (QWidget *w : std::initializer_list<QWidget *>{m_pairSpin, m_positionSlider, m_play, m_wrap})
        w->setEnabled(false);
    m_frequencyPlot->graph(0)->data()->clear();
    m_frequencyPlot->graph(1)->data()->clear();
    m_angleMap->data()->clear();
    m_circle->data()->clear();
    m_trace->data()->clear();
    m_relativePlot->graph(0)->data()->clear();
    m_relativePlot->graph(1)->data()->clear();
    for (QCustomPlot *plot : {m_frequencyPlot, m_anglePlot, m_rotationPlot, m_relativePlot})
        plot->replot(QCustomPlot::rpQueuedReplot);
}

void RopeView::setPair(int pair)
{
    m_pairSpin->setValue(pair);
}

void RopeView::setPosition(int position)
{
    m_positionSlider->setValue(position);
}

int RopeView::pair() const
{
    return m_pairSpin->value();
}

int RopeView::position() const
{
    return m_positionSlider->value();
}

QPointF RopeView::rotationPoint() const
{
    return m_arrow->end->coords();
}

QVector<double> RopeView::relativeScores(int curve) const
{
    QVector<double> values;
    for (const auto &point : *m_relativePlot->graph(curve)->data())
        values.push_back(point.value);
    return values;
}

void RopeView::updateFrequencies()
{
    if (!m_tables)
        return;
    const auto &t = *m_tables;
    QVector<double> pairs, speeds;
    for (int i = 0; i < t.pairs; ++i) {
        pairs << i;
        speeds << t.inverseFrequencies[i];
    }
    m_frequencyPlot->graph(0)->setData(pairs, speeds, true);
    const int p = pair();
    m_frequencyPlot->graph(1)->setData({double(p)}, {t.inverseFrequencies[p]}, true);
    // Below this speed a pair turns less than once over max_seq_len tokens.
    const double oneTurn = kTwoPi / std::max(1, t.positions);
    m_oneTurnLine->point1->setCoords(0, oneTurn);
    m_oneTurnLine->point2->setCoords(1, oneTurn);
    m_oneTurnLabel->position->setCoords(0.2, oneTurn * 1.15);
    const double low = std::min(oneTurn, t.inverseFrequencies.back()), high = t.inverseFrequencies.front();
    m_frequencyPlot->xAxis->setRange(-0.5, t.pairs - 0.5);
    m_frequencyPlot->yAxis->setRange(low / 2.5, high * 2.5);
    m_frequencyPlot->replot(QCustomPlot::rpQueuedReplot);
}

void RopeView::updateAngles()
{
    if (!m_tables)
        return;
    const auto &t = *m_tables;
    const bool wrap = m_wrap->isChecked();
    auto *data = m_angleMap->data();
    data->setSize(t.positions, t.pairs);
    data->setRange(QCPRange(0, std::max(1, t.positions - 1)), QCPRange(0, std::max(1, t.pairs - 1)));
    double maxAngle = 0;
    for (int p = 0; p < t.positions; ++p)
        for (int i = 0; i < t.pairs; ++i) {
            const double a = wrap ? std::fmod(t.angle(p, i), kTwoPi) : t.angle(p, i);
            data->setCell(p, i, a);
            maxAngle = std::max(maxAngle, a);
        }
    // A wrapped angle is cyclic: a hue circle makes 2π and 0 the same colour, as they are.
    QCPColorGradient gradient(wrap ? QCPColorGradient::gpHues : QCPColorGradient::gpThermal);
    gradient.setPeriodic(wrap);
    m_angleMap->setGradient(gradient);
    m_angleMap->setDataRange(QCPRange(0, wrap ? kTwoPi : std::max(maxAngle, 1e-9)));
    m_angleScale->setDataRange(m_angleMap->dataRange());
    m_anglePlot->xAxis->setRange(-0.5, t.positions - 0.5);
    m_anglePlot->yAxis->setRange(-0.5, t.pairs - 0.5);
    m_angleCursor->point1->setCoords(position(), 0);
    m_angleCursor->point2->setCoords(position(), 1);
    m_anglePlot->replot(QCustomPlot::rpQueuedReplot);
}

void RopeView::updateRotation()
{
    m_positionLabel->setText(tr("P&osition: %1").arg(position(), 3));
    if (!m_tables) {
        m_rotationCaption->setText(tr("Open a run to see RoPE turn a query vector."));
        return;
    }
    const auto &t = *m_tables;
    const int i = pair(), pos = position();
    const double radius = std::hypot(t.rotatedX(0, i), t.rotatedY(0, i));
    QVector<double> index, xs, ys;
    for (int k = 0; k <= 128; ++k) {
        index << k;
        xs << radius * std::cos(kTwoPi * k / 128);
        ys << radius * std::sin(kTwoPi * k / 128);
    }
    m_circle->setData(index, xs, ys, true);
    index.clear();
    xs.clear();
    ys.clear();
    for (int p = 0; p <= pos; ++p) {
        index << p;
        xs << t.rotatedX(p, i);
        ys << t.rotatedY(p, i);
    }
    m_trace->setData(index, xs, ys, true);
    m_startArrow->start->setCoords(0, 0);
    m_startArrow->end->setCoords(t.rotatedX(0, i), t.rotatedY(0, i));
    m_arrow->start->setCoords(0, 0);
    m_arrow->end->setCoords(t.rotatedX(pos, i), t.rotatedY(pos, i));
    const double angle = t.angle(pos, i);
    m_rotationCaption->setText(tr("Pair %1 = dimensions (%2, %3) of a query vector turns %4 rad per token (a full "
                                  "turn every %5 tokens). At position %6 it has turned %7 rad = %8 turns. Its "
                                  "length never changes.")
                                   .arg(i)
                                   .arg(i)
                                   .arg(i + t.pairs)
                                   .arg(t.inverseFrequencies[i], 0, 'g', 3)
                                   .arg(t.wavelength(i), 0, 'f', 1)
                                   .arg(pos)
                                   .arg(angle, 0, 'f', 3)
                                   .arg(angle / kTwoPi, 0, 'f', 3));
    m_rotationPlot->replot(QCustomPlot::rpQueuedReplot);
}

void RopeView::keepRotationSquare()
{
    // One unit must be as long across as up, or the rotation looks like an ellipse.
    if (!m_tables)
        return;
    const double r = 1.25 * std::max(1e-9, std::hypot(m_tables->rotatedX(0, pair()), m_tables->rotatedY(0, pair())));
    QCPAxis *x = m_rotationPlot->xAxis, *y = m_rotationPlot->yAxis;
    const QRect rect = m_rotationPlot->axisRect()->rect();
    x->setRange(-r, r);
    y->setRange(-r, r);
    // Widen the longer side (setScaleRatio keeps the range's centre), so the whole circle stays in view.
    if (rect.width() >= rect.height())
        x->setScaleRatio(y, 1.0);
    else
        y->setScaleRatio(x, 1.0);
}

void RopeView::updateRelative()
{
    if (!m_relative) {
        m_relativeCaption->setText(QString());
        return;
    }
    const auto &c = *m_relative;
    const QVector<double> offsets(c.offsets.begin(), c.offsets.end());
    m_relativePlot->graph(0)->setData(offsets, QVector<double>(c.scoresA.begin(), c.scoresA.end()), true);
    m_relativePlot->graph(1)->setData(offsets, QVector<double>(c.scoresB.begin(), c.scoresB.end()), true);
    m_relativePlot->graph(0)->setName(tr("key at position %1").arg(c.startA));
    m_relativePlot->graph(1)->setName(tr("key at position %1").arg(c.startB));
    m_relativePlot->rescaleAxes();
    m_relativePlot->yAxis->scaleRange(1.15);
    m_relativeCaption->setText(tr("The same query and key, placed at two different absolute positions: the score "
                                  "depends only on how far apart they are. Largest difference: %1.")
                                   .arg(c.maxAbsDifference, 0, 'g', 2));
    m_relativePlot->replot(QCustomPlot::rpQueuedReplot);
}

bool RopeView::exportCsv(const QString &path) const
{
    return m_tables && m_relative && writeRopeCsv(*m_tables, *m_relative, path);
}

} // namespace llmf::views
