#pragma once

// Adaptive intra-op thread count. On an idle machine every core helps a matmul; as soon as another process wants a
// core, OpenMP's workers meet at barriers where one of them has been descheduled, and the others spin until the
// OS runs it again: measured on 2 cores with one busy process, `tiny` training fell from 14,367 to 1,801 tokens/s
// with 2 threads but kept 8,303 with 1. No fixed setting is right for both, so the work times itself:
//
//     record(seconds) after each unit of work (a training step, a few decoded tokens) at threads();
//     every so often (and at once when two units in a row are 30 % slower) one unit runs with one thread fewer or
//     more; when it beats the median of the last three units at the current count, it becomes the count used,
//     and a few units later the old count gets one more look (so one lucky unit cannot strand a fast machine).
//
// The exploration costs one unit in ~40 (and never more often than every 4 s), under 3 % when nothing competes.
// Pure logic, no torch: the caller applies threads() with setThreads() (systeminfo.h).

#include <cstdint>
#include <vector>

namespace llmf {

class ThreadTuner
{
public:
    // maxThreads: the count to start with and never exceed (the physical cores). minUnitsBetween /
    // minSecondsBetween: how rarely a steady state is questioned.
    explicit ThreadTuner(int maxThreads, int minUnitsBetween = 40, double minSecondsBetween = 4.0);

    // The thread count the next unit of work should run with.
    int threads() const { return m_exploring ? m_candidate : m_home; }
    // The count this tuner settles on (not an exploration).
    int settled() const { return m_home; }
    int maxThreads() const { return m_max; }
    // How long the last unit took, run with threads().
    void record(double seconds);
    // Sets the calling thread's intra-op threads (setThreads) to threads() when that changed since the last call:
    // switching LibTorch's pool is not free, so it is not done on every unit.
    void apply();

    // Recent seconds per unit measured at `threads` (0 when never measured).
    double secondsPerUnit(int threads) const;

    // False when LLMF_NUM_THREADS fixes the count or LLMF_ADAPTIVE_THREADS=0: callers then leave threads alone.
    static bool enabledByEnvironment();

private:
    static constexpr int kRecent = 3;
    void startExploring(int candidate);
    double recentHome() const;

    int m_max;
    int m_home;
    int m_candidate = 0;
    int m_previous = 0; // the count before the last move, checked again soon after it
    bool m_confirmPending = false;
    double m_recent[kRecent] = {}; // the last units at m_home, oldest first
    int m_recentCount = 0;
    bool m_exploring = false;
    bool m_exploredOnce = false;
    bool m_tryFewerNext = true; // alternate the direction of routine explorations
    int m_minUnits;
    double m_minSeconds;
    int m_applied = 0;
    int m_warmupLeft = 2; // units ignored at the start
    int m_slowStreak = 0;
    int64_t m_unitsSinceExplore = 0;
    double m_secondsSinceExplore = 0.0;
    std::vector<double> m_average; // EMA of seconds per unit, index = thread count
};

} // namespace llmf
