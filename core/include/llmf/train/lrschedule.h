#pragma once

#include "llmf/config/trainconfig.h"

#include <cstdint>

namespace llmf {

// Learning rate for optimiser step `step` (0-based): linear warmup from lr/warmup to lr over warmup_iters
// steps, then a half cosine from lr down to min_lr at max_iters (and min_lr after it).
// Worked example (lr 1e-3, min_lr 1e-4, warmup 10, max_iters 110): step 0 → 1e-4, step 9 → 1e-3,
// step 60 (half way through the cosine) → 5.5e-4, step 110 → 1e-4.
double learningRateAt(const TrainConfig &config, int64_t step);

} // namespace llmf
