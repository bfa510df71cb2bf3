#pragma once

#include <QColor>
#include <QString>

class QCustomPlot;
class QCPColorGradient;
class QWidget;

namespace llmf::views {

// Shared look of the app's charts. Colours come from the widget's palette (axes, text, background) or from
// colour-blind-safe fixed hues that read on light and dark backgrounds alike, so a theme switch keeps them legible.

// Axes, labels, legend and background from `plot`'s palette. Call again on QEvent::PaletteChange.
void stylePlot(QCustomPlot *plot);
// Moves the legend out of the axis rect, above it (entries side by side, `columns` per row) or to its right, so it
// never hides data.
void placeLegendAbove(QCustomPlot *plot, int columns);
void placeLegendRight(QCustomPlot *plot);
// Okabe-Ito hues for series i.
QColor seriesColour(int index);
// One colour per KV group: the query heads that share a key/value head (GQA) are drawn in the same colour.
QColor kvGroupColour(int kvHead);
// Perceptually uniform dark-to-bright map (viridis stops) for probabilities: equal steps look equally different
// and it survives greyscale printing.
QCPColorGradient probabilityGradient();
// A colour from probabilityGradient() for a value in [0, 1], for the thumbnails painted without QCustomPlot.
QRgb probabilityRgb(double value);
// A CSV field, quoted when it holds a comma, quote or line break (RFC 4180).
QString csvField(const QString &text);
// Saves `widget` as rendered on screen (device-pixel-ratio aware). False on failure.
bool saveWidgetPng(QWidget *widget, const QString &path);

} // namespace llmf::views
