#pragma once

#include "llmf/config/generationconfig.h"

#include <QWidget>

#include <optional>

class QCheckBox;
class QDoubleSpinBox;
class QLabel;
class QPushButton;
class QSlider;
class QSpinBox;

namespace llmf::views {

// The sampling settings as sliders with numeric boxes, plus the guide's three presets. Every change emits
// changed() at once, so the next-token view can follow a dragged slider.
class SamplingControls final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SamplingControls)

public:
    explicit SamplingControls(QWidget *parent = nullptr);

    llmf::GenerationConfig config() const;
    // Values outside a control's range are clamped (top-k to the vocabulary). Emits changed() once.
    void setConfig(const llmf::GenerationConfig &config);
    // The settings in `config` that setConfig() would clamp, named for a message ("temperature 5").
    QStringList outOfRange(const llmf::GenerationConfig &config) const;
    // Top-k's upper end; 0 before a run is open.
    void setVocabSize(int vocabSize);

    bool isSeedFixed() const;
    void setSeed(qint64 seed); // shows the seed a generation used

    // "T 0.80 · top-k 50 · top-p 0.90 · 200 tokens", for compare columns and status lines.
    static QString describe(const llmf::GenerationConfig &config);

Q_SIGNALS:
    void changed();

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void updateEnabled();
    void applyPreset(double temperature, std::optional<int64_t> topK, std::optional<double> topP);
    int topKToSlider(int k) const;
    int sliderToTopK(int position) const;

    QPushButton *m_precise = nullptr;
    QPushButton *m_balanced = nullptr;
    QPushButton *m_creative = nullptr;
    QLabel *m_title = nullptr;
    QLabel *m_howTo = nullptr;
    QLabel *m_presetsLabel = nullptr;
    QLabel *m_temperatureLabel = nullptr;
    QSlider *m_temperatureSlider = nullptr;
    QDoubleSpinBox *m_temperatureSpin = nullptr;
    QLabel *m_topKLabel = nullptr;
    QSlider *m_topKSlider = nullptr;
    QSpinBox *m_topKSpin = nullptr;
    QCheckBox *m_topKOff = nullptr;
    QLabel *m_topPLabel = nullptr;
    QSlider *m_topPSlider = nullptr;
    QDoubleSpinBox *m_topPSpin = nullptr;
    QCheckBox *m_topPOff = nullptr;
    QLabel *m_maxTokensLabel = nullptr;
    QSlider *m_maxTokensSlider = nullptr;
    QSpinBox *m_maxTokensSpin = nullptr;
    QLabel *m_penaltyLabel = nullptr;
    QSlider *m_penaltySlider = nullptr;
    QDoubleSpinBox *m_penaltySpin = nullptr;
    QLabel *m_seedLabel = nullptr;
    QSpinBox *m_seedSpin = nullptr;
    QCheckBox *m_fixSeed = nullptr;
    QCheckBox *m_kvCache = nullptr;
};

} // namespace llmf::views
