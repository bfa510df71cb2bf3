#include "llmf/train/lrschedule.h"

#include <algorithm>
#include <cmath>

namespace llmf {

double learningRateAt(const TrainConfig &c, int64_t step)
{
    if (c.warmup_iters > 0 && step < c.warmup_iters)
        return c.learning_rate * static_cast<double>(step + 1) / static_cast<double>(c.warmup_iters);
    if (step >= c.max_iters)
        return c.min_lr;
    const double span = static_cast<double>(std::max<int64_t>(1, c.max_iters - c.warmup_iters));
    const double progress = static_cast<double>(step - c.warmup_iters) / span; // 0 → 1
    const double coefficient = 0.5 * (1.0 + std::cos(M_PI * progress));        // 1 → 0
    return c.min_lr + coefficient * (c.learning_rate - c.min_lr);
}

} // namespace llmf
