#include "llmf/common/threadtuner.h"

#include "llmf/common/systeminfo.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>

namespace llmf {

namespace {

constexpr double kSmoothing = 0.3; // weight of the newest unit in the moving average
constexpr double kSlowdown = 1.3;  // a unit this much slower than usual means the machine got busier
// How much faster a count must be to take over (noise is not a reason to move). Fewer threads must win clearly:
// on an idle machine a small model runs almost as fast on one core, and a lucky unit must not give away the other;
// under load the difference is 3-6x, so 10 % costs nothing there.
constexpr double kFewerBetterBy = 0.90;
constexpr double kMoreBetterBy = 0.97;
constexpr int kFirstLookAfter = 3; // measured units at a count before looking at another

} // namespace

ThreadTuner::ThreadTuner(int maxThreads, int minUnitsBetween, double minSecondsBetween)
    : m_max(std::max(1, maxThreads)), m_home(std::max(1, maxThreads)), m_minUnits(std::max(1, minUnitsBetween)),
      m_minSeconds(std::max(0.0, minSecondsBetween)), m_average(static_cast<size_t>(m_max) + 1, 0.0)
{}

double ThreadTuner::secondsPerUnit(int threads) const
{
    return threads >= 1 && threads <= m_max ? m_average[static_cast<size_t>(threads)] : 0.0;
}

double ThreadTuner::recentHome() const
{
    // The median of the last three units at the settled count: what it does now (the moving average still
    // remembers warm-up steps and the load before), robust to one odd unit.
    if (m_recentCount == 0)
        return m_average[static_cast<size_t>(m_home)];
    double sorted[kRecent];
    std::copy(m_recent, m_recent + m_recentCount, sorted);
    std::sort(sorted, sorted + m_recentCount);
    return sorted[(m_recentCount - 1) / 2];
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
        m_unitsSinceExplore = 0;
        m_secondsSinceExplore = 0.0;
        const bool confirming = m_confirmPending;
        m_confirmPending = false;
        if (seconds < recentHome() * (used < m_home ? kFewerBetterBy : kMoreBetterBy)) {
            // One unit can mislead (a page fault storm, the other process pausing): unless this was itself the
            // check of a recent move, look back at the count we leave after a few units.
            m_previous = m_home;
            m_home = used;
            m_recentCount = 0;
            m_confirmPending = !confirming;
        }
        return;
    }
    // The first units also allocate and warm caches up: they say nothing about the thread count.
    if (m_warmupLeft > 0) {
        --m_warmupLeft;
        return;
    }
    // Two slow units in a row, not one: a single hiccup of the OS is not a reason to leave a good count.
    m_slowStreak = average > 0.0 && seconds > average * kSlowdown ? m_slowStreak + 1 : 0;
    average = average > 0.0 ? average + kSmoothing * (seconds - average) : seconds;
    if (m_recentCount == kRecent)
        std::copy(m_recent + 1, m_recent + kRecent, m_recent);
    else
        ++m_recentCount;
    m_recent[m_recentCount - 1] = seconds;
    ++m_unitsSinceExplore;
    m_secondsSinceExplore += seconds;
    if (m_slowStreak >= 2) {
        m_slowStreak = 0;
        startExploring(m_home > 1 ? m_home - 1 : m_home + 1);
    } else if (m_confirmPending && m_unitsSinceExplore >= kFirstLookAfter) {
        startExploring(m_previous);
    } else if (!m_exploredOnce && m_unitsSinceExplore >= kFirstLookAfter) {
        // A machine that was already busy when we started never looks "suddenly slower".
        startExploring(m_home > 1 ? m_home - 1 : m_home + 1);
    } else if (m_unitsSinceExplore >= m_minUnits && m_secondsSinceExplore >= m_minSeconds) {
        // Alternate the direction, so a count that was abandoned under load is tried again once it is gone.
        const bool fewer = m_tryFewerNext ? m_home > 1 : m_home >= m_max;
        m_tryFewerNext = !m_tryFewerNext;
        startExploring(fewer ? m_home - 1 : m_home + 1);
    }
}

void ThreadTuner::startExploring(int candidate)
{
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
