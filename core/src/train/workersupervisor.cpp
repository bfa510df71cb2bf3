#include "llmf/train/workersupervisor.h"

#include "llmf/run/metricslog.h"
#include "llmf/train/stepclock.h"

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <exception>
#include <mutex>
#include <thread>

#include <sys/types.h>

namespace llmf {

namespace {

// The metrics lines added since the last call, as the callbacks want them: consecutive steps in one batch (a chart
// redraws once for them), evaluations and checkpoints in order between them.
class MetricsForwarder
{
public:
    MetricsForwarder(const SupervisedRun &run, const SupervisorEvents &events)
        : m_tail(run.metricsPath), m_run(run), m_events(events)
    {
    }

    void poll()
    {
        std::vector<StepMetrics> steps;
        const auto flushSteps = [&] {
            if (!steps.empty() && m_events.onSteps)
                m_events.onSteps(steps);
            steps.clear();
        };
        for (MetricsLine &event : m_tail.poll()) {
            if (event.stepNumber <= m_run.firstStep && event.kind != MetricsLine::Kind::Checkpoint)
                continue; // a resumed run's history; the dashboard has already replayed it
            if (event.kind == MetricsLine::Kind::Step) {
                StepMetrics &m = event.step;
                m.maxSteps = m_run.maxSteps;
                m_clock.record(m.stepSeconds);
                m.etaSeconds = m_clock.etaSeconds(m.step, m_run.maxSteps);
                steps.push_back(m);
                continue;
            }
            flushSteps();
            if (event.kind == MetricsLine::Kind::Eval && m_events.onEval)
                m_events.onEval(event.eval);
            else if (event.kind == MetricsLine::Kind::Checkpoint && m_events.onCheckpoint)
                m_events.onCheckpoint(event.stepNumber);
        }
        flushSteps();
    }

private:
    MetricsTail m_tail;
    const SupervisedRun &m_run;
    const SupervisorEvents &m_events;
    StepClock m_clock;
};

} // namespace

LaunchResult superviseWorkers(const SupervisedRun &run, const SupervisorControls &controls,
                              const SupervisorEvents &events)
{
    LaunchOptions options = run.launch;
    if (!std::getenv("LLMF_DIST_TIMEOUT_S"))
        options.extraEnvironment.push_back("LLMF_DIST_TIMEOUT_S=604800"); // Pause must not look like a dead peer

    std::atomic_bool interrupt{false}, done{false};
    std::mutex pidsMutex;
    std::vector<int> pids;
    LaunchResult result;
    std::exception_ptr launchError;
    std::thread launcher([&] {
        try {
            result = launchWorkers(options, run.program, run.arguments, &interrupt, [&](int, int pid) {
                std::lock_guard<std::mutex> lock(pidsMutex);
                pids.push_back(pid);
            });
        } catch (...) {
            launchError = std::current_exception();
        }
        done.store(true);
    });
    const auto signalWorkers = [&](int sig) {
        std::lock_guard<std::mutex> lock(pidsMutex);
        for (int pid : pids)
            ::kill(static_cast<pid_t>(pid), sig);
    };

    MetricsForwarder forwarder(run, events);
    bool paused = false;
    while (!done.load()) {
        if (controls.stop && controls.stop->load() && !interrupt.load()) {
            if (paused)
                signalWorkers(SIGCONT); // a stopped process cannot save
            interrupt.store(true);      // launchWorkers asks the workers to agree on a step and save
            if (events.onStopping)
                events.onStopping();
        }
        const bool wantPaused = controls.pause && controls.pause->load();
        if (!interrupt.load() && wantPaused != paused) {
            paused = wantPaused;
            signalWorkers(paused ? SIGSTOP : SIGCONT);
            if (events.onPaused)
                events.onPaused(paused);
        }
        forwarder.poll();
        if (events.onPoll)
            events.onPoll();
        std::this_thread::sleep_for(std::chrono::milliseconds(run.pollMilliseconds));
    }
    launcher.join();
    forwarder.poll();
    if (launchError)
        std::rethrow_exception(launchError);
    return result;
}

} // namespace llmf
