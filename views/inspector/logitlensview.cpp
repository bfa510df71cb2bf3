#include "inspector/logitlensview.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"
#include "llmf/inspect/logitlens.h"

#include <QEvent>
#include <QFile>
#include <QGridLayout>
#include <QLabel>
#include <QLocale>
#include <QVBoxLayout>

#include <cmath>

namespace llmf::views {

namespace {

// Cells get their token drawn while they are wide enough to read; beyond that the colour and a click tell.
constexpr int kMaxLabelledPositions = 24;

QString shortLabel(const std::string &token)
{
    const QString text = QString::fromStdString(token);
    return text.size() <= 8 ? text : text.left(7) + QChar(0x2026);
}

} // namespace

LogitLensView::LogitLensView(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("logitLensView"));
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("logitLensSummary"));
    m_summary->setWordWrap(true);

    m_charts = new QWidget(this);
    m_grid = new QCustomPlot(m_charts);
    m_grid->setObjectName(QStringLiteral("logitLensGrid"));
    m_grid->setMinimumSize(420, 260);
    m_map = new QCPColorMap(m_grid->xAxis, m_grid->yAxis);
    m_map->setGradient(probabilityGradient());
    m_map->setDataRange(QCPRange(0.0, 1.0));
    m_map->setInterpolate(false);
    m_grid->yAxis->setRangeReversed(true); // the embeddings on top, the model's output at the bottom
    m_grid->xAxis->setTickLabelRotation(60);
    for (QCPAxis *axis : {m_grid->xAxis, m_grid->yAxis}) {
        axis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
        axis->grid()->setVisible(false);
        axis->setSubTicks(false);
    }
    connect(m_grid, &QCustomPlot::mousePress, this, &LogitLensView::onGridClick);

    m_bars = new QCustomPlot(m_charts);
    m_bars->setObjectName(QStringLiteral("logitLensBars"));
    m_bars->setMinimumSize(220, 200);
    m_barData = new QCPBars(m_bars->yAxis, m_bars->xAxis);
    m_barData->setPen(Qt::NoPen);
    m_barData->setBrush(seriesColour(0));
    m_bars->yAxis->setTicker(QSharedPointer<QCPAxisTickerText>::create());
    m_bars->yAxis->setRangeReversed(true);
    m_bars->yAxis->grid()->setVisible(false);
    m_bars->xAxis->setRange(0, 1);

    m_norms = new QCustomPlot(m_charts);
    m_norms->setObjectName(QStringLiteral("logitLensNorms"));
    m_norms->setMinimumSize(220, 180);
    for (int i = 0; i < 3; ++i) {
        QCPGraph *graph = m_norms->addGraph();
        graph->setPen(QPen(seriesColour(i + 1), 2));
        graph->setScatterStyle(QCPScatterStyle(QCPScatterStyle::ssCircle, 5));
    }
    m_norms->legend->setVisible(true);
    placeLegendAbove(m_norms, 2);

    auto *charts = new QGridLayout(m_charts);
    charts->setContentsMargins(0, 0, 0, 0);
    charts->addWidget(m_grid, 0, 0, 2, 1);
    charts->addWidget(m_bars, 0, 1);
    charts->addWidget(m_norms, 1, 1);
    charts->setColumnStretch(0, 3);
    charts->setColumnStretch(1, 2);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addWidget(m_summary);
    layout->addWidget(m_charts, 1);
    for (QCustomPlot *plot : {m_grid, m_bars, m_norms})
        stylePlot(plot);
    retranslate();
}

LogitLensView::~LogitLensView() = default;

void LogitLensView::setLens(const llmf::LogitLens &lens)
{
    m_lens = std::make_unique<llmf::LogitLens>(lens);
    if (m_row < 0 || m_row >= lens.rows || m_position < 0 || m_position >= lens.tokens) {
        m_row = lens.rows - 1; // the model's own prediction after the last token
        m_position = lens.tokens - 1;
    }
    redraw();
}

void LogitLensView::clear()
{
    m_lens.reset();
    m_row = m_position = -1;
    redraw();
}

void LogitLensView::selectCell(int row, int position)
{
    if (!m_lens || row < 0 || row >= m_lens->rows || position < 0 || position >= m_lens->tokens)
        return;
    m_row = row;
    m_position = position;
    redraw();
    Q_EMIT cellSelected(row, position);
}

QString LogitLensView::cellText(int row, int position) const
{
    if (!m_lens || row < 0 || row >= m_lens->rows || position < 0 || position >= m_lens->tokens)
        return {};
    return shortLabel(m_lens->text(row, position));
}

QStringList LogitLensView::barLabels() const
{
    QStringList labels;
    if (!m_lens || m_row < 0)
        return labels;
    for (int k = 0; k < m_lens->topK; ++k)
        labels << QString::fromStdString(m_lens->text(m_row, m_position, k));
    return labels;
}

QString LogitLensView::summary() const
{
    return m_summary->text();
}

void LogitLensView::onGridClick(QMouseEvent *event)
{
    if (!m_lens)
        return;
    const int position = static_cast<int>(std::lround(m_grid->xAxis->pixelToCoord(event->pos().x())));
    const int row = static_cast<int>(std::lround(m_grid->yAxis->pixelToCoord(event->pos().y())));
    selectCell(row, position);
}

void LogitLensView::redraw()
{
    m_grid->clearItems();
    auto xTicks = QSharedPointer<QCPAxisTickerText>::create();
    auto yTicks = QSharedPointer<QCPAxisTickerText>::create();
    for (int i = 0; i < 3; ++i)
        m_norms->graph(i)->data()->clear();
    if (!m_lens) {
        m_map->data()->clear();
        m_grid->xAxis->setTicker(xTicks);
        m_grid->yAxis->setTicker(yTicks);
        m_grid->replot();
        showBars();
        m_norms->replot();
        retranslate();
        return;
    }
    const llmf::LogitLens &lens = *m_lens;
    m_map->data()->setSize(lens.tokens, lens.rows);
    m_map->data()->setRange(QCPRange(0, lens.tokens - 1), QCPRange(0, lens.rows - 1));
    const bool labelled = lens.tokens <= kMaxLabelledPositions;
    for (int row = 0; row < lens.rows; ++row)
        for (int t = 0; t < lens.tokens; ++t) {
            const double p = lens.probability(row, t);
            m_map->data()->setCell(t, row, p);
            if (!labelled)
                continue;
            auto *label = new QCPItemText(m_grid);
            label->position->setCoords(t, row);
            label->setText(cellText(row, t));
            // Light text on the dark (unlikely) end of the map, dark text on the bright end.
            label->setColor(p < 0.5 ? Qt::white : Qt::black);
            QFont small = font();
            small.setPointSizeF(small.pointSizeF() * 0.8);
            label->setFont(small);
        }
    for (int t = 0; t < lens.tokens; ++t)
        xTicks->addTick(t, shortLabel(lens.tokenTexts[static_cast<size_t>(t)]));
    for (int row = 0; row < lens.rows; ++row)
        yTicks->addTick(row, row == 0 ? tr("embeddings") : tr("block %1").arg(row));
    m_grid->xAxis->setTicker(xTicks);
    m_grid->yAxis->setTicker(yTicks);
    if (m_row >= 0) { // the selected cell, outlined
        auto *frame = new QCPItemRect(m_grid);
        frame->topLeft->setCoords(m_position - 0.5, m_row - 0.5);
        frame->bottomRight->setCoords(m_position + 0.5, m_row + 0.5);
        frame->setPen(QPen(palette().color(QPalette::Highlight), 3));
    }
    m_grid->xAxis->setRange(-0.5, lens.tokens - 0.5);
    m_grid->yAxis->setRange(-0.5, lens.rows - 0.5);
    m_grid->replot();

    double top = 0.0;
    for (int row = 0; row < lens.rows; ++row) {
        m_norms->graph(0)->addData(row, lens.residualNorm[static_cast<size_t>(row)]);
        top = std::max(top, double(lens.residualNorm[static_cast<size_t>(row)]));
        if (row > 0) {
            m_norms->graph(1)->addData(row, lens.attentionAdded[static_cast<size_t>(row - 1)]);
            m_norms->graph(2)->addData(row, lens.feedForwardAdded[static_cast<size_t>(row - 1)]);
            top = std::max({top, double(lens.attentionAdded[static_cast<size_t>(row - 1)]),
                            double(lens.feedForwardAdded[static_cast<size_t>(row - 1)])});
        }
    }
    m_norms->xAxis->setRange(-0.3, lens.rows - 0.7);
    m_norms->yAxis->setRange(0, top * 1.1 + 1e-6);
    m_norms->replot();
    showBars();
    retranslate();
}

void LogitLensView::showBars()
{
    auto ticks = QSharedPointer<QCPAxisTickerText>::create();
    QVector<double> keys, values;
    if (m_lens && m_row >= 0) {
        for (int k = 0; k < m_lens->topK; ++k) {
            keys << k;
            values << m_lens->probability(m_row, m_position, k);
            ticks->addTick(k, shortLabel(m_lens->text(m_row, m_position, k)));
        }
    }
    m_barData->setData(keys, values);
    m_bars->yAxis->setTicker(ticks);
    m_bars->yAxis->setRange(-0.6, std::max(1, m_lens ? m_lens->topK : 1) - 0.4);
    m_bars->replot();
}

void LogitLensView::retranslate()
{
    m_explanation->setText(
        tr("What would the model say if it stopped early? Each row decodes the residual stream — after the "
           "embeddings, then after each block — through the final RMSNorm and the output layer. A cell shows the "
           "most likely next token at that position and its probability (colour); the bottom row is the model's "
           "real prediction. Click a cell for its ten best tokens."));
    m_norms->graph(0)->setName(tr("residual size"));
    m_norms->graph(1)->setName(tr("attention added"));
    m_norms->graph(2)->setName(tr("feed-forward added"));
    m_norms->xAxis->setLabel(tr("after block (0 = embeddings)"));
    m_bars->xAxis->setLabel(tr("probability"));
    m_grid->replot();
    m_norms->replot();
    m_bars->replot();
    if (!m_lens) {
        m_summary->setText(tr("Type a text on the Attention tab to read it through the logit lens."));
        return;
    }
    const llmf::LogitLens &lens = *m_lens;
    int predicted = 0, earliestSum = 0;
    for (int t = 0; t + 1 < lens.tokens; ++t) {
        const int row = lens.firstCorrectRow(t);
        if (row >= 0 && lens.id(lens.rows - 1, t) == lens.tokenIds[static_cast<size_t>(t) + 1]) {
            ++predicted;
            earliestSum += row;
        }
    }
    QString text = tr("The model's output predicts the next token of the text at %1 of %2 positions")
                       .arg(predicted)
                       .arg(std::max(0, lens.tokens - 1));
    if (predicted > 0)
        text += tr("; on average, row %1 (0 = the embeddings) already had it on top.")
                    .arg(QLocale().toString(static_cast<double>(earliestSum) / predicted, 'f', 1));
    else
        text += QStringLiteral(".");
    if (m_row >= 0) {
        const QString where = m_row == 0 ? tr("the embeddings") : tr("block %1").arg(m_row);
        text +=
            QStringLiteral("\n") + tr("After “%1”, %2 predicts “%3” (%4 %).")
                                       .arg(QString::fromStdString(lens.tokenTexts[static_cast<size_t>(m_position)]),
                                            where, QString::fromStdString(lens.text(m_row, m_position)),
                                            QLocale().toString(100.0 * lens.probability(m_row, m_position), 'f', 1));
    }
    if (!lens.note.empty())
        text += QStringLiteral("\n") + QString::fromStdString(lens.note);
    m_summary->setText(text);
}

bool LogitLensView::exportCsv(const QString &path) const
{
    if (!m_lens)
        return false;
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate))
        return false;
    QByteArray out = "row,position,token,rank,predicted_id,predicted_token,probability\n";
    const llmf::LogitLens &lens = *m_lens;
    for (int row = 0; row < lens.rows; ++row)
        for (int t = 0; t < lens.tokens; ++t)
            for (int k = 0; k < lens.topK; ++k)
                out += QStringLiteral("%1,%2,%3,%4,%5,%6,%7\n")
                           .arg(row)
                           .arg(t)
                           .arg(csvField(QString::fromStdString(lens.tokenTexts[static_cast<size_t>(t)])))
                           .arg(k)
                           .arg(lens.id(row, t, k))
                           .arg(csvField(QString::fromStdString(lens.text(row, t, k))))
                           .arg(static_cast<double>(lens.probability(row, t, k)), 0, 'g', 7)
                           .toUtf8();
    return file.write(out) == out.size();
}

void LogitLensView::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        for (QCustomPlot *plot : {m_grid, m_bars, m_norms})
            stylePlot(plot);
    QWidget::changeEvent(event);
}

} // namespace llmf::views
