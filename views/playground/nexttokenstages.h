#pragma once

#include "llmf/config/generationconfig.h"

#include <QVector>

#include <cstdint>
#include <vector>

namespace llmf::views {

struct StageBar
{
    qint32 id = 0;
    double probability = 0.0;
};

// The four distributions the Playground charts for one position, best first. A torch-free front to
// Sampler::stages(), so that only this file's .cpp compiles against LibTorch.
struct NextTokenStages
{
    QVector<StageBar> raw;      // softmax of the logits
    QVector<StageBar> tempered; // after the repetition penalty and the temperature
    QVector<StageBar> topK;     // after top-k, renormalised
    QVector<StageBar> topP;     // after top-p, renormalised: what the token is drawn from
    int keptByTopK = 0;         // tokens left with probability > 0 after each filter (all of them, not just shown)
    int keptByTopP = 0;
    double topPKeptMass = 0.0; // the mass top-p kept, measured in the distribution before it: >= p
};

// `logits` is the (V) row the sampler saw; `context` the ids before this position (for the repetition penalty).
// Keeps the `shown` best of each stage. Throws llmf::Error for invalid settings.
NextTokenStages computeNextTokenStages(const QVector<float> &logits, const llmf::GenerationConfig &config,
                                       const std::vector<int32_t> &context, int shown = 10);

} // namespace llmf::views
