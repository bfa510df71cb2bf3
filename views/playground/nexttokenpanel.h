#pragma once

#include "llmf/config/generationconfig.h"
#include "playground/generationtypes.h"
#include "playground/nexttokenstages.h"

#include <QWidget>

#include <array>
#include <vector>

class QLabel;

namespace llmf::views {

class StageChart;

// "How was this token chosen?": the distribution at one position after each sampling stage, as four bar charts
// read left to right like the pipeline, with a caption naming the token. Recomputed from the stored logits row
// whenever the settings change, so dragging a slider shows what those settings would have done here.
class NextTokenPanel final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(NextTokenPanel)

public:
    enum Stage { RawStage = 0, TemperatureStage, TopKStage, TopPStage, StageCount };

    explicit NextTokenPanel(QWidget *parent = nullptr);

    void setTokenLabels(const QStringList &labels); // id -> display text, from the open run
    // `index` of `count` generated tokens; `context` the ids before it; `current` the sliders' settings and
    // `generatedWith` those the token was sampled under. Throws llmf::Error when `current` is invalid.
    void showToken(const GeneratedToken &token, int index, int count, const std::vector<int32_t> &context,
                   const llmf::GenerationConfig &current, const llmf::GenerationConfig &generatedWith);
    // Nothing selected; `hasRun` picks the hint.
    void showNothing(bool hasRun, const llmf::GenerationConfig &current);

    int barCount(int stage) const;
    QStringList labels(int stage) const;
    QVector<double> values(int stage) const;
    double topPKeptMass() const { return m_stages.topPKeptMass; }

protected:
    void changeEvent(QEvent *event) override;

private:
    void render();
    QString label(qint32 id) const;

    QLabel *m_caption = nullptr;
    std::array<StageChart *, StageCount> m_charts{};
    QStringList m_labels;

    // What is shown, kept so that a language change can redraw it.
    bool m_hasToken = false;
    bool m_hasRun = false;
    GeneratedToken m_token;
    int m_index = 0;
    int m_count = 0;
    llmf::GenerationConfig m_current;
    llmf::GenerationConfig m_generatedWith;
    NextTokenStages m_stages;
};

} // namespace llmf::views
