#include "playground/nexttokenpanel.h"

#include "playground/stagechart.h"

#include <QEvent>
#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>

namespace llmf::views {

NextTokenPanel::NextTokenPanel(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("nextTokenPanel"));
    m_caption = new QLabel(this);
    m_caption->setObjectName(QStringLiteral("stageCaption"));
    m_caption->setWordWrap(true);
    auto *row = new QHBoxLayout;
    static const char *const names[] = {"stageChart.raw", "stageChart.temperature", "stageChart.topK",
                                        "stageChart.topP"};
    for (int s = 0; s < StageCount; ++s) {
        m_charts[s] = new StageChart(this);
        m_charts[s]->setObjectName(QLatin1String(names[s]));
        row->addWidget(m_charts[s], 1);
    }
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_caption);
    layout->addLayout(row, 1);
    render();
}

void NextTokenPanel::setTokenLabels(const QStringList &labels)
{
    m_labels = labels;
}

QString NextTokenPanel::label(qint32 id) const
{
    return m_labels.value(id, QStringLiteral("#%1").arg(id));
}

void NextTokenPanel::showToken(const GeneratedToken &token, int index, int count, const std::vector<int32_t> &context,
                               const llmf::GenerationConfig &current, const llmf::GenerationConfig &generatedWith)
{
    m_stages = computeNextTokenStages(token.logits, current, context); // throws before anything changes
    m_hasToken = true;
    m_token = token;
    m_index = index;
    m_count = count;
    m_current = current;
    m_generatedWith = generatedWith;
    render();
}

void NextTokenPanel::showNothing(bool hasRun, const llmf::GenerationConfig &current)
{
    m_hasToken = false;
    m_hasRun = hasRun;
    m_current = current;
    m_stages = NextTokenStages{};
    m_token = GeneratedToken{};
    render();
}

void NextTokenPanel::render()
{
    const llmf::GenerationConfig &c = m_current;
    const QVector<StageBar> *stages[] = {&m_stages.raw, &m_stages.tempered, &m_stages.topK, &m_stages.topP};
    double top = 0.0;
    for (int s = 0; s < StageCount; ++s) {
        QVector<StageChart::Bar> bars;
        for (const StageBar &b : *stages[s]) {
            bars.append({label(b.id), b.probability, m_hasToken && b.id == m_token.id});
            top = std::max(top, b.probability);
        }
        m_charts[s]->setBars(bars);
    }
    // One scale for all four, with head room for the value labels.
    for (StageChart *chart : m_charts)
        chart->setValueRange(top > 0.0 ? std::min(1.0, top) * 1.2 : 1.0);

    // Two-line titles: the stage, then its setting and what it left.
    const auto title = [](const QString &stage, const QString &detail) {
        return QStringLiteral("<b>%1</b><br>%2").arg(stage, detail.isEmpty() ? QStringLiteral("&nbsp;") : detail);
    };
    const bool have = m_hasToken;
    m_charts[RawStage]->setTitle(
        title(tr("Raw softmax"), have ? tr("all %1 tokens").arg(m_token.logits.size()) : QString()));
    QString temperature =
        c.temperature == 0.0 ? tr("T = 0: greedy, argmax only") : tr("T = %1").arg(c.temperature, 0, 'f', 2);
    if (c.repetition_penalty != 1.0)
        temperature = tr("penalty %1, %2").arg(c.repetition_penalty, 0, 'f', 2).arg(temperature);
    m_charts[TemperatureStage]->setTitle(title(tr("After temperature"), temperature));
    // "setting · what it left"; the second half only once a token is shown.
    const auto detail = [have](const QString &setting, const QString &kept) {
        return have ? QStringLiteral("%1 · %2").arg(setting, kept) : setting;
    };
    m_charts[TopKStage]->setTitle(title(tr("After top-k"), detail(c.top_k ? tr("k = %1").arg(*c.top_k) : tr("off"),
                                                                  tr("%1 kept").arg(m_stages.keptByTopK))));
    m_charts[TopPStage]->setTitle(
        title(tr("After top-p"),
              detail(c.top_p ? tr("p = %1").arg(*c.top_p, 0, 'f', 2) : tr("off"),
                     tr("%1 kept (%2%)").arg(m_stages.keptByTopP).arg(m_stages.topPKeptMass * 100.0, 0, 'f', 1))));

    if (!have) {
        m_caption->setText(m_hasRun ? tr("Generate, then click a token in the output to see the distribution it was "
                                         "drawn from, stage by stage.")
                                    : tr("Open a trained run to start."));
        return;
    }
    const llmf::GenerationConfig &g = m_generatedWith;
    const bool changed = c.temperature != g.temperature || c.top_k != g.top_k || c.top_p != g.top_p ||
                         c.repetition_penalty != g.repetition_penalty;
    bool charted = false;
    for (const StageBar &b : m_stages.raw)
        charted = charted || b.id == m_token.id;
    QString caption = tr("Token %1 of %2: <b>“%3”</b> (id %4) was drawn with probability %5%.")
                          .arg(m_index + 1)
                          .arg(m_count)
                          .arg(label(m_token.id).toHtmlEscaped())
                          .arg(m_token.id)
                          .arg(m_token.probability * 100.0, 0, 'f', 1);
    caption += QLatin1Char(' ') + (charted ? tr("Its bars are orange.")
                                           : tr("It is not among the ten most likely tokens before sampling."));
    caption += QLatin1Char(' ') + (changed ? tr("<b>The charts show the current slider settings</b>, not those it "
                                                "was generated with.")
                                           : tr("Move a slider to see what other settings would do here."));
    m_caption->setText(caption);
}

int NextTokenPanel::barCount(int stage) const
{
    return stage >= 0 && stage < StageCount ? m_charts[stage]->barCount() : 0;
}

QStringList NextTokenPanel::labels(int stage) const
{
    return stage >= 0 && stage < StageCount ? m_charts[stage]->labels() : QStringList();
}

QVector<double> NextTokenPanel::values(int stage) const
{
    return stage >= 0 && stage < StageCount ? m_charts[stage]->values() : QVector<double>();
}

void NextTokenPanel::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        render();
    QWidget::changeEvent(event);
}

} // namespace llmf::views
