#include "llmf/common/threadtuner.h"

#include "llmf/common/systeminfo.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace llmf {

namespace {

constexpr double kSmoothing = 0.3; // weight of the newest unit in the moving average
constexpr double kSlowdown = 1.3;  // a unit this much slower than usual means the machine got busier
constexpr double kBetterBy = 0.97; // a count must be 3 % faster to take over (noise is not a reason to move)
constexpr int kFirstLookAfter = 3; // units before the first exploration (the first ones also warm caches up)

} // namespace

ThreadTuner::ThreadTuner(int maxThreads, int minUnitsBetween, double minSecondsBetween)
    : m_max(std::max(1, maxThreads)), m_home(std::max(1, maxThreads)), m_minUnits(std::max(1, minUnitsBetween)),
      m_minSeconds(std::max(0.0, minSecondsBetween)), m_average(static_cast<size_t>(m_max) + 1, 0.0)
{}

double ThreadTuner::secondsPerUnit(int threads) const
{
    return threads >= 1 && threads <= m_max ? m_average[static_cast<size_t>(threads)] : 0.0;
}

void ThreadTuner::record(double seconds)
{
    if (!(seconds > 0.0) || m_max == 1)
        return;
    const int used = threads();
    double &average = m_average[static_cast<size_t>(used)];
    if (m_exploring) {
        // One unit is all an exploration gets: take it as the candidate's current speed.
        average = seconds;
        m_exploring = false;
        if (average < m_average[static_cast<size_t>(m_home)] * kBetterBy)
            m_home = used;
        m_unitsSinceExplore = 0;
        m_secondsSinceExplore = 0.0;
        return;
    }
    // Two slow units in a row, not one: a single hiccup of the OS is not a reason to leave a good count.
    m_slowStreak = average > 0.0 && seconds > average * kSlowdown ? m_slowStreak + 1 : 0;
    average = average > 0.0 ? average + kSmoothing * (seconds - average) : seconds;
    ++m_unitsSinceExplore;
    m_secondsSinceExplore += seconds;
    if (m_slowStreak >= 2) {
        m_slowStreak = 0;
        startExploring(true);
    } else if (!m_exploredOnce && m_unitsSinceExplore >= kFirstLookAfter)
        startExploring(true); // a machine that was already busy when we started never looks "suddenly slower"
    else if (m_unitsSinceExplore >= m_minUnits && m_secondsSinceExplore >= m_minSeconds)
        startExploring(false);
}

void ThreadTuner::startExploring(bool slower)
{
    // When the machine got busier, fewer threads is the likely cure; otherwise alternate, so a count that was
    // abandoned under load is tried again once the load is gone.
    const bool fewer = slower ? m_home > 1 : (m_tryFewerNext ? m_home > 1 : m_home >= m_max);
    if (!slower)
        m_tryFewerNext = !m_tryFewerNext;
    const int candidate = fewer ? m_home - 1 : m_home + 1;
    if (candidate < 1 || candidate > m_max || candidate == m_home)
        return;
    m_candidate = candidate;
    m_exploring = true;
    m_exploredOnce = true;
}

void ThreadTuner::apply()
{
    const int wanted = threads();
    if (wanted != m_applied) {
        setThreads(wanted);
        m_applied = wanted;
    }
}

bool ThreadTuner::enabledByEnvironment()
{
    if (const char *fixed = std::getenv("LLMF_NUM_THREADS"); fixed && std::atoi(fixed) > 0)
        return false;
    const char *adaptive = std::getenv("LLMF_ADAPTIVE_THREADS");
    return !(adaptive && std::strcmp(adaptive, "0") == 0);
}

} // namespace llmf
