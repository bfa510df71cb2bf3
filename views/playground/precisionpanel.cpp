#include "playground/precisionpanel.h"

#include "common/plotstyle.h"
#include "common/qcustomplot.h"
#include "llmf/common/error.h"
#include "llmf/quant/precisioncomparison.h"

#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLocale>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QTableWidget>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace llmf::views {

namespace {

enum Column { SizeColumn, SpeedColumn, PerplexityColumn, AgreementColumn, ColumnCount };
constexpr int kPrecisions = 3;

QString sizeText(qint64 bytes)
{
    return QLocale().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace

PrecisionPanel::PrecisionPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("precisionPanel"));
    m_explanation = new QLabel(this);
    m_explanation->setWordWrap(true);
    m_compare = new QPushButton(this);
    m_compare->setObjectName(QStringLiteral("precisionButton"));
    connect(m_compare, &QPushButton::clicked, this, [this] { m_busy ? cancel() : Q_EMIT runRequested(); });
    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("precisionStatus"));
    m_status->setWordWrap(true);

    m_table = new QTableWidget(kPrecisions, ColumnCount, this);
    m_table->setObjectName(QStringLiteral("precisionTable"));
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    m_table->setVerticalHeaderLabels({QStringLiteral("fp32"), QStringLiteral("int8"), QStringLiteral("int4")});
    m_table->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    m_table->setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_plot = new QCustomPlot(this);
    m_plot->setObjectName(QStringLiteral("precisionChart"));
    m_plot->setMinimumHeight(90);
    m_plot->setMaximumHeight(140);
    m_bars = new QCPBars(m_plot->yAxis, m_plot->xAxis); // horizontal bars: tokens/s per precision
    m_bars->setWidth(0.6);
    m_bars->setPen(Qt::NoPen);
    m_bars->setBrush(seriesColour(2));
    auto ticker = QSharedPointer<QCPAxisTickerText>::create();
    ticker->addTick(1, QStringLiteral("fp32"));
    ticker->addTick(2, QStringLiteral("int8"));
    ticker->addTick(3, QStringLiteral("int4"));
    m_plot->yAxis->setTicker(ticker);
    m_plot->yAxis->setRange(0.4, 3.6);
    m_plot->yAxis->setRangeReversed(true);
    m_plot->yAxis->grid()->setVisible(false);
    stylePlot(m_plot);

    auto *texts = new QGridLayout;
    for (int i = 0; i < kPrecisions; ++i) {
        auto *label = new QLabel(this);
        auto *text = new QPlainTextEdit(this);
        text->setObjectName(QStringLiteral("precisionText%1").arg(i));
        text->setReadOnly(true);
        text->setMaximumHeight(80);
        texts->addWidget(label, 0, i);
        texts->addWidget(text, 1, i);
        m_textLabels.append(label);
        m_texts.append(text);
    }

    auto *top = new QHBoxLayout;
    top->addWidget(m_compare);
    top->addWidget(m_status, 1);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_explanation);
    layout->addLayout(top);
    layout->addWidget(m_table);
    layout->addWidget(m_plot);
    layout->addLayout(texts);
    layout->addStretch(1);
    retranslate();
}

void PrecisionPanel::setRun(const QString &runDir)
{
    m_task.cancelAndWait(); // its rows belong to the old run
    m_runDir = runDir;
    m_rows.clear();
    m_note.clear();
    if (m_busy) {
        m_busy = false;
        Q_EMIT busyChanged(false);
    }
    showRows();
    retranslate();
}

void PrecisionPanel::run(const llmf::GenerationConfig &config, const QString &prompt)
{
    if (m_busy || m_runDir.isEmpty())
        return;
    m_rows.clear();
    m_note.clear();
    showRows();
    m_busy = true;
    PrecisionOptions options;
    options.prompt = prompt.toStdString();
    options.generation = config;
    const std::string runDir = m_runDir.toStdString();
    m_task.start([this, options, runDir](const CancelToken &token) {
        QString error;
        std::string note;
        try {
            comparePrecisions(
                runDir, options,
                [this, &token](const PrecisionRow &r) {
                    Row row;
                    row.precision = r.type == QuantType::None ? QStringLiteral("fp32") : quantTypeName(r.type);
                    row.weightsBytes = r.weightsBytes;
                    row.tokensPerSecond = r.tokensPerSecond;
                    row.perplexity = r.perplexity;
                    row.agreement = r.topOneAgreement;
                    row.continuation = QString::fromStdString(r.continuation);
                    row.firstDifference = static_cast<int>(r.firstDifference);
                    token.deliver(this, [this, row] { addRow(row); });
                },
                token.flag(), &note);
        } catch (const std::exception &e) {
            error = QString::fromStdString(describeException(e));
        }
        // Also after Stop: the rows finished until then stay on screen.
        token.deliver(this, [this, error, noteText = QString::fromStdString(note)] { finish(error, noteText); });
    });
    retranslate();
    Q_EMIT busyChanged(true);
}

void PrecisionPanel::cancel()
{
    m_task.requestStop();
}

void PrecisionPanel::addRow(const Row &row)
{
    if (!m_busy)
        return; // a late row of a comparison that was abandoned
    m_rows.append(row);
    showRows();
    retranslate();
}

void PrecisionPanel::finish(const QString &error, const QString &note)
{
    if (!m_busy)
        return;
    m_busy = false;
    m_note = note;
    retranslate();
    Q_EMIT busyChanged(false);
    if (!error.isEmpty())
        Q_EMIT failed(error);
    else if (m_rows.size() == kPrecisions)
        Q_EMIT finished();
}

void PrecisionPanel::showRows()
{
    QVector<double> keys, speeds;
    double fastest = 1.0;
    for (int i = 0; i < kPrecisions; ++i) {
        const bool have = i < m_rows.size();
        const Row *r = have ? &m_rows[i] : nullptr;
        const auto set = [&](int column, const QString &text) {
            auto *item = new QTableWidgetItem(text);
            item->setTextAlignment(Qt::AlignRight | Qt::AlignVCenter);
            m_table->setItem(i, column, item);
        };
        set(SizeColumn, have ? sizeText(r->weightsBytes) : QString());
        set(SpeedColumn, have ? QLocale().toString(r->tokensPerSecond, 'f', 0) : QString());
        set(PerplexityColumn, have && r->perplexity > 0 ? QLocale().toString(r->perplexity, 'f', 2) : QString());
        set(AgreementColumn, have && r->perplexity > 0
                                 ? QLocale().toString(100.0 * r->agreement, 'f', 1) + QStringLiteral(" %")
                                 : QString());
        m_texts[i]->setPlainText(have ? r->continuation : QString());
        if (have) {
            keys.append(i + 1);
            speeds.append(r->tokensPerSecond);
            fastest = std::max(fastest, r->tokensPerSecond);
        }
    }
    m_bars->setData(keys, speeds);
    m_plot->xAxis->setRange(0, fastest * 1.15);
    m_plot->replot();
}

void PrecisionPanel::retranslate()
{
    m_explanation->setText(
        tr("The same model with its weights stored in 32-bit floats, in 8-bit integers and in 4-bit integers (one "
           "scale per group of 32 weights; int4 also rounds each layer's input to 8 bits and multiplies integers, "
           "as llama.cpp does). Decoding reads every weight once per token, so fewer bytes mean more tokens per "
           "second; the price is rounding, measured here as perplexity on the run's validation text and as how "
           "often each precision picks the token fp32 picks."));
    m_compare->setText(m_busy ? tr("Stop") : tr("Compare precisions"));
    // The status beside it wraps, so the layout would squeeze the button below its text.
    m_compare->setMinimumWidth(std::max(m_compare->sizeHint().width(),
                                        m_compare->fontMetrics().horizontalAdvance(tr("Compare precisions")) + 24));
    m_compare->setEnabled(!m_runDir.isEmpty());
    m_table->setHorizontalHeaderLabels(
        {tr("Size on disk"), tr("Tokens/s"), tr("Perplexity"), tr("Same next token as fp32")});
    // Exactly the header and three rows: nothing to scroll.
    m_table->resizeRowsToContents();
    m_table->setFixedHeight(m_table->horizontalHeader()->sizeHint().height() + m_table->verticalHeader()->length() +
                            2 * m_table->frameWidth() + 2);
    m_plot->xAxis->setLabel(tr("tokens/s (batch 1, KV cache)"));
    m_plot->replot();
    const QStringList names = {QStringLiteral("fp32"), QStringLiteral("int8"), QStringLiteral("int4")};
    for (int i = 0; i < kPrecisions; ++i) {
        QString caption = names[i];
        if (i > 0 && i < m_rows.size())
            caption = m_rows[i].firstDifference < 0
                          ? tr("%1 — the same tokens as fp32").arg(names[i])
                          : tr("%1 — parts from fp32 at token %2").arg(names[i]).arg(m_rows[i].firstDifference + 1);
        m_textLabels[i]->setText(caption);
    }
    if (m_runDir.isEmpty())
        m_status->setText(tr("Open a trained run first."));
    else if (m_busy)
        m_status->setText(tr("Measuring %1 of 3…").arg(m_rows.size() + 1));
    else if (m_rows.size() == kPrecisions && m_rows[0].tokensPerSecond > 0)
        m_status->setText(
            tr("int8: %1× the speed at %2 % of the size; int4: %3× at %4 %.")
                .arg(QLocale().toString(m_rows[1].tokensPerSecond / m_rows[0].tokensPerSecond, 'f', 2))
                .arg(QLocale().toString(100.0 * m_rows[1].weightsBytes / m_rows[0].weightsBytes, 'f', 0))
                .arg(QLocale().toString(m_rows[2].tokensPerSecond / m_rows[0].tokensPerSecond, 'f', 2))
                .arg(QLocale().toString(100.0 * m_rows[2].weightsBytes / m_rows[0].weightsBytes, 'f', 0)) +
            (m_note.isEmpty() ? QString() : QStringLiteral("\n") + tr("No perplexity: %1").arg(m_note)));
    else
        m_status->setText(tr("Uses the prompt, settings and seed of the Playground."));
}

void PrecisionPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    else if (event->type() == QEvent::PaletteChange)
        stylePlot(m_plot);
    QWidget::changeEvent(event);
}

} // namespace llmf::views
