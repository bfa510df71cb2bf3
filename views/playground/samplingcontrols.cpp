#include "playground/samplingcontrols.h"

#include <QCheckBox>
#include <QDoubleSpinBox>
#include <QEvent>
#include <QGridLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QSignalBlocker>
#include <QSlider>
#include <QSpinBox>

#include <cmath>
#include <limits>

namespace llmf::views {

namespace {

constexpr int kLogSteps = 1000; // resolution of the logarithmic sliders
constexpr int kMaxNewTokens = 4096;
constexpr int kDefaultVocab = 8192; // top-k's upper end before a run is open

// Top-k and the token budget span 1..thousands, but the interesting values are small: a logarithmic slider gives
// 1..10 as much travel as 100..1000.
int toLogSlider(int value, int maximum)
{
    if (maximum <= 1 || value <= 1)
        return 0;
    return static_cast<int>(std::lround(kLogSteps * std::log(value) / std::log(maximum)));
}

int fromLogSlider(int position, int maximum)
{
    if (maximum <= 1)
        return 1;
    return std::clamp(static_cast<int>(std::lround(std::exp(position * std::log(maximum) / kLogSteps))), 1, maximum);
}

QSlider *makeSlider(QWidget *parent, const char *name, int minimum, int maximum)
{
    auto *slider = new QSlider(Qt::Horizontal, parent);
    slider->setObjectName(QLatin1String(name));
    slider->setRange(minimum, maximum);
    slider->setMinimumWidth(110);
    return slider;
}

QDoubleSpinBox *makeDoubleSpin(QWidget *parent, const char *name, double minimum, double maximum, double step)
{
    auto *spin = new QDoubleSpinBox(parent);
    spin->setObjectName(QLatin1String(name));
    spin->setRange(minimum, maximum);
    spin->setSingleStep(step);
    spin->setDecimals(2);
    return spin;
}

} // namespace

SamplingControls::SamplingControls(QWidget *parent) : QWidget(parent)
{
    setObjectName(QStringLiteral("samplingControls"));
    m_title = new QLabel(this);
    m_howTo = new QLabel(this);
    m_howTo->setObjectName(QStringLiteral("howToLabel"));
    m_howTo->setWordWrap(true);
    m_howTo->setTextFormat(Qt::RichText);
    m_presetsLabel = new QLabel(this);
    m_precise = new QPushButton(this);
    m_precise->setObjectName(QStringLiteral("presetPrecise"));
    m_balanced = new QPushButton(this);
    m_balanced->setObjectName(QStringLiteral("presetBalanced"));
    m_creative = new QPushButton(this);
    m_creative->setObjectName(QStringLiteral("presetCreative"));
    // Presets are diffs over the defaults (which are "Balanced"), like the guide's table.
    connect(m_precise, &QPushButton::clicked, this, [this] { applyPreset(0.3, 50, 0.9); });
    connect(m_balanced, &QPushButton::clicked, this, [this] { applyPreset(0.8, 50, 0.9); });
    connect(m_creative, &QPushButton::clicked, this, [this] { applyPreset(1.2, std::nullopt, 0.95); });

    m_temperatureLabel = new QLabel(this);
    m_temperatureSlider = makeSlider(this, "temperatureSlider", 0, 200);
    m_temperatureSpin = makeDoubleSpin(this, "temperatureSpin", 0.0, 2.0, 0.05);
    m_topKLabel = new QLabel(this);
    m_topKSlider = makeSlider(this, "topKSlider", 0, kLogSteps);
    m_topKSpin = new QSpinBox(this);
    m_topKSpin->setObjectName(QStringLiteral("topKSpin"));
    m_topKSpin->setRange(1, kDefaultVocab);
    m_topKOff = new QCheckBox(this);
    m_topKOff->setObjectName(QStringLiteral("topKOff"));
    m_topPLabel = new QLabel(this);
    m_topPSlider = makeSlider(this, "topPSlider", 5, 100);
    m_topPSpin = makeDoubleSpin(this, "topPSpin", 0.05, 1.0, 0.05);
    m_topPOff = new QCheckBox(this);
    m_topPOff->setObjectName(QStringLiteral("topPOff"));
    m_maxTokensLabel = new QLabel(this);
    m_maxTokensSlider = makeSlider(this, "maxTokensSlider", 0, kLogSteps);
    m_maxTokensSpin = new QSpinBox(this);
    m_maxTokensSpin->setObjectName(QStringLiteral("maxTokensSpin"));
    m_maxTokensSpin->setRange(1, kMaxNewTokens);
    m_penaltyLabel = new QLabel(this);
    m_penaltySlider = makeSlider(this, "penaltySlider", 50, 200);
    m_penaltySpin = makeDoubleSpin(this, "penaltySpin", 0.5, 2.0, 0.05);
    m_seedLabel = new QLabel(this);
    m_seedSpin = new QSpinBox(this);
    m_seedSpin->setObjectName(QStringLiteral("seedSpin"));
    m_seedSpin->setRange(0, std::numeric_limits<int>::max());
    m_fixSeed = new QCheckBox(this);
    m_fixSeed->setObjectName(QStringLiteral("fixSeedCheck"));
    m_kvCache = new QCheckBox(this);
    m_kvCache->setObjectName(QStringLiteral("kvCacheCheck"));

    // Slider and box show one value; whichever moves updates the other without echoing back.
    const auto link = [this](QSlider *slider, auto *spin, auto toSpin, auto toSlider) {
        connect(slider, &QSlider::valueChanged, this, [this, spin, toSpin](int position) {
            const QSignalBlocker block(spin);
            spin->setValue(toSpin(position));
            Q_EMIT changed();
        });
        using Value = decltype(spin->value());
        connect(spin, qOverload<Value>(&std::remove_pointer_t<decltype(spin)>::valueChanged), this,
                [this, slider, toSlider](Value value) {
                    const QSignalBlocker block(slider);
                    slider->setValue(toSlider(value));
                    Q_EMIT changed();
                });
    };
    link(
        m_temperatureSlider, m_temperatureSpin, [](int p) { return p / 100.0; },
        [](double v) { return static_cast<int>(std::lround(v * 100)); });
    link(
        m_topKSlider, m_topKSpin, [this](int p) { return sliderToTopK(p); }, [this](int k) { return topKToSlider(k); });
    link(
        m_topPSlider, m_topPSpin, [](int p) { return p / 100.0; },
        [](double v) { return static_cast<int>(std::lround(v * 100)); });
    link(
        m_maxTokensSlider, m_maxTokensSpin, [](int p) { return fromLogSlider(p, kMaxNewTokens); },
        [](int v) { return toLogSlider(v, kMaxNewTokens); });
    link(
        m_penaltySlider, m_penaltySpin, [](int p) { return p / 100.0; },
        [](double v) { return static_cast<int>(std::lround(v * 100)); });
    for (QCheckBox *box : {m_topKOff, m_topPOff, m_fixSeed, m_kvCache}) {
        connect(box, &QCheckBox::toggled, this, [this] {
            updateEnabled();
            Q_EMIT changed();
        });
    }
    connect(m_seedSpin, &QSpinBox::valueChanged, this, &SamplingControls::changed);

    auto *presets = new QHBoxLayout;
    presets->addWidget(m_precise);
    presets->addWidget(m_balanced);
    presets->addWidget(m_creative);
    auto *grid = new QGridLayout(this);
    grid->setContentsMargins(0, 0, 8, 0);
    grid->addWidget(m_title, 0, 0, 1, 4);
    grid->addWidget(m_presetsLabel, 1, 0);
    grid->addLayout(presets, 1, 1, 1, 3);
    const auto addRow = [grid](int row, QLabel *label, QWidget *slider, QWidget *spin, QWidget *extra) {
        grid->addWidget(label, row, 0);
        grid->addWidget(slider, row, 1);
        grid->addWidget(spin, row, 2);
        if (extra)
            grid->addWidget(extra, row, 3);
    };
    addRow(2, m_temperatureLabel, m_temperatureSlider, m_temperatureSpin, nullptr);
    addRow(3, m_topKLabel, m_topKSlider, m_topKSpin, m_topKOff);
    addRow(4, m_topPLabel, m_topPSlider, m_topPSpin, m_topPOff);
    addRow(5, m_maxTokensLabel, m_maxTokensSlider, m_maxTokensSpin, nullptr);
    addRow(6, m_penaltyLabel, m_penaltySlider, m_penaltySpin, nullptr);
    grid->addWidget(m_seedLabel, 7, 0);
    grid->addWidget(m_seedSpin, 7, 1, 1, 2);
    grid->addWidget(m_fixSeed, 7, 3);
    grid->addWidget(m_kvCache, 8, 0, 1, 4);
    grid->setRowMinimumHeight(9, 12);
    grid->addWidget(m_howTo, 10, 0, 1, 4);
    grid->setRowStretch(11, 1);
    grid->setColumnStretch(1, 1);

    setConfig(llmf::GenerationConfig{});
    retranslate();
}

int SamplingControls::topKToSlider(int k) const
{
    return toLogSlider(k, m_topKSpin->maximum());
}

int SamplingControls::sliderToTopK(int position) const
{
    return fromLogSlider(position, m_topKSpin->maximum());
}

llmf::GenerationConfig SamplingControls::config() const
{
    llmf::GenerationConfig c;
    c.temperature = m_temperatureSpin->value();
    c.top_k = m_topKOff->isChecked() ? std::nullopt : std::optional<int64_t>(m_topKSpin->value());
    c.top_p = m_topPOff->isChecked() ? std::nullopt : std::optional<double>(m_topPSpin->value());
    c.max_new_tokens = m_maxTokensSpin->value();
    c.repetition_penalty = m_penaltySpin->value();
    c.seed = m_seedSpin->value();
    c.use_kv_cache = m_kvCache->isChecked();
    return c;
}

void SamplingControls::setConfig(const llmf::GenerationConfig &c)
{
    {
        const QSignalBlocker blockers[] = {
            QSignalBlocker(m_temperatureSlider), QSignalBlocker(m_temperatureSpin), QSignalBlocker(m_topKSlider),
            QSignalBlocker(m_topKSpin),          QSignalBlocker(m_topKOff),         QSignalBlocker(m_topPSlider),
            QSignalBlocker(m_topPSpin),          QSignalBlocker(m_topPOff),         QSignalBlocker(m_maxTokensSlider),
            QSignalBlocker(m_maxTokensSpin),     QSignalBlocker(m_penaltySlider),   QSignalBlocker(m_penaltySpin),
            QSignalBlocker(m_seedSpin),          QSignalBlocker(m_kvCache)};
        m_temperatureSpin->setValue(c.temperature);
        m_temperatureSlider->setValue(static_cast<int>(std::lround(m_temperatureSpin->value() * 100)));
        m_topKOff->setChecked(!c.top_k);
        if (c.top_k)
            m_topKSpin->setValue(static_cast<int>(std::min<int64_t>(*c.top_k, m_topKSpin->maximum())));
        m_topKSlider->setValue(topKToSlider(m_topKSpin->value()));
        m_topPOff->setChecked(!c.top_p);
        if (c.top_p)
            m_topPSpin->setValue(*c.top_p);
        m_topPSlider->setValue(static_cast<int>(std::lround(m_topPSpin->value() * 100)));
        m_maxTokensSpin->setValue(static_cast<int>(std::clamp<int64_t>(c.max_new_tokens, 1, kMaxNewTokens)));
        m_maxTokensSlider->setValue(toLogSlider(m_maxTokensSpin->value(), kMaxNewTokens));
        m_penaltySpin->setValue(c.repetition_penalty);
        m_penaltySlider->setValue(static_cast<int>(std::lround(m_penaltySpin->value() * 100)));
        m_seedSpin->setValue(static_cast<int>(std::clamp<int64_t>(c.seed, 0, std::numeric_limits<int>::max())));
        m_kvCache->setChecked(c.use_kv_cache);
    }
    updateEnabled();
    Q_EMIT changed();
}

void SamplingControls::setVocabSize(int vocabSize)
{
    const QSignalBlocker blockSpin(m_topKSpin), blockSlider(m_topKSlider);
    m_topKSpin->setMaximum(std::max(1, vocabSize > 0 ? vocabSize : kDefaultVocab));
    m_topKSlider->setValue(topKToSlider(m_topKSpin->value()));
}

QStringList SamplingControls::outOfRange(const llmf::GenerationConfig &c) const
{
    QStringList out;
    if (!(c.temperature >= m_temperatureSpin->minimum() && c.temperature <= m_temperatureSpin->maximum()))
        out << tr("temperature %1").arg(c.temperature);
    if (c.top_k && (*c.top_k < m_topKSpin->minimum() || *c.top_k > m_topKSpin->maximum()))
        out << tr("top-k %1").arg(*c.top_k);
    if (c.top_p && !(*c.top_p >= m_topPSpin->minimum() && *c.top_p <= m_topPSpin->maximum()))
        out << tr("top-p %1").arg(*c.top_p);
    if (c.max_new_tokens < m_maxTokensSpin->minimum() || c.max_new_tokens > m_maxTokensSpin->maximum())
        out << tr("max new tokens %1").arg(c.max_new_tokens);
    if (!(c.repetition_penalty >= m_penaltySpin->minimum() && c.repetition_penalty <= m_penaltySpin->maximum()))
        out << tr("repetition penalty %1").arg(c.repetition_penalty);
    if (c.seed < 0 || c.seed > m_seedSpin->maximum())
        out << tr("seed %1").arg(c.seed);
    return out;
}

bool SamplingControls::isSeedFixed() const
{
    return m_fixSeed->isChecked();
}

void SamplingControls::setSeed(qint64 seed)
{
    const QSignalBlocker block(m_seedSpin);
    m_seedSpin->setValue(static_cast<int>(std::clamp<qint64>(seed, 0, std::numeric_limits<int>::max())));
}

void SamplingControls::applyPreset(double temperature, std::optional<int64_t> topK, std::optional<double> topP)
{
    llmf::GenerationConfig c = config();
    c.temperature = temperature;
    c.top_k = topK;
    c.top_p = topP;
    setConfig(c);
}

void SamplingControls::updateEnabled()
{
    m_topKSlider->setEnabled(!m_topKOff->isChecked());
    m_topKSpin->setEnabled(!m_topKOff->isChecked());
    m_topPSlider->setEnabled(!m_topPOff->isChecked());
    m_topPSpin->setEnabled(!m_topPOff->isChecked());
}

QString SamplingControls::describe(const llmf::GenerationConfig &c)
{
    QStringList parts;
    parts << (c.temperature == 0.0 ? tr("greedy") : tr("T %1").arg(c.temperature, 0, 'f', 2));
    parts << (c.top_k ? tr("top-k %1").arg(*c.top_k) : tr("top-k off"));
    parts << (c.top_p ? tr("top-p %1").arg(*c.top_p, 0, 'f', 2) : tr("top-p off"));
    if (c.repetition_penalty != 1.0)
        parts << tr("penalty %1").arg(c.repetition_penalty, 0, 'f', 2);
    parts << tr("max tokens %1").arg(c.max_new_tokens);
    return parts.join(QStringLiteral(" · "));
}

void SamplingControls::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::LanguageChange)
        retranslate();
    QWidget::changeEvent(event);
}

void SamplingControls::retranslate()
{
    m_title->setText(tr("<b>Sampling</b>"));
    m_howTo->setText(
        tr("<b>How the next token is chosen</b><ol style='margin-left:-20px'>"
           "<li>The model scores every token of the vocabulary; softmax turns the scores into probabilities.</li>"
           "<li>The repetition penalty lowers tokens already in the context.</li>"
           "<li>Temperature sharpens (below 1) or flattens (above 1) the distribution.</li>"
           "<li>Top-k keeps the k most likely tokens, top-p the fewest whose probabilities add up to p.</li>"
           "<li>One token is drawn from what is left, with the seeded random generator.</li></ol>"
           "Click a token in the output to see these stages for it, then move a slider."));
    m_presetsLabel->setText(tr("Presets"));
    m_precise->setText(tr("Precise"));
    m_precise->setToolTip(tr("Temperature 0.3, top-k 50, top-p 0.9: focused, repeatable text"));
    m_balanced->setText(tr("Balanced"));
    m_balanced->setToolTip(tr("Temperature 0.8, top-k 50, top-p 0.9: the defaults"));
    m_creative->setText(tr("Creative"));
    m_creative->setToolTip(tr("Temperature 1.2, top-p 0.95, top-k off: varied, sometimes odd text"));
    m_temperatureLabel->setText(tr("Temperature"));
    const QString temperatureTip = tr("Divides the logits before the softmax. Below 1 sharpens the distribution, "
                                      "above 1 flattens it; 0 always picks the most likely token (greedy).");
    for (QWidget *w : {static_cast<QWidget *>(m_temperatureLabel), static_cast<QWidget *>(m_temperatureSlider),
                       static_cast<QWidget *>(m_temperatureSpin)})
        w->setToolTip(temperatureTip);
    m_temperatureSpin->setSpecialValueText(tr("0 (greedy)"));
    m_topKLabel->setText(tr("Top-k"));
    m_topKLabel->setToolTip(tr("Keep only the k most likely tokens, then renormalise."));
    m_topKSpin->setToolTip(m_topKLabel->toolTip());
    m_topKSlider->setToolTip(m_topKLabel->toolTip());
    m_topKOff->setText(tr("Off"));
    m_topKOff->setToolTip(tr("Turn top-k off: every token stays a candidate"));
    m_topPLabel->setText(tr("Top-p"));
    m_topPLabel->setToolTip(tr("Nucleus sampling: keep the smallest set of most likely tokens whose probabilities add "
                               "up to at least p, then renormalise."));
    m_topPSpin->setToolTip(m_topPLabel->toolTip());
    m_topPSlider->setToolTip(m_topPLabel->toolTip());
    m_topPOff->setText(tr("Off"));
    m_topPOff->setToolTip(tr("Turn top-p off"));
    m_maxTokensLabel->setText(tr("Max new tokens"));
    m_maxTokensLabel->setToolTip(tr("How many tokens to generate at most; generation also ends at <|endoftext|>."));
    m_maxTokensSpin->setToolTip(m_maxTokensLabel->toolTip());
    m_maxTokensSlider->setToolTip(m_maxTokensLabel->toolTip());
    m_penaltyLabel->setText(tr("Repetition penalty"));
    m_penaltyLabel->setToolTip(tr("Above 1 makes tokens already in the context less likely (1 = off); below 1 "
                                  "makes them more likely."));
    m_penaltySpin->setToolTip(m_penaltyLabel->toolTip());
    m_penaltySlider->setToolTip(m_penaltyLabel->toolTip());
    m_seedLabel->setText(tr("Seed"));
    m_seedSpin->setToolTip(tr("The sampler's random seed: the same seed, settings and prompt give the same text."));
    m_fixSeed->setText(tr("Fix seed"));
    m_fixSeed->setToolTip(tr("Unchecked: every generation draws a new random seed (shown here)."));
    m_kvCache->setText(tr("Use KV cache"));
    m_kvCache->setToolTip(tr("Keep the keys and values of earlier tokens instead of recomputing the whole context "
                             "for every new token. Same text, much faster for long outputs."));
}

} // namespace llmf::views
