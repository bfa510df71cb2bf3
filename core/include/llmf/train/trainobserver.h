#pragma once

#include "llmf/run/trainingmetrics.h"

#include <string>

namespace llmf {

// How the Trainer reports progress (core has no Qt; the GUI's worker forwards these as queued signals).
// Called on the training thread.
class TrainObserver
{
public:
    virtual ~TrainObserver() = default;
    virtual void onStep(const StepMetrics &) {}
    virtual void onEval(const EvalMetrics &) {}
    virtual void onCheckpoint(const std::string & /*runDir*/, int64_t /*step*/) {}
    virtual void onMessage(const std::string &) {}
};

} // namespace llmf
