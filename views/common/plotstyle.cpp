#include "common/plotstyle.h"

#include "common/qcustomplot.h"

#include <QPalette>
#include <QPixmap>
#include <QWidget>

#include <algorithm>
#include <array>
#include <cmath>

namespace llmf::views {

namespace {

// Viridis at nine evenly spaced stops (matplotlib's _viridis_data).
constexpr std::array<QRgb, 9> kViridis = {0xff440154, 0xff472d7b, 0xff3b528b, 0xff2c728e, 0xff21918c,
                                          0xff28ae80, 0xff5ec962, 0xffaddc30, 0xfffde725};

} // namespace

void stylePlot(QCustomPlot *plot)
{
    const QPalette pal = plot->palette();
    plot->setBackground(pal.brush(QPalette::Base));
    const QColor text = pal.color(QPalette::Text);
    QColor grid = text;
    grid.setAlphaF(0.15f);
    for (QCPAxisRect *rect : plot->axisRects()) {
        for (QCPAxis *axis : rect->axes()) {
            axis->setBasePen(QPen(text));
            axis->setTickPen(QPen(text));
            axis->setSubTickPen(QPen(text));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
            axis->grid()->setPen(QPen(grid, 1, Qt::DotLine));
            axis->grid()->setSubGridPen(Qt::NoPen);
            axis->grid()->setZeroLinePen(QPen(grid, 1));
        }
    }
    plot->legend->setBrush(pal.brush(QPalette::Base));
    plot->legend->setBorderPen(QPen(grid));
    plot->legend->setTextColor(text);
    // Colour scales live in the layout, not in axisRects().
    for (int i = 0; i < plot->plotLayout()->elementCount(); ++i)
        if (auto *scale = qobject_cast<QCPColorScale *>(plot->plotLayout()->elementAt(i))) {
            QCPAxis *axis = scale->axis();
            axis->setBasePen(QPen(text));
            axis->setTickPen(QPen(text));
            axis->setSubTickPen(QPen(text));
            axis->setTickLabelColor(text);
            axis->setLabelColor(text);
        }
}

void placeLegendAbove(QCustomPlot *plot, int columns)
{
    plot->legend->setVisible(true);
    plot->legend->setFillOrder(QCPLegend::foColumnsFirst);
    plot->legend->setWrap(columns);
    plot->plotLayout()->insertRow(0);
    plot->plotLayout()->addElement(0, 0, plot->legend);
    plot->plotLayout()->setRowStretchFactor(0, 0.001); // as tall as its entries, the rest for the data
}

void placeLegendRight(QCustomPlot *plot)
{
    plot->legend->setVisible(true);
    plot->plotLayout()->addElement(0, 1, plot->legend);
    plot->plotLayout()->setColumnStretchFactor(1, 0.001);
}

QColor seriesColour(int index)
{
    static const QColor colours[] = {QColor(0, 114, 178),   QColor(230, 159, 0),   QColor(0, 158, 115),
                                     QColor(213, 94, 0),    QColor(204, 121, 167), QColor(86, 180, 233),
                                     QColor(150, 150, 150), QColor(240, 228, 66)};
    return colours[static_cast<size_t>(index) % (sizeof colours / sizeof colours[0])];
}

QColor kvGroupColour(int kvHead)
{
    // The first six hues only: yellow and grey would vanish as thin borders on a light or a dark window.
    return seriesColour(kvHead % 6);
}

QCPColorGradient probabilityGradient()
{
    QCPColorGradient gradient;
    gradient.clearColorStops();
    for (size_t i = 0; i < kViridis.size(); ++i)
        gradient.setColorStopAt(static_cast<double>(i) / (kViridis.size() - 1), QColor::fromRgb(kViridis[i]));
    gradient.setColorInterpolation(QCPColorGradient::ciRGB);
    gradient.setLevelCount(256);
    return gradient;
}

QRgb probabilityRgb(double value)
{
    const double x = std::clamp(value, 0.0, 1.0) * (kViridis.size() - 1);
    const size_t i = std::min(static_cast<size_t>(x), kViridis.size() - 2);
    const double t = x - static_cast<double>(i);
    const QRgb a = kViridis[i], b = kViridis[i + 1];
    const auto mix = [t](int p, int q) { return static_cast<int>(std::lround(p + (q - p) * t)); };
    return qRgb(mix(qRed(a), qRed(b)), mix(qGreen(a), qGreen(b)), mix(qBlue(a), qBlue(b)));
}

QString csvField(const QString &text)
{
    if (!text.contains(QLatin1Char(',')) && !text.contains(QLatin1Char('"')) && !text.contains(QLatin1Char('\n')) &&
        !text.contains(QLatin1Char('\r')))
        return text;
    QString quoted = text;
    quoted.replace(QLatin1String("\""), QLatin1String("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

bool saveWidgetPng(QWidget *widget, const QString &path)
{
    return widget->grab().save(path, "PNG");
}

} // namespace llmf::views
