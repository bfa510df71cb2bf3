#pragma once

// Turning one row of logits into the next token. The pipeline, in order:
//
//     logits (V)
//       → repetition penalty   tokens already in the context: positive logits / penalty, negative ones × penalty
//                              (CTRL, Keskar et al. 2019); 1 = off
//       → temperature          logits / T; T = 0 is greedy: the distribution becomes one-hot on the argmax
//       → top-k                keep the k most likely tokens; null = off
//       → top-p (nucleus)      sort descending, keep the smallest prefix whose mass is >= p (at least one token)
//       → renormalise → draw   from the Sampler's own seeded generator, never the global RNG
//
// Worked example, probabilities [0.5, 0.3, 0.15, 0.05] (already sorted):
//     top-p 0.7   cumulative 0.5, 0.8 → 0.8 >= 0.7 after two tokens  → keep {0.5, 0.3} → [0.625, 0.375]
//     top-p 0.8   0.8 >= 0.8 after two tokens                         → keep two as well
//     top-p 0.81  needs the third token (0.95)                        → keep three
//
// The Playground shows every stage: stages() recomputes them for stored logits and new settings without
// drawing, so moving a slider redraws the chart at once.

#include "llmf/config/generationconfig.h"
#include "llmf/infer/samplingstages.h"

#include <torch/torch.h>

#include <cstdint>
#include <vector>

namespace llmf {

class Sampler
{
public:
    // Validates `config` (throws llmf::Error) and seeds the generator with config.seed.
    explicit Sampler(const GenerationConfig &config = {});

    const GenerationConfig &config() const { return m_config; }
    // Restarts the random stream: the same seed and the same logits give the same tokens again.
    void reseed(int64_t seed);

    // Draws the next token from `logits` (V), or any tensor holding a single row such as (1, 1, V), on any
    // device and dtype; the row is copied to the CPU in float32 unless it already is. `context` holds the token
    // ids the repetition penalty applies to. Fills `stagesOut` (top 10 per stage) and `probabilityOut` (the
    // chosen token's probability in the final distribution) when given.
    int32_t sample(const torch::Tensor &logits, const std::vector<int32_t> &context,
                   SamplingStages *stagesOut = nullptr, float *probabilityOut = nullptr);

    // The top `topN` candidates of every stage for `logits` under `config`, without drawing. Pure: does not
    // touch any generator. Throws llmf::Error when the settings are invalid.
    static SamplingStages stages(const torch::Tensor &logits, const GenerationConfig &config,
                                 const std::vector<int32_t> &context, int topN = 10);

    // The final distribution (V), float32 on the CPU, summing to 1.
    static torch::Tensor distribution(const torch::Tensor &logits, const GenerationConfig &config,
                                      const std::vector<int32_t> &context);

    // Throws llmf::Error with a sentence naming the first invalid setting.
    static void validate(const GenerationConfig &config);

private:
    GenerationConfig m_config;
    torch::Generator m_generator;
};

} // namespace llmf
