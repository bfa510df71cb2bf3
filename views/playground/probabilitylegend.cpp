#include "playground/probabilitylegend.h"

#include "playground/tokenview.h"

#include <QEvent>
#include <QPainter>

namespace llmf::views {

namespace {

constexpr int kGap = 10; // between entries
constexpr int kPad = 4;  // between a swatch and its text

} // namespace

ProbabilityLegend::ProbabilityLegend(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("probabilityLegend"));
    setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Fixed);
}

QString ProbabilityLegend::caption() const
{
    return tr("Probability of each sampled token:");
}

QSize ProbabilityLegend::sizeHint() const
{
    const QFontMetrics fm(font());
    const int swatch = fm.height();
    int width = fm.horizontalAdvance(caption()) + kGap;
    for (int bin = 0; bin < TokenView::binCount(); ++bin)
        width += swatch + kPad + fm.horizontalAdvance(TokenView::binLabel(bin)) + kGap;
    return {width, fm.height() + 4};
}

void ProbabilityLegend::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const QFontMetrics fm(font());
    const int swatch = fm.height();
    const int y = (height() - swatch) / 2;
    const QColor base = palette().color(QPalette::Base);
    p.setPen(palette().color(QPalette::WindowText));
    int x = 0;
    const auto drawText = [&](const QString &text) {
        const int w = fm.horizontalAdvance(text);
        p.drawText(QRect(x, 0, w, height()), Qt::AlignVCenter | Qt::AlignLeft, text);
        x += w;
    };
    drawText(caption());
    x += kGap;
    for (int bin = 0; bin < TokenView::binCount(); ++bin) {
        const QRect box(x, y, swatch, swatch);
        p.fillRect(box, base);
        p.fillRect(box, TokenView::binColour(bin, base));
        x += swatch + kPad;
        drawText(TokenView::binLabel(bin));
        x += kGap;
    }
}

void ProbabilityLegend::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange || event->type() == QEvent::FontChange)
        updateGeometry();
    update();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
