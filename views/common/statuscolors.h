#pragma once

#include <QColor>
#include <QPalette>

namespace llmf::views {

// Status colours derived from the widget's palette, so the page reads well in light and dark themes alike:
// a fixed dark red disappears on a dark window, a fixed pale yellow banner glares in one.
inline bool isDarkPalette(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

inline QColor blend(const QColor &a, const QColor &b, double t)
{
    return QColor::fromRgbF(static_cast<float>(a.redF() * (1 - t) + b.redF() * t),
                            static_cast<float>(a.greenF() * (1 - t) + b.greenF() * t),
                            static_cast<float>(a.blueF() * (1 - t) + b.blueF() * t));
}

inline QColor errorTextColor(const QPalette &palette)
{
    return isDarkPalette(palette) ? QColor(255, 128, 118) : QColor(185, 28, 28);
}

inline QColor mutedTextColor(const QPalette &palette)
{
    return blend(palette.color(QPalette::WindowText), palette.color(QPalette::Window), 0.4);
}

// A background tint for banners and highlighted rows that keeps the text colour readable.
inline QColor tintedBackground(const QPalette &palette, const QColor &tint, double amount = 0.22)
{
    return blend(palette.color(QPalette::Window), tint, amount);
}

inline QColor warningTint()
{
    return QColor(230, 150, 20);
}

inline QColor infoTint()
{
    return QColor(40, 140, 220);
}

} // namespace llmf::views
