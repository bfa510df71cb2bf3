#pragma once

#include <algorithm>
#include <cstdint>

namespace llmf {

// The time left of a run, from its recent steps: an exponential moving average of the step time (weight 0.1 for
// the newest) times the steps still to go. One formula for the Trainer's own ETA and for the supervisor that
// follows worker processes (workersupervisor.h), so the dashboard shows the same estimate either way.
class StepClock
{
public:
    void record(double stepSeconds)
    {
        m_average = m_average == 0.0 ? stepSeconds : 0.9 * m_average + 0.1 * stepSeconds;
    }
    double etaSeconds(int64_t step, int64_t maxSteps) const
    {
        return m_average * static_cast<double>(std::max<int64_t>(0, maxSteps - step));
    }

private:
    double m_average = 0.0;
};

} // namespace llmf
