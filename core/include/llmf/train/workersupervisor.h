#pragma once

// Supervising the worker processes of data-parallel training from a program that does not train itself (the
// desktop app's Processes setting): starts them with launchWorkers(), follows rank 0's metrics.jsonl, pauses them
// (SIGSTOP/SIGCONT), asks them to stop at an agreed step, and reports through callbacks on the calling thread.
// Torch-free; the GUI's TrainingWorker only turns the callbacks into signals.

#include "llmf/run/trainingmetrics.h"
#include "llmf/train/distributed.h"

#include <atomic>
#include <functional>
#include <string>
#include <vector>

namespace llmf {

struct SupervisedRun
{
    LaunchOptions launch;
    std::string program;                // the llmf executable
    std::vector<std::string> arguments; // "train", …
    std::string metricsPath;            // rank 0's <run>/metrics.jsonl
    int64_t firstStep = 0;              // a resumed run's checkpoint: earlier lines are its history, not reported
    int64_t maxSteps = 0;               // for the ETA
    int pollMilliseconds = 100;         // how often the metrics and the controls are looked at
};

// Everything may be empty. Called on the thread that runs superviseWorkers().
struct SupervisorEvents
{
    std::function<void(const std::vector<StepMetrics> &)> onSteps; // maxSteps and etaSeconds filled in
    std::function<void(const EvalMetrics &)> onEval;
    std::function<void(int64_t step)> onCheckpoint;
    std::function<void(bool paused)> onPaused;
    std::function<void()> onStopping; // a stop was asked for: the workers finish their step and save
    std::function<void()> onPoll;     // every pollMilliseconds, for the caller's own checks
};

struct SupervisorControls
{
    const std::atomic_bool *stop = nullptr;  // true: the workers agree on a step, save and exit
    const std::atomic_bool *pause = nullptr; // true: the workers are stopped (SIGSTOP) until it is false again
};

// Runs the workers to their end and returns launchWorkers()'s result; every worker is reaped before it returns.
// A pause may be long: unless $LLMF_DIST_TIMEOUT_S is set, the workers are given a week before a silent peer counts
// as dead (their environment, not this process's, is changed).
LaunchResult superviseWorkers(const SupervisedRun &run, const SupervisorControls &controls,
                              const SupervisorEvents &events);

} // namespace llmf
